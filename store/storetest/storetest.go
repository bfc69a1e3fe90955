// Package storetest is the conformance suite every store.Store implementation must pass: the
// in-memory store runs it natively, the IndexedDB store in a real browser.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/store"
)

// Opener opens (creating if needed) the store with the given name. Opening the same name again
// after Close must give the same stored data: that is how the suite checks durability.
type Opener func(t *testing.T, name string) store.Store

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// events makes n practice answers on one device, a second apart.
func events(t *testing.T, device string, n int) []quiz.Event {
	t.Helper()
	ids, err := quiz.NewIDs(device, "")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]quiz.Event, n)
	for i := range out {
		out[i] = quiz.NewPracticeAnswer(ids.Next(t0.Add(time.Duration(i)*time.Second)), quiz.AnswerData{Question: fmt.Sprintf("3.1-%03d", i%500), Response: quiz.Response{i % 4}, Correct: i%3 > 0})
	}
	return out
}

func idsOf(evs []quiz.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

// Run runs the suite. Each test opens stores under its own names.
func Run(t *testing.T, open Opener) {
	ctx := context.Background()
	name := func(t *testing.T) string { return fmt.Sprintf("conformance-%s-%d", t.Name(), rand.Int64()) }

	t.Run("an empty store holds nothing", func(t *testing.T) {
		s := open(t, name(t))
		defer s.Close()
		evs, bad, err := s.Events(ctx)
		if err != nil || len(evs) != 0 || len(bad) != 0 {
			t.Errorf("Events: %d events, %d unreadable, %v", len(evs), len(bad), err)
		}
		if _, ok, err := s.Get(ctx, store.KeyDevice); ok || err != nil {
			t.Errorf("Get on an empty store: ok=%v err=%v", ok, err)
		}
	})

	t.Run("events come back sorted by id, each once", func(t *testing.T) {
		s := open(t, name(t))
		defer s.Close()
		all := events(t, "AAAAAAAA", 30)
		shuffled := append([]quiz.Event(nil), all...)
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for i := 0; i < len(shuffled); i += 7 {
			if err := s.Append(ctx, shuffled[i:min(i+7, len(shuffled))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Append(ctx, all[:10]); err != nil { // again: stored once
			t.Fatal(err)
		}
		got, _, err := s.Events(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(idsOf(got)) != fmt.Sprint(idsOf(all)) {
			t.Errorf("got %d events %v, want %v", len(got), idsOf(got), idsOf(all))
		}
		if got[3].Answer == nil || got[3].Answer.Question != all[3].Answer.Question || got[3].Answer.Correct != all[3].Answer.Correct {
			t.Errorf("event changed in storage: %+v", got[3].Answer)
		}
	})

	t.Run("appended events survive closing and opening again", func(t *testing.T) {
		n := name(t)
		s := open(t, n)
		all := events(t, "BBBBBBBB", 5)
		if err := s.Append(ctx, all); err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, store.KeyDevice, "BBBBBBBB"); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = open(t, n)
		defer s.Close()
		got, _, err := s.Events(ctx)
		if err != nil || len(got) != 5 {
			t.Fatalf("after reopening: %d events, %v", len(got), err)
		}
		if v, ok, err := s.Get(ctx, store.KeyDevice); !ok || v != "BBBBBBBB" || err != nil {
			t.Errorf("after reopening, device = %q %v %v", v, ok, err)
		}
	})

	t.Run("named values can be replaced", func(t *testing.T) {
		s := open(t, name(t))
		defer s.Close()
		for _, v := range []string{"one", "two", ""} {
			if err := s.Put(ctx, "k", v); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := s.Get(ctx, "k"); got != v || !ok || err != nil {
				t.Errorf("Get after Put(%q) = %q %v %v", v, got, ok, err)
			}
		}
	})

	t.Run("a corrupt record is reported and kept, the rest still loads", func(t *testing.T) {
		n := name(t)
		s := open(t, n)
		raw, ok := s.(store.Raw)
		if !ok {
			t.Skip("this store cannot write raw records")
		}
		good := events(t, "CCCCCCCC", 4)
		if err := s.Append(ctx, good); err != nil {
			t.Fatal(err)
		}
		bad := "01JDQ3X7K2-CCCCCCCC-ZZZZ"
		if err := raw.PutRaw(ctx, bad, []byte(`{"v":1,"id":"garbage`)); err != nil {
			t.Fatal(err)
		}
		check := func() {
			got, unreadable, err := s.Events(ctx)
			if err != nil {
				t.Fatalf("one corrupt record made Events fail: %v", err)
			}
			if len(got) != 4 {
				t.Errorf("%d readable events, want 4", len(got))
			}
			if len(unreadable) != 1 || unreadable[0].Key != bad || !errors.Is(unreadable[0].Err, quiz.ErrBadEvent) {
				t.Errorf("unreadable: %+v", unreadable)
			}
		}
		check()
		// Writing more does not remove it either.
		if err := s.Append(ctx, events(t, "DDDDDDDD", 2)[:1]); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = open(t, n)
		defer s.Close()
		got, unreadable, _ := s.Events(ctx)
		if len(got) != 5 || len(unreadable) != 1 {
			t.Errorf("after reopening: %d events, %d unreadable; want 5 and 1", len(got), len(unreadable))
		}
	})

	t.Run("a thousand events in one append", func(t *testing.T) {
		s := open(t, name(t))
		defer s.Close()
		all := events(t, "EEEEEEEE", 1000)
		if err := s.Append(ctx, all); err != nil {
			t.Fatal(err)
		}
		got, _, err := s.Events(ctx)
		if err != nil || len(got) != 1000 || !sort.StringsAreSorted(idsOf(got)) {
			t.Errorf("got %d events (sorted: %v), %v", len(got), sort.StringsAreSorted(idsOf(got)), err)
		}
	})

	t.Run("concurrent appends all land", func(t *testing.T) {
		s := open(t, name(t))
		defer s.Close()
		devices := []string{"AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"}
		var wg sync.WaitGroup
		errs := make(chan error, len(devices)*20)
		for _, d := range devices {
			evs := events(t, d, 20)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, e := range evs {
					if err := s.Append(ctx, []quiz.Event{e}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, _, err := s.Events(ctx)
		if err != nil || len(got) != 100 {
			t.Errorf("got %d of 100 events, %v", len(got), err)
		}
	})

	t.Run("a closed store refuses work", func(t *testing.T) {
		s := open(t, name(t))
		s.Close()
		if err := s.Append(ctx, events(t, "AAAAAAAA", 1)); err == nil {
			t.Error("Append on a closed store succeeded")
		}
		if _, _, err := s.Events(ctx); err == nil {
			t.Error("Events on a closed store succeeded")
		}
	})
}
