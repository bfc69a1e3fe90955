//go:build js && wasm

// Command wasm is the quiz app in the browser: Go compiled to WebAssembly. It binds the engine
// (package quiz) to the markup Hugo rendered, keeps progress in IndexedDB, and does nothing the
// engine could do instead.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
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
//
// The rule that keeps the page from freezing: an event listener (a js.FuncOf callback) runs on
// the JavaScript thread and must return without waiting, because whatever it would wait for (an
// IndexedDB request, a fetch, a goroutine that awaits one) needs that thread to finish. So:
//   - App.mu guards memory only. Nothing holds it across an await, a channel operation or a call
//     into JavaScript that may call back into Go; a listener may take it and never waits long.
//   - Every write goes through one queue and one writer goroutine (writeLoop), in the order the
//     candidate acted. Record and Put enqueue and return at once; the writer awaits storage.
//   - Only goroutines wait: for a write's outcome, a merge, a fetch.
//
// internal/arch checks the first and last points on the source of this package; docs/BROWSER.md
// says more.
type App struct {
	cat        *quiz.Catalog
	store      store.Store
	persistent bool // false when IndexedDB was unavailable and progress lives in memory
	device     string
	rng        *rand.Rand
	unreadable []store.Unreadable

	mu       sync.Mutex     // guards progress, unsaved and queue: memory only (see above)
	progress *quiz.Progress // the stored log plus this device's events waiting to be stored
	unsaved  map[string]bool
	queue    []write
	wake     chan struct{} // tells the writer the queue is not empty; buffered, never blocks

	uids      int       // App.uid's counter
	listeners []func()  // called, each in a goroutine, after storage changed
	askedKeep bool      // whether persistent storage was requested on this page
	sync      *syncer   // cross-device sync; set by startSync
	reports   *reporter // problem reports waiting to be sent; set by startReports
}

// write is one entry of the write queue.
type write struct {
	own   []quiz.Event // this device's events, shown already (in progress) and stored now
	merge []quiz.Event // events from elsewhere, added once stored
	key   string       // a named value to set, with value
	value string
	done  chan writeResult // receives the outcome once; buffered
}

type writeResult struct {
	added int // merge: how many events were new
	err   error
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
	cat, err := loadCatalog(dom.Document().Get("body").Get("dataset").Get("bank").String(), yielder(time.Millisecond))
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
// laptop, and one step of the work can overrun its slice, so a slice is a millisecond here.
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

// load reads the device id and the log from the store, folds the state and starts the writer.
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
	yieldNow()
	if quiz.AheadOfClock(events, device, now()) {
		// This device's clock ran ahead and was put right: under its old id, all it records from
		// now on would wait for that date. It goes on under a new one (docs/PROGRESS.md).
		device = quiz.NewDeviceID(a.rng)
		if err := a.store.Put(ctx, store.KeyDevice, device); err != nil {
			return fmt.Errorf("this browser refused to save data: %v", err)
		}
	}
	p, err := quiz.NewProgress(a.cat, device, events, now())
	if err != nil {
		return err
	}
	// Events dated well ahead that no note names yet (written by a clock that ran ahead, or
	// merged by an older version) are placed at now once their date comes, like events that
	// arrive now.
	if note, ok := p.Arrival(events, now()); ok {
		if err := a.store.Append(ctx, []quiz.Event{note}); err == nil {
			p.Add([]quiz.Event{note}, now())
		}
	}
	a.device, a.progress = device, p
	a.unsaved = map[string]bool{}
	a.wake = make(chan struct{}, 1)
	go a.writeLoop()
	if len(bad) > 0 {
		a.warn(fmt.Sprintf("%s could not be read and %s left untouched; everything else loaded. Export your progress from Settings to keep a copy.", quiz.Count(len(bad), "saved record"), wasWere(len(bad))))
	}
	return nil
}

// NextID returns the id for a new event of this device. Ids increase in the order they are
// taken: take the id and Record its event without waiting in between, so that the log's order is
// the order in which the candidate acted.
func (a *App) NextID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.progress.NextID(now())
}

