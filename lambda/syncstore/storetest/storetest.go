// Package storetest is the conformance suite every syncstore.Store passes: run it from the
// implementation's own test with a function that makes a fresh, empty store, and the hooks
// (Options) that reach what the Store interface does not: expiry and damage.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
)

// Options are a store's own ways of doing what the suite needs done to it.
type Options struct {
	// Expire does to the log id what the store's expiry does to a log whose Expires is before
	// now: afterwards the store must hold nothing of it.
	Expire func(t *testing.T, s syncstore.Store, id string, now time.Time)
	// ExpireMetaOnly, when set, does the first half of an expiry that happens in two steps: the
	// log's record is gone (DynamoDB's TTL deleted it) but its batches are still there (the
	// sweeper has not run yet).
	ExpireMetaOnly func(t *testing.T, s syncstore.Store, id string, now time.Time)
	// Corrupt damages a log in ways that make numbering it further unsafe, one way per entry,
	// named by a sentence. Each must leave the log's record and its batches as they were, and add
	// its damage past the last batch, so the suite can check that nothing was written over them.
	Corrupt map[string]func(t *testing.T, s syncstore.Store, id string)
}

// NewStore returns an empty store that keeps limits.
type NewStore func(t *testing.T, limits syncstore.Limits) syncstore.Store

// suite is what every case gets: the way to make a store, and the store's hooks.
type suite struct {
	newStore NewStore
	opts     Options
}

// store makes a store whose limits stay out of the case's way.
func (su suite) store(t *testing.T) syncstore.Store { return su.newStore(t, Roomy) }

// Run runs the suite. newStore is called once per subtest.
func Run(t *testing.T, newStore NewStore, opts Options) {
	if opts.Expire == nil || len(opts.Corrupt) == 0 {
		t.Fatal("storetest: Options.Expire and at least one Options.Corrupt are required")
	}
	su := suite{newStore: newStore, opts: opts}
	tests := []struct {
		name string
		fn   func(*testing.T, suite)
	}{
		{"RegisterKeepsTheFirstTokenHashAndReturnsTheLog", registerKeepsTheFirstTokenHashAndReturnsTheLog},
		{"LookupOfAnUnknownLogFindsNothing", lookupOfAnUnknownLogFindsNothing},
		{"AppendNumbersBatchesFromOneWithoutGaps", appendNumbersBatchesFromOneWithoutGaps},
		{"AppendCountsBytesAndKeepsTheLogAlive", appendCountsBytesAndKeepsTheLogAlive},
		{"ALogPastItsExpiryStaysUsableUntilItIsDeleted", aLogPastItsExpiryStaysUsableUntilItIsDeleted},
		{"AppendOverTheLogQuotaFailsAndStoresNothing", appendOverTheLogQuotaFailsAndStoresNothing},
		{"AppendToAnUnknownLogFails", appendToAnUnknownLogFails},
		{"AppendRefusesABatchOverTheItemLimit", appendRefusesABatchOverTheItemLimit},
		{"AppendTakesABatchAtTheItemLimit", appendTakesABatchAtTheItemLimit},
		{"AfterPagesByLimitAndBytes", afterPagesByLimitAndBytes},
		{"LogsAreSeparate", logsAreSeparate},
		{"ConcurrentAppendsStoreEveryBatchOnceWithoutGaps", concurrentAppendsStoreEveryBatchOnceWithoutGaps},
		{"TakeAllowsExactlyTheLimitPerKey", takeAllowsExactlyTheLimitPerKey},
		{"TakeStartsAfreshOnceTheAllowanceHasExpired", takeStartsAfreshOnceTheAllowanceHasExpired},
		{"ConcurrentTakesAllowExactlyTheLimit", concurrentTakesAllowExactlyTheLimit},
		{"AnExpiredLogIsUnknownAndItsIdStartsAfresh", anExpiredLogIsUnknownAndItsIdStartsAfresh},
		{"ReRegisteringBeforeTheSweepNeverReusesAnOrphansNumber", reRegisteringBeforeTheSweepNeverReusesAnOrphansNumber},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, su) })
	}
	t.Run("DamagedStorageIsRefusedAndNeverWrittenOver", func(t *testing.T) {
		for _, kind := range slices.Sorted(maps.Keys(opts.Corrupt)) {
			t.Run(kind, func(t *testing.T) { damagedStorageIsRefused(t, su, opts.Corrupt[kind]) })
		}
	})
}

