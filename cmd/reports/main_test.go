package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/issmp-study/issmp/internal/dynamolocal"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/lambda/syncstore/dynamostore"
	"github.com/issmp-study/issmp/syncproto"
)

var t0 = time.Date(2031, 3, 14, 9, 26, 53, 0, time.UTC)

// sample are the reports the tests store, oldest first: 3.1-019 twice, then 1.1-001 with the
// newest report, and 3.1-019 again before it.
func sample() []syncstore.Report {
	return []syncstore.Report{
		{At: t0, Question: "3.1-019", Bank: "2026.12.1", Answer: "B. Ask the data owner", Reason: syncproto.ReasonKeyWrong, Comment: "The notes say C."},
		{At: t0.Add(time.Hour), Question: "3.1-019", Bank: "2026.12.1", Answer: "", Reason: syncproto.ReasonTypo},
		{At: t0.Add(2 * time.Hour), Question: "3.1-019", Bank: "2026.12.2", Answer: "C", Reason: syncproto.ReasonKeyWrong, Comment: "still wrong"},
		{At: t0.Add(26 * time.Hour), Question: "1.1-001", Bank: "2026.12.2", Answer: "A", Reason: syncproto.ReasonOutdated,
			Comment: "Ça dépend — 日本語\nthe 2024 edition changed it \x1b[31mred\x1b[0m \u202eevil"},
	}
}