// Saved is the outcome of a queued write, delivered once.
type Saved <-chan writeResult

// Wait waits for the write and returns its error. Only a goroutine may wait, never a listener.
func (s Saved) Wait() error { return (<-s).err }

// Record takes new events of this device. They count at once (State includes them), so the page
// can show what the candidate did; the writer stores them after everything queued before. If the
// write fails they are taken back out of the state, and the Saved says why. Record never waits:
// listeners call it directly.
func (a *App) Record(events ...quiz.Event) Saved {
	done := make(chan writeResult, 1)
	if len(events) == 0 {
		close(done) // nothing to store: Wait returns nil at once
		return done
	}
	a.mu.Lock()
	a.progress.Add(events, now())
	for _, e := range events {
		a.unsaved[e.ID] = true
	}
	a.queue = append(a.queue, write{own: events, done: done})
	a.mu.Unlock()
	a.wakeWriter()
	return done
}

// Put queues a named value (store.Store's Put) behind the writes queued before it. It never waits.
func (a *App) Put(key, value string) Saved {
	done := make(chan writeResult, 1)
	a.mu.Lock()
	a.queue = append(a.queue, write{key: key, value: value, done: done})
	a.mu.Unlock()
	a.wakeWriter()
	return done
}

// Merge adds events from elsewhere (an import, another device) once they are stored, and returns
// how many were new. It waits for the writer: call it from a goroutine.
func (a *App) Merge(events []quiz.Event) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	done := make(chan writeResult, 1)
	a.mu.Lock()
	a.queue = append(a.queue, write{merge: events, done: done})
	a.mu.Unlock()
	a.wakeWriter()
	r := <-done
	return r.added, r.err
}

// wakeWriter tells the writer there is work, and marks the page as saving until the queue is
// empty (body[data-saving]; tests wait for it before a reload).
func (a *App) wakeWriter() {
	setSaving(true)
	select {
	case a.wake <- struct{}{}:
	default: // already woken
	}
}

// writeLoop is the one writer: it takes the queue as it stands and stores it in order, until the
// queue is empty, then waits to be woken.
func (a *App) writeLoop() {
	defer dom.Recover()
	for range a.wake {
		for {
			a.mu.Lock()
			batch := a.queue
			a.queue = nil
			a.mu.Unlock()
			if len(batch) == 0 {
				setSaving(false)
				break
			}
			for len(batch) > 0 {
				n := 1
				switch {
				case batch[0].merge != nil:
					a.storeMerge(batch[0])
				case batch[0].own != nil:
					// A burst of answers goes to storage in one transaction, in order.
					for n < len(batch) && batch[n].own != nil {
						n++
					}
					a.storeOwn(batch[:n])
				default:
					for n < len(batch) && batch[n].own == nil && batch[n].merge == nil {
						n++
					}
					a.storeValues(batch[:n])
				}
				batch = batch[n:]
			}
		}
	}
}

