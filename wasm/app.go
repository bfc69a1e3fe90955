//go:build js && wasm

// Command wasm is the quiz app in the browser: Go compiled to WebAssembly. It binds the engine
// (package quiz) to the markup Hugo rendered, keeps progress in IndexedDB, and does nothing the
// engine could do instead.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"syscall/js"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/store"
	"github.com/issmp-study/issmp/store/idbstore"
	"github.com/issmp-study/issmp/store/memstore"
	"github.com/issmp-study/issmp/wasm/dom"
)

// dbName is the IndexedDB database holding progress.
const dbName = "issmp-progress"

// summaryKey is where the study pages find the progress summary (localStorage).
const summaryKey = "issmp-summary"

// App is the running app on one page.
type App struct {
	cat        *quiz.Catalog
	store      store.Store
	persistent bool // false when IndexedDB was unavailable and progress lives in memory
	device     string
	ids        *quiz.IDs
	rng        *rand.Rand
	unreadable []store.Unreadable

	mu    sync.Mutex // guards log and state, and orders writes
	log   []quiz.Event
	state *quiz.State

	listeners []func() // called after the state changes
	askedKeep bool     // whether persistent storage was requested on this page
	sync      *syncer  // cross-device sync; set by startSync
}

// now is the adapter's clock; the engine takes time as an argument.
func now() time.Time { return time.Now() }

// newRand seeds a random source from the browser's crypto.getRandomValues (crypto/rand would
// pull Go's whole crypto stack into the module for 16 bytes).
func newRand() *rand.Rand {
	arr := js.Global().Get("Uint8Array").New(16)
	js.Global().Get("crypto").Call("getRandomValues", arr)
	var b [16]byte
	js.CopyBytesToGo(b[:], arr)
	var s1, s2 uint64
	for i := 0; i < 8; i++ {
		s1 = s1<<8 | uint64(b[i])
		s2 = s2<<8 | uint64(b[8+i])
	}
	return rand.New(rand.NewPCG(s1, s2))
}

// boot loads the bank and the stored progress. It runs on the main goroutine, which may block.
func boot(ctx context.Context) (*App, error) {
	mark("boot")
	cat, err := loadCatalog(dom.Document().Get("body").Get("dataset").Get("bank").String(), yielder(4*time.Millisecond))
	if err != nil {
		return nil, err
	}
	mark("bank-decoded")
	yieldNow()
	a := &App{cat: cat, rng: newRand()}
	if s, err := idbstore.Open(ctx, dbName); err == nil {
		a.store, a.persistent = s, true
	} else {
		a.store = memstore.New()
		a.warn("Your browser does not let this site store data (" + err.Error() + "), so progress lasts only while this page is open. Export it from Settings before you leave.")
	}
	yieldNow()
	if err := a.load(ctx); err != nil {
		return nil, err
	}
	mark("progress-loaded")
	return a, nil
}

// loadCatalog fetches and decodes the bank, calling pause between questions. It needs no page:
// the compile worker runs it too (warmUp).
func loadCatalog(bankURL string, pause func()) (*quiz.Catalog, error) {
	raw, err := bankBytes(bankURL)
	if err != nil {
		return nil, err
	}
	mark("bank-fetched")
	pause()
	b, err := quiz.DecodeBank(bytes.NewReader(raw), pause)
	if err != nil {
		return nil, fmt.Errorf("the question bank is damaged (%v): reload the page", err)
	}
	pause()
	cat, err := quiz.NewCatalog(b)
	if err != nil {
		return nil, fmt.Errorf("the question bank is inconsistent: %v", err)
	}
	return cat, nil
}

// handedBank is the global through which the loader hands over the bank's bytes when the compile
// worker has fetched them already (site/assets/js/compile.js): reading a 700 KB response costs the
// page's main thread about as much as decoding it.
const handedBank = "issmpBankBytes"

