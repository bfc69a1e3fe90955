// Package boltstore keeps sync logs in a bbolt file on the local machine: what `make serve` uses.
// bbolt runs one write transaction at a time, so numbering a log's batches is a read of its last
// number and a write of the next ones in one transaction.
package boltstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
	bolt "go.etcd.io/bbolt"
)

// Store is an open bbolt file. The bucket "tokens" maps each log's id to its token hash; each log
// is a bucket named by its id holding its batches under 8-byte big-endian sequence numbers.
type Store struct {
	db *bolt.DB
}

var _ syncstore.Store = (*Store)(nil)

var tokens = []byte("tokens")

// Open opens or creates the file at path.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("sync store %s: %w (is another server using it?)", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(tokens)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("sync store %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Register implements syncstore.Store.
func (s *Store) Register(_ context.Context, id string, tokenHash []byte) ([]byte, error) {
	var stored []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		t := tx.Bucket(tokens)
		if h := t.Get([]byte(id)); h != nil {
			stored = append([]byte(nil), h...)
			return nil
		}
		if _, err := tx.CreateBucketIfNotExists([]byte(id)); err != nil {
			return err
		}
		stored = append([]byte(nil), tokenHash...)
		return t.Put([]byte(id), tokenHash)
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: register %s: %w", id, err)
	}
	return stored, nil
}

// TokenHash implements syncstore.Store.
func (s *Store) TokenHash(_ context.Context, id string) (hash []byte, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		if h := tx.Bucket(tokens).Get([]byte(id)); h != nil {
			hash, ok = append([]byte(nil), h...), true
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("boltstore: %s: %w", id, err)
	}
	return hash, ok, nil
}

func seqKey(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

// Append implements syncstore.Store.
func (s *Store) Append(_ context.Context, id string, batches [][]byte) (int64, error) {
	for _, data := range batches {
		if len(data) > syncstore.MaxItemBytes {
			return 0, syncstore.ErrTooLarge
		}
	}
	var first int64
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(id))
		if b == nil {
			return syncstore.ErrUnknown
		}
		last := int64(0)
		if k, _ := b.Cursor().Last(); len(k) == 8 {
			last = int64(binary.BigEndian.Uint64(k))
		}
		first = last + 1
		for i, data := range batches {
			if err := b.Put(seqKey(first+int64(i)), data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: append to %s: %w", id, err)
	}
	return first, nil
}

// After implements syncstore.Store.
func (s *Store) After(_ context.Context, id string, after int64, limit, maxBytes int) ([]syncproto.Batch, bool, error) {
	var out []syncproto.Batch
	more := false
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(id))
		if b == nil {
			return nil
		}
		size := 0
		c := b.Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil; k, v = c.Next() {
			if len(out) == limit || (len(out) > 0 && size+len(v) > maxBytes) {
				more = true
				return nil
			}
			out = append(out, syncproto.Batch{Seq: int64(binary.BigEndian.Uint64(k)), Data: append([]byte(nil), v...)})
			size += len(v)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("boltstore: read %s: %w", id, err)
	}
	return out, more, nil
}
