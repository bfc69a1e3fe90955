package syncclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/issmp-study/issmp/lambda/syncapi"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/syncclient/nethttp"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/syncproto/stdcrypto"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var t0 = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

// server is the real sync handler over a bbolt store, on a real HTTP listener.
type server struct {
	url   string
	store *boltstore.Store
}

func newServer(t *testing.T) *server {
	t.Helper()
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "sync.db"), syncstore.DefaultLimits, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv := httptest.NewServer(syncapi.New(syncapi.Config{Store: s, Now: time.Now, Limits: syncapi.Limits{Burst: 1 << 20, PerMinute: 1 << 20}}))
	t.Cleanup(srv.Close)
	return &server{url: srv.URL, store: s}
}

// httpTransport is the transport over net/http, as fetch is in the browser.
type httpTransport struct {
	base    string
	offline bool
	loseAck bool // deliver the request, then report no answer (a dropped connection)
	calls   int
}

func (h *httpTransport) Post(ctx context.Context, path, token string, body []byte) (int, []byte, error) {
	h.calls++
	if h.offline {
		return 0, nil, errors.New("net::ERR_INTERNET_DISCONNECTED")
	}
	status, data, err := (&nethttp.Transport{Base: h.base}).Post(ctx, path, token, body)
	if h.loseAck {
		return 0, nil, errors.New("connection reset")
	}
	return status, data, err
}

// values is a device's named values.
type values struct {
	mu sync.Mutex
	m  map[string]string
}

func (v *values) Get(_ context.Context, k string) (string, bool, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	s, ok := v.m[k]
	return s, ok, nil
}

func (v *values) Put(_ context.Context, k, s string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.m[k] = s
	return nil
}

// device is one browser: its log, its values, its id generator.
type device struct {
	log    []quiz.Event
	values *values
	ids    *quiz.IDs
	t      *httpTransport
	client *Client
}

func (d *device) Log() []quiz.Event { return d.log }

func (d *device) Merge(evs []quiz.Event) (int, error) {
	before := len(d.log)
	d.log = quiz.Merge(d.log, quiz.SortLog(evs))
	return len(d.log) - before, nil
}

func newDevice(t *testing.T, srv *server, name string) *device {
	t.Helper()
	dev := quiz.NewDeviceID(rand.New(rand.NewPCG(uint64(len(name)), uint64(name[0]))))
	ids, err := quiz.NewIDs(dev, "")
	if err != nil {
		t.Fatal(err)
	}
	return &device{values: &values{m: map[string]string{}}, ids: ids, t: &httpTransport{base: srv.url}}
}

func (d *device) answer(n int, at time.Time) {
	var evs []quiz.Event
	for i := range n {
		evs = append(evs, quiz.NewPracticeAnswer(d.ids.Next(at.Add(time.Duration(i)*time.Second)), quiz.AnswerData{
			Question: fmt.Sprintf("3.1-%03d", 1+i%40), Response: quiz.Response{i % 4}, Correct: i%3 != 0,
		}))
	}
	d.Merge(evs)
}

func random(seed uint64) io.Reader { return rand.NewChaCha8([32]byte{byte(seed)}) }

func (d *device) enable(t *testing.T, code syncproto.Code) {
	t.Helper()
	c, err := Enable(t.Context(), d.values, d.t, stdcrypto.Derive, code, random(uint64(len(d.log))))
	if err != nil {
		t.Fatal(err)
	}
	d.client = c
}

