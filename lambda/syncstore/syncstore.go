// Package syncstore defines where the sync service keeps each log: the hash of its token, and its
// sealed batches numbered 1, 2, 3... with no gaps. The service never opens a batch. Two
// implementations pass one conformance suite (syncstore/storetest): DynamoDB on AWS
// (syncstore/dynamostore) and bbolt on the local machine (syncstore/boltstore).
//
// What a store holds is bounded: each log holds at most Limits.LogBytes of batches, a log nobody
// has written to for Limits.Idle is deleted, and Take keeps the counters that bound how many logs
// are made.
package syncstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/issmp-study/issmp/syncproto"
)

// Store keeps sync logs.
type Store interface {
	// Register records a new log with the hash of its token, at now. When the log exists already
	// it changes nothing and returns the log as it is, for the caller to compare the hash.
	Register(ctx context.Context, id string, tokenHash []byte, now time.Time) (Log, error)
	// Lookup returns a log; ok is false for a log that was never registered or has expired.
	Lookup(ctx context.Context, id string, now time.Time) (log Log, ok bool, err error)
	// Append stores batches as the log's next sequence numbers, all or none, and returns the
	// first number given. Concurrent appends never lose a batch or leave a gap: each batch is
	// stored exactly once. A number is never given twice, not even after stored data is damaged.
	// Each append keeps the log alive for Limits.Idle from now.
	Append(ctx context.Context, id string, batches [][]byte, now time.Time) (first int64, err error)
	// After returns the batches numbered above after, in order: at most limit of them and, past
	// the first, at most maxBytes of data. more is true when further batches exist.
	After(ctx context.Context, id string, after int64, limit, maxBytes int) (batches []syncproto.Batch, more bool, err error)
	// Take counts one use of the allowance named key, which allows limit uses until it expires
	// (callers put the window in the key, e.g. "register/all/2026-12-07"). It reports false, and
	// counts nothing, once the allowance is spent. Concurrent takes never allow more than limit.
	Take(ctx context.Context, key string, limit int, expires, now time.Time) (bool, error)
}

// Log is what a store knows of a log besides its batches.
type Log struct {
	TokenHash []byte
	// Epoch names this registration of the id. It changes when an expired log's id is
	// registered again, so a device holding a cursor into the old log knows to start over.
	Epoch string
	// Bytes is the size of the batches the log holds, counted against Limits.LogBytes.
	Bytes int64
	// Expires is when the log is deleted unless it is written to before then.
	Expires time.Time
}

// Limits bound what a store holds.
type Limits struct {
	LogBytes int64         // the batches one log may hold, in bytes
	Idle     time.Duration // how long a log lives after its last append
}

// DefaultLimits are the service's limits: docs/SYNC.md and docs/COST.md explain them.
var DefaultLimits = Limits{LogBytes: 16 << 20, Idle: 120 * 24 * time.Hour}

// MaxItemBytes is the largest batch a store must take: the protocol's limit.
const MaxItemBytes = syncproto.MaxBatchBytes

// ErrUnknown is returned by Append for a log that was never registered, or has expired.
var ErrUnknown = errors.New("syncstore: unknown log")

// ErrTooLarge is returned by Append for a batch over MaxItemBytes.
var ErrTooLarge = errors.New("syncstore: batch larger than the store takes")

// ErrQuota is returned by Append when the batches would take the log over Limits.LogBytes.
var ErrQuota = errors.New("syncstore: the log is full")

// ErrBusy is returned when a write lost too many races in a row; the caller may retry later.
var ErrBusy = errors.New("syncstore: too many concurrent writes to one log, try again")

// ErrCorrupt is wrapped when stored data is damaged (a key or attribute that does not decode).
// Nothing is written over it: the caller answers an error and the data waits for an operator.
var ErrCorrupt = errors.New("syncstore: stored data is damaged")

// Report is a candidate's report of a problem with a question. It holds nothing that identifies
// the candidate: no address, no sync id, no device.
type Report struct {
	ID       string // given by the store: unique, and ordered by At
	At       time.Time
	Question string // the question's id, e.g. "3.1-019"
	Bank     string // the version of the bank the app showed the question from
	Answer   string // the candidate's answer as text
	Reason   syncproto.Reason
	Comment  string
	Handled  time.Time // when the maintainer dealt with it; zero if not yet
}

// Reports keeps reports. A store that implements it lets the sync API take them (POST
// /api/report); the maintainer lists and handles them with cmd/reports. Reports never expire.
type Reports interface {
	// AddReport stores r (its ID and Handled are ignored) and returns the id it gave the report:
	// unique even among concurrent adds, and ordered by r.At.
	AddReport(ctx context.Context, r Report) (id string, err error)
	// ListReports returns every report, newest first. There are few: no paging.
	ListReports(ctx context.Context) ([]Report, error)
	// HandleReport marks the report handled at at. An unknown id is an error wrapping ErrNoReport.
	HandleReport(ctx context.Context, id string, at time.Time) error
}

// ErrNoReport is wrapped by HandleReport for an id the store does not hold.
var ErrNoReport = errors.New("syncstore: no such report")

// ReportIDs is how both stores number reports, so that an id reads the same whichever store gave
// it: the report's time in Unix milliseconds times ReportIDs, plus a number below ReportIDs that
// sets apart reports of the same millisecond. Ordered by number, ids are ordered by time.
const ReportIDs = 1_000_000

// maxReportMilli is the last millisecond whose report numbers fit in an int64 (in 2262).
const maxReportMilli = (1<<63 - 1 - (ReportIDs - 1)) / ReportIDs

// ReportNumber is the number of a report made at at, set apart from others of the same
// millisecond by n (0 ≤ n < ReportIDs).
func ReportNumber(at time.Time, n int64) (int64, error) {
	ms := at.UnixMilli()
	if ms <= 0 || ms > maxReportMilli || n < 0 || n >= ReportIDs {
		return 0, fmt.Errorf("syncstore: a report at %v (%d) cannot be numbered: the clock is wrong", at, n)
	}
	return ms*ReportIDs + n, nil
}

// ReportID is how a report's number is written: in decimal.
func ReportID(number int64) string { return strconv.FormatInt(number, 10) }

// ParseReportID reads a report id; ok is false for anything ReportID does not write.
func ParseReportID(id string) (number int64, ok bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || ReportID(n) != id {
		return 0, false
	}
	return n, true
}
