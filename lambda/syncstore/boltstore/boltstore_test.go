package boltstore

import (
	"path/filepath"
	"testing"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/storetest"
)

func TestBoltStorePassesTheConformanceSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) syncstore.Store {
		s, err := Open(filepath.Join(t.TempDir(), "sync.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestBoltStoreKeepsLogsAcrossARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sync.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	id := "0123456789abcdef0123456789abcdef"
	if _, err := s.Register(t.Context(), id, []byte("hash")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(t.Context(), id, [][]byte{[]byte("one"), []byte("two")}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); err == nil {
		t.Error("a second server opened the store while the first had it")
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, _, err := s.After(t.Context(), id, 0, 10, 1<<20)
	if err != nil || len(got) != 2 || string(got[1].Data) != "two" {
		t.Fatalf("after a restart: %v, %v", got, err)
	}
	if first, err := s.Append(t.Context(), id, [][]byte{[]byte("three")}); err != nil || first != 3 {
		t.Fatalf("Append after a restart = %d, %v; want 3", first, err)
	}
}
