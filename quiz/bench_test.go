package quiz_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// Benchmarks of the engine's hot paths; figures and the command are in docs/PERFORMANCE.md.

func BenchmarkAssembleExamFrom1000Questions(b *testing.B) {
	c := catalog(b, synthBank(b, 1000, 40, 1))
	rng := rand.New(rand.NewPCG(1, 1))
	first, _ := quiz.AssembleExam(c, nil, rng)
	seen := map[string]time.Time{}
	for _, id := range first {
		seen[id] = t0
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := quiz.AssembleExam(c, seen, rng); err != nil {
			b.Fatal(err)
		}
	}
}

// practiceLog makes n practice answers over 1,000 questions on one device, about 20 a day.
func practiceLog(b *testing.B, n int, device string) []quiz.Event {
	d := newDevice(b, device)
	rng := rand.New(rand.NewPCG(2, 2))
	events := make([]quiz.Event, 0, n)
	for i := 0; i < n; i++ {
		at := t0.Add(time.Duration(i) * 72 * time.Minute)
		events = append(events, d.answer(at, fmt.Sprintf("q%04d", rng.IntN(1000)), rng.IntN(4) > 0))
	}
	return events
}

func BenchmarkFold100000Events(b *testing.B) {
	log := quiz.SortLog(practiceLog(b, 100_000, "AAAAAAAA"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if s := quiz.Fold(log, quiz.Rules{}); s.Events != len(log) {
			b.Fatal("events lost")
		}
	}
}

func BenchmarkMergeTwo50000EventLogs(b *testing.B) {
	// Two devices' logs of 50,000 events each, half of which both already hold.
	shared := practiceLog(b, 25_000, "CCCCCCCC")
	a := quiz.SortLog(append(practiceLog(b, 25_000, "AAAAAAAA"), shared...))
	c := quiz.SortLog(append(practiceLog(b, 25_000, "BBBBBBBB"), shared...))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := quiz.Merge(a, c); len(m) != 75_000 {
			b.Fatalf("merged %d events, want 75000", len(m))
		}
	}
}

func BenchmarkDueQueueOf1000Cards(b *testing.B) {
	c := catalog(b, synthBank(b, 1000, 0, 3))
	d := newDevice(b, "AAAAAAAA")
	var events []quiz.Event
	for i, id := range c.Live {
		events = append(events, d.answer(t0.Add(time.Duration(i)*time.Minute), id, i%3 != 0))
	}
	s := quiz.Fold(quiz.SortLog(events), quiz.Rules{})
	now := t0.Add(3 * 24 * time.Hour)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if q := quiz.DueQueue(c, s, now); len(q) == 0 {
			b.Fatal("nothing due")
		}
	}
}