// Concurrency of the conformance run: 20 clients of one log, 50 pushes each.
const (
	Clients         = 20
	PushesPerClient = 50
)

// Idle is how long the suite's logs live after their last append.
const Idle = 30 * 24 * time.Hour

// Roomy are limits no case reaches unless it means to.
var Roomy = syncstore.Limits{LogBytes: 1 << 30, Idle: Idle}

// T0 is the suite's "now": a whole second, which every store can keep exactly (DynamoDB's TTL
// attribute holds seconds).
var T0 = time.Date(2031, 3, 14, 9, 26, 53, 0, time.UTC)

var ctx = context.Background()

func id(n int) string { return fmt.Sprintf("%032x", n) }

func hash(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func batch(tag string, size int) []byte {
	b := bytes.Repeat([]byte{'.'}, size)
	copy(b, tag)
	return b
}

func register(t *testing.T, s syncstore.Store, log string) syncstore.Log {
	t.Helper()
	l, err := s.Register(ctx, log, hash(1), T0)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return l
}

func appendAt(t *testing.T, s syncstore.Store, log string, now time.Time, batches ...[]byte) int64 {
	t.Helper()
	first, err := s.Append(ctx, log, batches, now)
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return first
}

func lookup(t *testing.T, s syncstore.Store, log string, now time.Time) syncstore.Log {
	t.Helper()
	l, ok, err := s.Lookup(ctx, log, now)
	if err != nil || !ok {
		t.Fatalf("Lookup = ok %v, %v; want the log", ok, err)
	}
	return l
}

// all reads a whole log, checking that it is numbered without gaps from its first batch.
func all(t *testing.T, s syncstore.Store, log string) [][]byte {
	t.Helper()
	got, more, err := s.After(ctx, log, 0, 1000, 1<<30)
	if err != nil || more {
		t.Fatalf("After(0) = %d batches, more %v, %v", len(got), more, err)
	}
	var out [][]byte
	for i, b := range got {
		if i > 0 && b.Seq != got[i-1].Seq+1 {
			t.Fatalf("gap: batch %d follows %d", b.Seq, got[i-1].Seq)
		}
		out = append(out, b.Data)
	}
	return out
}

func registerKeepsTheFirstTokenHashAndReturnsTheLog(t *testing.T, su suite) {
	s := su.store(t)
	got, err := s.Register(ctx, id(1), hash(1), T0)
	if err != nil || !bytes.Equal(got.TokenHash, hash(1)) || got.Epoch == "" || got.Bytes != 0 || !got.Expires.Equal(T0.Add(Idle)) {
		t.Fatalf("Register = %+v, %v; want hash 1, an epoch, no bytes, expiring %v", got, err, T0.Add(Idle))
	}
	again, err := s.Register(ctx, id(1), hash(2), T0.Add(time.Hour))
	if err != nil || !bytes.Equal(again.TokenHash, hash(1)) || again.Epoch != got.Epoch || !again.Expires.Equal(got.Expires) {
		t.Fatalf("second Register = %+v, %v; want the first log unchanged %+v", again, err, got)
	}
	look := lookup(t, s, id(1), T0.Add(time.Hour))
	if !bytes.Equal(look.TokenHash, hash(1)) || look.Epoch != got.Epoch || look.Bytes != 0 || !look.Expires.Equal(got.Expires) {
		t.Fatalf("Lookup = %+v; want %+v", look, got)
	}
}

func lookupOfAnUnknownLogFindsNothing(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	if l, ok, err := s.Lookup(ctx, id(9), T0); err != nil || ok {
		t.Fatalf("Lookup of a log never registered = %+v, ok %v, %v; want not found", l, ok, err)
	}
}

func appendNumbersBatchesFromOneWithoutGaps(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	first, err := s.Append(ctx, id(1), [][]byte{batch("a", 40), batch("b", 40)}, T0)
	if err != nil || first != 1 {
		t.Fatalf("Append = %d, %v; want 1", first, err)
	}
	first, err = s.Append(ctx, id(1), [][]byte{batch("c", 40)}, T0)
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

func appendCountsBytesAndKeepsTheLogAlive(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	at := T0.Add(time.Hour)
	appendAt(t, s, id(1), at, batch("a", 40), batch("b", 60))
	if l := lookup(t, s, id(1), at); l.Bytes != 100 || !l.Expires.Equal(at.Add(Idle)) {
		t.Fatalf("after appending 100 bytes: bytes %d, expires %v; want 100, %v", l.Bytes, l.Expires, at.Add(Idle))
	}
	at = T0.Add(3 * time.Hour)
	appendAt(t, s, id(1), at, batch("c", 10))
	if l := lookup(t, s, id(1), at); l.Bytes != 110 || !l.Expires.Equal(at.Add(Idle)) {
		t.Fatalf("after appending 10 more: bytes %d, expires %v; want 110, %v", l.Bytes, l.Expires, at.Add(Idle))
	}
}

// aLogPastItsExpiryStaysUsableUntilItIsDeleted: expiry is a deletion that comes some time after
// Expires (DynamoDB's TTL, the bolt store's Sweep); until it comes, the log works, and an append
// keeps it.
func aLogPastItsExpiryStaysUsableUntilItIsDeleted(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	late := T0.Add(2 * Idle)
	lookup(t, s, id(1), late)
	if first := appendAt(t, s, id(1), late, batch("late", 40)); first != 1 {
		t.Fatalf("Append past the expiry = %d; want 1", first)
	}
	if l := lookup(t, s, id(1), late); !l.Expires.Equal(late.Add(Idle)) {
		t.Fatalf("an append past the expiry left it at %v; want %v", l.Expires, late.Add(Idle))
	}
}

func appendOverTheLogQuotaFailsAndStoresNothing(t *testing.T, su suite) {
	s := su.newStore(t, syncstore.Limits{LogBytes: 1000, Idle: Idle})
	register(t, s, id(1))
	appendAt(t, s, id(1), T0, batch("a", 600))
	if first, err := s.Append(ctx, id(1), [][]byte{batch("b", 300), batch("c", 200)}, T0); !errors.Is(err, syncstore.ErrQuota) {
		t.Fatalf("Append of 500 bytes onto 600 of 1000 = %d, %v; want ErrQuota", first, err)
	}
	if got := all(t, s, id(1)); len(got) != 1 {
		t.Fatalf("a refused append left %d batches; want the first alone", len(got))
	}
	if l := lookup(t, s, id(1), T0); l.Bytes != 600 {
		t.Fatalf("a refused append counted: bytes %d; want 600", l.Bytes)
	}
	if first, err := s.Append(ctx, id(1), [][]byte{batch("d", 400)}, T0); err != nil || first != 2 {
		t.Fatalf("Append that exactly fills the quota = %d, %v; want 2", first, err)
	}
	if l := lookup(t, s, id(1), T0); l.Bytes != 1000 {
		t.Fatalf("a full log counts %d bytes; want 1000", l.Bytes)
	}
	if _, err := s.Append(ctx, id(1), [][]byte{batch("e", 1)}, T0); !errors.Is(err, syncstore.ErrQuota) {
		t.Fatalf("Append of one byte to a full log = %v; want ErrQuota", err)
	}
	if got := all(t, s, id(1)); len(got) != 2 || got[1][0] != 'd' {
		t.Fatalf("the full log holds %d batches; want a and d", len(got))
	}
}

func appendToAnUnknownLogFails(t *testing.T, su suite) {
	s := su.store(t)
	if _, err := s.Append(ctx, id(9), [][]byte{batch("a", 40)}, T0); !errors.Is(err, syncstore.ErrUnknown) {
		t.Fatalf("Append to an unregistered log = %v; want ErrUnknown", err)
	}
	if got, more, err := s.After(ctx, id(9), 0, 10, 1<<20); err != nil || more || len(got) != 0 {
		t.Fatalf("After on an unknown log = %v, %v, %v; want nothing", got, more, err)
	}
}

func appendRefusesABatchOverTheItemLimit(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	_, err := s.Append(ctx, id(1), [][]byte{batch("a", 40), batch("b", syncstore.MaxItemBytes+1)}, T0)
	if !errors.Is(err, syncstore.ErrTooLarge) {
		t.Fatalf("Append of an oversized batch = %v; want ErrTooLarge", err)
	}
	if got, _, _ := s.After(ctx, id(1), 0, 10, 1<<20); len(got) != 0 {
		t.Fatalf("a refused append stored %d batches; want none", len(got))
	}
}

func appendTakesABatchAtTheItemLimit(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	big := batch("big", syncstore.MaxItemBytes)
	if _, err := s.Append(ctx, id(1), [][]byte{big, big, big}, T0); err != nil {
		t.Fatalf("Append of three batches at the limit: %v", err)
	}
	got, _, err := s.After(ctx, id(1), 0, 10, 1<<30)
	if err != nil || len(got) != 3 || !bytes.Equal(got[2].Data, big) {
		t.Fatalf("After = %d batches, %v; want the 3 big batches intact", len(got), err)
	}
}

func afterPagesByLimitAndBytes(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	for i := range 7 {
		appendAt(t, s, id(1), T0, batch(fmt.Sprint(i), 1000))
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

func logsAreSeparate(t *testing.T, su suite) {
	s := su.store(t)
	register(t, s, id(1))
	register(t, s, id(2))
	appendAt(t, s, id(1), T0, batch("one", 40))
	first, err := s.Append(ctx, id(2), [][]byte{batch("two", 40)}, T0)
	if err != nil || first != 1 {
		t.Fatalf("Append to the second log = %d, %v; want 1", first, err)
	}
	got, _, _ := s.After(ctx, id(2), 0, 10, 1<<20)
	if len(got) != 1 || !strings.HasPrefix(string(got[0].Data), "two") {
		t.Fatalf("the second log holds %v", got)
	}
	if l := lookup(t, s, id(2), T0); l.Bytes != 40 {
		t.Fatalf("the second log counts %d bytes; want 40", l.Bytes)
	}
}

func concurrentAppendsStoreEveryBatchOnceWithoutGaps(t *testing.T, su suite) {
	s := su.store(t)
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
				first, err := s.Append(ctx, id(1), [][]byte{batch(tag, 64)}, T0)
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
	var tags []string
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
			tags = append(tags, string(b.Data[:7]))
		}
		if !more {
			break
		}
	}
	if len(tags) != Clients*PushesPerClient {
		t.Fatalf("stored %d batches; want %d", len(tags), Clients*PushesPerClient)
	}
	sort.Strings(tags)
	for i := 1; i < len(tags); i++ {
		if tags[i] == tags[i-1] {
			t.Fatalf("batch %s stored twice", tags[i])
		}
	}
	if l := lookup(t, s, id(1), T0); l.Bytes != Clients*PushesPerClient*64 {
		t.Fatalf("the log counts %d bytes; want %d", l.Bytes, Clients*PushesPerClient*64)
	}
}

func take(t *testing.T, s syncstore.Store, key string, limit int, expires, now time.Time) bool {
	t.Helper()
	ok, err := s.Take(ctx, key, limit, expires, now)
	if err != nil {
		t.Fatalf("Take(%q): %v", key, err)
	}
	return ok
}

func takeAllowsExactlyTheLimitPerKey(t *testing.T, su suite) {
	s := su.store(t)
	ends := T0.Add(24 * time.Hour)
	for i := range 3 {
		if !take(t, s, "register/all/day-1", 3, ends, T0) {
			t.Fatalf("use %d of 3 was refused", i+1)
		}
	}
	for i := range 2 {
		if take(t, s, "register/all/day-1", 3, ends, T0) {
			t.Fatalf("use %d of a spent allowance of 3 was allowed", 4+i)
		}
	}
	if !take(t, s, "register/all/day-2", 3, ends, T0) {
		t.Fatal("another key's allowance was spent with the first one")
	}
	if take(t, s, "register/none", 0, ends, T0) {
		t.Fatal("an allowance of 0 allowed a use")
	}
}

func takeStartsAfreshOnceTheAllowanceHasExpired(t *testing.T, su suite) {
	s := su.store(t)
	ends := T0.Add(time.Hour)
	for range 2 {
		take(t, s, "register/all", 2, ends, T0)
	}
	if take(t, s, "register/all", 2, ends, T0) {
		t.Fatal("a spent allowance allowed a third use")
	}
	if take(t, s, "register/all", 2, ends, ends) {
		t.Fatal("an allowance was fresh at the moment it expires; it ends only after")
	}
	later, laterEnds := ends.Add(time.Second), ends.Add(time.Hour)
	for i := range 2 {
		if !take(t, s, "register/all", 2, laterEnds, later) {
			t.Fatalf("use %d of an allowance that expired and started afresh was refused", i+1)
		}
	}
	if take(t, s, "register/all", 2, laterEnds, later) {
		t.Fatal("the fresh allowance allowed a third use")
	}
}

func concurrentTakesAllowExactlyTheLimit(t *testing.T, su suite) {
	s := su.store(t)
	const goroutines, each, limit = 20, 5, 37
	var allowed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	for range goroutines {
		wg.Go(func() {
			for range each {
				ok, err := s.Take(ctx, "register/all", limit, T0.Add(time.Hour), T0)
				if err != nil {
					errs <- err
					return
				}
				if ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := allowed.Load(); n != limit {
		t.Fatalf("%d concurrent takes of an allowance of %d allowed %d", goroutines*each, limit, n)
	}
}

func anExpiredLogIsUnknownAndItsIdStartsAfresh(t *testing.T, su suite) {
	s := su.store(t)
	old := register(t, s, id(1))
	appendAt(t, s, id(1), T0, batch("old-1", 40), batch("old-2", 40), batch("old-3", 40))
	// id(2) lives on: written to later, it expires later.
	if _, err := s.Register(ctx, id(2), hash(2), T0.Add(Idle)); err != nil {
		t.Fatal(err)
	}
	appendAt(t, s, id(2), T0.Add(Idle), batch("alive", 40))

	now := T0.Add(Idle + time.Minute)
	su.opts.Expire(t, s, id(1), now)
	if l, ok, err := s.Lookup(ctx, id(1), now); err != nil || ok {
		t.Fatalf("Lookup of an expired log = %+v, ok %v, %v; want not found", l, ok, err)
	}
	if got, more, err := s.After(ctx, id(1), 0, 10, 1<<20); err != nil || more || len(got) != 0 {
		t.Fatalf("After on an expired log = %d batches, more %v, %v; want nothing", len(got), more, err)
	}
	if _, err := s.Append(ctx, id(1), [][]byte{batch("x", 40)}, now); !errors.Is(err, syncstore.ErrUnknown) {
		t.Fatalf("Append to an expired log = %v; want ErrUnknown", err)
	}

	later := now.Add(time.Minute)
	fresh, err := s.Register(ctx, id(1), hash(3), later)
	if err != nil || !bytes.Equal(fresh.TokenHash, hash(3)) || fresh.Epoch == "" || fresh.Epoch == old.Epoch || fresh.Bytes != 0 || !fresh.Expires.Equal(later.Add(Idle)) {
		t.Fatalf("Register again = %+v, %v; want hash 3, an epoch other than %q, no bytes, expiring %v", fresh, err, old.Epoch, later.Add(Idle))
	}
	first := appendAt(t, s, id(1), later, batch("new-1", 40), batch("new-2", 40))
	got, _, err := s.After(ctx, id(1), 0, 10, 1<<20)
	if err != nil || len(got) != 2 || got[0].Seq != first || got[1].Seq != first+1 ||
		!bytes.HasPrefix(got[0].Data, []byte("new-1")) || !bytes.HasPrefix(got[1].Data, []byte("new-2")) {
		t.Fatalf("After(0) on the registered-again log = %v, %v; want new-1 and new-2 at %d and %d", got, err, first, first+1)
	}

	if l := lookup(t, s, id(2), now); !bytes.Equal(l.TokenHash, hash(2)) {
		t.Fatalf("the live log's hash became %x", l.TokenHash)
	}
	if got := all(t, s, id(2)); len(got) != 1 || !bytes.HasPrefix(got[0], []byte("alive")) {
		t.Fatalf("the live log holds %d batches after another expired; want its one", len(got))
	}
}

func reRegisteringBeforeTheSweepNeverReusesAnOrphansNumber(t *testing.T, su suite) {
	if su.opts.ExpireMetaOnly == nil {
		t.Skip("this store expires a log in one step")
	}
	s := su.store(t)
	old := register(t, s, id(1))
	appendAt(t, s, id(1), T0, batch("old-1", 40), batch("old-2", 40), batch("old-3", 40))
	appendAt(t, s, id(1), T0, batch("old-4", 40), batch("old-5", 40))

	now := T0.Add(Idle + time.Minute)
	su.opts.ExpireMetaOnly(t, s, id(1), now)
	if l, ok, err := s.Lookup(ctx, id(1), now); err != nil || ok {
		t.Fatalf("Lookup of a log whose record expired = %+v, ok %v, %v; want not found", l, ok, err)
	}
	if got, more, err := s.After(ctx, id(1), 0, 10, 1<<20); err != nil || more || len(got) != 0 {
		t.Fatalf("After on a log whose record expired = %d batches, more %v, %v; want nothing", len(got), more, err)
	}
	if _, err := s.Append(ctx, id(1), [][]byte{batch("x", 40)}, now); !errors.Is(err, syncstore.ErrUnknown) {
		t.Fatalf("Append to a log whose record expired = %v; want ErrUnknown", err)
	}

	later := now.Add(time.Minute)
	fresh, err := s.Register(ctx, id(1), hash(3), later)
	if err != nil || fresh.Epoch == old.Epoch || fresh.Bytes != 0 {
		t.Fatalf("Register again = %+v, %v; want a new epoch and no bytes", fresh, err)
	}
	first, err := s.Append(ctx, id(1), [][]byte{batch("new-1", 40), batch("new-2", 40)}, later)
	if err != nil || first <= 5 {
		t.Fatalf("Append over orphan batches 1..5 = %d, %v; want a number above 5", first, err)
	}
	got, _, err := s.After(ctx, id(1), 0, 10, 1<<20)
	if err != nil || len(got) != 2 || got[0].Seq != first || !bytes.HasPrefix(got[0].Data, []byte("new-1")) || !bytes.HasPrefix(got[1].Data, []byte("new-2")) {
		t.Fatalf("After(0) = %v, %v; want only new-1 and new-2", got, err)
	}
	if l := lookup(t, s, id(1), later); l.Bytes != 80 {
		t.Fatalf("the registered-again log counts %d bytes; want its own 80", l.Bytes)
	}
}

func damagedStorageIsRefused(t *testing.T, su suite, damage func(*testing.T, syncstore.Store, string)) {
	s := su.store(t)
	register(t, s, id(1))
	appendAt(t, s, id(1), T0, batch("a", 40), batch("b", 40))
	damage(t, s, id(1))

	if got, _, err := s.After(ctx, id(1), 0, 10, 1<<20); !errors.Is(err, syncstore.ErrCorrupt) {
		t.Fatalf("After(0) on a damaged log = %d batches, %v; want ErrCorrupt", len(got), err)
	}
	for range 2 {
		if first, err := s.Append(ctx, id(1), [][]byte{batch("c", 40)}, T0); !errors.Is(err, syncstore.ErrCorrupt) {
			t.Fatalf("Append to a damaged log = first %d, %v; want ErrCorrupt", first, err)
		}
	}
	// The page before the damage reads as it was: nothing was written over a batch.
	got, _, err := s.After(ctx, id(1), 0, 2, 1<<20)
	if err != nil || len(got) != 2 || got[0].Seq != 1 || got[1].Seq != 2 ||
		!bytes.Equal(got[0].Data, batch("a", 40)) || !bytes.Equal(got[1].Data, batch("b", 40)) {
		t.Fatalf("the batches before the damage = %v, %v; want a and b as appended", got, err)
	}
	if l := lookup(t, s, id(1), T0); l.Bytes != 80 {
		t.Fatalf("refused appends counted: bytes %d; want 80", l.Bytes)
	}
}
