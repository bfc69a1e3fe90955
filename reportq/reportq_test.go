package reportq_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/issmp-study/issmp/reportq"
	"github.com/issmp-study/issmp/store/memstore"
	"github.com/issmp-study/issmp/syncclient"
	"github.com/issmp-study/issmp/syncclient/nethttp"
	"github.com/issmp-study/issmp/syncproto"
)

// Both stores and both transports of the app fit.
var (
	_ reportq.Values       = memstore.New()
	_ syncclient.Values    = reportq.Values(nil)
	_ reportq.Transport    = (*nethttp.Transport)(nil)
	_ syncclient.Transport = reportq.Transport(nil)
)

// values is a device's named values, with a switch to make writes fail.
type values struct {
	mu   sync.Mutex
	m    map[string]string
	fail bool
}

func newValues() *values { return &values{m: map[string]string{}} }

func (v *values) Get(_ context.Context, key string) (string, bool, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	s, ok := v.m[key]
	return s, ok, nil
}

func (v *values) Put(_ context.Context, key, value string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.fail {
		return errors.New("quota exceeded")
	}
	v.m[key] = value
	return nil
}

// server is the report endpoint as its wire format says: POST /api/report, JSON, no token; 200
// {"v":1,"id":...}; errors {"error","code"}. answer decides the status of each request (nil: 200).
type server struct {
	t      *testing.T
	mu     sync.Mutex
	got    []syncproto.ReportRequest // accepted, in order
	tries  int
	answer func(n int, r syncproto.ReportRequest) int // n counts requests from 1
	delay  time.Duration
	*httptest.Server
}

func newServer(t *testing.T, answer func(n int, r syncproto.ReportRequest) int) *server {
	s := &server{t: t, answer: answer}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "application/json")
		if status == 429 {
			w.Header().Set("Retry-After", "30")
		}
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(syncproto.ErrorResponse{Error: msg, Code: code})
	}
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
	if r.Method != "POST" || r.URL.Path != "/api/report" {
		fail(404, "not_found", "no such endpoint")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		s.t.Errorf("Content-Type %q", ct)
	}
	if _, has := r.Header["X-Sync-Token"]; has {
		s.t.Errorf("a report carried a token header")
	}
	var req syncproto.ReportRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.t.Errorf("the body does not decode: %v", err)
		fail(400, "bad_request", "the report could not be read")
		return
	}
	if req.V != 1 || req.Question == "" || req.Bank == "" || !req.Reason.Valid() || utf8.RuneCountInString(req.Comment) > 1000 || utf8.RuneCountInString(req.Answer) > 200 {
		s.t.Errorf("a report that does not fit the format: %+v", req)
	}
	s.mu.Lock()
	s.tries++
	n := s.tries
	s.mu.Unlock()
	status := 200
	if s.answer != nil {
		status = s.answer(n, req)
	}
	switch {
	case status == 200:
		s.mu.Lock()
		s.got = append(s.got, req)
		id := len(s.got)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(syncproto.ReportResponse{V: 1, ID: fmt.Sprintf("r%d", id)})
	case status == 429:
		fail(429, "rate_limited", "too many reports from this address: try again later")
	case status == 400:
		fail(400, "bad_reason", "the reason is not one the server knows")
	default:
		fail(status, "internal", "the report could not be stored")
	}
}

func (s *server) comments() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.got))
	for i, r := range s.got {
		out[i] = r.Comment
	}
	return out
}

func (s *server) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries
}

func report(comment string) syncproto.ReportRequest {
	return syncproto.ReportRequest{Question: "3.1-019", Bank: "b4f1c2", Answer: "B", Reason: syncproto.ReasonKeyWrong, Comment: comment}
}

var t0 = time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)

func add(t *testing.T, o *reportq.Outbox, comments ...string) []int64 {
	t.Helper()
	var ns []int64
	for _, c := range comments {
		n, err := o.Add(context.Background(), report(c))
		if err != nil {
			t.Fatal(err)
		}
		ns = append(ns, n)
	}
	return ns
}

