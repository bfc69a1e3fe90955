//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"
	"unicode/utf16"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/reportq"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/wasm/dom"
)

// When problem reports are sent: as soon as one is written, on load, when the browser comes back
// online, when the tab gets focus or is shown again, every few minutes while the page is open,
// and a minute after the server asked to wait (a 429 or a 5xx).
const (
	reportEvery   = 5 * time.Minute
	reportRetry   = 65 * time.Second // reportq waits a minute after a 429 or a 5xx
	reportTimeout = 30 * time.Second
)

// The sentences the form's status says.
const (
	reportSentText    = "Sent. Thank you: the report goes to the maintainers, without anything that identifies you."
	reportSavedText   = "Saved on this device: it will be sent when you are back online."
	reportBusyText    = "Saved on this device: the report server is busy, so it will be sent in a few minutes."
	reportSendingText = "Sending…"
)

// reporter keeps the page's outbox of problem reports (reportq, in IndexedDB) and sends it.
type reporter struct {
	a   *App
	box *reportq.Outbox // nil when the outbox could not be read
	err error           // why it could not

	mu      sync.Mutex // memory only, never held across a wait
	busy    bool       // a flush runs
	again   bool       // a flush was asked for while one ran
	last    error      // how the last flush ended
	watches map[int64]func(reportq.Status, error)
	views   []func()
	retry   js.Value // the pending retry timer, if any
	after   js.Func  // the retry timer's callback
}

// startReports opens the outbox and wires the moments that send it. It runs on the main
// goroutine, which may wait.
func (a *App) startReports() {
	r := &reporter{a: a, watches: map[int64]func(reportq.Status, error){}}
	a.reports = r
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	r.box, r.err = reportq.Open(ctx, a.store)
	cancel()
	r.after = js.FuncOf(func(js.Value, []js.Value) any {
		defer dom.Recover()
		go r.flush()
		return nil
	})
	win := dom.El{Value: dom.Window()}
	win.On("online", func(js.Value) { go r.flush() })
	win.On("focus", func(js.Value) { go r.flush() })
	dom.Document().On("visibilitychange", func(js.Value) {
		if dom.Document().Get("visibilityState").String() == "visible" {
			go r.flush()
		}
	})
	js.Global().Call("setInterval", js.FuncOf(func(js.Value, []js.Value) any {
		defer dom.Recover()
		go r.flush()
		return nil
	}), reportEvery.Milliseconds())
	go r.flush()
}

// flush sends what waits, or marks that another flush is wanted when one runs. It waits for the
// network: only goroutines call it.
func (r *reporter) flush() {
	defer dom.Recover()
	if r.box == nil {
		return
	}
	r.mu.Lock()
	if r.busy {
		r.again = true
		r.mu.Unlock()
		return
	}
	r.busy = true
	r.mu.Unlock()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), reportTimeout)
		res, err := r.box.Flush(ctx, fetchTransport{}, now())
		cancel()
		r.mu.Lock()
		r.last = err
		again := r.again
		r.again = false
		r.busy = again
		r.mu.Unlock()
		var re *reportq.Error
		if errors.As(err, &re) && (re.Kind == reportq.RateLimited || re.Kind == reportq.Server) && res.Waiting > 0 {
			r.retryLater()
		}
		r.redraw()
		if !again {
			return
		}
	}
}

// retryLater asks for a flush once the server's pause is over.
func (r *reporter) retryLater() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.retry.IsUndefined() && !r.retry.IsNull() {
		js.Global().Call("clearTimeout", r.retry)
	}
	r.retry = js.Global().Call("setTimeout", r.after, reportRetry.Milliseconds())
}

// watch calls fn with the status of report n after every flush, until it is no longer waiting.
func (r *reporter) watch(n int64, fn func(reportq.Status, error)) {
	r.mu.Lock()
	r.watches[n] = fn
	r.mu.Unlock()
}

func (r *reporter) addView(fn func()) {
	r.mu.Lock()
	r.views = append(r.views, fn)
	r.mu.Unlock()
	fn()
}