func (d *device) sync(t *testing.T) Result {
	t.Helper()
	res, err := d.client.Sync(t.Context(), d, t0)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func ids(log []quiz.Event) string {
	var b strings.Builder
	for _, e := range log {
		b.WriteString(e.ID)
		b.WriteByte(' ')
	}
	return b.String()
}

func newCode(t *testing.T, seed uint64) syncproto.Code {
	c, err := syncproto.NewCode(random(seed))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTwoDevicesAndAThirdThatJoinsEndWithTheSameLog(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 1)
	a, b := newDevice(t, srv, "laptop"), newDevice(t, srv, "phone")
	a.answer(30, t0)
	a.enable(t, code)
	b.enable(t, code)
	a.t.offline = true
	a.answer(5, t0.Add(time.Hour)) // on the train
	if _, err := a.client.Sync(t.Context(), a, t0); !isKind(err, Offline) {
		t.Fatalf("offline sync = %v; want an Offline error", err)
	}
	b.answer(12, t0.Add(2*time.Hour))
	b.sync(t)
	a.t.offline = false
	if res := a.sync(t); res.Pulled != 12 || res.Pushed != 35 {
		t.Errorf("A's round = %+v; want 12 pulled, 35 pushed", res)
	}
	if res := b.sync(t); res.Pulled != 35 || res.Pushed != 0 {
		t.Errorf("B's round = %+v; want 35 pulled, 0 pushed", res)
	}
	if len(a.log) != 47 || ids(a.log) != ids(b.log) {
		t.Fatalf("A holds %d events, B %d; want the same 47", len(a.log), len(b.log))
	}
	if a.client.Pending(a) != 0 || b.client.Pending(b) != 0 {
		t.Error("events still pending after both synced")
	}
	c := newDevice(t, srv, "tablet")
	c.enable(t, code)
	if res := c.sync(t); res.Pulled != 47 {
		t.Errorf("the third device pulled %d; want 47", res.Pulled)
	}
	if ids(c.log) != ids(a.log) {
		t.Error("the third device's log differs")
	}
	if sa, sc := quiz.Fold(a.log, quiz.Rules{}), quiz.Fold(c.log, quiz.Rules{}); len(sa.Reviews) != len(sc.Reviews) || sa.Events != sc.Events {
		t.Errorf("derived states differ: %d/%d reviews", len(sa.Reviews), len(sc.Reviews))
	}
}

func TestStateSurvivesAReloadAndOnlyNewEventsArePushed(t *testing.T) {
	srv := newServer(t)
	a := newDevice(t, srv, "laptop")
	a.answer(10, t0)
	a.enable(t, newCode(t, 2))
	a.sync(t)
	reopened, err := Open(t.Context(), a.values, a.t, stdcrypto.Derive, random(3))
	if err != nil || reopened == nil {
		t.Fatalf("Open = %v, %v", reopened, err)
	}
	if reopened.Code != a.client.Code || !reopened.LastSync().Equal(t0) {
		t.Errorf("reopened with code %v, last sync %v", reopened.Code, reopened.LastSync())
	}
	a.client = reopened
	a.answer(3, t0.Add(time.Minute))
	if n := a.client.Pending(a); n != 3 {
		t.Errorf("pending after a reload = %d; want 3", n)
	}
	calls := a.t.calls
	if res := a.sync(t); res.Pushed != 3 || res.Pulled != 0 {
		t.Errorf("round = %+v; want 3 pushed, nothing pulled back", res)
	}
	if a.t.calls-calls != 2 {
		t.Errorf("the round made %d requests; want one pull and one push", a.t.calls-calls)
	}
	if err := Disable(t.Context(), a.values); err != nil {
		t.Fatal(err)
	}
	if c, err := Open(t.Context(), a.values, a.t, stdcrypto.Derive, random(3)); c != nil || err != nil {
		t.Errorf("Open after Disable = %v, %v; want sync off", c, err)
	}
}

func TestALostAnswerToAPushOnlyRepeatsIt(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 4)
	a, b := newDevice(t, srv, "laptop"), newDevice(t, srv, "phone")
	a.answer(8, t0)
	a.enable(t, code)
	a.t.loseAck = true
	if _, err := a.client.Sync(t.Context(), a, t0); !isKind(err, Offline) {
		t.Fatalf("sync with a lost answer = %v", err)
	}
	a.t.loseAck = false
	a.sync(t) // pushes the same 8 again
	b.enable(t, code)
	b.sync(t)
	if len(b.log) != 8 || ids(b.log) != ids(a.log) {
		t.Fatalf("B holds %d events; want A's 8 once each", len(b.log))
	}
}

func TestTenThousandEventsAreSplitIntoBatchesUnderTheLimit(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 5)
	a, b := newDevice(t, srv, "laptop"), newDevice(t, srv, "phone")
	a.answer(10000, t0)
	a.enable(t, code)
	if res := a.sync(t); res.Pushed != 10000 {
		t.Fatalf("pushed %d", res.Pushed)
	}
	batches, _, err := srv.store.After(t.Context(), a.client.keys.ID, 0, 1000, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) < 2 {
		t.Fatalf("10,000 events went into %d batch; want them split", len(batches))
	}
	for _, bt := range batches {
		if len(bt.Data) > syncproto.MaxBatchBytes {
			t.Fatalf("batch %d is %d bytes, over the limit", bt.Seq, len(bt.Data))
		}
	}
	b.enable(t, code)
	if res := b.sync(t); res.Pulled != 10000 {
		t.Fatalf("B pulled %d", res.Pulled)
	}
}

