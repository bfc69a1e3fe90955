//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/issmp-study/issmp/syncclient"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/wasm/dom"
	"github.com/issmp-study/issmp/wasm/webcrypto"
)

// When the app syncs: shortly after an answer is written, on load, when the tab gets focus or the
// browser comes back online, and every few minutes while the page is open.
const (
	syncDebounce = 2 * time.Second
	syncEvery    = 5 * time.Minute
	syncTimeout  = 60 * time.Second
)

// syncer runs sync rounds for the page, one at a time, and shows their outcome.
type syncer struct {
	a  *App
	mu sync.Mutex
	c  *syncclient.Client // nil when sync is off
	// the outcome of the last round
	busy    bool
	again   bool // a round was asked for while one ran
	err     error
	pending int
	timer   js.Value
	after   js.Func
	views   []func() // redraw the status wherever it is shown
}

// jsRandom reads the browser's cryptographic random numbers (crypto.getRandomValues).
type jsRandom struct{}

func (jsRandom) Read(p []byte) (int, error) {
	for off := 0; off < len(p); off += 65536 {
		n := min(len(p)-off, 65536)
		arr := js.Global().Get("Uint8Array").New(n)
		js.Global().Get("crypto").Call("getRandomValues", arr)
		js.CopyBytesToGo(p[off:off+n], arr)
	}
	return len(p), nil
}

// fetchTransport posts to the API on this origin with fetch: sync's requests, with their token,
// and problem reports (reportq), with none.
type fetchTransport struct{}

func (fetchTransport) Post(ctx context.Context, path, token string, body []byte) (int, []byte, error) {
	arr := js.Global().Get("Uint8Array").New(len(body))
	js.CopyBytesToJS(arr, body)
	sum, err := webcrypto.SHA256(body)
	if err != nil {
		return 0, nil, err
	}
	ctrl := js.Global().Get("AbortController").New()
	stop := context.AfterFunc(ctx, func() { ctrl.Call("abort") })
	defer stop()
	headers := map[string]any{
		"Content-Type": "application/json",
		// CloudFront's origin access control signs requests to the function URL, and for a
		// POST it needs the body's hash from the client.
		"x-amz-content-sha256": hex.EncodeToString(sum),
	}
	if token != "" { // a problem report (reportq) carries none
		headers[syncproto.TokenHeader] = token
	}
	resp, err := dom.Await(dom.Window().Call("fetch", path, map[string]any{
		"method":      "POST",
		"headers":     headers,
		"body":        arr,
		"cache":       "no-store",
		"credentials": "same-origin",
		"signal":      ctrl.Get("signal"),
	}))
	if err != nil {
		return 0, nil, err
	}
	buf, err := dom.Await(resp.Call("arrayBuffer"))
	if err != nil {
		return 0, nil, err
	}
	data := js.Global().Get("Uint8Array").New(buf)
	out := make([]byte, data.Length())
	js.CopyBytesToGo(out, data)
	return resp.Get("status").Int(), out, nil
}

// startSync opens sync if it is on and wires the moments that trigger a round.
func (a *App) startSync() {
	s := &syncer{a: a}
	a.sync = s
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := syncclient.Open(ctx, a.store, fetchTransport{}, webcrypto.Derive, jsRandom{})
	s.c, s.err = c, err
	s.after = js.FuncOf(func(js.Value, []js.Value) any {
		defer dom.Recover()
		go s.round()
		return nil
	})
	win := dom.El{Value: dom.Window()}
	win.On("focus", func(js.Value) { s.soon(0) })
	win.On("online", func(js.Value) { s.soon(0) })
	dom.Document().On("visibilitychange", func(js.Value) {
		if dom.Document().Get("visibilityState").String() == "visible" {
			s.soon(0)
		}
	})
	js.Global().Call("setInterval", js.FuncOf(func(js.Value, []js.Value) any {
		defer dom.Recover()
		s.soon(0)
		return nil
	}), syncEvery.Milliseconds())
	a.OnChange(func() { s.refreshPending() })
	s.addView(s.drawLine)
	s.refreshPending()
	s.soon(0)
}

// on reports whether sync is on.
func (s *syncer) on() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c != nil
}

// soon asks for a round after a delay; asking again restarts the delay, so a burst of answers
// makes one round.
func (s *syncer) soon(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil {
		return
	}
	if !s.timer.IsUndefined() && !s.timer.IsNull() {
		js.Global().Call("clearTimeout", s.timer)
	}
	s.timer = js.Global().Call("setTimeout", s.after, d.Milliseconds())
}

