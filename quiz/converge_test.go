package quiz_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// simDevice is one device of a simulated candidate: its own clock, its own copy of the log.
type simDevice struct {
	ids    *quiz.IDs
	offset time.Duration // how far its clock is from the true time
	held   []quiz.Event  // sorted, as Merge keeps it
}

// randomWorld simulates a candidate on three devices whose clocks disagree, one by days: they
// answer (sometimes with answers that do not fit the bank), sit exams and change answers on two
// devices at once, change settings, reset progress (as old and new apps do), sync with one another
// and write arrival notes for what reached them early. Now and then a corrupt copy of an event, with
// its id but other content, joins the rest. It returns every event written and the true time at
// the end.
func randomWorld(t testing.TB, rng *rand.Rand, cat *quiz.Catalog, steps int) ([]quiz.Event, time.Time) {
	t.Helper()
	days := time.Duration(2+rng.IntN(6)) * 24 * time.Hour
	if rng.IntN(2) == 0 {
		days = -days
	}
	offsets := []time.Duration{0, days, time.Duration(rng.IntN(61)-30) * time.Hour}
	var devs []*simDevice
	for i, name := range []string{"AAAAAAAA", "BBBBBBBB", "CCCCCCCC"} {
		g, err := quiz.NewIDs(name, "")
		if err != nil {
			t.Fatal(err)
		}
		devs = append(devs, &simDevice{ids: g, offset: offsets[i]})
	}
	pool := cat.Live[:25] // few enough questions that they come back
	var all []quiz.Event
	write := func(d *simDevice, e quiz.Event) {
		d.held = quiz.Merge(d.held, []quiz.Event{e})
		all = append(all, e)
	}
	exam := func(d *simDevice) *quiz.Event {
		for i := len(d.held) - 1; i >= 0; i-- {
			if d.held[i].Type == quiz.ExamStart {
				return &d.held[i]
			}
		}
		return nil
	}
	real := t0
	for step := 0; step < steps; step++ {
		real = real.Add(time.Duration(rng.IntN(90)) * time.Minute)
		d := devs[rng.IntN(len(devs))]
		clock := real.Add(d.offset)
		switch k := rng.IntN(100); {
		case k < 40:
			q := cat.Questions[pool[rng.IntN(len(pool))]]
			r := validResponse(q, rng)
			res, err := quiz.Score(q, r)
			if err != nil {
				t.Fatal(err)
			}
			write(d, quiz.NewPracticeAnswer(d.ids.Next(clock), quiz.AnswerData{Question: q.ID, Response: r, Correct: res.Correct}))
		case k < 44: // an answer that does not fit: an unknown question or a response out of range
			q := pool[rng.IntN(len(pool))]
			r := quiz.Response{64, 63, 62, 61, 60}
			if rng.IntN(2) == 0 {
				q, r = "no-such-question", quiz.Response{0}
			}
			write(d, quiz.NewPracticeAnswer(d.ids.Next(clock), quiz.AnswerData{Question: q, Response: r, Correct: true}))
		case k < 48:
			items := append([]string(nil), pool[rng.IntN(10):][:5]...)
			write(d, quiz.NewExamStart(d.ids.Next(clock), quiz.ExamStartData{Items: items, Seed: rng.Uint64(), Minutes: 60 + rng.IntN(180)}))
		case k < 60: // an answer or a flag, maybe on an item the exam does not have
			if x := exam(d); x != nil {
				i := rng.IntN(len(x.Start.Items) + 1)
				it := quiz.ExamItemData{Exam: x.ID, Index: i, Flagged: rng.IntN(2) == 0}
				if i < len(x.Start.Items) && rng.IntN(4) > 0 {
					q := cat.Questions[x.Start.Items[i]]
					it.Response = validResponse(q, rng)
					res, _ := quiz.Score(q, it.Response)
					it.Correct = res.Correct
				}
				if rng.IntN(4) == 0 {
					write(d, quiz.NewExamFlag(d.ids.Next(clock), it))
				} else {
					write(d, quiz.NewExamAnswer(d.ids.Next(clock), it))
				}
			}
		case k < 64:
			if x := exam(d); x != nil {
				write(d, quiz.NewExamSubmit(d.ids.Next(clock), quiz.ExamSubmitData{Exam: x.ID, Reason: quiz.ByCandidate}))
			}
		case k < 68:
			write(d, quiz.NewSetting(d.ids.Next(clock), []string{"goal", "theme"}[rng.IntN(2)], fmt.Sprint(rng.IntN(5))))
		case k < 71:
			write(d, quiz.NewReset(d.ids.Next(clock), quiz.Seen(d.held)))
		case k < 72:
			write(d, legacyReset(t, d.ids.Next(clock)))
		case k < 94: // d syncs with another device: all it holds, or some of it
			from := devs[rng.IntN(len(devs))]
			var got []quiz.Event
			for _, e := range from.held {
				if rng.IntN(4) > 0 {
					got = append(got, e)
				}
			}
			var fresh []quiz.Event
			for _, e := range got {
				i := len(d.held)
				for j, h := range d.held {
					if h.ID >= e.ID {
						i = j
						break
					}
				}
				if i == len(d.held) || d.held[i].ID != e.ID {
					fresh = append(fresh, e)
				}
			}
			d.held = quiz.Merge(d.held, quiz.SortLog(got))
			if early := quiz.Early(fresh, clock); len(early) > 0 {
				write(d, quiz.NewArrival(d.ids.Next(clock), early))
			}
		default: // a corrupt copy of an answer: the same id, other content
			for tries := 0; tries < 5 && len(all) > 0; tries++ {
				e := all[rng.IntN(len(all))]
				if e.Type == quiz.PracticeAnswer {
					a := *e.Answer
					a.Correct, a.Response = !a.Correct, quiz.Response{rng.IntN(70) - 2}
					all = append(all, quiz.NewPracticeAnswer(e.ID, a))
					break
				}
			}
		}
	}
	return all, real
}