// storeOwn stores this device's events and settles their writes; on failure it takes the events
// back out of the state.
func (a *App) storeOwn(ws []write) {
	perf := js.Global().Get("performance")
	start := perf.Call("now")
	var events []quiz.Event
	for _, w := range ws {
		events = append(events, w.own...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	err := a.store.Append(ctx, events)
	cancel()
	ids := make([]string, len(events))
	a.mu.Lock()
	for i, e := range events {
		ids[i] = e.ID
		delete(a.unsaved, e.ID)
	}
	if err != nil {
		a.progress.Remove(ids, now())
	}
	a.mu.Unlock()
	if err != nil {
		err = fmt.Errorf("your answer could not be saved (%v): give it again; if this keeps happening, export your progress from Settings", err)
	}
	for _, w := range ws {
		w.done <- writeResult{err: err}
	}
	perf.Call("measure", "record", map[string]any{"start": start, "end": perf.Call("now")})
	a.changed()
	if err == nil && !a.askedKeep {
		a.askedKeep = true
		go requestPersistence()
	}
	if err == nil {
		a.syncSoon()
	}
}

// storeMerge stores the events of a merge that are new here, then adds them to the log.
func (a *App) storeMerge(w write) {
	perf := js.Global().Get("performance")
	start := perf.Call("now")
	defer func() { perf.Call("measure", "merge", map[string]any{"start": start, "end": perf.Call("now")}) }()
	a.mu.Lock()
	fresh := a.progress.Missing(w.merge)
	// Events dated well after this device's clock are stored with a note of when they arrived,
	// so that they count from then and cannot reorder what came before (docs/PROGRESS.md).
	noted := 0
	if note, ok := a.progress.Arrival(fresh, now()); ok {
		fresh, noted = append(fresh, note), 1
	}
	a.mu.Unlock()
	if len(fresh) == 0 {
		w.done <- writeResult{}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	err := a.store.Append(ctx, fresh)
	cancel()
	if err != nil {
		w.done <- writeResult{err: fmt.Errorf("the events could not be saved (%v); nothing you had is lost", err)}
		return
	}
	a.mu.Lock()
	n := a.progress.Add(fresh, now()) - noted
	a.mu.Unlock()
	w.done <- writeResult{added: n}
	a.changed()
}

// storeValues sets named values; of several for one key, only the last is written.
func (a *App) storeValues(ws []write) {
	last := map[string]int{}
	for i, w := range ws {
		last[w.key] = i
	}
	for i, w := range ws {
		var err error
		if last[w.key] == i {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			if err = a.store.Put(ctx, w.key, w.value); err != nil {
				err = fmt.Errorf("this browser refused to save data (%v)", err)
			}
			cancel()
		}
		w.done <- writeResult{err: err}
	}
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
	defer dom.Recover()
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

// State returns the current state, which includes this device's events still being stored.
// Callers must not modify it.
func (a *App) State() *quiz.State {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.progress.Refresh(now()) // events that waited for their date count once it comes
	return a.progress.State()
}

// Seen is, for each device, the newest of its events held here: what a reset written now clears.
func (a *App) Seen() map[string]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.progress.Seen()
}

// Log returns a copy of the stored log: what sync may send and an export holds.
func (a *App) Log() []quiz.Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	log := a.progress.Log()
	if len(a.unsaved) == 0 {
		return log
	}
	kept := log[:0]
	for _, e := range log {
		if !a.unsaved[e.ID] {
			kept = append(kept, e)
		}
	}
	return kept
}

// uid returns a prefix for element ids that is unique on this page.
func (a *App) uid() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.uids++
	return "q" + strconv.Itoa(a.uids)
}

// setSaving marks the page while writes wait in the queue.
func setSaving(on bool) {
	doc := dom.Document()
	if !doc.Truthy() { // the compile worker has no page
		return
	}
	ds := doc.Get("body").Get("dataset")
	if on {
		ds.Set("saving", "1")
	} else {
		ds.Delete("saving")
	}
}

// OnChange registers a function to run, in a goroutine, after every change of storage.
func (a *App) OnChange(fn func()) { a.listeners = append(a.listeners, fn) }

// changed tells the study pages' summary and the listeners that storage changed.
func (a *App) changed() {
	a.writeSummary()
	for _, fn := range a.listeners {
		go func() {
			defer dom.Recover()
			fn()
		}()
	}
}

// writeSummary stores the digest the study pages read.
func (a *App) writeSummary() {
	data, err := json.Marshal(quiz.Summarize(a.cat, a.State(), now()))
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
	if kind == "error" {
		// Wherever the candidate is on the page, an error must be seen (its CSS keeps it clear of
		// the sticky exam bar).
		el.Call("scrollIntoView", map[string]any{"block": "nearest"})
	}
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

// isAre is the verb that agrees with a count of n, for sentences built with quiz.Count.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// wasWere is the past of isAre.
func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}
