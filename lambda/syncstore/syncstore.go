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
