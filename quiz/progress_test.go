package quiz_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// newProgress returns a device's progress from events, checked against cat (nil: nothing) at now.
func newProgress(t testing.TB, cat *quiz.Catalog, device string, events []quiz.Event, now time.Time) *quiz.Progress {
	t.Helper()
	p, err := quiz.NewProgress(cat, device, events, now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProgressFromStoredEventsSortsThemAndFoldsTheState(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	all := randomHistory(t, rng, 200)
	shuffled := append(append([]quiz.Event(nil), all...), all[:20]...) // out of order, some twice
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	want := quiz.SortLog(all)
	now := quiz.IDTime(want[len(want)-1].ID) // the clock reads the time of the newest event
	p := newProgress(t, nil, "AAAAAAAA", shuffled, now)
	if got := ids(p.Log()); !reflect.DeepEqual(got, ids(want)) {
		t.Fatalf("log is not the sorted events without duplicates: %d ids, want %d", len(got), len(want))
	}
	if got, w := summary(p.State()), summary(quiz.Fold(want, quiz.Rules{Now: now})); got != w {
		t.Errorf("state:\n%s\nwant\n%s", got, w)
	}
	if p.Len() != len(want) || p.Device() != "AAAAAAAA" {
		t.Errorf("Len = %d, Device = %s", p.Len(), p.Device())
	}
}

func TestLastIDIsTheNewestOfThatDeviceOnly(t *testing.T) {
	a, b := newDevice(t, "AAAAAAAA"), newDevice(t, "BBBBBBBB")
	a1, a2 := a.answer(t0, "q1", true), a.answer(t0.Add(time.Minute), "q2", true)
	b1 := b.answer(t0.Add(time.Hour), "q3", true)
	for _, c := range []struct {
		name   string
		events []quiz.Event
		device string
		want   string
	}{
		{"no events", nil, "AAAAAAAA", ""},
		{"only other devices", []quiz.Event{b1}, "AAAAAAAA", ""},
		{"newest of the device, not a later one of another", []quiz.Event{a2, b1, a1}, "AAAAAAAA", a2.ID},
		{"the other device", []quiz.Event{a2, b1, a1}, "BBBBBBBB", b1.ID},
	} {
		if got := quiz.LastID(c.events, c.device); got != c.want {
			t.Errorf("%s: LastID = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestProgressIDsContinueAfterTheDevicesLastEventWhenTheClockIsBehind(t *testing.T) {
	d := newDevice(t, "AAAAAAAA")
	stored := []quiz.Event{d.answer(t0.Add(time.Hour), "q1", true), d.answer(t0.Add(2*time.Hour), "q2", true)}
	p := newProgress(t, nil, "AAAAAAAA", stored, t0)
	id := p.NextID(t0) // the clock now reads two hours earlier than the stored events
	if id <= stored[1].ID {
		t.Errorf("new id %s does not follow the stored %s: the new answer would sort before older ones", id, stored[1].ID)
	}
	if next := p.NextID(t0); next <= id {
		t.Errorf("ids do not increase: %s then %s", id, next)
	}
}

func TestProgressAddsOwnEventsInPlaceAndOthersByRefolding(t *testing.T) {
	a, b := newDevice(t, "AAAAAAAA"), newDevice(t, "BBBBBBBB")
	early := b.answer(t0, "q1", false)
	p := newProgress(t, nil, "AAAAAAAA", []quiz.Event{a.answer(t0.Add(time.Minute), "q2", true)}, t0.Add(time.Minute))
	before := p.State()

	// The candidate's own answer sorts after everything: applied to the same state in place.
	own := quiz.NewPracticeAnswer(p.NextID(t0.Add(2*time.Minute)), quiz.AnswerData{Question: "q3", Response: quiz.Response{0}, Correct: true})
	if n := p.Add([]quiz.Event{own}, t0.Add(2*time.Minute)); n != 1 {
		t.Fatalf("Add(own) = %d, want 1", n)
	}
	if p.State() != before || p.State().Cards["q3"] == nil {
		t.Errorf("an event after the whole log was not applied in place")
	}
	// Another device's answer from before: the log refolds, as if it had always been there.
	if n := p.Add([]quiz.Event{early, early}, t0.Add(3*time.Minute)); n != 1 {
		t.Fatalf("Add(early twice) = %d, want 1", n)
	}
	want := quiz.Fold(quiz.SortLog([]quiz.Event{early, own, a.answer(t0.Add(time.Minute), "q2", true)}), quiz.Rules{})
	if got := p.State(); got.Practiced != 3 || got.Cards["q1"] == nil || got.Reviews[0].Question != "q1" {
		t.Errorf("after an earlier event: practiced %d, reviews %v; want %d with q1 first", got.Practiced, got.Reviews, want.Practiced)
	}
	// Events already held change nothing, and are not counted.
	state := p.State()
	if n := p.Add([]quiz.Event{early, own}, t0.Add(4*time.Minute)); n != 0 || p.State() != state || p.Len() != 3 {
		t.Errorf("re-adding known events: Add = %d, Len = %d, state replaced: %v", n, p.Len(), p.State() != state)
	}
	if m := p.Missing([]quiz.Event{own, early}); len(m) != 0 {
		t.Errorf("Missing reports held events: %v", ids(m))
	}
}

func TestProgressMergedInAnyOrderGivesTheSameLogAndState(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for round := 0; round < 50; round++ {
		all := randomHistory(t, rng, 120)
		want := quiz.SortLog(all)
		now := quiz.IDTime(want[len(want)-1].ID)
		p := newProgress(t, nil, "AAAAAAAA", nil, now)
		rest := append([]quiz.Event(nil), all...)
		rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
		added := 0
		for len(rest) > 0 {
			k := 1 + rng.IntN(len(rest))
			added += p.Add(rest[:k], now)
			rest = rest[k:]
		}
		if added != len(want) {
			t.Fatalf("round %d: Add counted %d new events, want %d", round, added, len(want))
		}
		if got, w := summary(p.State()), summary(quiz.Fold(want, quiz.Rules{Now: now})); got != w {
			t.Fatalf("round %d: state depends on merge order:\n%s\nwant\n%s", round, got, w)
		}
	}
}

func TestProgressKeepsTheLastAnswerGivenToAnExamItem(t *testing.T) {
	p := newProgress(t, nil, "AAAAAAAA", nil, t0)
	start := quiz.NewExamStart(p.NextID(t0), quiz.ExamStartData{Items: []string{"q1", "q2"}, Seed: 1, Minutes: 180})
	p.Add([]quiz.Event{start}, t0)
	// Changes of mind in quick succession: the clock does not even move between them.
	for _, choice := range []int{0, 1, 0, 1, 2} {
		p.Add([]quiz.Event{quiz.NewExamAnswer(p.NextID(t0), quiz.ExamItemData{Exam: start.ID, Index: 0, Response: quiz.Response{choice}})}, t0)
	}
	p.Add([]quiz.Event{quiz.NewExamFlag(p.NextID(t0), quiz.ExamItemData{Exam: start.ID, Index: 1, Flagged: true})}, t0)
	p.Add([]quiz.Event{quiz.NewExamFlag(p.NextID(t0), quiz.ExamItemData{Exam: start.ID, Index: 1, Flagged: false})}, t0)
	x := p.State().Exam(start.ID)
	if !reflect.DeepEqual(x.Answers[0], quiz.Response{2}) || x.Flags[1] {
		t.Errorf("answers %v, flags %v: want the last answer [2] and the flag taken off", x.Answers, x.Flags)
	}
	// The same events folded from storage after a reload agree.
	again := newProgress(t, nil, "AAAAAAAA", p.Log(), t0)
	if got, want := summary(again.State()), summary(p.State()); got != want {
		t.Errorf("after a reload:\n%s\nwant\n%s", got, want)
	}
}

func TestProgressRemoveTakesBackEventsThatCouldNotBeStored(t *testing.T) {
	p := newProgress(t, nil, "AAAAAAAA", nil, t0)
	start := quiz.NewExamStart(p.NextID(t0), quiz.ExamStartData{Items: []string{"q1"}, Seed: 1, Minutes: 180})
	first := quiz.NewExamAnswer(p.NextID(t0), quiz.ExamItemData{Exam: start.ID, Index: 0, Response: quiz.Response{1}})
	failed := quiz.NewExamAnswer(p.NextID(t0), quiz.ExamItemData{Exam: start.ID, Index: 0, Response: quiz.Response{3}})
	p.Add([]quiz.Event{start, first, failed}, t0)
	if n := p.Remove([]string{failed.ID, "not-held"}, t0); n != 1 {
		t.Fatalf("Remove = %d, want 1", n)
	}
	if got := p.State().Exam(start.ID).Answers[0]; !reflect.DeepEqual(got, quiz.Response{1}) {
		t.Errorf("after taking back the unsaved answer the item shows %v, want the stored [1]", got)
	}
	if p.Has(failed.ID) || p.Len() != 2 {
		t.Errorf("the removed event is still in the log (Len %d)", p.Len())
	}
	if n := p.Remove(nil, t0); n != 0 {
		t.Errorf("Remove(nil) = %d", n)
	}
}

// An event from elsewhere dated after everything applied is normally applied in place; but when
// a held arrival note names it, or a held reset had seen it, the fold moves or erases it, and
// Progress must fold afresh to agree.
func TestProgressFoldsAfreshForAnEventANoteOrAResetNames(t *testing.T) {
	tests := []struct {
		name  string
		held  func(a, b, c *device) (held []quiz.Event, late quiz.Event)
		now   time.Time
		check func(t *testing.T, s *quiz.State)
	}{
		{
			name: "an event an arrival note names is placed at its arrival",
			held: func(a, b, c *device) ([]quiz.Event, quiz.Event) {
				late := b.answer(t0.Add(72*time.Hour), "q1", true) // B's clock is three days ahead
				note := quiz.NewArrival(c.ids.Next(t0), []string{late.ID})
				return []quiz.Event{note, a.answer(t0.Add(24*time.Hour), "q1", false)}, late
			},
			now: t0.Add(60 * time.Hour),
			check: func(t *testing.T, s *quiz.State) {
				if c := s.Cards["q1"]; c == nil || c.Seen != 2 || c.LastCorrect {
					t.Errorf("card %+v: want B's answer placed at its arrival, before A's wrong one", c)
				}
			},
		},
		{
			name: "an event a version-2 reset had seen is erased",
			held: func(a, b, c *device) ([]quiz.Event, quiz.Event) {
				late := b.answer(t0.Add(12*time.Hour), "q2", true) // B's clock is twelve hours ahead
				return []quiz.Event{quiz.NewReset(a.ids.Next(t0), map[string]string{"BBBBBBBB": late.ID})}, late
			},
			now: t0.Add(time.Hour),
			check: func(t *testing.T, s *quiz.State) {
				if s.Cards["q2"] != nil || s.Practiced != 0 {
					t.Errorf("card %+v, practiced %d: want the answer the reset had seen cleared", s.Cards["q2"], s.Practiced)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			held, late := tt.held(newDevice(t, "AAAAAAAA"), newDevice(t, "BBBBBBBB"), newDevice(t, "CCCCCCCC"))
			p := newProgress(t, nil, "AAAAAAAA", held, tt.now)
			p.Add([]quiz.Event{late}, tt.now)
			want := quiz.Fold(quiz.SortLog(append(held, late)), quiz.Rules{Now: tt.now})
			if got, w := digest(p.State()), digest(want); got != w {
				t.Errorf("Progress and Fold disagree:\n%s", diffLines(got, w))
			}
			tt.check(t, p.State())
		})
	}
}