// seed adds the sample reports to s and returns their ids in the same order.
func seed(t *testing.T, s syncstore.Reports) []string {
	t.Helper()
	var ids []string
	for _, r := range sample() {
		id, err := s.AddReport(t.Context(), r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// boltFile writes the sample reports to a bbolt file through the store, closes it, and returns
// its path and the reports' ids.
func boltFile(t *testing.T) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sync.db")
	s, err := boltstore.Open(path, syncstore.DefaultLimits, t0)
	if err != nil {
		t.Fatal(err)
	}
	ids := seed(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

func runCmd(t *testing.T, now time.Time, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, now, &out, &errb)
	return code, out.String(), errb.String()
}

// want is the list of the sample reports, with report 1 (3.1-019's typo) handled when handled.
func want(ids []string, handled bool) string {
	typo := "  " + ids[1] + "  2031-03-14 10:26 UTC  A typo  bank 2026.12.1"
	if handled {
		typo += "  handled 2031-03-16 08:00 UTC"
	}
	unhandled := 4
	if handled {
		unhandled = 3
	}
	return strings.Join([]string{
		"1.1-001: 1 report (Out of date 1)",
		"  " + ids[3] + "  2031-03-15 11:26 UTC  Out of date  bank 2026.12.2",
		"    answer:  A",
		`    comment: Ça dépend — 日本語`,
		`             the 2024 edition changed it \u001b[31mred\u001b[0m \u202eevil`,
		"",
		"3.1-019: 3 reports (The key looks wrong 2, A typo 1)",
		"  " + ids[2] + "  2031-03-14 11:26 UTC  The key looks wrong  bank 2026.12.2",
		"    answer:  C",
		"    comment: still wrong",
		typo,
		"    answer:  (none)",
		"  " + ids[0] + "  2031-03-14 09:26 UTC  The key looks wrong  bank 2026.12.1",
		"    answer:  B. Ask the data owner",
		"    comment: The notes say C.",
		"",
		"4 reports on 2 questions, " + string(rune('0'+unhandled)) + " not handled.",
		"",
	}, "\n")
}

func TestListGroupsABoltFilesReportsByQuestionNewestFirst(t *testing.T) {
	path, ids := boltFile(t)
	for _, args := range [][]string{{"-db", path}, {"-db", path, "list"}} {
		code, out, errs := runCmd(t, t0, args...)
		if code != 0 || out != want(ids, false) {
			t.Fatalf("reports %v = exit %d, stderr %q, out:\n%s\nwant:\n%s", args, code, errs, out, want(ids, false))
		}
	}
}

func TestHandleMarksOneReportHandledInABoltFile(t *testing.T) {
	path, ids := boltFile(t)
	at := time.Date(2031, 3, 16, 8, 0, 0, 0, time.UTC)
	code, out, errs := runCmd(t, at, "-db", path, "handle", ids[1])
	if code != 0 || out != "Report "+ids[1]+" is marked handled.\n" {
		t.Fatalf("handle = exit %d, %q, stderr %q", code, out, errs)
	}
	if code, out, _ := runCmd(t, at, "-db", path); code != 0 || out != want(ids, true) {
		t.Fatalf("list after handle = exit %d:\n%s\nwant:\n%s", code, out, want(ids, true))
	}
	s, err := boltstore.Open(path, syncstore.DefaultLimits, at)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.ListReports(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		if handled := !r.Handled.IsZero(); handled != (r.ID == ids[1]) || (handled && !r.Handled.Equal(at)) {
			t.Errorf("report %s handled %v; want only %s, at %v", r.ID, r.Handled, ids[1], at)
		}
	}
}

func TestHandleOfAnUnknownReportSaysSoAndFails(t *testing.T) {
	path, _ := boltFile(t)
	code, _, errs := runCmd(t, t0, "-db", path, "handle", "42")
	if code != 1 || !strings.Contains(errs, "there is no report 42: list the reports") {
		t.Fatalf("handle 42 = exit %d, stderr %q", code, errs)
	}
}

func TestAFileTheServerHoldsSaysToStopTheServerFirst(t *testing.T) {
	path, _ := boltFile(t)
	s, err := boltstore.Open(path, syncstore.DefaultLimits, t0) // as make serve holds it
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code, _, errs := runCmd(t, t0, "-db", path)
	if code != 1 || !strings.Contains(errs, "stop make serve first") {
		t.Fatalf("list of a held file = exit %d, stderr %q", code, errs)
	}
}

func TestAMissingFileIsNotCreatedAndSaysWhereItComesFrom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sync.db")
	code, _, errs := runCmd(t, t0, "-db", path)
	if code != 1 || !strings.Contains(errs, "does not exist: the local server (make serve) creates it") {
		t.Fatalf("list of a missing file = exit %d, stderr %q", code, errs)
	}
	if code, _, _ := runCmd(t, t0, "-db", path); code != 1 {
		t.Error("the first run created the file")
	}
}

func TestAnEmptyStoreListsNoReports(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sync.db")
	s, err := boltstore.Open(path, syncstore.DefaultLimits, t0)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, out, _ := runCmd(t, t0, "-db", path); code != 0 || out != "No reports.\n" {
		t.Fatalf("list of an empty file = exit %d, %q", code, out)
	}
}

func TestWrongUseShowsTheUsage(t *testing.T) {
	for _, args := range [][]string{{"handle"}, {"remove", "1"}, {"list", "extra"}, {"-db", "x", "-table", "y"}, {"-nope"}} {
		if code, _, errs := runCmd(t, t0, args...); code != 2 || !strings.Contains(errs, "-table") {
			t.Errorf("reports %v = exit %d, stderr %q; want 2 and the usage", args, code, errs)
		}
	}
}

func TestListAndHandleOnDynamoDBLocal(t *testing.T) {
	endpoint := dynamolocal.Start(t)
	db := dynamodb.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
	if err := dynamostore.CreateTable(context.Background(), db, "issmp-sync"); err != nil {
		t.Fatal(err)
	}
	ids := seed(t, dynamostore.New(db, "issmp-sync", rand.New(rand.NewPCG(1, 2)), syncstore.DefaultLimits))
	// The default AWS configuration, as an operator's shell would give it, pointed at DynamoDB
	// Local, and reading none of this machine's AWS files.
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
		"AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
	} {
		t.Setenv(k, v)
	}
	if code, out, errs := runCmd(t, t0, "-table", "issmp-sync"); code != 0 || out != want(ids, false) {
		t.Fatalf("list = exit %d, stderr %q:\n%s\nwant:\n%s", code, errs, out, want(ids, false))
	}
	at := time.Date(2031, 3, 16, 8, 0, 0, 0, time.UTC)
	if code, _, errs := runCmd(t, at, "-table", "issmp-sync", "handle", ids[1]); code != 0 {
		t.Fatalf("handle = exit %d, stderr %q", code, errs)
	}
	if code, out, errs := runCmd(t, at, "-table", "issmp-sync", "list"); code != 0 || out != want(ids, true) {
		t.Fatalf("list after handle = exit %d, stderr %q:\n%s\nwant:\n%s", code, errs, out, want(ids, true))
	}
	if code, _, errs := runCmd(t, at, "-table", "issmp-sync", "handle", "42"); code != 1 || !strings.Contains(errs, "there is no report 42: list the reports") {
		t.Fatalf("handle 42 = exit %d, stderr %q", code, errs)
	}
	if code, _, errs := runCmd(t, at, "-table", "no-such-table"); code != 1 || !strings.Contains(errs, "check the table's name") {
		t.Fatalf("list of a missing table = exit %d, stderr %q", code, errs)
	}
}