// bankBytes returns the bank's bytes, handed over or fetched.
func bankBytes(bankURL string) ([]byte, error) {
	buf := js.Global().Get(handedBank)
	if buf.Truthy() {
		js.Global().Delete(handedBank)
	} else {
		resp, err := dom.Await(js.Global().Call("fetch", bankURL))
		if err != nil {
			return nil, fmt.Errorf("the question bank could not be loaded (%v): check your connection and reload", err)
		}
		if !resp.Get("ok").Bool() {
			return nil, fmt.Errorf("the question bank could not be loaded (HTTP %d): reload the page", resp.Get("status").Int())
		}
		// The bytes, not text(): a JavaScript string would be decoded from UTF-8 only to be
		// encoded back into Go's memory.
		if buf, err = dom.Await(resp.Call("arrayBuffer")); err != nil {
			return nil, fmt.Errorf("the question bank could not be read (%v): reload the page", err)
		}
	}
	raw := make([]byte, buf.Get("byteLength").Int())
	js.CopyBytesToGo(raw, js.Global().Get("Uint8Array").New(buf))
	return raw, nil
}

// yieldNow lets the browser run its own tasks (input, painting) before the engine goes on.
func yieldNow() { dom.Yield() }

// yielder returns a pause function that yields once every slice of work, so that start-up is many
// short tasks rather than one long one that would freeze the page on a slow phone. Lighthouse
// counts a task as blocking above 50 ms on a phone it takes to be four times slower than a
// laptop, so a slice is a few milliseconds here.
func yielder(slice time.Duration) func() {
	last := time.Now()
	return func() {
		if time.Since(last) >= slice {
			yieldNow()
			last = time.Now()
		}
	}
}

// mark records a moment of the start-up in the page's performance timeline (e2e/measure.mjs
// reads them).
func mark(name string) { js.Global().Get("performance").Call("mark", name) }

// load reads the device id and the log from the store and folds the state.
func (a *App) load(ctx context.Context) error {
	device, ok, err := a.store.Get(ctx, store.KeyDevice)
	if err != nil {
		return fmt.Errorf("your saved progress could not be read: %v", err)
	}
	if !ok || !quiz.ValidDeviceID(device) {
		device = quiz.NewDeviceID(a.rng)
		if err := a.store.Put(ctx, store.KeyDevice, device); err != nil {
			return fmt.Errorf("this browser refused to save data: %v", err)
		}
	}
	events, bad, err := a.store.Events(ctx)
	if err != nil {
		return fmt.Errorf("your saved progress could not be read: %v", err)
	}
	a.unreadable = bad
	last := ""
	for _, e := range events {
		if _, dev, _, _ := quiz.ParseID(e.ID); dev == device && e.ID > last {
			last = e.ID
		}
	}
	a.ids, err = quiz.NewIDs(device, last)
	if err != nil {
		return err
	}
	a.device = device
	a.log = events
	yieldNow()
	a.state = quiz.Fold(events)
	if len(bad) > 0 {
		a.warn(fmt.Sprintf("%d saved records could not be read and were left untouched; everything else loaded. Export your progress from Settings to keep a copy.", len(bad)))
	}
	yieldNow()
	a.writeSummary()
	return nil
}

// NextID returns a new event id.
func (a *App) NextID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ids.Next(now())
}

// Record writes new events of this device to storage, and only then applies them: when Record
// returns nil, the answer survives a closed tab. Call it from a goroutine, never from an event
// listener directly.
func (a *App) Record(events ...quiz.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	perf := js.Global().Get("performance")
	start := perf.Call("now")
	defer func() { perf.Call("measure", "record", map[string]any{"start": start, "end": perf.Call("now")}) }()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := a.store.Append(ctx, events); err != nil {
		return fmt.Errorf("your answer could not be saved (%v): try again; if it keeps failing, export your progress from Settings", err)
	}
	sorted := quiz.SortLog(events)
	inOrder := len(a.log) == 0 || sorted[0].ID > a.log[len(a.log)-1].ID
	a.log = quiz.Merge(a.log, sorted)
	if inOrder {
		for _, e := range sorted {
			a.state.Apply(e)
		}
	} else {
		a.state = quiz.Fold(a.log)
	}
	a.changedLocked()
	if !a.askedKeep {
		a.askedKeep = true
		go requestPersistence()
	}
	go a.syncSoon() // not under a.mu: the syncer takes its own lock
	return nil
}

// syncSoon asks for a sync round shortly, so that a burst of answers goes in one push.
func (a *App) syncSoon() {
	if a.sync != nil {
		a.sync.soon(syncDebounce)
	}
}