// round runs one sync round, or marks that another is wanted when one is running.
func (s *syncer) round() {
	defer dom.Recover()
	s.mu.Lock()
	if s.c == nil {
		s.mu.Unlock()
		return
	}
	if s.busy {
		s.again = true
		s.mu.Unlock()
		return
	}
	s.busy, s.again = true, false
	c := s.c
	s.mu.Unlock()
	s.redraw()

	ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
	_, err := c.Sync(ctx, s.a, now())
	cancel()

	s.mu.Lock()
	s.busy = false
	if s.c == c {
		s.err = err
	}
	again := s.again
	s.mu.Unlock()
	s.refreshPending()
	var se *syncclient.Error
	switch {
	case errors.As(err, &se) && se.Code == syncproto.CodeRegistrationLimited:
		s.soon(time.Hour) // the allowance for new codes renews daily
	case errors.As(err, &se) && se.Kind == syncclient.RateLimited:
		s.soon(time.Minute)
	case again:
		s.soon(0)
	}
}

// refreshPending recounts what waits to be sent and redraws.
func (s *syncer) refreshPending() {
	s.mu.Lock()
	c := s.c
	s.mu.Unlock()
	n := 0
	if c != nil {
		n = c.Pending(s.a)
	}
	s.mu.Lock()
	s.pending = n
	s.mu.Unlock()
	s.redraw()
}

func (s *syncer) addView(fn func()) {
	s.mu.Lock()
	s.views = append(s.views, fn)
	s.mu.Unlock()
}

func (s *syncer) redraw() {
	s.mu.Lock()
	views := append([]func(){}, s.views...)
	s.mu.Unlock()
	for _, v := range views {
		v()
	}
}

// statusText says in a sentence where sync stands.
func (s *syncer) statusText() (text, kind string) {
	s.mu.Lock()
	c, busy, err, pending := s.c, s.busy, s.err, s.pending
	s.mu.Unlock()
	if c == nil {
		if err != nil {
			return sentence(err.Error()), "error"
		}
		return "Sync is off: progress stays in this browser.", "off"
	}
	waiting := ""
	switch pending {
	case 0:
	case 1:
		waiting = " 1 event is waiting to be sent."
	default:
		waiting = fmt.Sprintf(" %d events are waiting to be sent.", pending)
	}
	if busy {
		return "Syncing…" + waiting, "busy"
	}
	var se *syncclient.Error
	if errors.As(err, &se) {
		if se.Kind == syncclient.Offline {
			return "Offline: your progress is saved here and syncs when you are back online." + waiting, "offline"
		}
		return sentence(se.Msg) + waiting, "error"
	}
	if err != nil {
		return sentence(err.Error()) + waiting, "error"
	}
	last := c.LastSync()
	if last.IsZero() {
		return "Sync is on; it has not completed yet." + waiting, "busy"
	}
	return "Synced " + ago(now().Sub(last)) + "." + waiting, "ok"
}

// ago says how long ago, in words.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < 2*time.Minute:
		return "a minute ago"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes ago", int(d.Minutes()))
	case d < 2*time.Hour:
		return "an hour ago"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// drawLine shows the short sync status that app pages carry under their title.
func (s *syncer) drawLine() {
	el := dom.ByID("sync-line")
	if !el.Ok() {
		return
	}
	if !s.on() {
		el.Hide()
		return
	}
	text, kind := s.statusText()
	el.Attr("data-kind", kind).Clear().Append(
		dom.New("span").Text(text+" "),
		dom.New("a", "href", "/settings/#sync").Text("Sync settings"),
	).Show()
}

// enable turns sync on with a code and runs the first round.
func (s *syncer) enable(code syncproto.Code) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := syncclient.Enable(ctx, s.a.store, fetchTransport{}, webcrypto.Derive, code, jsRandom{})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.c, s.err = c, nil
	s.mu.Unlock()
	s.refreshPending()
	s.soon(0)
	return nil
}

// disable turns sync off on this device.
func (s *syncer) disable() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := syncclient.Disable(ctx, s.a.store); err != nil {
		return err
	}
	s.mu.Lock()
	s.c, s.err = nil, nil
	s.mu.Unlock()
	s.redraw()
	return nil
}

// code returns the code in use, if sync is on.
func (s *syncer) code() (syncproto.Code, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil {
		return syncproto.Code{}, false
	}
	return s.c.Code, true
}
