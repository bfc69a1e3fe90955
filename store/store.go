// Package store defines where a device keeps its progress log: the events, by id, and a few named
// values (the device id, the newest id written, the sync cursor). The browser keeps it in
// IndexedDB (store/idbstore); tests and browsers without IndexedDB use memory (store/memstore).
// One conformance suite (store/storetest) runs against every implementation.
package store

import (
	"context"
	"errors"

	"github.com/issmp-study/issmp/quiz"
)

// Store holds a device's progress log.
type Store interface {
	// Append writes events durably: when it returns without error, they survive a crash or a
	// closed tab. Writing an event whose id is already stored stores it once.
	Append(ctx context.Context, events []quiz.Event) error
	// Events returns every readable event sorted by id (as quiz.SortLog does), and the records it
	// could not read. Unreadable records are reported, never deleted: nothing already stored is
	// lost because one record is corrupt.
	Events(ctx context.Context) ([]quiz.Event, []Unreadable, error)
	// Get returns a named value; ok is false when it was never set.
	Get(ctx context.Context, key string) (value string, ok bool, err error)
	// Put sets a named value.
	Put(ctx context.Context, key, value string) error
	// Close releases the store.
	Close() error
}

// Raw is implemented by stores that can write a record as given, bypassing encoding: the
// conformance suite uses it to plant a corrupt record.
type Raw interface {
	PutRaw(ctx context.Context, key string, data []byte) error
}

// Unreadable is a stored record that does not decode as an event.
type Unreadable struct {
	Key string
	Err error
}

// Names of the values a device keeps beside its events.
const (
	KeyDevice = "device"  // this device's id (quiz.NewDeviceID)
	KeyLastID = "last-id" // the newest event id this device wrote
)

// ErrClosed is returned by a store used after Close.
var ErrClosed = errors.New("store: closed")
