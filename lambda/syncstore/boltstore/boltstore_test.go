package boltstore

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/storetest"
	bolt "go.etcd.io/bbolt"
)

var now = storetest.T0

func open(t *testing.T, path string, limits syncstore.Limits, now time.Time) *Store {
	t.Helper()
	s, err := Open(path, limits, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// putRaw writes key → value into the bucket of log id, behind the store's back.
func putRaw(t *testing.T, s syncstore.Store, id string, key, value []byte) {
	t.Helper()
	err := s.(*Store).db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(id)).Put(key, value)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// lastKey is the last key in log id's bucket.
func lastKey(t *testing.T, s syncstore.Store, id string) []byte {
	t.Helper()
	var k []byte
	if err := s.(*Store).db.View(func(tx *bolt.Tx) error {
		last, _ := tx.Bucket([]byte(id)).Cursor().Last()
		k = bytes.Clone(last)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestBoltStorePassesTheConformanceSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, limits syncstore.Limits) syncstore.Store {
		return open(t, filepath.Join(t.TempDir(), "sync.db"), limits, now)
	}, storetest.Options{
		Expire: func(t *testing.T, s syncstore.Store, id string, now time.Time) {
			if n, err := s.(*Store).Sweep(now); err != nil || n == 0 {
				t.Fatalf("Sweep = %d logs, %v; want the expired log deleted", n, err)
			}
		},
		Corrupt: map[string]func(*testing.T, syncstore.Store, string){
			// The old store numbered such a log from 1 again: a short key is not a number.
			"AKeyShorterThan8BytesAfterTheBatches": func(t *testing.T, s syncstore.Store, id string) {
				putRaw(t, s, id, []byte("damaged"), []byte("x"))
			},
			"AKeyLongerThan8BytesAfterTheLastBatch": func(t *testing.T, s syncstore.Store, id string) {
				putRaw(t, s, id, append(lastKey(t, s, id), 0), []byte("x"))
			},
			"ABatchPastTheLogsCounter": func(t *testing.T, s syncstore.Store, id string) {
				putRaw(t, s, id, seqKey(3), []byte("stray"))
			},
		},
	})
}

func TestBoltStorePassesTheReportsSuite(t *testing.T) {
	storetest.RunReports(t, func(t *testing.T, limits syncstore.Limits) syncstore.Store {
		return open(t, filepath.Join(t.TempDir(), "sync.db"), limits, now)
	})
}

func TestBoltStoreKeepsReportsAcrossARestartAndAddsTheirBucketToAnOlderFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sync.db")
	// A file from before reports: the buckets of logs and counters alone.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{logsBucket, countersBucket} {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, storetest.Roomy, now)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.AddReport(t.Context(), syncstore.Report{At: now, Question: "3.1-019", Bank: "v1", Reason: "typo", Comment: "teh"})
	if err != nil {
		t.Fatalf("AddReport on a file from before reports: %v", err)
	}
	s.Close()
	s = open(t, path, storetest.Roomy, now.Add(time.Hour))
	got, err := s.ListReports(t.Context())
	if err != nil || len(got) != 1 || got[0].ID != id || got[0].Comment != "teh" {
		t.Fatalf("after a restart ListReports = %+v, %v; want the report %s", got, err, id)
	}
}

func TestBoltStoreKeepsLogsAcrossARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sync.db")
	s, err := Open(path, storetest.Roomy, now)
	if err != nil {
		t.Fatal(err)
	}
	id := "0123456789abcdef0123456789abcdef"
	registered, err := s.Register(t.Context(), id, []byte("hash"), now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(t.Context(), id, [][]byte{[]byte("one"), []byte("two")}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, storetest.Roomy, now); err == nil {
		t.Error("a second server opened the store while the first had it")
	}
	s.Close()
	s = open(t, path, storetest.Roomy, now.Add(time.Hour))
	got, _, err := s.After(t.Context(), id, 0, 10, 1<<20)
	if err != nil || len(got) != 2 || string(got[1].Data) != "two" {
		t.Fatalf("after a restart: %v, %v", got, err)
	}
	l, ok, err := s.Lookup(t.Context(), id, now)
	if err != nil || !ok || string(l.TokenHash) != "hash" || l.Epoch != registered.Epoch || l.Bytes != 6 || !l.Expires.Equal(now.Add(storetest.Idle)) {
		t.Fatalf("Lookup after a restart = %+v, %v, %v", l, ok, err)
	}
	if first, err := s.Append(t.Context(), id, [][]byte{[]byte("three")}, now); err != nil || first != 3 {
		t.Fatalf("Append after a restart = %d, %v; want 3", first, err)
	}
}

func TestOpenConvertsAFileOfTheOlderLayoutInPlace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sync.db")
	good, damaged := "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	// The layout before logs had a meta: "tokens" maps id → hash, and the numbering came from
	// each bucket's last key.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		tokens, err := tx.CreateBucket(tokensBucket)
		if err != nil {
			return err
		}
		for _, id := range []string{good, damaged} {
			if err := tokens.Put([]byte(id), bytes.Repeat([]byte(id[:1]), 32)); err != nil {
				return err
			}
			b, err := tx.CreateBucket([]byte(id))
			if err != nil {
				return err
			}
			for n, data := range []string{"one", "two", "three"} {
				if err := b.Put(seqKey(int64(n+1)), []byte(data)); err != nil {
					return err
				}
			}
		}
		// The older store read this log's last key as no number at all, and started it at 1.
		return tx.Bucket([]byte(damaged)).Put([]byte("junk"), []byte("x"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	s := open(t, path, storetest.Roomy, now)
	l, ok, err := s.Lookup(t.Context(), good, now)
	if err != nil || !ok || !bytes.Equal(l.TokenHash, bytes.Repeat([]byte("0"), 32)) || l.Epoch != "0" || l.Bytes != 11 || !l.Expires.Equal(now.Add(storetest.Idle)) {
		t.Fatalf("a converted log = %+v, ok %v, %v; want its hash, epoch 0, 11 bytes, expiring in Idle", l, ok, err)
	}
	got, _, err := s.After(t.Context(), good, 0, 10, 1<<20)
	if err != nil || len(got) != 3 || string(got[2].Data) != "three" {
		t.Fatalf("a converted log's batches = %v, %v; want its three", got, err)
	}
	if first, err := s.Append(t.Context(), good, [][]byte{[]byte("four")}, now); err != nil || first != 4 {
		t.Fatalf("Append to a converted log = %d, %v; want 4", first, err)
	}
	if first, err := s.Append(t.Context(), damaged, [][]byte{[]byte("four")}, now); !errors.Is(err, syncstore.ErrCorrupt) {
		t.Fatalf("Append to a converted log with a damaged key = %d, %v; want ErrCorrupt", first, err)
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(tokensBucket) != nil {
			t.Error("the older layout's bucket \"tokens\" is still there")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// Opening the converted file again changes nothing.
	s.Close()
	s = open(t, path, storetest.Roomy, now.Add(time.Hour))
	if l, ok, err := s.Lookup(t.Context(), good, now); err != nil || !ok || l.Bytes != 15 || !l.Expires.Equal(now.Add(storetest.Idle)) {
		t.Fatalf("the converted log after a second Open = %+v, ok %v, %v", l, ok, err)
	}
}

func TestSweepDeletesExpiredLogsAndAllowancesAndKeepsTheRest(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "sync.db"), storetest.Roomy, now)
	old, live := "00000000000000000000000000000001", "00000000000000000000000000000002"
	for _, id := range []string{old, live} {
		at := now
		if id == live {
			at = now.Add(time.Hour)
		}
		if _, err := s.Register(t.Context(), id, []byte("hash"), at); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Append(t.Context(), id, [][]byte{[]byte("batch")}, at); err != nil {
			t.Fatal(err)
		}
	}
	for key, ends := range map[string]time.Time{"spent": now.Add(time.Minute), "running": now.Add(2 * storetest.Idle)} {
		if _, err := s.Take(t.Context(), key, 1, ends, now); err != nil {
			t.Fatal(err)
		}
	}

	at := now.Add(storetest.Idle + time.Minute) // past old's expiry, before live's
	n, err := s.Sweep(at)
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 log deleted", n, err)
	}
	if _, ok, _ := s.Lookup(t.Context(), old, at); ok {
		t.Error("the expired log is still there")
	}
	if _, ok, _ := s.Lookup(t.Context(), live, at); !ok {
		t.Error("the live log was deleted")
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(old)) != nil {
			t.Error("the expired log's batches are still there")
		}
		if got := tx.Bucket(countersBucket).Get([]byte("spent")); got != nil {
			t.Error("the expired allowance is still there")
		}
		if got := tx.Bucket(countersBucket).Get([]byte("running")); got == nil {
			t.Error("the running allowance was deleted")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Sweep(at); err != nil || n != 0 {
		t.Fatalf("a second Sweep = %d, %v; want nothing to do", n, err)
	}
}

func TestBoltStoreRefusesWhatIsNotALogID(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "sync.db"), storetest.Roomy, now)
	for _, id := range []string{"logs", "counters", "0123456789ABCDEF0123456789ABCDEF"} {
		if _, err := s.Register(t.Context(), id, []byte("hash"), now); err == nil {
			t.Errorf("Register(%q) succeeded", id)
		}
	}
}
