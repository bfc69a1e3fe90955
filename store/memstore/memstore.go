// Package memstore is a Store in memory: for tests, and for browsers where IndexedDB is not
// available (private windows of some browsers), where progress lasts as long as the page.
package memstore

import (
	"context"
	"encoding/json"
	"sort"
	"sync"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/store"
)

// DB holds named stores, so that a test can close a store and open it again by name.
type DB struct {
	mu    sync.Mutex
	named map[string]*data
}

type data struct {
	records map[string][]byte
	values  map[string]string
}

// NewDB returns an empty set of stores.
func NewDB() *DB { return &DB{named: map[string]*data{}} }

// Open opens (creating if needed) the store with the given name.
func (db *DB) Open(name string) *Store {
	db.mu.Lock()
	defer db.mu.Unlock()
	d := db.named[name]
	if d == nil {
		d = &data{records: map[string][]byte{}, values: map[string]string{}}
		db.named[name] = d
	}
	return &Store{db: db, d: d}
}

// New returns a fresh store of its own.
func New() *Store { return NewDB().Open("progress") }

// Store is one open store.
type Store struct {
	db     *DB
	d      *data
	closed bool
}

var _ store.Store = (*Store)(nil)

func (s *Store) lock() error {
	s.db.mu.Lock()
	if s.closed {
		s.db.mu.Unlock()
		return store.ErrClosed
	}
	return nil
}

// Append implements store.Store.
func (s *Store) Append(ctx context.Context, events []quiz.Event) error {
	encoded := make(map[string][]byte, len(events))
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		encoded[e.ID] = b
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.db.mu.Unlock()
	for id, b := range encoded {
		s.d.records[id] = b
	}
	return nil
}

// PutRaw implements store.Raw.
func (s *Store) PutRaw(ctx context.Context, key string, data []byte) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.db.mu.Unlock()
	s.d.records[key] = append([]byte(nil), data...)
	return nil
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context) ([]quiz.Event, []store.Unreadable, error) {
	if err := s.lock(); err != nil {
		return nil, nil, err
	}
	keys := make([]string, 0, len(s.d.records))
	for k := range s.d.records {
		keys = append(keys, k)
	}
	records := make([][]byte, len(keys))
	sort.Strings(keys)
	for i, k := range keys {
		records[i] = s.d.records[k]
	}
	s.db.mu.Unlock()
	var events []quiz.Event
	var bad []store.Unreadable
	for i, r := range records {
		e, err := quiz.DecodeEvent(r)
		if err != nil {
			bad = append(bad, store.Unreadable{Key: keys[i], Err: err})
			continue
		}
		events = append(events, e)
	}
	return quiz.SortLog(events), bad, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, key string) (string, bool, error) {
	if err := s.lock(); err != nil {
		return "", false, err
	}
	defer s.db.mu.Unlock()
	v, ok := s.d.values[key]
	return v, ok, nil
}

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, key, value string) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.db.mu.Unlock()
	s.d.values[key] = value
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	s.closed = true
	return nil
}