// redraw tells the forms on the page how their reports stand, and updates the counts.
func (r *reporter) redraw() {
	r.mu.Lock()
	last := r.last
	type call struct {
		fn func(reportq.Status, error)
		st reportq.Status
	}
	var calls []call
	for n, fn := range r.watches {
		st := r.box.Status(n)
		if st != reportq.Waiting {
			delete(r.watches, n)
		}
		calls = append(calls, call{fn, st})
	}
	views := append([]func(){}, r.views...)
	r.mu.Unlock()
	for _, c := range calls {
		c.fn(c.st, last)
	}
	for _, v := range views {
		v()
	}
}

// waitingText says on the settings page what waits and what the server refused; "" when nothing.
func (r *reporter) waitingText() string {
	if r == nil {
		return ""
	}
	if r.box == nil {
		if r.err != nil {
			return sentence(r.err.Error())
		}
		return ""
	}
	text := ""
	if n := r.box.Pending(); n > 0 {
		text = fmt.Sprintf("%s %s waiting to be sent: %s as soon as this device reaches the server.", quiz.Count(n, "problem report"), isAre(n), map[bool]string{true: "it goes", false: "they go"}[n == 1])
	}
	if n, last := r.box.Refused(); n > 0 {
		if text != "" {
			text += " "
		}
		text += fmt.Sprintf("The server did not accept %s from this device (the latest, on question %s: %s).", quiz.Count(n, "problem report"), last.Question, strings.TrimSuffix(last.Why, "."))
	}
	return text
}