// pushRaw stores a batch under the log as an attacker with the server's cooperation (or a bug)
// could: the server cannot tell, the client must.
func pushRaw(t *testing.T, srv *server, code syncproto.Code, batch []byte) {
	t.Helper()
	k, _, _ := stdcrypto.Derive(code)
	if _, err := srv.store.Append(t.Context(), k.ID, [][]byte{batch}, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestTamperedAndForeignBatchesAreRejectedAndLocalDataKept(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 6)
	a, b := newDevice(t, srv, "laptop"), newDevice(t, srv, "phone")
	a.answer(4, t0)
	a.enable(t, code)
	a.sync(t)

	// A batch sealed with another code's key, and a real batch with one byte flipped.
	_, foreign, _ := stdcrypto.Derive(newCode(t, 7))
	plains, _, _ := Pack([]quiz.Event{quiz.NewSetting("0000000000-AAAAAAAA-0000", "theme", "dark")}, 1<<16)
	sealedForeign, _ := foreign.Seal(plains[0], random(8))
	pushRaw(t, srv, code, sealedForeign)
	stored, _, _ := srv.store.After(t.Context(), a.client.keys.ID, 0, 1, 1<<20)
	flipped := bytes.Clone(stored[0].Data)
	flipped[len(flipped)/2] ^= 1
	pushRaw(t, srv, code, flipped)
	a.answer(2, t0.Add(time.Hour))
	// A meets the bad batches too, skips them, and still pushes a good batch after them.
	if res, err := a.client.Sync(t.Context(), a, t0); !isKind(err, Tampered) || res.Pushed != 2 {
		t.Fatalf("A's round = %+v, %v; want 2 pushed and a Tampered warning", res, err)
	}

	b.answer(3, t0.Add(2*time.Hour))
	before := ids(b.log)
	b.enable(t, code)
	res, err := b.client.Sync(t.Context(), b, t0)
	if !isKind(err, Tampered) || !strings.Contains(err.Error(), "intact") {
		t.Fatalf("sync over bad batches = %v; want a Tampered error that says local data is intact", err)
	}
	if res.Rejected != 2 {
		t.Errorf("rejected %d batches; want 2", res.Rejected)
	}
	if !strings.Contains(ids(b.log), before) && before != "" {
		t.Error("B lost its own events")
	}
	if len(b.log) != 3+6 {
		t.Errorf("B holds %d events; want its 3 and A's 6, nothing from the bad batches", len(b.log))
	}
	for _, e := range b.log {
		if e.Type == quiz.SettingSet {
			t.Error("an event from the foreign batch was merged")
		}
	}
}

func TestAForeignTokenIsRefusedWithAMessage(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 9)
	a := newDevice(t, srv, "laptop")
	a.answer(1, t0)
	a.enable(t, code)
	a.sync(t)
	k, _, _ := stdcrypto.Derive(code)
	// The same id registered with another token: what a stolen id without the code gets.
	thief := &tokenSwap{inner: a.t, token: strings.Repeat("A", 43)}
	c, _ := Enable(t.Context(), &values{m: map[string]string{}}, thief, stdcrypto.Derive, code, random(1))
	_, err := c.Sync(t.Context(), &device{}, t0)
	if !isKind(err, Auth) || !strings.Contains(err.Error(), "turn sync off") {
		t.Fatalf("sync with a wrong token = %v; want an Auth error that says what to do", err)
	}
	if got, _, _ := srv.store.After(t.Context(), k.ID, 0, 50, 1<<20); len(got) != 1 {
		t.Errorf("the log holds %d batches; want only A's", len(got))
	}
}

type tokenSwap struct {
	inner Transport
	token string
}

func (s *tokenSwap) Post(ctx context.Context, path, _ string, body []byte) (int, []byte, error) {
	return s.inner.Post(ctx, path, s.token, body)
}

func isKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

func TestPackKeepsEveryEventOnceWithinTheLimit(t *testing.T) {
	d := newDevice(t, &server{}, "x")
	d.answer(500, t0)
	const limit = 4096
	plains, groups, err := Pack(d.log, limit)
	if err != nil {
		t.Fatal(err)
	}
	var back []quiz.Event
	for i, p := range plains {
		if len(p) > limit {
			t.Fatalf("batch %d is %d bytes", i, len(p))
		}
		evs, err := Unpack(p)
		if err != nil || len(evs) != len(groups[i]) {
			t.Fatalf("batch %d: %d events, %v; want %d", i, len(evs), err, len(groups[i]))
		}
		back = append(back, evs...)
	}
	if ids(back) != ids(d.log) {
		t.Error("packing lost, duplicated or reordered events")
	}
	if _, err := Unpack([]byte(`{"v":2,"events":[]}`)); !errors.Is(err, quiz.ErrNewerVersion) {
		t.Errorf("a newer batch = %v", err)
	}
}

