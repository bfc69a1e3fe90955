package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
)

// RunReports runs the suite of syncstore.Reports on stores newStore makes, which must implement
// it. newStore is called once per subtest.
func RunReports(t *testing.T, newStore NewStore) {
	reports := func(t *testing.T) (syncstore.Store, syncstore.Reports) {
		s := newStore(t, Roomy)
		r, ok := s.(syncstore.Reports)
		if !ok {
			t.Fatalf("%T does not implement syncstore.Reports", s)
		}
		return s, r
	}
	tests := []struct {
		name string
		fn   func(*testing.T, syncstore.Store, syncstore.Reports)
	}{
		{"AnEmptyStoreListsNoReports", anEmptyStoreListsNoReports},
		{"AddedReportsAreListedNewestFirstWithTheirFieldsIntact", addedReportsAreListedNewestFirstWithTheirFieldsIntact},
		{"ConcurrentAddsGetUniqueIDs", concurrentAddsGetUniqueIDs},
		{"HandleMarksOneReportAndNotTheOthers", handleMarksOneReportAndNotTheOthers},
		{"HandlingAnUnknownIDFailsAndChangesNothing", handlingAnUnknownIDFailsAndChangesNothing},
		{"ACommentOf1000CharactersIsStoredWhole", aCommentOf1000CharactersIsStoredWhole},
		{"ReportsLiveApartFromLogsAndAllowances", reportsLiveApartFromLogsAndAllowances},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, r := reports(t)
			tc.fn(t, s, r)
		})
	}
}

// ConcurrentReports is how many reports the suite adds at once, all in the same millisecond.
const ConcurrentReports = 20

func report(question string, at time.Time, reason syncproto.Reason, comment string) syncstore.Report {
	return syncstore.Report{At: at, Question: question, Bank: "2026.12.1", Answer: "B. Ask the data owner", Reason: reason, Comment: comment}
}

func addReport(t *testing.T, r syncstore.Reports, rep syncstore.Report) string {
	t.Helper()
	id, err := r.AddReport(ctx, rep)
	if err != nil {
		t.Fatalf("AddReport(%s): %v", rep.Question, err)
	}
	if id == "" {
		t.Fatalf("AddReport(%s) gave no id", rep.Question)
	}
	return id
}

func listReports(t *testing.T, r syncstore.Reports) []syncstore.Report {
	t.Helper()
	got, err := r.ListReports(ctx)
	if err != nil {
		t.Fatalf("ListReports: %v", err)
	}
	return got
}

// sameReport compares everything but the id, and times by Equal.
func sameReport(got, want syncstore.Report) bool {
	return got.At.Equal(want.At) && got.Handled.Equal(want.Handled) && got.Question == want.Question && got.Bank == want.Bank &&
		got.Answer == want.Answer && got.Reason == want.Reason && got.Comment == want.Comment
}

func anEmptyStoreListsNoReports(t *testing.T, _ syncstore.Store, r syncstore.Reports) {
	if got := listReports(t, r); len(got) != 0 {
		t.Fatalf("an empty store lists %d reports", len(got))
	}
}

func addedReportsAreListedNewestFirstWithTheirFieldsIntact(t *testing.T, _ syncstore.Store, r syncstore.Reports) {
	// Added out of time order: the list is in the reports' order, not the adds'.
	middle := report("3.1-019", T0.Add(time.Hour), syncproto.ReasonKeyWrong, "Ça dépend — 日本語 ✓ 🙂\nsecond line, \"quoted\"")
	oldest := report("1.1-001", T0, syncproto.ReasonTypo, "")
	oldest.Answer = ""
	newest := report("6.12-1234", T0.Add(2*time.Hour+123*time.Millisecond), syncproto.ReasonOther, "x")
	newest.ID, newest.Handled = "ignored", T0 // the store gives the id, and a new report is not handled
	ids := map[string]string{}
	for _, rep := range []syncstore.Report{middle, oldest, newest} {
		ids[rep.Question] = addReport(t, r, rep)
	}
	newest.Handled = time.Time{}
	got := listReports(t, r)
	want := []syncstore.Report{newest, middle, oldest}
	if len(got) != len(want) {
		t.Fatalf("ListReports = %d reports; want %d", len(got), len(want))
	}
	for i, w := range want {
		if !sameReport(got[i], w) || got[i].ID != ids[w.Question] {
			t.Errorf("report %d = %+v; want %+v with id %s", i, got[i], w, ids[w.Question])
		}
	}
	if got[0].ID == got[1].ID || got[1].ID == got[2].ID || got[0].ID == "ignored" {
		t.Errorf("ids %s %s %s are not the store's own, unique ids", got[0].ID, got[1].ID, got[2].ID)
	}
	for i := 1; i < len(got); i++ {
		newer, _ := syncstore.ParseReportID(got[i-1].ID)
		older, _ := syncstore.ParseReportID(got[i].ID)
		if newer <= older {
			t.Errorf("id %s of a newer report does not order after %s", got[i-1].ID, got[i].ID)
		}
	}
}

