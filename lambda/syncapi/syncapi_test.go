package syncapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/syncproto/stdcrypto"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	h      *Handler
	store  *boltstore.Store
	path   string // the store's file
	limits syncstore.Limits
	clock  *clock
	logs   *bytes.Buffer
	keys   syncproto.Keys
}

func newFixture(t *testing.T, cfg Config, limits ...syncstore.Limits) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}, logs: &bytes.Buffer{}, path: filepath.Join(t.TempDir(), "sync.db")}
	f.limits = syncstore.DefaultLimits
	if len(limits) > 0 {
		f.limits = limits[0]
	}
	s, err := boltstore.Open(f.path, f.limits, f.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f.store = s
	cfg.Store, cfg.Now = s, f.clock.now
	cfg.Log = slog.New(slog.NewTextHandler(&lockedWriter{w: f.logs}, nil))
	f.h = New(cfg)
	f.keys = keysFor(t, 1)
	return f
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func keysFor(t *testing.T, n byte) syncproto.Keys {
	t.Helper()
	k, _, err := stdcrypto.Derive(syncproto.Code{n, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (f *fixture) do(method, path, token, body string) (*http.Response, map[string]any) {
	return f.doFrom("192.0.2.1", method, path, token, body)
}

// doFrom sends a request from a client address.
func (f *fixture) doFrom(addr, method, path, token, body string) (*http.Response, map[string]any) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = net.JoinHostPort(addr, "40000")
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set(syncproto.TokenHeader, token)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	res := rec.Result()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res, out
}

func sealed(n int) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{byte(n)}, 64))
}

func pushJSON(id string, batches ...string) string {
	b, _ := json.Marshal(map[string]any{"v": 1, "id": id, "batches": batches})
	return string(b)
}

func pullJSON(id string, after int64, limit int) string {
	return fmt.Sprintf(`{"v":1,"id":%q,"after":%d,"limit":%d}`, id, after, limit)
}

func (f *fixture) stored(t *testing.T, id string) int {
	t.Helper()
	got, _, err := f.store.After(t.Context(), id, 0, 50, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return len(got)
}

func TestHealthAnswersGET(t *testing.T) {
	f := newFixture(t, Config{})
	res, body := f.do("GET", syncproto.PathHealth, "", "")
	if res.StatusCode != 200 || body["ok"] != true {
		t.Fatalf("health = %d %v", res.StatusCode, body)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("API answers may be cached")
	}
}

func TestPushThenPullReturnsTheBatchesInOrderInPages(t *testing.T) {
	f := newFixture(t, Config{})
	k := f.keys
	res, body := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(1), sealed(2)))
	if res.StatusCode != 200 || body["first"] != 1.0 || body["last"] != 2.0 {
		t.Fatalf("push = %d %v", res.StatusCode, body)
	}
	res, body = f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(3)))
	if res.StatusCode != 200 || body["first"] != 3.0 {
		t.Fatalf("second push = %d %v", res.StatusCode, body)
	}
	res, body = f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 0, 2))
	batches, _ := body["batches"].([]any)
	if res.StatusCode != 200 || len(batches) != 2 || body["more"] != true {
		t.Fatalf("pull = %d %v", res.StatusCode, body)
	}
	res, body = f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 2, 2))
	batches, _ = body["batches"].([]any)
	if res.StatusCode != 200 || len(batches) != 1 || body["more"] != false {
		t.Fatalf("second pull = %d %v", res.StatusCode, body)
	}
	b := batches[0].(map[string]any)
	if b["seq"] != 3.0 || b["data"] != sealed(3) {
		t.Errorf("batch = %v", b)
	}
}

func TestPullOfAnUnknownLogIsEmptyAndSaysSo(t *testing.T) {
	f := newFixture(t, Config{})
	res, body := f.do("POST", syncproto.PathPull, f.keys.Token, pullJSON(f.keys.ID, 0, 10))
	if res.StatusCode != 200 || len(body["batches"].([]any)) != 0 || body["more"] != false || body["unknown"] != true {
		t.Fatalf("pull of a new code = %d %v", res.StatusCode, body)
	}
}

