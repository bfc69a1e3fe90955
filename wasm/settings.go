//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/syncclient"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/wasm/dom"
)

func startSettings(a *App) error {
	root := dom.ByID("settings").Show()
	drawStorage(a, root)
	root.Q("[data-role=persist]").On("click", func(js.Value) { go askPersist(a, root) })
	root.Q("[data-role=export]").On("click", func(js.Value) { exportProgress(a) })
	importBtn := root.Q("[data-role=import]")
	importBtn.On("click", func(js.Value) { go importProgress(a, root, importBtn) })
	resetStatus := root.Q("[data-role=reset-status]")
	dlg := dom.ByID("reset-dialog")
	confirm := dom.ByID("reset-confirm")
	root.Q("[data-role=reset]").On("click", func(js.Value) {
		confirm.Set("value", "")
		dlg.Call("showModal")
	})
	dlg.On("close", func(js.Value) {
		if dlg.Get("returnValue").String() != "reset" {
			return
		}
		if strings.TrimSpace(strings.ToLower(confirm.Val())) != "reset" {
			resetStatus.Text("Nothing was reset: type the word reset to confirm.")
			return
		}
		saved := a.Record(quiz.NewReset(a.NextID(), a.Seen())) // clears what this device holds, nothing it has not seen
		go func() {
			defer dom.Recover()
			if err := saved.Wait(); err != nil {
				resetStatus.Text(sentence(err.Error()))
				return
			}
			resetStatus.Text("Your progress was reset. Your settings and this device's id were kept.")
			drawDevice(a, root)
		}()
	})
	drawDevice(a, root)
	drawSync(a, root)
	reports := root.Q("[data-role=reports]")
	a.reports.addView(func() {
		text := a.reports.waitingText()
		reports.Text(text).Visible(text != "")
	})
	return nil
}

func drawDevice(a *App, root dom.El) {
	s := a.State()
	box := root.Q("[data-role=device]").Clear()
	where := "IndexedDB in this browser"
	if !a.persistent {
		where = "memory only (this browser does not allow storage): export before you leave"
	}
	facts := [][2]string{
		{"Stored in", where},
		{"Device id", a.device},
		{"Events recorded", fmt.Sprint(s.Events)},
		{"Answers since the last reset", fmt.Sprint(len(s.Reviews))},
		{"Question bank version", a.cat.Bank.Version},
	}
	if n := len(a.unreadable); n > 0 {
		facts = append(facts, [2]string{"Unreadable records", fmt.Sprintf("%d, kept untouched", n)})
	}
	if n := len(s.Unusable); n > 0 {
		facts = append(facts, [2]string{"Records that do not fit the question bank", fmt.Sprintf("%d, kept but not counted (%s)", n, s.Unusable[0].Reason)})
	}
	if s.Pending > 0 {
		facts = append(facts, [2]string{"Records dated ahead of this device's clock", fmt.Sprintf("%d, counted from their date", s.Pending)})
	}
	for _, f := range facts {
		box.Append(dom.New("div").Append(dom.New("dt").Text(f[0]), dom.New("dd").Text(f[1])))
	}
}

// drawStorage says whether the browser promised to keep the data, and what protects it if not.
func drawStorage(a *App, root dom.El) {
	el := root.Q("[data-role=storage]")
	storage := dom.Window().Get("navigator").Get("storage")
	if !a.persistent {
		el.Text("This browser does not let the site store data, so your progress lives only in this page. Export it before you close the page.")
		root.Q("[data-role=persist]").Hide()
		return
	}
	if !storage.Truthy() || !storage.Get("persisted").Truthy() {
		el.Text("Your progress is stored in this browser. This browser cannot promise to keep it: export it now and then, or turn on sync.")
		root.Q("[data-role=persist]").Hide()
		return
	}
	go func() {
		defer dom.Recover()
		v, err := dom.Await(storage.Call("persisted"))
		if err == nil && v.Bool() {
			el.Text("Your progress is stored in this browser, which has promised to keep it: it will not be cleared to free space.")
			root.Q("[data-role=persist]").Hide()
			return
		}
		el.Text("Your progress is stored in this browser. " + storageAdvice())
	}()
}