// add puts a report in the outbox and sends it; the form is told how it stands as that changes.
// It waits for storage and the network: only goroutines call it.
func (r *reporter) add(req syncproto.ReportRequest, show func(reportq.Status, error)) {
	defer dom.Recover()
	if r.box == nil {
		show(reportq.Unknown, r.err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	n, err := r.box.Add(ctx, req)
	cancel()
	if err != nil && !errors.Is(err, reportq.ErrNotSaved) {
		show(reportq.Unknown, err)
		return
	}
	notSaved := err
	r.watch(n, func(st reportq.Status, err error) {
		switch {
		case st == reportq.Refused:
			err = nil
			if f, ok := r.box.Refusal(n); ok {
				err = errors.New(f.Why)
			}
		case st == reportq.Waiting && notSaved != nil:
			err = notSaved
		}
		show(st, err)
	})
	r.flush()
}

// reportControl is the "Report a problem" button under a question's feedback, with its form: a
// reason, an optional comment, Send and Cancel. The report carries the question's id, the bank's
// version and the answer as text (quiz.AnswerText): nothing that identifies the candidate.
func (a *App) reportControl(q *quiz.Question, answer quiz.Response) dom.El {
	box := dom.Clone("tpl-report")
	id := a.uid() + "-report"
	open := box.Q("[data-role=open]")
	form := box.Q("[data-role=form]").Attr("id", id)
	open.Attr("aria-controls", id)
	reasons := form.Q("[data-role=reasons]")
	var radios []dom.El
	for _, reason := range syncproto.Reasons {
		in := dom.New("input", "type", "radio", "name", id+"-reason", "value", string(reason))
		radios = append(radios, in)
		reasons.Append(dom.New("label", "class", "report-reason").Append(in, dom.New("span").Text(reason.Sentence())))
	}
	comment := form.Q("[data-role=comment]").Attr("id", id+"-comment").Attr("aria-describedby", id+"-count "+id+"-note")
	form.Q("[data-role=comment-label]").Attr("for", id+"-comment")
	count := form.Q("[data-role=count]").Attr("id", id+"-count")
	form.Q("[data-role=note]").Attr("id", id+"-note")
	status := box.Q("[data-role=status]")
	send := form.Q("[data-role=send]")
	drawCount := func() {
		// In UTF-16 code units, as maxlength counts.
		count.Text(fmt.Sprintf("%d of %d characters", len(utf16.Encode([]rune(comment.Val()))), syncproto.MaxReportComment))
	}
	drawCount()

	show := func(on bool) {
		form.Visible(on)
		open.Visible(!on).Attr("aria-expanded", strconv.FormatBool(on))
	}
	open.On("click", func(js.Value) {
		show(true)
		if status.GetAttr("data-kind") == "error" {
			status.Text("").Unattr("data-kind")
		}
		first := radios[0]
		for _, in := range radios {
			if in.Checked() {
				first = in
			}
		}
		first.Focus()
	})
	cancel := func() {
		show(false)
		open.Focus()
	}
	form.Q("[data-role=cancel]").On("click", func(js.Value) { cancel() })
	form.On("keydown", func(ev js.Value) {
		if ev.Get("key").String() == "Escape" {
			ev.Call("preventDefault")
			cancel()
		}
	})
	comment.On("input", func(js.Value) { drawCount() })

	// setStatus says how the report stands; it runs in goroutines.
	setStatus := func(st reportq.Status, err error) {
		text, kind := "", ""
		var re *reportq.Error
		switch {
		case st == reportq.Sent:
			text, kind = reportSentText, "ok"
		case st == reportq.Refused:
			text, kind = "The server did not accept this report.", "error"
			if err != nil {
				text = "The server did not accept this report: " + sentence(err.Error())
			}
		case st == reportq.Waiting && err == nil:
			text, kind = reportSendingText, "waiting" // a flush asked for while another ran: it comes next
		case st == reportq.Waiting && errors.Is(err, reportq.ErrNotSaved):
			text, kind = sentence(err.Error()), "error"
		case st == reportq.Waiting && errors.As(err, &re) && (re.Kind == reportq.RateLimited || re.Kind == reportq.Server):
			text, kind = reportBusyText, "waiting"
		case st == reportq.Waiting:
			text, kind = reportSavedText, "waiting"
		case err != nil:
			text, kind = "The report could not be kept: "+sentence(err.Error()), "error"
			send.Disabled(false)
			show(true)
		}
		if status.Get("textContent").String() != text { // a live region reads every change: no repeats
			status.Text(text)
		}
		status.Attr("data-kind", kind)
	}

	form.On("submit", func(ev js.Value) {
		ev.Call("preventDefault")
		if send.Get("disabled").Bool() {
			return // a second press while the first is being kept
		}
		var reason syncproto.Reason
		for _, in := range radios {
			if in.Checked() {
				reason = syncproto.Reason(in.Get("value").String())
			}
		}
		if reason == "" {
			status.Text("Choose what is wrong with the question first.").Attr("data-kind", "error")
			radios[0].Focus()
			return
		}
		req := syncproto.ReportRequest{
			Question: q.ID,
			Bank:     a.cat.Bank.Version,
			Answer:   quiz.AnswerText(q, answer),
			Reason:   reason,
			Comment:  comment.Val(),
		}
		send.Disabled(true)
		status.Text(reportSendingText).Attr("data-kind", "waiting")
		go func() {
			defer dom.Recover()
			kept := false
			a.reports.add(req, func(st reportq.Status, err error) {
				if st != reportq.Unknown && !kept {
					// Kept: the form closes, emptied for another report, and the focus goes
					// back to the button that opened it.
					kept = true
					send.Disabled(false)
					comment.Set("value", "")
					for _, in := range radios {
						in.Set("checked", false)
					}
					drawCount()
					focused := dom.Document().Get("activeElement")
					inForm := form.Call("contains", focused).Bool() || focused.Equal(dom.Document().Get("body"))
					show(false)
					if inForm {
						open.Focus()
					}
				}
				setStatus(st, err)
			})
		}()
	})
	return box
}

// inReport reports whether a key event happened in a problem report's form, whose keys (Enter on
// a reason, digits in the comment) are its own, not the page's shortcuts.
func inReport(ev js.Value) bool {
	t := ev.Get("target")
	return t.Truthy() && t.Get("closest").Type() == js.TypeFunction && t.Call("closest", ".report").Truthy()
}
