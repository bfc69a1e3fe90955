// Package storetest is the conformance suite every syncstore.Store passes: run it from the
// implementation's own test with a function that makes a fresh, empty store.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/issmp-study/issmp/lambda/syncstore"
)

// Run runs the suite. newStore returns an empty store; it is called once per subtest.
func Run(t *testing.T, newStore func(t *testing.T) syncstore.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, syncstore.Store)
	}{
		{"RegisterKeepsTheFirstTokenHash", registerKeepsTheFirstTokenHash},
		{"AppendNumbersBatchesFromOneWithoutGaps", appendNumbersBatchesFromOneWithoutGaps},
		{"AppendToAnUnknownLogFails", appendToAnUnknownLogFails},
		{"AppendRefusesABatchOverTheItemLimit", appendRefusesABatchOverTheItemLimit},
		{"AppendTakesABatchAtTheItemLimit", appendTakesABatchAtTheItemLimit},
		{"AfterPagesByLimitAndBytes", afterPagesByLimitAndBytes},
		{"LogsAreSeparate", logsAreSeparate},
		{"ConcurrentAppendsStoreEveryBatchOnceWithoutGaps", concurrentAppendsStoreEveryBatchOnceWithoutGaps},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// Concurrency of the conformance run: 20 clients of one log, 50 pushes each.
const (
	Clients         = 20
	PushesPerClient = 50
)

var ctx = context.Background()

func id(n int) string { return fmt.Sprintf("%032x", n) }

func hash(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func batch(tag string, size int) []byte {
	b := bytes.Repeat([]byte{'.'}, size)
	copy(b, tag)
	return b
}

func register(t *testing.T, s syncstore.Store, log string) {
	t.Helper()
	if _, err := s.Register(ctx, log, hash(1)); err != nil {
		t.Fatalf("Register: %v", err)
	}
}

func registerKeepsTheFirstTokenHash(t *testing.T, s syncstore.Store) {
	if _, ok, err := s.TokenHash(ctx, id(1)); err != nil || ok {
		t.Fatalf("TokenHash of a new log = ok %v, %v; want unknown", ok, err)
	}
	got, err := s.Register(ctx, id(1), hash(1))
	if err != nil || !bytes.Equal(got, hash(1)) {
		t.Fatalf("Register = %x, %v", got, err)
	}
	got, err = s.Register(ctx, id(1), hash(2))
	if err != nil || !bytes.Equal(got, hash(1)) {
		t.Fatalf("second Register = %x, %v; want the first hash back", got, err)
	}
	h, ok, err := s.TokenHash(ctx, id(1))
	if err != nil || !ok || !bytes.Equal(h, hash(1)) {
		t.Fatalf("TokenHash = %x, %v, %v; want the first hash", h, ok, err)
	}
}

func appendNumbersBatchesFromOneWithoutGaps(t *testing.T, s syncstore.Store) {
	register(t, s, id(1))
	first, err := s.Append(ctx, id(1), [][]byte{batch("a", 40), batch("b", 40)})
	if err != nil || first != 1 {
		t.Fatalf("Append = %d, %v; want 1", first, err)
	}
	first, err = s.Append(ctx, id(1), [][]byte{batch("c", 40)})
	if err != nil || first != 3 {
		t.Fatalf("Append = %d, %v; want 3", first, err)
	}
	got, more, err := s.After(ctx, id(1), 0, 10, 1<<20)
	if err != nil || more || len(got) != 3 {
		t.Fatalf("After(0) = %d batches, more %v, %v; want 3", len(got), more, err)
	}
	for i, b := range got {
		if b.Seq != int64(i+1) || b.Data[0] != "abc"[i] || len(b.Data) != 40 {
			t.Errorf("batch %d = seq %d data %q", i, b.Seq, b.Data[:1])
		}
	}
	got, more, err = s.After(ctx, id(1), 2, 10, 1<<20)
	if err != nil || more || len(got) != 1 || got[0].Seq != 3 {
		t.Fatalf("After(2) = %v, more %v, %v; want batch 3 alone", got, more, err)
	}
	got, more, err = s.After(ctx, id(1), 3, 10, 1<<20)
	if err != nil || more || len(got) != 0 {
		t.Fatalf("After(3) = %v, more %v, %v; want nothing", got, more, err)
	}
}

func appendToAnUnknownLogFails(t *testing.T, s syncstore.Store) {
	if _, err := s.Append(ctx, id(9), [][]byte{batch("a", 40)}); !errors.Is(err, syncstore.ErrUnknown) {
		t.Fatalf("Append to an unregistered log = %v; want ErrUnknown", err)
	}
	if got, more, err := s.After(ctx, id(9), 0, 10, 1<<20); err != nil || more || len(got) != 0 {
		t.Fatalf("After on an unknown log = %v, %v, %v; want nothing", got, more, err)
	}
}

func appendRefusesABatchOverTheItemLimit(t *testing.T, s syncstore.Store) {
	register(t, s, id(1))
	_, err := s.Append(ctx, id(1), [][]byte{batch("a", 40), batch("b", syncstore.MaxItemBytes+1)})
	if !errors.Is(err, syncstore.ErrTooLarge) {
		t.Fatalf("Append of an oversized batch = %v; want ErrTooLarge", err)
	}
	if got, _, _ := s.After(ctx, id(1), 0, 10, 1<<20); len(got) != 0 {
		t.Fatalf("a refused append stored %d batches; want none", len(got))
	}
}

func appendTakesABatchAtTheItemLimit(t *testing.T, s syncstore.Store) {
	register(t, s, id(1))
	big := batch("big", syncstore.MaxItemBytes)
	if _, err := s.Append(ctx, id(1), [][]byte{big, big, big}); err != nil {
		t.Fatalf("Append of three batches at the limit: %v", err)
	}
	got, _, err := s.After(ctx, id(1), 0, 10, 1<<30)
	if err != nil || len(got) != 3 || !bytes.Equal(got[2].Data, big) {
		t.Fatalf("After = %d batches, %v; want the 3 big batches intact", len(got), err)
	}
}

func afterPagesByLimitAndBytes(t *testing.T, s syncstore.Store) {
	register(t, s, id(1))
	for i := range 7 {
		if _, err := s.Append(ctx, id(1), [][]byte{batch(fmt.Sprint(i), 1000)}); err != nil {
			t.Fatal(err)
		}
	}
	var seqs []int64
	cursor := int64(0)
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		got, more, err := s.After(ctx, id(1), cursor, 3, 1<<20)
		if err != nil || len(got) > 3 {
			t.Fatalf("After(%d, limit 3) = %d batches, %v", cursor, len(got), err)
		}
		for _, b := range got {
			seqs = append(seqs, b.Seq)
			cursor = b.Seq
		}
		if !more {
			break
		}
	}
	if fmt.Sprint(seqs) != "[1 2 3 4 5 6 7]" {
		t.Fatalf("paging by 3 returned %v", seqs)
	}
	got, more, err := s.After(ctx, id(1), 0, 50, 2500)
	if err != nil || len(got) != 2 || !more {
		t.Fatalf("After with 2500 bytes = %d batches, more %v, %v; want 2 and more", len(got), more, err)
	}
	got, more, err = s.After(ctx, id(1), 0, 50, 10)
	if err != nil || len(got) != 1 || !more {
		t.Fatalf("After with fewer bytes than one batch = %d batches, more %v, %v; want the first alone", len(got), more, err)
	}
}

func logsAreSeparate(t *testing.T, s syncstore.Store) {
	register(t, s, id(1))
	register(t, s, id(2))
	if _, err := s.Append(ctx, id(1), [][]byte{batch("one", 40)}); err != nil {
		t.Fatal(err)
	}
	first, err := s.Append(ctx, id(2), [][]byte{batch("two", 40)})
	if err != nil || first != 1 {
		t.Fatalf("Append to the second log = %d, %v; want 1", first, err)
	}
	got, _, _ := s.After(ctx, id(2), 0, 10, 1<<20)
	if len(got) != 1 || !strings.HasPrefix(string(got[0].Data), "two") {
		t.Fatalf("the second log holds %v", got)
	}
}

func concurrentAppendsStoreEveryBatchOnceWithoutGaps(t *testing.T, s syncstore.Store) {
	register(t, s, id(1))
	var wg sync.WaitGroup
	errs := make(chan error, Clients*PushesPerClient)
	firsts := make(chan int64, Clients*PushesPerClient)
	for c := range Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range PushesPerClient {
				tag := fmt.Sprintf("c%02d-p%02d", c, p)
				first, err := s.Append(ctx, id(1), [][]byte{batch(tag, 64)})
				if err != nil {
					errs <- fmt.Errorf("%s: %w", tag, err)
					return
				}
				firsts <- first
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(firsts)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for f := range firsts {
		if seen[f] {
			t.Fatalf("sequence %d given to two pushes", f)
		}
		seen[f] = true
	}
	var all []string
	cursor := int64(0)
	for {
		got, more, err := s.After(ctx, id(1), cursor, 50, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range got {
			if b.Seq != cursor+1 {
				t.Fatalf("gap: batch %d follows %d", b.Seq, cursor)
			}
			cursor = b.Seq
			all = append(all, string(b.Data[:7]))
		}
		if !more {
			break
		}
	}
	if len(all) != Clients*PushesPerClient {
		t.Fatalf("stored %d batches; want %d", len(all), Clients*PushesPerClient)
	}
	sort.Strings(all)
	for i := 1; i < len(all); i++ {
		if all[i] == all[i-1] {
			t.Fatalf("batch %s stored twice", all[i])
		}
	}
}
