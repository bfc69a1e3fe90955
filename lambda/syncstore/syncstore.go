// Package syncstore defines where the sync service keeps each log: the hash of its token, and its
// sealed batches numbered 1, 2, 3... with no gaps. The service never opens a batch. Two
// implementations pass one conformance suite (syncstore/storetest): DynamoDB on AWS
// (syncstore/dynamostore) and bbolt on the local machine (syncstore/boltstore).
package syncstore

import (
	"context"
	"errors"

	"github.com/issmp-study/issmp/syncproto"
)

// Store keeps sync logs.
type Store interface {
	// Register records the token hash of a new log. When the log exists already it changes
	// nothing and returns the hash it was registered with, for the caller to compare.
	Register(ctx context.Context, id string, tokenHash []byte) (stored []byte, err error)
	// TokenHash returns the hash a log was registered with; ok is false for an unknown log.
	TokenHash(ctx context.Context, id string) (hash []byte, ok bool, err error)
	// Append stores batches as the log's next sequence numbers, all or none, and returns the
	// first number given. Concurrent appends never lose a batch or leave a gap: each batch is
	// stored exactly once.
	Append(ctx context.Context, id string, batches [][]byte) (first int64, err error)
	// After returns the batches numbered above after, in order: at most limit of them and, past
	// the first, at most maxBytes of data. more is true when further batches exist.
	After(ctx context.Context, id string, after int64, limit, maxBytes int) (batches []syncproto.Batch, more bool, err error)
}

// MaxItemBytes is the largest batch a store must take: the protocol's limit.
const MaxItemBytes = syncproto.MaxBatchBytes

// ErrUnknown is returned by Append for a log that was never registered.
var ErrUnknown = errors.New("syncstore: unknown log")

// ErrTooLarge is returned by Append for a batch over MaxItemBytes.
var ErrTooLarge = errors.New("syncstore: batch larger than the store takes")

// ErrBusy is returned when a write lost too many races in a row; the caller may retry later.
var ErrBusy = errors.New("syncstore: too many concurrent writes to one log, try again")