func TestBadRequestsGetAClearJSONErrorAndStoreNothing(t *testing.T) {
	other := keysFor(t, 9)
	for _, tc := range []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"malformed JSON", "POST", syncproto.PathPush, "", `{"v":1,"id":`, 400, syncproto.CodeBadJSON},
		{"unknown version", "POST", syncproto.PathPush, "", `{"v":9,"id":"%ID","batches":["` + sealed(1) + `"]}`, 400, syncproto.CodeBadVersion},
		{"oversized body", "POST", syncproto.PathPush, "", `{"v":1,"id":"%ID","batches":["` + strings.Repeat("A", syncproto.MaxBodyBytes) + `"]}`, 413, syncproto.CodeTooLarge},
		{"oversized batch", "POST", syncproto.PathPush, "", pushJSON("%ID", base64.StdEncoding.EncodeToString(make([]byte, syncproto.MaxBatchBytes+1))), 413, syncproto.CodeTooLarge},
		{"bad base64", "POST", syncproto.PathPush, "", pushJSON("%ID", "@@@@"), 400, syncproto.CodeBadBase64},
		{"no token", "POST", syncproto.PathPush, "-", pushJSON("%ID", sealed(1)), 401, syncproto.CodeNoToken},
		{"malformed token", "POST", syncproto.PathPush, "abc", pushJSON("%ID", sealed(1)), 401, syncproto.CodeBadToken},
		{"wrong token", "POST", syncproto.PathPush, other.Token, pushJSON("%ID", sealed(1)), 403, syncproto.CodeBadToken},
		{"wrong token on pull", "POST", syncproto.PathPull, other.Token, pullJSON("%ID", 0, 5), 403, syncproto.CodeBadToken},
		{"not JSON", "POST", syncproto.PathPush, "", "<xml/>", 400, syncproto.CodeBadJSON},
		{"form body", "POST", syncproto.PathPush, "", "", 415, syncproto.CodeUnsupported},
		{"GET push", "GET", syncproto.PathPush, "", "", 405, syncproto.CodeBadMethod},
		{"unknown call", "POST", "/api/sync/delete", "", "{}", 404, syncproto.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Config{})
			k := f.keys
			if res, _ := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(1))); res.StatusCode != 200 {
				t.Fatalf("setup push = %d", res.StatusCode)
			}
			token := tc.token
			switch token {
			case "":
				token = k.Token
			case "-":
				token = ""
			}
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(strings.ReplaceAll(tc.body, "%ID", k.ID)))
			req.Header.Set("Content-Type", "application/json")
			if tc.name == "form body" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if token != "" {
				req.Header.Set(syncproto.TokenHeader, token)
			}
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			var e syncproto.ErrorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("the error is not JSON: %q", rec.Body.String())
			}
			if rec.Code != tc.status || e.Code != tc.code || len(e.Error) < 20 {
				t.Fatalf("= %d %+v; want %d %s with a sentence", rec.Code, e, tc.status, tc.code)
			}
			if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
				t.Errorf("Content-Type %q", got)
			}
			if n := f.stored(t, k.ID); n != 1 {
				t.Errorf("the log holds %d batches after a refused request; want the 1 from setup", n)
			}
			if strings.Contains(f.logs.String(), k.Token) || strings.Contains(f.logs.String(), other.Token) {
				t.Error("a token was logged")
			}
		})
	}
}

func TestTooManyRequestsPerIDAreRefusedUntilTheBucketRefills(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{Burst: 3, PerMinute: 6}})
	k, other := f.keys, keysFor(t, 2)
	for i := range 3 {
		if res, _ := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(i))); res.StatusCode != 200 {
			t.Fatalf("push %d = %d", i, res.StatusCode)
		}
	}
	res, body := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(9)))
	if res.StatusCode != 429 || body["code"] != syncproto.CodeRateLimited || res.Header.Get("Retry-After") != "11" {
		t.Fatalf("fourth push = %d %v Retry-After %q; want 429 after 10 s", res.StatusCode, body, res.Header.Get("Retry-After"))
	}
	if n := f.stored(t, k.ID); n != 3 {
		t.Errorf("stored %d batches; the refused push stored something", n)
	}
	if res, _ := f.do("POST", syncproto.PathPush, other.Token, pushJSON(other.ID, sealed(1))); res.StatusCode != 200 {
		t.Errorf("another sync id was limited too: %d", res.StatusCode)
	}
	f.clock.add(10 * time.Second)
	if res, _ := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(9))); res.StatusCode != 200 {
		t.Errorf("after the refill = %d", res.StatusCode)
	}
}

