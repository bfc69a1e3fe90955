package syncapi

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/syncproto"
)

// secretComment is a comment that must reach the store and never the log.
const secretComment = "Option C is right per ISO 31000 §6.4 — ça alors"

// reportJSON is a good report with fields replaced or added by extra (a nil value drops one).
func reportJSON(extra map[string]any) string {
	m := map[string]any{"v": 1, "question": "3.1-019", "bank": "2026.12.1", "answer": "B. Escalate to the board", "reason": "key_wrong", "comment": secretComment}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// report sends a report from addr, with no token.
func (f *fixture) report(addr, body string) (int, map[string]any, string) {
	res, out := f.doFrom(addr, "POST", syncproto.PathReport, "", body)
	return res.StatusCode, out, res.Header.Get("Retry-After")
}

func (f *fixture) reports(t *testing.T) []syncstore.Report {
	t.Helper()
	got, err := f.store.ListReports(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAGoodReportIsStoredAndListedAndOnlyItsQuestionIsLogged(t *testing.T) {
	f := newFixture(t, Config{})
	status, body, _ := f.report("192.0.2.1", reportJSON(nil))
	if status != 200 || body["v"] != 1.0 || body["id"] == "" || len(body) != 2 {
		t.Fatalf("report = %d %v; want 200 {v:1, id}", status, body)
	}
	got := f.reports(t)
	want := syncstore.Report{ID: body["id"].(string), At: f.clock.now(), Question: "3.1-019", Bank: "2026.12.1",
		Answer: "B. Escalate to the board", Reason: syncproto.ReasonKeyWrong, Comment: secretComment}
	if len(got) != 1 || got[0].ID != want.ID || !got[0].At.Equal(want.At) || got[0].Question != want.Question || got[0].Bank != want.Bank ||
		got[0].Answer != want.Answer || got[0].Reason != want.Reason || got[0].Comment != want.Comment || !got[0].Handled.IsZero() {
		t.Fatalf("stored %+v; want %+v", got, want)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "question=3.1-019") || !strings.Contains(logs, "status=200") {
		t.Errorf("the log line does not name the question and the status:\n%s", logs)
	}
	for _, private := range []string{"ISO 31000", "Escalate", "2026.12.1", "192.0.2.1"} {
		if strings.Contains(logs, private) {
			t.Errorf("the log holds %q:\n%s", private, logs)
		}
	}
}

func TestBadReportsGetTheirCodeWithASentenceAndStoreNothing(t *testing.T) {
	for _, tc := range []struct {
		name, method, body string
		contentType        string // "" sends application/json
		unknownLength      bool   // send the body without a Content-Length, as a stream
		status             int
		code               string
	}{
		{"not JSON", "POST", "<report/>", "", false, 400, syncproto.CodeBadJSON},
		{"malformed JSON", "POST", `{"v":1,"question":`, "", false, 400, syncproto.CodeBadJSON},
		{"a sync id", "POST", reportJSON(map[string]any{"id": "0123456789abcdef0123456789abcdef"}), "", false, 400, syncproto.CodeBadJSON},
		{"a token in the body", "POST", reportJSON(map[string]any{"token": "abc"}), "", false, 400, syncproto.CodeBadJSON},
		{"a device id", "POST", reportJSON(map[string]any{"device": "phone"}), "", false, 400, syncproto.CodeBadJSON},
		{"two reports in one body", "POST", reportJSON(nil) + reportJSON(nil), "", false, 400, syncproto.CodeBadJSON},
		{"an empty body", "POST", "", "", false, 400, syncproto.CodeBodyRequired},
		{"version 2", "POST", reportJSON(map[string]any{"v": 2}), "", false, 400, syncproto.CodeBadVersion},
		{"a malformed question id", "POST", reportJSON(map[string]any{"question": "3.1-19"}), "", false, 400, syncproto.CodeBadRequest},
		{"no question", "POST", reportJSON(map[string]any{"question": nil}), "", false, 400, syncproto.CodeBadRequest},
		{"a malformed bank", "POST", reportJSON(map[string]any{"bank": "v1; DROP"}), "", false, 400, syncproto.CodeBadRequest},
		{"no bank", "POST", reportJSON(map[string]any{"bank": nil}), "", false, 400, syncproto.CodeBadRequest},
		{"an answer of 201 characters", "POST", reportJSON(map[string]any{"answer": strings.Repeat("a", 201)}), "", false, 400, syncproto.CodeBadRequest},
		{"an unknown reason", "POST", reportJSON(map[string]any{"reason": "rude"}), "", false, 400, syncproto.CodeBadRequest},
		{"a comment of 1,001 characters", "POST", reportJSON(map[string]any{"comment": strings.Repeat("é", 1001)}), "", false, 400, syncproto.CodeBadRequest},
		{"a body over 8 KiB", "POST", reportJSON(map[string]any{"comment": strings.Repeat(" ", 8<<10)}), "", false, 413, syncproto.CodeTooLarge},
		{"a streamed body over 8 KiB", "POST", reportJSON(map[string]any{"comment": strings.Repeat(" ", 8<<10)}), "", true, 413, syncproto.CodeTooLarge},
		{"a form", "POST", "question=3.1-019", "application/x-www-form-urlencoded", false, 415, syncproto.CodeUnsupported},
		{"GET", "GET", "", "", false, 405, syncproto.CodeBadMethod},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Config{})
			req := httptest.NewRequest(tc.method, syncproto.PathReport, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			if tc.unknownLength {
				req.ContentLength = -1
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
			if got := f.reports(t); len(got) != 0 {
				t.Errorf("a refused report stored %+v", got)
			}
			if strings.Contains(f.logs.String(), "ISO 31000") {
				t.Errorf("the comment reached the log:\n%s", f.logs)
			}
		})
	}
}

func TestReportsAreLimitedPerAddressAndAnotherAddressStillReports(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{ReportBurst: 2, ReportsPerHour: 6}})
	for i := range 2 {
		if status, body, _ := f.report("203.0.113.9", reportJSON(nil)); status != 200 {
			t.Fatalf("report %d = %d %v", i+1, status, body)
		}
	}
	status, body, retry := f.report("203.0.113.9", reportJSON(nil))
	if status != 429 || body["code"] != syncproto.CodeRateLimited || retry != "601" || !strings.Contains(body["error"].(string), "11 minutes") {
		t.Fatalf("third report from one address = %d %v Retry-After %q; want 429 after 10 minutes", status, body, retry)
	}
	if status, body, _ := f.report("198.51.100.4", reportJSON(nil)); status != 200 {
		t.Errorf("another address was limited too: %d %v", status, body)
	}
	// The same /64 is the same subscriber.
	if status, _, _ := f.report("2001:db8:1:2::1", reportJSON(nil)); status != 200 {
		t.Fatal("the first IPv6 report was refused")
	}
	f.report("2001:db8:1:2::2", reportJSON(nil))
	if status, _, _ := f.report("2001:db8:1:2::3", reportJSON(nil)); status != 429 {
		t.Errorf("a third report from one /64 = %d; want 429", status)
	}
	f.clock.add(10 * time.Minute)
	if status, body, _ := f.report("203.0.113.9", reportJSON(nil)); status != 200 {
		t.Errorf("after ten minutes = %d %v; want 200", status, body)
	}
	if n := len(f.reports(t)); n != 6 {
		t.Errorf("stored %d reports; want the 6 allowed", n)
	}
}