func askPersist(a *App, root dom.El) {
	defer dom.Recover()
	status := root.Q("[data-role=persist-status]")
	storage := dom.Window().Get("navigator").Get("storage")
	if !storage.Truthy() || !storage.Get("persist").Truthy() {
		status.Text("This browser cannot promise to keep site data. Export your progress now and then, or turn on sync.")
		return
	}
	v, err := dom.Await(storage.Call("persist"))
	switch {
	case err != nil:
		status.Text("The browser did not answer (" + err.Error() + "). Export your progress to be safe.")
	case v.Bool():
		status.Text("Done: the browser will keep your progress.")
		drawStorage(a, root)
	default:
		status.Text("The browser declined. Browsers grant this to sites you visit often or install; meanwhile export your progress now and then, or turn on sync.")
	}
}

// exportProgress downloads the whole log as a file.
func exportProgress(a *App) {
	t := now()
	data, err := quiz.MarshalExport(a.Log(), a.device, t)
	if err != nil {
		a.fail(err)
		return
	}
	arr := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	blob := js.Global().Get("Blob").New([]any{arr}, map[string]any{"type": "application/json"})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	link := dom.New("a", "href", url.String(), "download", "issmp-progress-"+t.Format("2006-01-02")+".json")
	dom.Document().Get("body").Call("appendChild", link.Value)
	link.Call("click")
	link.Call("remove")
	js.Global().Call("setTimeout", js.FuncOf(func(js.Value, []js.Value) any {
		defer dom.Recover()
		js.Global().Get("URL").Call("revokeObjectURL", url)
		return nil
	}), 10000)
}

// importProgress merges a progress file into what is here. A wrong or damaged file changes nothing.
func importProgress(a *App, root dom.El, btn dom.El) {
	defer dom.Recover()
	status := root.Q("[data-role=import-status]")
	files := dom.ByID("import-file").Get("files")
	if files.Length() == 0 {
		status.Text("Choose a progress file first.")
		return
	}
	file := files.Index(0)
	if size := file.Get("size").Int(); size > quiz.MaxExportSize {
		status.Text(fmt.Sprintf("That file is too large (%d MB) to be a progress file; nothing was imported.", size>>20))
		return
	}
	btn.Disabled(true)
	defer btn.Disabled(false)
	status.Text("Reading the file…")
	text, err := dom.Await(file.Call("text"))
	if err != nil {
		status.Text("The file could not be read (" + err.Error() + "); nothing was imported.")
		return
	}
	events, skipped, err := quiz.ParseExport([]byte(text.String()))
	if err != nil {
		msg := "That file is not a progress file exported from ISSMP Study; nothing was imported and your progress is unchanged."
		if errors.Is(err, quiz.ErrNewerVersion) {
			msg = "That file comes from a newer version of the app: reload this page to update, then import again. Nothing was imported."
		}
		status.Text(msg)
		return
	}
	added, err := a.Merge(events)
	if err != nil {
		status.Text(sentence(err.Error()))
		return
	}
	if added > 0 {
		a.syncSoon() // imported events go to the other devices too
	}
	msg := fmt.Sprintf("Imported %s (%d %s already here).", quiz.Count(added, "new event"), len(events)-added, wasWere(len(events)-added))
	if skipped > 0 {
		msg += fmt.Sprintf(" %s in the file %s skipped.", quiz.Count(skipped, "damaged event"), wasWere(skipped))
	}
	if n := unusableAmong(a.State(), events); n > 0 {
		msg += fmt.Sprintf(" %d do not fit this question bank: they are kept but not counted.", n)
	}
	status.Text(msg)
	drawDevice(a, root)
}

