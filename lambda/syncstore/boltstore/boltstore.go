// Package boltstore keeps sync logs in a bbolt file on the local machine: what `make serve` uses.
// bbolt runs one write transaction at a time, so numbering a log's batches is a read of its last
// number and a write of the next ones in one transaction.
package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
	bolt "go.etcd.io/bbolt"
)

// Store is an open bbolt file. The bucket "logs" maps each log's id to its meta (token hash,
// epoch, last sequence number, bytes, expiry); each log's batches are in a bucket named by its id,
// under 8-byte big-endian sequence numbers; the bucket "counters" holds Take's allowances, and
// "reports" the candidates' reports of problems with questions (syncstore.Reports).
//
// A log's numbering comes from its meta, never from its bucket's keys: a stray key in the bucket
// then shows up as a disagreement (ErrCorrupt) instead of silently moving, or restarting, the
// numbering.
type Store struct {
	db     *bolt.DB
	limits syncstore.Limits
}

var _ syncstore.Store = (*Store)(nil)

var (
	logsBucket     = []byte("logs")
	countersBucket = []byte("counters")
	// tokensBucket is the layout before logs had a meta: id → token hash. Open converts it.
	tokensBucket = []byte("tokens")
)

// Open opens or creates the file at path, converting a file of the older layout in place (its
// logs live for limits.Idle from now).
func Open(path string, limits syncstore.Limits, now time.Time) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("sync store %s: %w (is another server using it?)", path, err)
	}
	s := &Store{db: db, limits: limits}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{logsBucket, countersBucket, reportsBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return s.migrate(tx, now)
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("sync store %s: %w", path, err)
	}
	return s, nil
}

// migrate converts the older layout, where "tokens" held each log's token hash and the numbering
// came from the bucket's last key: each log gets a meta whose last is its last well-formed key
// and whose bytes are the sum of its batches, and "tokens" goes. It runs in Open's transaction,
// so a file is converted whole or not at all.
func (s *Store) migrate(tx *bolt.Tx, now time.Time) error {
	tokens := tx.Bucket(tokensBucket)
	if tokens == nil {
		return nil
	}
	logs := tx.Bucket(logsBucket)
	err := tokens.ForEach(func(k, hash []byte) error {
		m := meta{token: hash, epoch: "0", expires: now.Add(s.limits.Idle)}
		b, err := tx.CreateBucketIfNotExists(k)
		if err != nil {
			return fmt.Errorf("migrating log %s: %w", short(string(k)), err)
		}
		// A key that is not 8 bytes long stays: Append and After refuse the log until an
		// operator looks at it, as they would have had it been damaged after the conversion.
		if err := b.ForEach(func(seq, data []byte) error {
			if len(seq) == 8 {
				m.last = max(m.last, int64(binary.BigEndian.Uint64(seq)))
				m.bytes += int64(len(data))
			}
			return nil
		}); err != nil {
			return err
		}
		return logs.Put(k, m.encode())
	})
	if err != nil {
		return err
	}
	return tx.DeleteBucket(tokensBucket)
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// short is as much of a log id as errors and logs may show.
func short(id string) string { return id[:min(len(id), 8)] }

// checkID refuses what is not a log id: an id is also a bucket name, and must not name the
// store's own buckets.
func checkID(id string) error {
	if !syncproto.ValidID(id) {
		return fmt.Errorf("boltstore: %q is not a log id", short(id))
	}
	return nil
}

// Register implements syncstore.Store.
func (s *Store) Register(_ context.Context, id string, tokenHash []byte, now time.Time) (syncstore.Log, error) {
	if err := checkID(id); err != nil {
		return syncstore.Log{}, err
	}
	if len(tokenHash) > 255 {
		return syncstore.Log{}, fmt.Errorf("boltstore: register %s: a token hash of %d bytes (at most 255)", short(id), len(tokenHash))
	}
	var m meta
	err := s.db.Update(func(tx *bolt.Tx) error {
		logs := tx.Bucket(logsBucket)
		if v := logs.Get([]byte(id)); v != nil {
			var err error
			m, err = decodeMeta(v)
			return err
		}
		// Sweep deletes a log's meta and bucket together, so batches without a meta are damage:
		// numbering them again from 1 would give numbers twice.
		if b := tx.Bucket([]byte(id)); b != nil {
			if k, _ := b.Cursor().First(); k != nil {
				return fmt.Errorf("batches without a log: %w", syncstore.ErrCorrupt)
			}
		} else if _, err := tx.CreateBucket([]byte(id)); err != nil {
			return err
		}
		m = meta{
			token:   append([]byte(nil), tokenHash...),
			epoch:   strconv.FormatInt(now.UnixNano(), 36),
			expires: now.Add(s.limits.Idle),
		}
		return logs.Put([]byte(id), m.encode())
	})
	if err != nil {
		return syncstore.Log{}, fmt.Errorf("boltstore: register %s: %w", short(id), err)
	}
	return m.log(), nil
}

// Lookup implements syncstore.Store. A log past its expiry is still reported until Sweep
// deletes it, as DynamoDB's TTL deletes an item some time after it expires.
func (s *Store) Lookup(_ context.Context, id string, _ time.Time) (log syncstore.Log, ok bool, err error) {
	if err := checkID(id); err != nil {
		return syncstore.Log{}, false, err
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(logsBucket).Get([]byte(id))
		if v == nil {
			return nil
		}
		m, err := decodeMeta(v)
		if err != nil {
			return err
		}
		log, ok = m.log(), true
		return nil
	})
	if err != nil {
		return syncstore.Log{}, false, fmt.Errorf("boltstore: look up %s: %w", short(id), err)
	}
	return log, ok, nil
}