// requestPersistence asks the browser to keep this site's storage (progress) even when space
// runs low. Browsers decide by their own rules; Settings shows the outcome and what else helps.
func requestPersistence() {
	storage := dom.Window().Get("navigator").Get("storage")
	if !storage.Truthy() || !storage.Get("persist").Truthy() {
		return
	}
	if v, err := dom.Await(storage.Call("persisted")); err == nil && v.Bool() {
		return
	}
	_, _ = dom.Await(storage.Call("persist"))
}

// safariBrowser reports whether the page runs in Safari outside the home screen, where site data
// is cleared after seven days without a visit.
func safariOutsideHomeScreen() bool {
	nav := dom.Window().Get("navigator")
	ua := nav.Get("userAgent").String()
	safari := strings.Contains(ua, "Safari") && !strings.Contains(ua, "Chrome") && !strings.Contains(ua, "Chromium") && !strings.Contains(ua, "Android")
	standalone := dom.Window().Call("matchMedia", "(display-mode: standalone)").Get("matches").Bool() || nav.Get("standalone").Truthy()
	return safari && !standalone
}

// storageAdvice tells the candidate what protects their progress when the browser has not
// promised to keep it.
func storageAdvice() string {
	msg := "This browser has not promised to keep your progress: it may clear it when space runs low. To protect it, install the site to your home screen, turn on sync, or export your progress now and then (Settings)."
	if safariOutsideHomeScreen() {
		msg += " Safari also clears a site's data after 7 days without a visit, unless the site is on your home screen."
	}
	return msg
}

// Merge adds events from elsewhere (an import, another device) and refolds. It returns how many
// were new.
func (a *App) Merge(events []quiz.Event) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	known := make(map[string]bool, len(a.log))
	for _, e := range a.log {
		known[e.ID] = true
	}
	var fresh []quiz.Event
	for _, e := range events {
		if !known[e.ID] {
			fresh = append(fresh, e)
		}
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := a.store.Append(ctx, fresh); err != nil {
		return 0, fmt.Errorf("the events could not be saved (%v); nothing you had is lost", err)
	}
	a.log = quiz.Merge(a.log, quiz.SortLog(fresh))
	a.state = quiz.Fold(a.log)
	a.changedLocked()
	return len(fresh), nil
}

// State returns the current state; callers must not modify it.
func (a *App) State() *quiz.State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

// Log returns a copy of the log.
func (a *App) Log() []quiz.Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]quiz.Event(nil), a.log...)
}

// OnChange registers a function to run after every change of state.
func (a *App) OnChange(fn func()) { a.listeners = append(a.listeners, fn) }

func (a *App) changedLocked() {
	a.writeSummary()
	for _, fn := range a.listeners {
		go fn()
	}
}

// writeSummary stores the digest the study pages read.
func (a *App) writeSummary() {
	data, err := json.Marshal(quiz.Summarize(a.cat, a.state, now()))
	if err != nil {
		return
	}
	defer func() { _ = recover() }()                        // storage may be disabled: the summary is a nicety
	if ls := js.Global().Get("localStorage"); ls.Truthy() { // a worker has none
		ls.Call("setItem", summaryKey, string(data))
	}
}

// ready hides the loading status and marks the page as ready (tests wait for it).
func (a *App) ready() {
	dom.ByID("app-status").Hide()
	dom.Document().Get("body").Get("dataset").Set("ready", "1")
	js.Global().Get("performance").Call("mark", "app-ready") // measured by e2e/measure.mjs
}

// warn shows a message that stays until dismissed by the next one.
func (a *App) warn(msg string) { showMessage(msg, "warning") }

// fail shows an error.
func (a *App) fail(err error) { showMessage(sentence(err.Error()), "error") }

func showMessage(msg, kind string) {
	el := dom.ByID("app-message")
	if !el.Ok() {
		return
	}
	el.Text(msg).Attr("data-kind", kind).Show()
}

func clearMessage() { dom.ByID("app-message").Hide() }

// sentence makes an error message read as a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// fatal replaces the loading status with an error the user can act on.
func fatal(err error) {
	st := dom.ByID("app-status")
	if st.Ok() {
		st.Q("[data-role=message]").Text(sentence(err.Error()))
		st.Class("error", true).Attr("role", "alert")
	}
}

// param reads a query-string parameter of the page's URL.
func param(name string) string {
	v := js.Global().Get("URLSearchParams").New(dom.Window().Get("location").Get("search")).Call("get", name)
	if v.IsNull() {
		return ""
	}
	return v.String()
}

var errStopped = errors.New("stopped")