func concurrentAddsGetUniqueIDs(t *testing.T, _ syncstore.Store, r syncstore.Reports) {
	var wg sync.WaitGroup
	ids := make(chan string, ConcurrentReports)
	errs := make(chan error, ConcurrentReports)
	for i := range ConcurrentReports {
		wg.Go(func() {
			id, err := r.AddReport(ctx, report(fmt.Sprintf("2.1-%03d", i), T0, syncproto.ReasonTypo, ""))
			if err != nil {
				errs <- err
				return
			}
			ids <- id
		})
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("id %s given to two reports", id)
		}
		seen[id] = true
	}
	got := listReports(t, r)
	if len(got) != ConcurrentReports {
		t.Fatalf("%d concurrent adds left %d reports", ConcurrentReports, len(got))
	}
	questions := map[string]bool{}
	for _, rep := range got {
		if !seen[rep.ID] {
			t.Errorf("listed id %s was not given by an add", rep.ID)
		}
		questions[rep.Question] = true
	}
	if len(questions) != ConcurrentReports {
		t.Errorf("the list holds %d distinct questions; want %d", len(questions), ConcurrentReports)
	}
}

func handleMarksOneReportAndNotTheOthers(t *testing.T, _ syncstore.Store, r syncstore.Reports) {
	var ids []string
	for i := range 3 {
		ids = append(ids, addReport(t, r, report(fmt.Sprintf("4.%d-001", i+1), T0.Add(time.Duration(i)*time.Minute), syncproto.ReasonOutdated, "old law")))
	}
	at := T0.Add(24*time.Hour + 500*time.Millisecond)
	if err := r.HandleReport(ctx, ids[1], at); err != nil {
		t.Fatalf("HandleReport: %v", err)
	}
	for _, rep := range listReports(t, r) {
		want := report(rep.Question, rep.At, syncproto.ReasonOutdated, "old law")
		if rep.ID == ids[1] {
			want.Handled = at
		}
		if !sameReport(rep, want) {
			t.Errorf("after handling %s: %s = %+v; want %+v", ids[1], rep.ID, rep, want)
		}
	}
}

func handlingAnUnknownIDFailsAndChangesNothing(t *testing.T, _ syncstore.Store, r syncstore.Reports) {
	id := addReport(t, r, report("5.1-001", T0, syncproto.ReasonOther, ""))
	n, _ := syncstore.ParseReportID(id)
	for _, unknown := range []string{syncstore.ReportID(n + 1), syncstore.ReportID(n - 1), "1", "", "abc", "0" + id, id + " ", "-" + id} {
		if err := r.HandleReport(ctx, unknown, T0); !errors.Is(err, syncstore.ErrNoReport) {
			t.Errorf("HandleReport(%q) = %v; want ErrNoReport", unknown, err)
		}
	}
	got := listReports(t, r)
	if len(got) != 1 || got[0].ID != id || !got[0].Handled.IsZero() {
		t.Fatalf("after handling unknown ids the store lists %+v; want the one report, not handled", got)
	}
}

func aCommentOf1000CharactersIsStoredWhole(t *testing.T, _ syncstore.Store, r syncstore.Reports) {
	// Four bytes each: 4,000 bytes of comment, with a character that UTF-16 splits in two.
	comment := strings.Repeat("🙂", syncproto.MaxReportComment-1) + "!"
	answer := strings.Repeat("ñ", syncproto.MaxReportAnswer)
	rep := report("3.2-100", T0, syncproto.ReasonExplanation, comment)
	rep.Answer = answer
	addReport(t, r, rep)
	got := listReports(t, r)
	if len(got) != 1 || got[0].Comment != comment || got[0].Answer != answer {
		t.Fatalf("a comment of %d characters came back as %d characters", syncproto.MaxReportComment, utf8.RuneCountInString(got[0].Comment))
	}
}

func reportsLiveApartFromLogsAndAllowances(t *testing.T, s syncstore.Store, r syncstore.Reports) {
	register(t, s, id(1))
	appendAt(t, s, id(1), T0, batch("a", 40))
	if !take(t, s, "reports", 1, T0.Add(time.Hour), T0) {
		t.Fatal("Take refused its first use")
	}
	rep := addReport(t, r, report("1.2-003", T0, syncproto.ReasonTwoRight, ""))
	if got := listReports(t, r); len(got) != 1 || got[0].ID != rep {
		t.Fatalf("ListReports beside a log and an allowance = %+v; want the one report", got)
	}
	if got := all(t, s, id(1)); len(got) != 1 {
		t.Fatalf("the log holds %d batches after a report; want 1", len(got))
	}
	if l := lookup(t, s, id(1), T0); l.Bytes != 40 {
		t.Fatalf("the log counts %d bytes after a report; want 40", l.Bytes)
	}
	if take(t, s, "reports", 1, T0.Add(time.Hour), T0) {
		t.Fatal("a report reset an allowance")
	}
}