// drawSync binds the sync panel: turn on with a new code, join with a code (typed, or from the
// link a QR code carries), show the code and its QR code, sync now, turn off.
func drawSync(a *App, root dom.El) {
	panel := root.Q("#sync")
	status := panel.Q("[data-role=sync-status]")
	input := dom.ByID("sync-code-input")
	show := func() {
		code, on := a.sync.code()
		panel.Q("[data-role=sync-off]").Visible(!on)
		panel.Q("[data-role=sync-on]").Visible(on)
		if on {
			panel.Q("[data-role=sync-code]").Text(code.String())
			drawQR(panel.Q("[data-role=sync-qr]"), syncclient.JoinLink(dom.Window().Get("location").Get("origin").String(), code))
		}
		text, kind := a.sync.statusText()
		status.Text(text).Attr("data-kind", kind)
	}
	a.sync.addView(show)
	show()

	// A link from a QR code: #sync=CODE. Fill it in, and take it out of the address bar and the
	// history, where it should not stay.
	loc := dom.Window().Get("location")
	if h := loc.Get("hash").String(); strings.HasPrefix(h, "#sync=") {
		dom.Window().Get("history").Call("replaceState", nil, "", loc.Get("pathname").String()+"#sync")
		if _, on := a.sync.code(); !on {
			input.Set("value", strings.TrimPrefix(h, "#sync="))
			status.Text("The sync code from the link is filled in: press Join to sync this device with it.")
			panel.Q("[data-role=sync-join]").Focus()
		} else {
			status.Text("This device already syncs with a code. To join the one from the link, turn sync off first.")
		}
	}

	panel.Q("[data-role=sync-create]").On("click", func(js.Value) {
		go func() {
			defer dom.Recover()
			code, err := syncproto.NewCode(jsRandom{})
			if err == nil {
				err = a.sync.enable(code)
			}
			if err != nil {
				status.Text(sentence(err.Error()))
				return
			}
			show()
			status.Text("Sync is on. Enter this code on your other devices, or scan the QR code with them.")
		}()
	})
	join := func() {
		code, err := syncproto.ParseCode(input.Val())
		if err != nil {
			status.Text(sentence(err.Error())).Attr("data-kind", "error")
			input.Focus()
			return
		}
		go func() {
			defer dom.Recover()
			if err := a.sync.enable(code); err != nil {
				status.Text(sentence(err.Error()))
				return
			}
			input.Set("value", "")
			show()
		}()
	}
	panel.Q("[data-role=sync-join]").On("click", func(js.Value) { join() })
	input.On("keydown", func(ev js.Value) {
		if ev.Get("key").String() == "Enter" {
			ev.Call("preventDefault")
			join()
		}
	})
	panel.Q("[data-role=sync-now]").On("click", func(js.Value) { go a.sync.round() })
	panel.Q("[data-role=sync-stop]").On("click", func(js.Value) {
		if !js.Global().Call("confirm", "Turn off sync on this device? Your progress stays here and on your other devices; you can join again with the code.").Bool() {
			return
		}
		go func() {
			defer dom.Recover()
			if err := a.sync.disable(); err != nil {
				status.Text(sentence(err.Error()))
				return
			}
			show()
			status.Text("Sync is off on this device. Your progress is still here.")
		}()
	})
}

// drawQR draws a QR code of text as an inline SVG.
func drawQR(box dom.El, text string) {
	q, err := syncclient.NewQR(text)
	if err != nil {
		box.Text(err.Error())
		return
	}
	box.Set("innerHTML", fmt.Sprintf(`<svg class="qr" viewBox="0 0 %d %d" role="img" aria-label="QR code of the link that joins this sync code" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"></rect><path fill="#000" d="%s"></path></svg>`, q.Size, q.Size, q.Size, q.Size, q.D))
}

// unusableAmong counts the events that the state could not use.
func unusableAmong(s *quiz.State, events []quiz.Event) int {
	ids := make(map[string]bool, len(events))
	for _, e := range events {
		ids[e.ID] = true
	}
	n := 0
	for _, u := range s.Unusable {
		if ids[u.ID] {
			n++
		}
	}
	return n
}
