//go:build js && wasm

// Package idbstore keeps the progress log in the browser's IndexedDB (with go-indexeddb): one
// record per event, keyed by its id, holding its JSON; and a store of named values.
package idbstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/store"
)

const (
	version     = 1
	eventsStore = "events"
	valuesStore = "values"
)

// Store is an open IndexedDB database.
type Store struct {
	mu     sync.Mutex
	db     *idb.Database
	closed bool
}

var _ store.Store = (*Store)(nil)

// Open opens (creating or upgrading as needed) the database with the given name.
func Open(ctx context.Context, name string) (s *Store, err error) {
	defer func() {
		// go-indexeddb panics where the browser has no IndexedDB at all.
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("IndexedDB is not available in this browser: %v", r)
		}
	}()
	req, err := idb.Global().Open(ctx, name, version, func(db *idb.Database, oldVersion, newVersion uint) error {
		if oldVersion < 1 {
			if _, err := db.CreateObjectStore(eventsStore, idb.ObjectStoreOptions{}); err != nil {
				return err
			}
			if _, err := db.CreateObjectStore(valuesStore, idb.ObjectStoreOptions{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("IndexedDB: opening %s: %w", name, err)
	}
	db, err := req.Await(ctx)
	if err != nil {
		return nil, fmt.Errorf("IndexedDB: opening %s: %w", name, err)
	}
	return &Store{db: db}, nil
}

func (s *Store) database() (*idb.Database, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	return s.db, nil
}

// put writes key/value pairs into one object store in one transaction and waits for it to commit.
func (s *Store) put(ctx context.Context, objectStore string, keys []string, values []js.Value) error {
	db, err := s.database()
	if err != nil {
		return err
	}
	txn, err := db.Transaction(idb.TransactionReadWrite, objectStore)
	if err != nil {
		return fmt.Errorf("IndexedDB: %w", err)
	}
	st, err := txn.ObjectStore(objectStore)
	if err != nil {
		return fmt.Errorf("IndexedDB: %w", err)
	}
	for i, k := range keys {
		if _, err := st.PutKey(js.ValueOf(k), values[i]); err != nil {
			_ = txn.Abort()
			return fmt.Errorf("IndexedDB: writing %s: %w", k, err)
		}
	}
	if err := txn.Await(ctx); err != nil {
		return fmt.Errorf("IndexedDB: the write did not complete: %w", err)
	}
	return nil
}

// Append implements store.Store: all events in one transaction, returning once it has committed.
func (s *Store) Append(ctx context.Context, events []quiz.Event) error {
	if len(events) == 0 {
		_, err := s.database()
		return err
	}
	keys := make([]string, len(events))
	values := make([]js.Value, len(events))
	for i, e := range events {
		b, err := e.MarshalJSON()
		if err != nil {
			return err
		}
		keys[i], values[i] = e.ID, js.ValueOf(string(b))
	}
	return s.put(ctx, eventsStore, keys, values)
}

// PutRaw implements store.Raw.
func (s *Store) PutRaw(ctx context.Context, key string, data []byte) error {
	return s.put(ctx, eventsStore, []string{key}, []js.Value{js.ValueOf(string(data))})
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context) ([]quiz.Event, []store.Unreadable, error) {
	db, err := s.database()
	if err != nil {
		return nil, nil, err
	}
	txn, err := db.Transaction(idb.TransactionReadOnly, eventsStore)
	if err != nil {
		return nil, nil, fmt.Errorf("IndexedDB: %w", err)
	}
	st, err := txn.ObjectStore(eventsStore)
	if err != nil {
		return nil, nil, fmt.Errorf("IndexedDB: %w", err)
	}
	cursor, err := st.OpenCursor(idb.CursorNext)
	if err != nil {
		return nil, nil, fmt.Errorf("IndexedDB: %w", err)
	}
	var events []quiz.Event
	var bad []store.Unreadable
	err = cursor.Iter(ctx, func(c *idb.CursorWithValue) error {
		key, err := c.Key()
		if err != nil {
			return err
		}
		value, err := c.Value()
		if err != nil {
			return err
		}
		k := key.String()
		if value.Type() != js.TypeString {
			bad = append(bad, store.Unreadable{Key: k, Err: fmt.Errorf("%w: the record is not text", quiz.ErrBadEvent)})
			return nil
		}
		e, err := quiz.DecodeEvent([]byte(value.String()))
		if err != nil {
			bad = append(bad, store.Unreadable{Key: k, Err: err})
			return nil
		}
		events = append(events, e)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("IndexedDB: reading progress: %w", err)
	}
	return quiz.SortLog(events), bad, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, key string) (string, bool, error) {
	db, err := s.database()
	if err != nil {
		return "", false, err
	}
	txn, err := db.Transaction(idb.TransactionReadOnly, valuesStore)
	if err != nil {
		return "", false, fmt.Errorf("IndexedDB: %w", err)
	}
	st, err := txn.ObjectStore(valuesStore)
	if err != nil {
		return "", false, fmt.Errorf("IndexedDB: %w", err)
	}
	req, err := st.Get(js.ValueOf(key))
	if err != nil {
		return "", false, fmt.Errorf("IndexedDB: %w", err)
	}
	v, err := req.Await(ctx)
	if err != nil {
		return "", false, fmt.Errorf("IndexedDB: reading %s: %w", key, err)
	}
	if v.Type() != js.TypeString {
		return "", false, nil
	}
	return v.String(), true, nil
}

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, key, value string) error {
	return s.put(ctx, valuesStore, []string{key}, []js.Value{js.ValueOf(value)})
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if err := s.db.Close(); err != nil {
		return errors.Join(store.ErrClosed, err)
	}
	return nil
}