func seqKey(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

// Append implements syncstore.Store.
func (s *Store) Append(_ context.Context, id string, batches [][]byte, now time.Time) (int64, error) {
	if err := checkID(id); err != nil {
		return 0, err
	}
	size := int64(0)
	for _, data := range batches {
		if len(data) > syncstore.MaxItemBytes {
			return 0, syncstore.ErrTooLarge
		}
		size += int64(len(data))
	}
	var first int64
	err := s.db.Update(func(tx *bolt.Tx) error {
		logs := tx.Bucket(logsBucket)
		v := logs.Get([]byte(id))
		if v == nil {
			return syncstore.ErrUnknown
		}
		m, err := decodeMeta(v)
		if err != nil {
			return err
		}
		b := tx.Bucket([]byte(id))
		if b == nil {
			return fmt.Errorf("the log has no batch bucket: %w", syncstore.ErrCorrupt)
		}
		// The bucket must end where the meta says: a stray key past it, or a missing batch,
		// means the numbering can no longer be trusted.
		bucketLast := int64(0)
		if k, _ := b.Cursor().Last(); k != nil {
			if len(k) != 8 {
				return fmt.Errorf("a batch key of %d bytes: %w", len(k), syncstore.ErrCorrupt)
			}
			bucketLast = int64(binary.BigEndian.Uint64(k))
		}
		if bucketLast != m.last {
			return fmt.Errorf("the last batch is %d but the log's counter says %d: %w", bucketLast, m.last, syncstore.ErrCorrupt)
		}
		if m.bytes+size > s.limits.LogBytes {
			return fmt.Errorf("%d bytes stored, %d more: %w", m.bytes, size, syncstore.ErrQuota)
		}
		first = m.last + 1
		for i, data := range batches {
			k := seqKey(first + int64(i))
			if b.Get(k) != nil {
				return fmt.Errorf("batch %d exists already: %w", first+int64(i), syncstore.ErrCorrupt)
			}
			if err := b.Put(k, data); err != nil {
				return err
			}
		}
		m.last += int64(len(batches))
		m.bytes += size
		m.expires = now.Add(s.limits.Idle)
		return logs.Put([]byte(id), m.encode())
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: append to %s: %w", short(id), err)
	}
	return first, nil
}

// After implements syncstore.Store.
func (s *Store) After(_ context.Context, id string, after int64, limit, maxBytes int) ([]syncproto.Batch, bool, error) {
	if err := checkID(id); err != nil {
		return nil, false, err
	}
	var out []syncproto.Batch
	more := false
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(logsBucket).Get([]byte(id))
		b := tx.Bucket([]byte(id))
		if v == nil || b == nil {
			return nil
		}
		m, err := decodeMeta(v)
		if err != nil {
			return err
		}
		size := 0
		c := b.Cursor()
		for k, v := c.Seek(seqKey(max(after, 0) + 1)); k != nil; k, v = c.Next() {
			if len(out) == limit || (len(out) > 0 && size+len(v) > maxBytes) {
				more = true
				return nil
			}
			if len(k) != 8 {
				return fmt.Errorf("a batch key of %d bytes: %w", len(k), syncstore.ErrCorrupt)
			}
			seq := int64(binary.BigEndian.Uint64(k))
			if seq > m.last {
				return fmt.Errorf("batch %d is past the log's counter %d: %w", seq, m.last, syncstore.ErrCorrupt)
			}
			out = append(out, syncproto.Batch{Seq: seq, Data: append([]byte(nil), v...)})
			size += len(v)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("boltstore: read %s: %w", short(id), err)
	}
	return out, more, nil
}

// Take implements syncstore.Store.
func (s *Store) Take(_ context.Context, key string, limit int, expires, now time.Time) (bool, error) {
	taken := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		counters := tx.Bucket(countersBucket)
		c := counter{expires: expires}
		if v := counters.Get([]byte(key)); v != nil {
			old, err := decodeCounter(v)
			if err != nil {
				return err
			}
			if !old.expires.Before(now) {
				c.n = old.n
			}
		}
		if c.n >= int64(limit) {
			return nil
		}
		c.n++
		taken = true
		return counters.Put([]byte(key), c.encode())
	})
	if err != nil {
		return false, fmt.Errorf("boltstore: take: %w", err)
	}
	return taken, nil
}

// Sweep deletes every log whose expiry is before now (its meta and its batches) and every
// allowance that has expired, in one transaction, and returns how many logs it deleted. A meta
// that does not decode is left for an operator.
func (s *Store) Sweep(now time.Time) (logs int, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		metas := tx.Bucket(logsBucket)
		var expired [][]byte
		if err := metas.ForEach(func(k, v []byte) error {
			if m, err := decodeMeta(v); err == nil && m.expires.Before(now) {
				expired = append(expired, bytes.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, id := range expired {
			if err := tx.DeleteBucket(id); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
				return fmt.Errorf("log %s: %w", short(string(id)), err)
			}
			if err := metas.Delete(id); err != nil {
				return fmt.Errorf("log %s: %w", short(string(id)), err)
			}
		}
		logs = len(expired)

		counters := tx.Bucket(countersBucket)
		var spent [][]byte
		if err := counters.ForEach(func(k, v []byte) error {
			if c, err := decodeCounter(v); err == nil && c.expires.Before(now) {
				spent = append(spent, bytes.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range spent {
			if err := counters.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: sweep: %w", err)
	}
	return logs, nil
}
