// Command reports shows the maintainer the candidates' reports of problems with questions, and
// marks them handled:
//
//	go run ./cmd/reports [-db build/sync.db | -table NAME] [list | handle ID]
//
// list (the default) prints the reports grouped by question, the question with the newest report
// first; handle marks one report handled. -db reads the bbolt file the local server writes (stop
// `make serve` first: it holds the file's lock); -table reads the DynamoDB table on AWS with the
// default AWS configuration, the operator's own credentials (AWS_ENDPOINT_URL points it at
// DynamoDB Local).
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/lambda/syncstore/dynamostore"
	"github.com/issmp-study/issmp/syncproto"
	bolt "go.etcd.io/bbolt"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], time.Now(), os.Stdout, os.Stderr))
}

const usage = "usage: reports [-db FILE | -table NAME] [list | handle ID]"

// run carries out the command line args at now and returns the exit code: 0, 1 when the command
// failed, 2 when it was used wrongly.
func run(ctx context.Context, args []string, now time.Time, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", "build/sync.db", "the local server's bbolt file")
	table := fs.String("table", "", "the DynamoDB table on AWS (the stack's SyncTable output) instead of the local file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dbSet := false
	fs.Visit(func(f *flag.Flag) { dbSet = dbSet || f.Name == "db" })
	if dbSet && *table != "" {
		fmt.Fprintln(stderr, "reports: give -db or -table, not both")
		return 2
	}
	cmd := fs.Args()
	switch {
	case len(cmd) == 0, len(cmd) == 1 && cmd[0] == "list":
	case len(cmd) == 2 && cmd[0] == "handle":
	default:
		fmt.Fprintln(stderr, usage)
		return 2
	}

	store, closeStore, err := open(ctx, *dbPath, *table, now)
	if err != nil {
		fmt.Fprintln(stderr, "reports:", err)
		return 1
	}
	defer closeStore()
	if len(cmd) == 2 {
		err = handle(ctx, store, cmd[1], now, stdout)
	} else {
		err = list(ctx, store, stdout)
	}
	var missing *noReport
	if err != nil && *table != "" && !errors.As(err, &missing) {
		err = fmt.Errorf("%w: check the table's name (the stack's SyncTable output), and your AWS credentials and region", err)
	}
	if err != nil {
		fmt.Fprintln(stderr, "reports:", err)
		return 1
	}
	return 0
}

// noReport is handle's answer for an id the store does not hold.
type noReport struct{ id string }

func (e *noReport) Error() string {
	return fmt.Sprintf("there is no report %s: list the reports to see their ids", clean(e.id))
}

// open opens the bbolt file at dbPath, or the DynamoDB table when table is set.
func open(ctx context.Context, dbPath, table string, now time.Time) (syncstore.Reports, func(), error) {
	if table != "" {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("the AWS configuration: %w (set AWS_PROFILE or AWS_REGION and credentials)", err)
		}
		var seed [16]byte
		_, _ = rand.Read(seed[:])
		rng := mrand.New(mrand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
		return dynamostore.New(dynamodb.NewFromConfig(cfg), table, rng, syncstore.DefaultLimits), func() {}, nil
	}
	// Opening creates a missing file: say where the file comes from instead.
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("%s does not exist: the local server (make serve) creates it; run this from the repository's folder, or name the file with -db", dbPath)
	}
	s, err := boltstore.Open(dbPath, syncstore.DefaultLimits, now)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, nil, fmt.Errorf("%s is in use by the local server: stop make serve first (Ctrl+C where it runs), then run this again", dbPath)
	}
	if err != nil {
		return nil, nil, err
	}
	return s, func() { _ = s.Close() }, nil
}

func handle(ctx context.Context, store syncstore.Reports, id string, now time.Time, out io.Writer) error {
	err := store.HandleReport(ctx, id, now)
	if errors.Is(err, syncstore.ErrNoReport) {
		return &noReport{id}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Report %s is marked handled.\n", id)
	return nil
}

func list(ctx context.Context, store syncstore.Reports, out io.Writer) error {
	reports, err := store.ListReports(ctx)
	if err != nil {
		return err
	}
	printReports(out, reports)
	return nil
}

// printReports writes reports (newest first) grouped by question, the question with the newest
// report first: a heading with the question's count and its counts by reason, then each report.
func printReports(out io.Writer, reports []syncstore.Report) {
	if len(reports) == 0 {
		fmt.Fprintln(out, "No reports.")
		return
	}
	var questions []string
	byQuestion := map[string][]syncstore.Report{}
	unhandled := 0
	for _, r := range reports {
		if _, seen := byQuestion[r.Question]; !seen {
			questions = append(questions, r.Question)
		}
		byQuestion[r.Question] = append(byQuestion[r.Question], r)
		if r.Handled.IsZero() {
			unhandled++
		}
	}
	for _, q := range questions {
		group := byQuestion[q]
		fmt.Fprintf(out, "%s: %s (%s)\n", clean(q), plural(len(group), "report"), reasonCounts(group))
		for _, r := range group {
			line := fmt.Sprintf("  %s  %s  %s  bank %s", r.ID, day(r.At), reasonText(r.Reason), clean(r.Bank))
			if !r.Handled.IsZero() {
				line += "  handled " + day(r.Handled)
			}
			fmt.Fprintln(out, line)
			answer := "(none)"
			if r.Answer != "" {
				answer = clean(r.Answer)
			}
			fmt.Fprintf(out, "    answer:  %s\n", answer)
			if r.Comment != "" {
				fmt.Fprintf(out, "    comment: %s\n", strings.Join(lines(r.Comment), "\n             "))
			}
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "%s on %s, %d not handled.\n", plural(len(reports), "report"), plural(len(questions), "question"), unhandled)
}

// reasonCounts counts a question's reports by reason, in the app's order of reasons.
func reasonCounts(group []syncstore.Report) string {
	counts := map[syncproto.Reason]int{}
	for _, r := range group {
		counts[r.Reason]++
	}
	var newer []syncproto.Reason // reasons of a newer version, shown by their codes
	for r := range counts {
		if !r.Valid() {
			newer = append(newer, r)
		}
	}
	slices.Sort(newer)
	var parts []string
	for _, r := range append(slices.Clone(syncproto.Reasons), newer...) {
		if n := counts[r]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", reasonText(r), n))
		}
	}
	return strings.Join(parts, ", ")
}

func reasonText(r syncproto.Reason) string {
	if s := r.Sentence(); s != "" {
		return s
	}
	return clean(string(r))
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// lines splits a comment into its lines, each made safe to print.
func lines(s string) []string {
	parts := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, p := range parts {
		parts[i] = clean(p)
	}
	return parts
}

// clean makes text a candidate typed safe for a terminal: a control or format character (an
// escape sequence, a right-to-left override) is shown as its code instead of acting on the
// screen.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == ' ' || unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}