func TestTheQRCodeReadsBackAsTheJoinLink(t *testing.T) {
	code := newCode(t, 10)
	link := JoinLink("https://issmp.example/", code)
	if !strings.HasSuffix(link, "/settings/#sync="+code.Compact()) {
		t.Fatalf("link %q", link)
	}
	q, err := NewQR(link)
	if err != nil {
		t.Fatal(err)
	}
	img := render(t, q, 6)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("a QR reader could not read the code: %v", err)
	}
	if res.GetText() != link {
		t.Fatalf("the QR code reads %q; want %q", res.GetText(), link)
	}
	back, err := syncproto.ParseCode(strings.TrimPrefix(res.GetText(), "https://issmp.example/settings/#sync="))
	if err != nil || back != code {
		t.Fatalf("the scanned code parses to %v, %v", back, err)
	}
}

// render paints the path's unit squares ("Mx yhNv1h-Nz") into a bitmap, scale pixels a module.
func render(t *testing.T, q QR, scale int) image.Image {
	img := image.NewGray(image.Rect(0, 0, q.Size*scale, q.Size*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, part := range strings.Split(q.D, "z") {
		if part == "" {
			continue
		}
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(part, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil || w != w2 {
			t.Fatalf("path part %q: %v", part, err)
		}
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.Set(px, py, color.Gray{0})
			}
		}
	}
	return img
}

// failingValues is a device's named values where reading one key fails.
type failingValues struct {
	*values
	key string
}

func (f failingValues) Get(ctx context.Context, k string) (string, bool, error) {
	if k == f.key {
		return "", false, errors.New("IndexedDB: the transaction was aborted")
	}
	return f.values.Get(ctx, k)
}

func TestOpenReportsASyncStateItCannotReadInsteadOfStartingOver(t *testing.T) {
	srv := newServer(t)
	a := newDevice(t, srv, "laptop")
	a.answer(5, t0)
	a.enable(t, newCode(t, 4))
	a.sync(t)
	for _, key := range []string{KeyCursor, KeyKnown, KeyLast} {
		c, err := Open(t.Context(), failingValues{a.values, key}, a.t, stdcrypto.Derive, random(5))
		if err == nil || c != nil {
			t.Errorf("%s unreadable: Open gave a client (%v) and error %v; want an error, not a client that starts from nothing", key, c != nil, err)
			continue
		}
		if !strings.Contains(err.Error(), "could not be read") || !strings.Contains(err.Error(), "aborted") {
			t.Errorf("%s unreadable: the message %q does not say what failed", key, err)
		}
	}
	// A damaged cursor is refused too, with what to do.
	if err := a.values.Put(t.Context(), KeyCursor, "12x"); err != nil {
		t.Fatal(err)
	}
	if c, err := Open(t.Context(), a.values, a.t, stdcrypto.Derive, random(5)); err == nil || c != nil || !strings.Contains(err.Error(), "turn sync off") {
		t.Errorf("damaged cursor: Open gave a client (%v) and error %v; want an error that says what to do", c != nil, err)
	}
}

// stallingTransport holds every request until released, as a slow network does.
type stallingTransport struct {
	httpTransport
	arrived chan struct{}
	release chan struct{}
}

func (s *stallingTransport) Post(ctx context.Context, path, token string, body []byte) (int, []byte, error) {
	s.arrived <- struct{}{}
	<-s.release
	return s.httpTransport.Post(ctx, path, token, body)
}

func TestPendingAndLastSyncAnswerWhileARoundWaitsForTheNetwork(t *testing.T) {
	srv := newServer(t)
	a := newDevice(t, srv, "laptop")
	a.answer(7, t0)
	st := &stallingTransport{httpTransport: httpTransport{base: srv.url}, arrived: make(chan struct{}), release: make(chan struct{})}
	c, err := Enable(t.Context(), a.values, st, stdcrypto.Derive, newCode(t, 6), random(6))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := c.Sync(t.Context(), a, t0); done <- err }()
	<-st.arrived // the round holds its pull request in flight
	answered := make(chan int, 1)
	go func() {
		n := c.Pending(a)
		c.LastSync()
		answered <- n
	}()
	select {
	case n := <-answered:
		if n != 7 {
			t.Errorf("Pending during the round = %d, want 7", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Pending and LastSync waited for the round's request: a page showing the sync status would hang with it")
	}
	go func() {
		for range st.arrived {
		}
	}()
	close(st.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := c.Pending(a); n != 0 {
		t.Errorf("Pending after the round = %d", n)
	}
}