func open(t *testing.T, v reportq.Values) *reportq.Outbox {
	t.Helper()
	o, err := reportq.Open(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestTheWireFormat(t *testing.T) {
	r, err := reportq.Check(syncproto.ReportRequest{Question: " 3.1-019 ", Bank: "v1", Answer: "1A 2C", Reason: syncproto.ReasonTwoRight, Comment: "  Ça dépend — 表 🙂\n"})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(r)
	want := `{"v":1,"question":"3.1-019","bank":"v1","answer":"1A 2C","reason":"two_right","comment":"Ça dépend — 表 🙂"}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	var labels []string
	for _, r := range syncproto.Reasons {
		labels = append(labels, string(r)+": "+r.Sentence())
	}
	if got := strings.Join(labels, "; "); got != "key_wrong: The key looks wrong; two_right: More than one answer is right; explanation: The explanation is wrong or unclear; typo: A typo; outdated: Out of date; other: Something else" {
		t.Errorf("reasons: %s", got)
	}
}

func TestCheck(t *testing.T) {
	ok := report("")
	for _, c := range []struct {
		name string
		edit func(*syncproto.ReportRequest)
		want string // in the error; "" for none
	}{
		{"fine", func(*syncproto.ReportRequest) {}, ""},
		{"no question", func(r *syncproto.ReportRequest) { r.Question = "  " }, "no question"},
		{"no bank", func(r *syncproto.ReportRequest) { r.Bank = "" }, "no version"},
		{"no reason", func(r *syncproto.ReportRequest) { r.Reason = "" }, "choose what is wrong"},
		{"unknown reason", func(r *syncproto.ReportRequest) { r.Reason = "rude" }, "choose what is wrong"},
		{"1000 characters", func(r *syncproto.ReportRequest) { r.Comment = strings.Repeat("é", 1000) }, ""},
		{"1001 characters", func(r *syncproto.ReportRequest) { r.Comment = strings.Repeat("é", 1001) }, "longer than 1000"},
		{"spaces around 1000 characters", func(r *syncproto.ReportRequest) { r.Comment = "  " + strings.Repeat("x", 1000) + "\n" }, ""},
		{"not UTF-8", func(r *syncproto.ReportRequest) { r.Comment = "\xff" }, "not valid text"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ok
			c.edit(&r)
			_, err := reportq.Check(r)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	r := ok
	r.Answer = strings.Repeat("ж", 300)
	r, err := reportq.Check(r)
	if err != nil || utf8.RuneCountInString(r.Answer) != 200 || !strings.HasSuffix(r.Answer, "…") {
		t.Errorf("a long answer is not cut to 200 characters: %v %d", err, utf8.RuneCountInString(r.Answer))
	}
	if _, err := reportq.Open(context.Background(), newValues()); err != nil {
		t.Fatal(err)
	}
	o := open(t, newValues())
	if _, err := o.Add(context.Background(), syncproto.ReportRequest{Question: "3.1-019", Bank: "v"}); err == nil || o.Pending() != 0 {
		t.Errorf("a report with no reason was taken: %v, %d waiting", err, o.Pending())
	}
}

func TestSentInOrderOnceAndGone(t *testing.T) {
	srv := newServer(t, nil)
	tr := &nethttp.Transport{Base: srv.URL}
	v := newValues()
	o := open(t, v)
	ns := add(t, o, "one", "two", "three")
	if o.Pending() != 3 || o.Status(ns[0]) != reportq.Waiting {
		t.Fatalf("%d waiting, status %v", o.Pending(), o.Status(ns[0]))
	}
	res, err := o.Flush(context.Background(), tr, t0)
	if err != nil || res != (reportq.Result{Sent: 3}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if got := strings.Join(srv.comments(), " "); got != "one two three" {
		t.Errorf("the server got %q", got)
	}
	for _, n := range ns {
		if s := o.Status(n); s != reportq.Sent {
			t.Errorf("report %d: status %v", n, s)
		}
	}
	// Nothing goes twice: not by this outbox, nor by one opened from storage (a reload).
	if res, err := o.Flush(context.Background(), tr, t0); err != nil || res != (reportq.Result{}) {
		t.Errorf("a second Flush = %+v, %v", res, err)
	}
	again := open(t, v)
	if res, err := again.Flush(context.Background(), tr, t0); err != nil || res != (reportq.Result{}) || again.Pending() != 0 {
		t.Errorf("after a reload, Flush = %+v, %v", res, err)
	}
	if srv.requests() != 3 {
		t.Errorf("%d requests for 3 reports", srv.requests())
	}
	// New numbers after a reload never repeat old ones.
	if n := add(t, again, "four")[0]; n <= ns[2] {
		t.Errorf("number %d after %d", n, ns[2])
	}
}

func TestOfflineNothingIsLost(t *testing.T) {
	// A port nothing listens on: the connection is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	v := newValues()
	o := open(t, v)
	ns := add(t, o, "first", "second")
	res, err := o.Flush(context.Background(), &nethttp.Transport{Base: dead}, t0)
	var e *reportq.Error
	if !errors.As(err, &e) || e.Kind != reportq.Offline || res != (reportq.Result{Waiting: 2}) {
		t.Fatalf("Flush offline = %+v, %v", res, err)
	}
	if !strings.Contains(e.Msg, "back online") {
		t.Errorf("message %q", e.Msg)
	}
	// The page is closed; the next one finds both and sends them, in order, when online.
	o = open(t, v)
	if o.Pending() != 2 || o.Status(ns[1]) != reportq.Waiting {
		t.Fatalf("after a reload %d waiting", o.Pending())
	}
	srv := newServer(t, nil)
	if res, err := o.Flush(context.Background(), &nethttp.Transport{Base: srv.URL}, t0); err != nil || res.Sent != 2 {
		t.Fatalf("Flush online = %+v, %v", res, err)
	}
	if got := strings.Join(srv.comments(), " "); got != "first second" {
		t.Errorf("the server got %q", got)
	}
}

func TestRateLimitedKeepsAllAndWaits(t *testing.T) {
	srv := newServer(t, func(n int, _ syncproto.ReportRequest) int {
		if n == 2 {
			return 429
		}
		return 200
	})
	tr := &nethttp.Transport{Base: srv.URL}
	o := open(t, newValues())
	ns := add(t, o, "a", "b", "c")
	res, err := o.Flush(context.Background(), tr, t0)
	var e *reportq.Error
	if !errors.As(err, &e) || e.Kind != reportq.RateLimited || res != (reportq.Result{Sent: 1, Waiting: 2}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if o.Status(ns[0]) != reportq.Sent || o.Status(ns[1]) != reportq.Waiting || o.Status(ns[2]) != reportq.Waiting {
		t.Errorf("statuses %v %v %v", o.Status(ns[0]), o.Status(ns[1]), o.Status(ns[2]))
	}
	// Asked again at once (focus, online), it does not knock.
	before := srv.requests()
	if res, err := o.Flush(context.Background(), tr, t0.Add(10*time.Second)); !errors.As(err, &e) || e.Kind != reportq.RateLimited || res.Waiting != 2 {
		t.Errorf("Flush during the pause = %+v, %v", res, err)
	}
	if srv.requests() != before {
		t.Errorf("%d requests during the pause", srv.requests()-before)
	}
	if res, err := o.Flush(context.Background(), tr, t0.Add(2*time.Minute)); err != nil || res != (reportq.Result{Sent: 2}) {
		t.Fatalf("Flush after the pause = %+v, %v", res, err)
	}
	if got := strings.Join(srv.comments(), " "); got != "a b c" {
		t.Errorf("the server got %q", got)
	}
}

func TestServerErrorKeepsTheReportAndItsPlace(t *testing.T) {
	down := true
	var mu sync.Mutex
	srv := newServer(t, func(int, syncproto.ReportRequest) int {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return 500
		}
		return 200
	})
	tr := &nethttp.Transport{Base: srv.URL}
	o := open(t, newValues())
	add(t, o, "x", "y")
	res, err := o.Flush(context.Background(), tr, t0)
	var e *reportq.Error
	if !errors.As(err, &e) || e.Kind != reportq.Server || res != (reportq.Result{Waiting: 2}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if srv.requests() != 1 {
		t.Errorf("%d requests: it should stop at the first 5xx", srv.requests())
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if res, err := o.Flush(context.Background(), tr, t0.Add(time.Minute)); err != nil || res.Sent != 2 {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if got := strings.Join(srv.comments(), " "); got != "x y" {
		t.Errorf("the server got %q", got)
	}
}

func TestRefusedForGoodIsDroppedWithItsReason(t *testing.T) {
	srv := newServer(t, func(_ int, r syncproto.ReportRequest) int {
		if r.Comment == "bad" {
			return 400
		}
		return 200
	})
	v := newValues()
	o := open(t, v)
	ns := add(t, o, "good", "bad", "fine")
	res, err := o.Flush(context.Background(), &nethttp.Transport{Base: srv.URL}, t0)
	if err != nil || res != (reportq.Result{Sent: 2, Refused: 1}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if got := strings.Join(srv.comments(), " "); got != "good fine" {
		t.Errorf("the server got %q", got)
	}
	check := func(o *reportq.Outbox) {
		t.Helper()
		if o.Status(ns[1]) != reportq.Refused || o.Pending() != 0 {
			t.Errorf("status %v, %d waiting", o.Status(ns[1]), o.Pending())
		}
		n, last := o.Refused()
		if n != 1 || last.Why != "the reason is not one the server knows" || last.Code != "bad_reason" || last.Question != "3.1-019" {
			t.Errorf("Refused() = %d, %+v", n, last)
		}
		if f, ok := o.Refusal(ns[1]); !ok || f.N != ns[1] {
			t.Errorf("Refusal = %+v, %v", f, ok)
		}
	}
	check(o)
	check(open(t, v)) // remembered across a reload
	// A 4xx with no JSON body still gets a sentence.
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "gone", 410) }))
	defer bare.Close()
	n := add(t, o, "late")[0]
	if _, err := o.Flush(context.Background(), &nethttp.Transport{Base: bare.URL}, t0); err != nil {
		t.Fatal(err)
	}
	if f, ok := o.Refusal(n); !ok || f.Why != "the server refused the report (HTTP 410)" {
		t.Errorf("Refusal = %+v", f)
	}
	if k, _ := o.Refused(); k != 2 {
		t.Errorf("%d refused", k)
	}
}

func TestStorageThatFailsStillSendsWhileThePageIsOpen(t *testing.T) {
	srv := newServer(t, nil)
	v := newValues()
	v.fail = true
	o := open(t, v)
	n, err := o.Add(context.Background(), report("kept in memory"))
	if !errors.Is(err, reportq.ErrNotSaved) || o.Status(n) != reportq.Waiting {
		t.Fatalf("Add = %d, %v", n, err)
	}
	v.mu.Lock()
	v.fail = false
	v.mu.Unlock()
	if res, err := o.Flush(context.Background(), &nethttp.Transport{Base: srv.URL}, t0); err != nil || res.Sent != 1 {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
}

func TestADamagedOutboxIsAnErrorNotAnEmptyOne(t *testing.T) {
	v := newValues()
	v.m[reportq.Key] = "{not json"
	if _, err := reportq.Open(context.Background(), v); err == nil {
		t.Error("a damaged outbox opened as empty: its reports would be lost")
	}
}

func TestAddWhileFlushing(t *testing.T) {
	srv := newServer(t, nil)
	srv.delay = 2 * time.Millisecond
	tr := &nethttp.Transport{Base: srv.URL}
	v := newValues()
	o := open(t, v)
	const writers, each = 4, 15
	var mu sync.Mutex
	order := map[string]int64{} // comment -> number on the device
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				c := fmt.Sprintf("g%d-%d", g, i)
				n, err := o.Add(context.Background(), report(c))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				order[c] = n
				mu.Unlock()
			}
		}()
	}
	// Flushes run while reports are added, from several goroutines at once (focus, online, a send).
	var fg sync.WaitGroup
	for range 3 {
		fg.Add(1)
		go func() {
			defer fg.Done()
			for range 5 {
				if _, err := o.Flush(context.Background(), tr, t0); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	fg.Wait()
	if _, err := o.Flush(context.Background(), tr, t0); err != nil {
		t.Fatal(err)
	}
	got := srv.comments()
	if len(got) != writers*each || o.Pending() != 0 {
		t.Fatalf("the server got %d reports of %d, %d waiting", len(got), writers*each, o.Pending())
	}
	seen := map[string]bool{}
	var last int64
	for _, c := range got {
		if seen[c] {
			t.Errorf("%s sent twice", c)
		}
		seen[c] = true
		if order[c] <= last {
			t.Errorf("%s (number %d) sent after number %d", c, order[c], last)
		}
		last = order[c]
	}
	if srv.requests() != writers*each {
		t.Errorf("%d requests for %d reports", srv.requests(), writers*each)
	}
	// What storage holds is the outbox as it ended: empty.
	if again := open(t, v); again.Pending() != 0 {
		t.Errorf("storage still holds %d reports", again.Pending())
	}
}