func TestLimiterForgetsIdleIDsButNotBusyOnes(t *testing.T) {
	l := newLimiter(2, 60, time.Minute, 3)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.allow("busy", now)
	l.allow("busy", now)
	l.allow("a", now.Add(-time.Hour))
	l.allow("b", now.Add(-time.Hour))
	l.allow("new", now)
	if _, ok := l.buckets["busy"]; !ok {
		t.Fatal("a busy id was forgotten, which would reset its limit")
	}
	if ok, _ := l.allow("busy", now); ok {
		t.Error("a busy id got a third request at once")
	}
	if len(l.buckets) > 3 {
		t.Errorf("%d ids tracked; the limit is 3", len(l.buckets))
	}
}

// The attack test's repro: a flood of fresh keys made the limiter clear every bucket, a throttled
// one included. Now a new key waits instead.
func TestLimiterNeverForgetsAThrottledBucketWhenFloodedWithNewKeys(t *testing.T) {
	l := newLimiter(2, 60, time.Minute, 100)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.allow("victim", now)
	l.allow("victim", now)
	for i := range 10001 {
		l.allow(fmt.Sprint("fresh-", i), now)
	}
	if ok, _ := l.allow("victim", now); ok {
		t.Fatal("the throttled key got a fresh burst after a flood of new keys")
	}
	if len(l.buckets) > 100 {
		t.Errorf("%d keys tracked; the limit is 100", len(l.buckets))
	}
	if ok, _ := l.allow("victim", now.Add(time.Second)); !ok {
		t.Error("the throttled key was not served once its bucket refilled")
	}
}

func TestConcurrentPushesOverHTTPAreEachStoredOnce(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{Burst: 10000, PerMinute: 60000, NewLogsPerAddress: 100, NewLogsPerDay: 100}}) // 20 first pushes race to register
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	k := f.keys
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for c := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range 50 {
				body := pushJSON(k.ID, base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("client %02d push %02d ....................", c, p))))
				req, _ := http.NewRequest("POST", srv.URL+syncproto.PathPush, strings.NewReader(body))
				req.Header.Set(syncproto.TokenHeader, k.Token)
				res, err := srv.Client().Do(req)
				if err != nil {
					errs <- err
					return
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					errs <- fmt.Errorf("client %d push %d: %d", c, p, res.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	cursor := int64(0)
	for {
		got, more, err := f.store.After(t.Context(), k.ID, cursor, 50, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range got {
			if b.Seq != cursor+1 {
				t.Fatalf("gap after %d", cursor)
			}
			cursor = b.Seq
			if seen[string(b.Data)] {
				t.Fatalf("stored twice: %s", b.Data)
			}
			seen[string(b.Data)] = true
		}
		if !more {
			break
		}
	}
	if len(seen) != 1000 {
		t.Fatalf("stored %d batches; want 1000", len(seen))
	}
}

// FuzzHandler sends arbitrary bodies to push and pull: the answer is JSON, 200 or 4xx, never a
// panic or a 5xx.
func FuzzHandler(f *testing.F) {
	k, _, _ := stdcrypto.Derive(syncproto.Code{1})
	f.Add(pushJSON(k.ID, sealed(1)), true)
	f.Add(pullJSON(k.ID, 0, 3), false)
	f.Add(`{"v":1,"id":"`+k.ID+`","batches":["", null]}`, true)
	f.Add("\x00\xff", false)
	s, err := boltstore.Open(filepath.Join(f.TempDir(), "sync.db"), syncstore.DefaultLimits, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := New(Config{Store: s, Now: time.Now, Limits: Limits{Burst: 1 << 30, PerMinute: 1 << 30, FailureBurst: 1 << 30, FailuresPerMinute: 1 << 30, NewLogsPerAddress: 1 << 30, NewLogsPerDay: 1 << 30}})
	f.Fuzz(func(t *testing.T, body string, push bool) {
		path := syncproto.PathPull
		if push {
			path = syncproto.PathPush
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set(syncproto.TokenHeader, k.Token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %q: %s", rec.Code, body, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("not JSON: %q", rec.Body)
		}
	})
}