func TestRefusedReportsCountAgainstTheAddressLikeOtherRefusals(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{FailureBurst: 3, FailuresPerMinute: 6}})
	for range 3 {
		if status, _, _ := f.report("203.0.113.9", reportJSON(map[string]any{"reason": "spam"})); status != 400 {
			t.Fatalf("a bad report = %d; want 400", status)
		}
	}
	status, body, retry := f.report("203.0.113.9", reportJSON(nil))
	if status != 429 || body["code"] != syncproto.CodeRateLimited || retry == "" {
		t.Fatalf("a good report after 3 refusals = %d %v Retry-After %q; want 429", status, body, retry)
	}
	if n := len(f.reports(t)); n != 0 {
		t.Errorf("stored %d reports; want none", n)
	}
	if status, _, _ := f.report("198.51.100.4", reportJSON(nil)); status != 200 {
		t.Errorf("another address = %d; want 200", status)
	}
}

func TestReportsInAllAreBoundedPerDay(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{ReportsPerDay: 3}})
	for i := range 3 {
		if status, body, _ := f.report("198.51.100."+string(rune('1'+i)), reportJSON(nil)); status != 200 {
			t.Fatalf("report %d = %d %v", i+1, status, body)
		}
	}
	status, body, retry := f.report("198.51.100.9", reportJSON(nil))
	if status != 429 || body["code"] != syncproto.CodeRateLimited || retry != "54001" { // the clock is at 09:00 UTC
		t.Fatalf("the day's fourth report = %d %v Retry-After %q; want 429 until midnight UTC", status, body, retry)
	}
	f.clock.add(15 * time.Hour)
	if status, body, _ := f.report("198.51.100.9", reportJSON(nil)); status != 200 {
		t.Errorf("the next day = %d %v; want 200", status, body)
	}
	if n := len(f.reports(t)); n != 4 {
		t.Errorf("stored %d reports; want 4", n)
	}
}