// TestProgressAgreesWithAFullFoldWhateverTheOrderOfArrival builds the progress of random worlds
// (randomWorld) in four ways: from all the events at once; from some, then the rest in random
// batches; one event at a time in id order, as a device records its own (the in-place path); and
// one at a time with a clock that moves on. Each must hold the same log as SortLog of the events
// and the same state as a full Fold at the same clock, down to the unusable and waiting events.
// QUIZ_ROUNDS=5000 runs more rounds than the default 300.
func TestProgressAgreesWithAFullFoldWhateverTheOrderOfArrival(t *testing.T) {
	t.Parallel()
	cat := realCatalog(t)
	rng := rand.New(rand.NewPCG(2026, 11))
	rounds := 300
	if n := os.Getenv("QUIZ_ROUNDS"); n != "" {
		rounds, _ = strconv.Atoi(n)
	}
	if testing.Short() {
		rounds = 60
	}
	for round := 0; round < rounds; round++ {
		all, end := randomWorld(t, rng, cat, 40+rng.IntN(100))
		if len(all) == 0 {
			continue
		}
		// The clock at the end: on time, a day and a half behind, or ahead of every event.
		now := end.Add([]time.Duration{0, -36 * time.Hour, 3 * 24 * time.Hour, 60 * 24 * time.Hour}[rng.IntN(4)])
		wantLog := quiz.SortLog(all)
		want := digest(quiz.Fold(wantLog, quiz.Rules{Catalog: cat, Now: now}))
		shuffled := append([]quiz.Event(nil), all...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })

		ways := []struct {
			name  string
			build func() *quiz.Progress
		}{
			{"all at once", func() *quiz.Progress { return newProgress(t, cat, "AAAAAAAA", shuffled, now) }},
			{"some, then the rest in batches", func() *quiz.Progress {
				k := rng.IntN(len(shuffled) + 1)
				p := newProgress(t, cat, "AAAAAAAA", shuffled[:k], now)
				for rest := shuffled[k:]; len(rest) > 0; {
					n := 1 + rng.IntN(len(rest))
					p.Add(rest[:n], now)
					rest = rest[n:]
				}
				return p
			}},
			{"one at a time in id order", func() *quiz.Progress {
				p := newProgress(t, cat, "AAAAAAAA", nil, now)
				inOrder := byID(all)
				for _, e := range inOrder {
					p.Add([]quiz.Event{e}, now)
				}
				return p
			}},
			{"one at a time as the clock moves on", func() *quiz.Progress {
				clock := t0 // never after now: the clock only moves on
				if now.Before(clock) {
					clock = now
				}
				p := newProgress(t, cat, "AAAAAAAA", nil, clock)
				inOrder := byID(all)
				for _, e := range inOrder {
					if at := quiz.IDTime(e.ID); at.After(clock) && !at.After(now) {
						clock = at
					}
					p.Add([]quiz.Event{e}, clock)
				}
				p.Refresh(now)
				return p
			}},
		}
		for _, way := range ways {
			p := way.build()
			if got := p.Log(); !reflect.DeepEqual(got, wantLog) {
				t.Fatalf("round %d, %s: the log differs from SortLog of the events (%d events, want %d)", round, way.name, len(got), len(wantLog))
			}
			if got := digest(p.State()); got != want {
				t.Fatalf("round %d, %s: the state differs from a full fold:\n%s", round, way.name, diffLines(got, want))
			}
		}
	}
}

// byID sorts a copy of events by id, keeping duplicate ids (corrupt copies) in the order written.
func byID(events []quiz.Event) []quiz.Event {
	out := append([]quiz.Event(nil), events...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// diffLines shows the first line where two digests differ.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, gl, wl)
		}
	}
	return "(no difference)"
}