func TestAReportNeedsNoTokenAndIgnoresOne(t *testing.T) {
	f := newFixture(t, Config{})
	for _, token := range []string{"", "not-a-token", f.keys.Token} {
		res, body := f.doFrom("192.0.2.1", "POST", syncproto.PathReport, token, reportJSON(nil))
		if res.StatusCode != 200 {
			t.Errorf("a report with token %q = %d %v; want 200", token, res.StatusCode, body)
		}
	}
	// The token named no log, and the report made none.
	if _, ok, err := f.store.Lookup(t.Context(), f.keys.ID, f.clock.now()); ok || err != nil {
		t.Errorf("a report with a token registered its log (%v)", err)
	}
	if n := len(f.reports(t)); n != 3 {
		t.Errorf("stored %d reports; want 3", n)
	}
}

func TestTheStoredReportHoldsNoAddressAndNoToken(t *testing.T) {
	f := newFixture(t, Config{ClientAddr: ViewerAddr})
	req := httptest.NewRequest("POST", syncproto.PathReport, strings.NewReader(reportJSON(nil)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("CloudFront-Viewer-Address", "2001:db8:77:66::55:46532")
	req.Header.Set(syncproto.TokenHeader, f.keys.Token)
	req.RemoteAddr = "198.51.100.77:443"
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("report = %d %s", rec.Code, rec.Body)
	}
	f.store.Close()
	raw, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("ISO 31000")) {
		t.Fatal("the report is not in the file: is the check reading the right file?")
	}
	for _, private := range []string{"2001:db8:77:66", "2001:0db8", "198.51.100.77", f.keys.Token, f.keys.ID, clientKey("2001:db8:77:66::55"), clientKey("198.51.100.77")} {
		if bytes.Contains(raw, []byte(private)) {
			t.Errorf("the store's file holds %q", private)
		}
	}
}

// withoutReports is a store that keeps logs and no reports.
type withoutReports struct{ syncstore.Store }

func TestWithoutAReportsStoreTheReportCallIsNotFound(t *testing.T) {
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "sync.db"), syncstore.DefaultLimits, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := New(Config{Store: withoutReports{s}, Now: time.Now})
	for _, method := range []string{"POST", "GET"} {
		req := httptest.NewRequest(method, syncproto.PathReport, strings.NewReader(reportJSON(nil)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var e syncproto.ErrorResponse
		if rec.Code != 404 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code != syncproto.CodeNotFound {
			t.Errorf("%s %s = %d %s; want 404 not_found", method, syncproto.PathReport, rec.Code, rec.Body)
		}
	}
	if got, _ := s.ListReports(t.Context()); len(got) != 0 {
		t.Errorf("a handler without reports stored %d", len(got))
	}
}

// FuzzReport sends arbitrary bodies to the report call: the answer is JSON, 200 or 4xx, never a
// panic or a 5xx, and a 200 stored a report within the limits.
func FuzzReport(f *testing.F) {
	f.Add(reportJSON(nil))
	f.Add(reportJSON(map[string]any{"comment": strings.Repeat("🙂", 1000)}))
	f.Add(`{"v":1,"question":"1.1-001","bank":"x","reason":"other","answer":null}`)
	f.Add(`{"v":1,"question":"1.1-001","bank":"x","reason":"other"} {}`)
	f.Add("\x00\xff")
	s, err := boltstore.Open(filepath.Join(f.TempDir(), "sync.db"), syncstore.DefaultLimits, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := New(Config{Store: s, Now: time.Now, Limits: Limits{FailureBurst: 1 << 30, FailuresPerMinute: 1 << 30, ReportBurst: 1 << 30, ReportsPerHour: 1 << 30, ReportsPerDay: 1 << 30}})
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", syncproto.PathReport, strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %q: %s", rec.Code, body, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("not JSON: %q", rec.Body)
		}
		if rec.Code == 200 {
			var out syncproto.ReportResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.V != 1 || out.ID == "" {
				t.Fatalf("a 200 without an id: %s", rec.Body)
			}
		}
	})
}
