package quiz_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// right is a practice answer that answers q correctly.
func (d *device) right(at time.Time, q *quiz.Question) quiz.Event {
	return quiz.NewPracticeAnswer(d.ids.Next(at), quiz.AnswerData{Question: q.ID, Response: quiz.KeyResponse(q), Correct: true})
}

// foldBoth folds the log at now with a full Fold and through Progress, checks that they agree,
// and returns the state.
func foldBoth(t *testing.T, cat *quiz.Catalog, events []quiz.Event, now time.Time) *quiz.State {
	t.Helper()
	s := quiz.Fold(quiz.SortLog(events), quiz.Rules{Catalog: cat, Now: now})
	p := newProgress(t, cat, "AAAAAAAA", events, now)
	if got, want := digest(p.State()), digest(s); got != want {
		t.Errorf("Progress and Fold disagree:\n%s", diffLines(got, want))
	}
	return s
}

// cardsOf lists the questions that have a card, in bank order.
func cardsOf(cat *quiz.Catalog, s *quiz.State) []string {
	var out []string
	for _, id := range cat.Live {
		if s.Cards[id] != nil {
			out = append(out, id)
		}
	}
	return out
}

func TestFoldCountsAnEventDatedAheadOnlyWithinTheTolerance(t *testing.T) {
	cat := realCatalog(t)
	q1, q2 := cat.Questions[cat.Live[0]], cat.Questions[cat.Live[1]]
	now := t0
	tests := []struct {
		name  string
		ahead time.Duration
		waits bool
	}{
		{"an event dated an hour ahead counts at once", time.Hour, false},
		{"an event dated exactly the tolerance ahead counts at once", quiz.Tolerance, false},
		{"an event dated a millisecond past the tolerance waits", quiz.Tolerance + time.Millisecond, true},
		{"an event dated three days ahead waits", 72 * time.Hour, true},
		{"an event dated a year ahead waits", 365 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := newDevice(t, "AAAAAAAA"), newDevice(t, "BBBBBBBB")
			past := a.right(now.Add(-time.Hour), q1)
			ahead := b.right(now.Add(tt.ahead), q2)
			p := newProgress(t, cat, "AAAAAAAA", []quiz.Event{past}, now)
			p.Add([]quiz.Event{ahead}, now)
			s := p.State()
			if got := digest(s); got != digest(quiz.Fold(p.Log(), quiz.Rules{Catalog: cat, Now: now})) {
				t.Errorf("Progress and Fold disagree")
			}
			if s.Cards[q1.ID] == nil || s.Events != 2 {
				t.Fatalf("the answer of an hour ago does not count (events %d)", s.Events)
			}
			if !tt.waits {
				if s.Pending != 0 || s.Cards[q2.ID] == nil || !s.Cards[q2.ID].LastReview.Equal(now.Add(tt.ahead)) {
					t.Errorf("pending %d, card %+v: want the answer counted at its time", s.Pending, s.Cards[q2.ID])
				}
				return
			}
			if s.Pending != 1 || s.Cards[q2.ID] != nil || s.Practiced != 1 {
				t.Fatalf("pending %d, practiced %d, card %+v: want the answer waiting, uncounted", s.Pending, s.Practiced, s.Cards[q2.ID])
			}
			if !p.Has(ahead.ID) {
				t.Error("a waiting event is not kept in the log")
			}
			// A moment before its time comes, it still waits.
			p.Refresh(now.Add(tt.ahead - quiz.Tolerance - time.Millisecond))
			if s := p.State(); s.Pending != 1 || s.Cards[q2.ID] != nil {
				t.Errorf("before its time: pending %d, card %+v", s.Pending, s.Cards[q2.ID])
			}
			// Once the clock is within the tolerance of its date, it counts, at its date.
			p.Refresh(now.Add(tt.ahead - quiz.Tolerance))
			s = p.State()
			if s.Pending != 0 || s.Practiced != 2 || s.Cards[q2.ID] == nil || !s.Cards[q2.ID].LastReview.Equal(now.Add(tt.ahead)) {
				t.Errorf("when its time comes: pending %d, practiced %d, card %+v: want it counted", s.Pending, s.Practiced, s.Cards[q2.ID])
			}
			// A fold with no clock lets everything count.
			if s := quiz.Fold(p.Log(), quiz.Rules{Catalog: cat}); s.Pending != 0 || s.Cards[q2.ID] == nil {
				t.Errorf("a fold with no clock: pending %d", s.Pending)
			}
		})
	}
}

func TestFoldPlacesAnEarlyEventAtItsArrival(t *testing.T) {
	cat := realCatalog(t)
	q1, q2 := firstOfType(t, cat, quiz.Single, false), firstOfType(t, cat, quiz.Order, false)
	today := t0
	nextYear := today.Add(365 * 24 * time.Hour)
	// B's clock runs a year ahead; A's is right and notes B's events when they reach it today.
	tests := []struct {
		name  string
		now   time.Time
		log   func(a, b *device) []quiz.Event
		check func(t *testing.T, s *quiz.State)
	}{
		{
			name: "a reset dated next year that arrived today clears only what came before its arrival",
			now:  nextYear.Add(time.Hour),
			log: func(a, b *device) []quiz.Event {
				reset := legacyReset(t, b.ids.Next(nextYear))
				return []quiz.Event{a.right(today.Add(-2*time.Hour), q1), reset,
					quiz.NewArrival(a.ids.Next(today), []string{reset.ID}), a.right(today.Add(time.Hour), q2)}
			},
			check: func(t *testing.T, s *quiz.State) {
				if s.Cards[q1.ID] != nil || s.Cards[q2.ID] == nil || s.Practiced != 1 {
					t.Errorf("cards %v, practiced %d: want only the answer given after the reset arrived", cardsOf(cat, s), s.Practiced)
				}
			},
		},
		{
			name: "without an arrival note the same reset clears the answers given after it arrived",
			now:  nextYear.Add(time.Hour),
			log: func(a, b *device) []quiz.Event {
				return []quiz.Event{a.right(today.Add(-2*time.Hour), q1), legacyReset(t, b.ids.Next(nextYear)), a.right(today.Add(time.Hour), q2)}
			},
			check: func(t *testing.T, s *quiz.State) {
				if len(s.Cards) != 0 || s.Practiced != 0 {
					t.Errorf("cards %v, practiced %d: want none (this is what arrival notes prevent)", cardsOf(cat, s), s.Practiced)
				}
			},
		},
		{
			name: "a reset dated next year that arrived today waits and clears nothing while the clock reads today",
			now:  today.Add(2 * time.Hour),
			log: func(a, b *device) []quiz.Event {
				reset := legacyReset(t, b.ids.Next(nextYear))
				return []quiz.Event{a.right(today.Add(-2*time.Hour), q1), reset,
					quiz.NewArrival(a.ids.Next(today), []string{reset.ID}), a.right(today.Add(time.Hour), q2)}
			},
			check: func(t *testing.T, s *quiz.State) {
				if s.Pending != 1 || s.Practiced != 2 {
					t.Errorf("pending %d, practiced %d: want the reset waiting and both answers counted", s.Pending, s.Practiced)
				}
			},
		},
		{
			name: "a reset dated next year that no note names waits and clears nothing while the clock reads today",
			now:  today.Add(2 * time.Hour),
			log: func(a, b *device) []quiz.Event {
				return []quiz.Event{a.right(today.Add(-2*time.Hour), q1), legacyReset(t, b.ids.Next(nextYear)), a.right(today.Add(time.Hour), q2)}
			},
			check: func(t *testing.T, s *quiz.State) {
				if s.Pending != 1 || s.Practiced != 2 {
					t.Errorf("pending %d, practiced %d: want the reset waiting and both answers counted", s.Pending, s.Practiced)
				}
			},
		},
		{
			name: "a version-2 reset dated next year clears only what its device had seen",
			now:  nextYear.Add(time.Hour),
			log: func(a, b *device) []quiz.Event {
				seen := a.right(today.Add(-2*time.Hour), q1)
				return []quiz.Event{seen, quiz.NewReset(b.ids.Next(nextYear), quiz.Seen([]quiz.Event{seen})), a.right(today.Add(time.Hour), q2)}
			},
			check: func(t *testing.T, s *quiz.State) {
				if s.Cards[q1.ID] != nil || s.Cards[q2.ID] == nil || s.Practiced != 1 {
					t.Errorf("cards %v, practiced %d: want only the answer the reset had not seen", cardsOf(cat, s), s.Practiced)
				}
			},
		},
		{
			name: "an answer dated next year counts at its arrival, before the answers given after it",
			now:  nextYear.Add(time.Hour),
			log: func(a, b *device) []quiz.Event {
				early := b.right(nextYear, q1)
				note := quiz.NewArrival(a.ids.Next(today), []string{early.ID})
				wrong := quiz.NewPracticeAnswer(a.ids.Next(today.Add(time.Hour)), quiz.AnswerData{Question: q1.ID, Response: validWrong(t, q1), Correct: false})
				return []quiz.Event{early, note, wrong}
			},
			check: func(t *testing.T, s *quiz.State) {
				c := s.Cards[q1.ID]
				if c == nil || c.Seen != 2 || c.LastCorrect || !c.LastReview.Equal(today.Add(time.Hour)) {
					t.Fatalf("card %+v: want the later, wrong answer last, at %v", c, today.Add(time.Hour))
				}
				if len(s.Reviews) != 2 || !s.Reviews[0].At.Equal(today) || !s.Reviews[0].Correct {
					t.Errorf("reviews %+v: want the early answer first, at its arrival %v", s.Reviews, today)
				}
			},
		},
		{
			name: "an arrival note dated after an event does not move it later",
			now:  today.Add(3 * 24 * time.Hour),
			log: func(a, b *device) []quiz.Event {
				e := b.right(today, q1)
				return []quiz.Event{e, quiz.NewArrival(a.ids.Next(today.Add(48*time.Hour)), []string{e.ID})}
			},
			check: func(t *testing.T, s *quiz.State) {
				if c := s.Cards[q1.ID]; c == nil || !c.LastReview.Equal(today) {
					t.Errorf("card %+v: want the answer at its own time %v", c, today)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := newDevice(t, "AAAAAAAA"), newDevice(t, "BBBBBBBB")
			tt.check(t, foldBoth(t, cat, tt.log(a, b), tt.now))
		})
	}
}

// validWrong is a response that fits q but is not its key.
func validWrong(t *testing.T, q *quiz.Question) quiz.Response {
	t.Helper()
	for i := range q.Choices {
		r := quiz.Response{i}
		if res, err := quiz.Score(q, r); err == nil && !res.Correct {
			return r
		}
	}
	t.Fatalf("question %s has no wrong single choice", q.ID)
	return nil
}

func TestFoldResetClearsWhatItsDeviceHadSeenAndNeverSettings(t *testing.T) {
	cat := realCatalog(t)
	q := func(i int) *quiz.Question { return cat.Questions[cat.Live[i]] }
	ids := func(is ...int) []string {
		var out []string
		for _, i := range is {
			out = append(out, cat.Live[i])
		}
		return out
	}
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name      string
		log       func(a, b, c *device) []quiz.Event
		cards     []string // questions with a card after the fold
		practiced int
		settings  map[string]string
	}{
		{
			name: "a version-2 reset clears the events of each device it names, up to the id it had seen",
			log: func(a, b, c *device) []quiz.Event {
				a1, b1 := a.right(at(1), q(1)), b.right(at(2), q(2))
				b2 := b.right(at(3), q(3)) // written before the reset, but not yet synced to A
				return []quiz.Event{a1, b1, b2, quiz.NewReset(a.ids.Next(at(4)), quiz.Seen([]quiz.Event{a1, b1}))}
			},
			cards: ids(3), practiced: 1,
		},
		{
			name: "an answer from a device the version-2 reset had not seen survives it",
			log: func(a, b, c *device) []quiz.Event {
				a1, c1 := a.right(at(1), q(1)), c.right(at(2), q(2))
				return []quiz.Event{a1, c1, quiz.NewReset(a.ids.Next(at(4)), quiz.Seen([]quiz.Event{a1}))}
			},
			cards: ids(2), practiced: 1,
		},
		{
			name: "a version-2 reset written by a device whose clock is behind still clears what it had seen",
			log: func(a, b, c *device) []quiz.Event {
				a1, b1 := a.right(at(60), q(1)), b.right(at(61), q(2))
				return []quiz.Event{a1, b1, quiz.NewReset(c.ids.Next(at(0)), quiz.Seen([]quiz.Event{a1, b1}))}
			},
			cards: nil, practiced: 0,
		},
		{
			name: "answers after a version-2 reset count",
			log: func(a, b, c *device) []quiz.Event {
				a1 := a.right(at(1), q(1))
				return []quiz.Event{a1, quiz.NewReset(a.ids.Next(at(2)), quiz.Seen([]quiz.Event{a1})), b.right(at(3), q(2)), a.right(at(4), q(1))}
			},
			cards: ids(1, 2), practiced: 2,
		},
		{
			name: "a legacy reset clears every event placed before it, from every device",
			log: func(a, b, c *device) []quiz.Event {
				return []quiz.Event{a.right(at(1), q(1)), b.right(at(2), q(2)), c.right(at(3), q(3)), legacyReset(t, a.ids.Next(at(4))), b.right(at(5), q(4))}
			},
			cards: ids(4), practiced: 1,
		},
		{
			name: "settings survive a version-2 reset",
			log: func(a, b, c *device) []quiz.Event {
				s1, s2 := quiz.NewSetting(a.ids.Next(at(1)), "goal", "20"), quiz.NewSetting(b.ids.Next(at(2)), "theme", "dark")
				a1 := a.right(at(3), q(1))
				return []quiz.Event{s1, s2, a1, quiz.NewReset(a.ids.Next(at(4)), quiz.Seen([]quiz.Event{s1, s2, a1}))}
			},
			cards: nil, practiced: 0, settings: map[string]string{"goal": "20", "theme": "dark"},
		},
		{
			name: "settings survive a legacy reset, and one set after it wins",
			log: func(a, b, c *device) []quiz.Event {
				return []quiz.Event{quiz.NewSetting(a.ids.Next(at(1)), "goal", "20"), quiz.NewSetting(b.ids.Next(at(2)), "theme", "dark"),
					a.right(at(3), q(1)), legacyReset(t, b.ids.Next(at(4))), quiz.NewSetting(c.ids.Next(at(5)), "goal", "30")}
			},
			cards: nil, practiced: 0, settings: map[string]string{"goal": "30", "theme": "dark"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, c := newDevice(t, "AAAAAAAA"), newDevice(t, "BBBBBBBB"), newDevice(t, "CCCCCCCC")
			log := tt.log(a, b, c)
			s := foldBoth(t, cat, log, at(60))
			if got := cardsOf(cat, s); !reflect.DeepEqual(got, tt.cards) {
				t.Errorf("cards %v, want %v", got, tt.cards)
			}
			if s.Practiced != tt.practiced || s.Events != len(log) {
				t.Errorf("practiced %d, events %d; want %d, %d", s.Practiced, s.Events, tt.practiced, len(log))
			}
			want := tt.settings
			if want == nil {
				want = map[string]string{}
			}
			if !reflect.DeepEqual(s.Settings, want) {
				t.Errorf("settings %v, want %v", s.Settings, want)
			}
			if len(s.Unusable) != 0 {
				t.Errorf("unusable %v", s.Unusable)
			}
		})
	}
}

func TestFoldKeepsButDoesNotUseEventsThatDoNotFitTheBank(t *testing.T) {
	cat := realCatalog(t)
	single, order := firstOfType(t, cat, quiz.Single, false), firstOfType(t, cat, quiz.Order, false)
	multi, match := firstOfType(t, cat, quiz.Multi, false), firstOfType(t, cat, quiz.Match, false)
	grid, region := firstOfType(t, cat, quiz.Hotspot, true), firstOfType(t, cat, quiz.Hotspot, false)
	items := []string{single.ID, order.ID, multi.ID, match.ID, grid.ID, region.ID}
	const unknownExam = "01JDQ3X7K2-7QF3ZC9A-0000" // well formed, but no exam.start has it
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	practice := func(d *device, q string, r quiz.Response) quiz.Event {
		return quiz.NewPracticeAnswer(d.ids.Next(at(2)), quiz.AnswerData{Question: q, Response: r, Correct: true})
	}
	examAnswer := func(d *device, exam string, i int, r quiz.Response) quiz.Event {
		return quiz.NewExamAnswer(d.ids.Next(at(2)), quiz.ExamItemData{Exam: exam, Index: i, Response: r, Correct: true})
	}
	tests := []struct {
		name   string
		bad    func(d *device, exam string) quiz.Event
		reason string // what the reason must say
	}{
		{"a practice answer to a question the bank does not hold",
			func(d *device, _ string) quiz.Event { return practice(d, "9.9-999", quiz.Response{0}) }, "not in this bank"},
		{"an order answer with indices out of range",
			func(d *device, _ string) quiz.Event { return practice(d, order.ID, quiz.Response{64, 63, 62, 61, 60}) }, "does not fit"},
		{"an order answer that repeats a step",
			func(d *device, _ string) quiz.Event {
				r := quiz.KeyResponse(order)
				r[1] = r[0]
				return practice(d, order.ID, r)
			}, "does not fit"},
		{"a single answer with two choices",
			func(d *device, _ string) quiz.Event { return practice(d, single.ID, quiz.Response{0, 1}) }, "does not fit"},
		{"a single answer with a negative choice",
			func(d *device, _ string) quiz.Event { return practice(d, single.ID, quiz.Response{-1}) }, "does not fit"},
		{"a multi answer that names a choice twice",
			func(d *device, _ string) quiz.Event { return practice(d, multi.ID, quiz.Response{0, 0}) }, "does not fit"},
		{"a match answer one item short",
			func(d *device, _ string) quiz.Event { return practice(d, match.ID, quiz.KeyResponse(match)[1:]) }, "does not fit"},
		{"a grid answer outside the grid",
			func(d *device, _ string) quiz.Event {
				return practice(d, grid.ID, quiz.Response{len(grid.Grid.Rows), 0})
			}, "does not fit"},
		{"a region answer past the last region",
			func(d *device, _ string) quiz.Event {
				return practice(d, region.ID, quiz.Response{len(region.Choices)})
			}, "does not fit"},
		{"a practice answer with no response",
			func(d *device, _ string) quiz.Event { return practice(d, single.ID, nil) }, "no response"},
		{"an exam answer to an unknown exam",
			func(d *device, _ string) quiz.Event { return examAnswer(d, unknownExam, 0, quiz.Response{0}) }, "exam is unknown"},
		{"an exam flag on an unknown exam",
			func(d *device, _ string) quiz.Event {
				return quiz.NewExamFlag(d.ids.Next(at(2)), quiz.ExamItemData{Exam: unknownExam, Index: 0, Flagged: true})
			}, "exam is unknown"},
		{"an exam submit for an unknown exam",
			func(d *device, _ string) quiz.Event {
				return quiz.NewExamSubmit(d.ids.Next(at(2)), quiz.ExamSubmitData{Exam: unknownExam, Reason: quiz.ByCandidate})
			}, "exam is unknown"},
		{"an exam answer to an item past the last",
			func(d *device, exam string) quiz.Event { return examAnswer(d, exam, len(items), quiz.Response{0}) }, "no item"},
		{"an exam answer to a negative item",
			func(d *device, exam string) quiz.Event { return examAnswer(d, exam, -1, quiz.Response{0}) }, "no item"},
		{"an exam flag on an item past the last",
			func(d *device, exam string) quiz.Event {
				return quiz.NewExamFlag(d.ids.Next(at(2)), quiz.ExamItemData{Exam: exam, Index: 99, Flagged: true})
			}, "no item"},
		{"an exam answer that does not fit its item",
			func(d *device, exam string) quiz.Event {
				return examAnswer(d, exam, 1, quiz.Response{64, 63, 62, 61, 60})
			}, "does not fit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDevice(t, "AAAAAAAA")
			start := quiz.NewExamStart(d.ids.Next(at(1)), quiz.ExamStartData{Items: items, Seed: 1, Minutes: 180})
			bad := tt.bad(d, start.ID)
			// After the bad event, good answers to the same questions.
			log := []quiz.Event{start, bad,
				d.right(at(3), single), d.right(at(3), order),
				quiz.NewExamAnswer(d.ids.Next(at(4)), quiz.ExamItemData{Exam: start.ID, Index: 1, Response: quiz.KeyResponse(order), Correct: true}),
			}
			s := foldBoth(t, cat, log, at(10))
			if len(s.Unusable) != 1 || s.Unusable[0].ID != bad.ID || !strings.Contains(s.Unusable[0].Reason, tt.reason) {
				t.Fatalf("unusable %+v, want %s with a reason that says %q", s.Unusable, bad.ID, tt.reason)
			}
			if s.Events != len(log) {
				t.Errorf("events %d, want %d: the bad event is kept in the log", s.Events, len(log))
			}
			for _, q := range []*quiz.Question{single, order} {
				if c := s.Cards[q.ID]; c == nil || c.Seen != 1 || c.Right != 1 {
					t.Errorf("card of %s %+v: want the good answer after the bad one counted, alone", q.ID, c)
				}
			}
			if s.Practiced != 2 || len(s.Cards) != 2 {
				t.Errorf("practiced %d, cards %v: want the two good answers only", s.Practiced, cardsOf(cat, s))
			}
			x := s.Exam(start.ID)
			if x == nil || len(x.Answers) != len(items) || !reflect.DeepEqual(x.Answers[1], quiz.KeyResponse(order)) {
				t.Fatalf("exam %+v: want the good answer to item 2", x)
			}
			for i, r := range x.Answers {
				if i != 1 && (r != nil || x.Correct[i] || x.Flags[i]) {
					t.Errorf("item %d: answer %v correct %v flag %v, want none", i+1, r, x.Correct[i], x.Flags[i])
				}
			}
		})
	}
}

func TestAClockPutRightGoesOnUnderANewDevice(t *testing.T) {
	cat := realCatalog(t)
	q1, q2 := cat.Questions[cat.Live[0]], cat.Questions[cat.Live[1]]
	now := t0
	a := newDevice(t, "AAAAAAAA")
	before := a.right(now.Add(-time.Hour), q1)
	ahead := a.right(now.Add(365*24*time.Hour), q2) // recorded while the clock was a year ahead
	events := []quiz.Event{before, ahead}

	if quiz.AheadOfClock(events, "AAAAAAAA", now.Add(366*24*time.Hour)) {
		t.Error("a device whose clock is (still) a year ahead is not ahead of that clock")
	}
	if quiz.AheadOfClock(events, "BBBBBBBB", now) {
		t.Error("another device's early events say nothing of this device's clock")
	}
	if !quiz.AheadOfClock(events, "AAAAAAAA", now) {
		t.Fatal("AheadOfClock: the device's newest event is a year ahead of the clock put right")
	}

	// What the app then does: a new device id, and a note that the early events arrive now.
	p := newProgress(t, cat, "CCCCCCCC", events, now)
	if got := p.State().Pending; got != 1 {
		t.Fatalf("before the note, %d events wait; want the one dated ahead", got)
	}
	note, ok := p.Arrival(events, now)
	if !ok {
		t.Fatal("Arrival: no note for an event dated a year ahead")
	}
	p.Add([]quiz.Event{note}, now)
	if _, again := p.Arrival(events, now); again {
		t.Error("Arrival: a second note for events a held note names already")
	}
	later := p.NextID(now.Add(time.Minute))
	if quiz.IDTime(later).After(now.Add(time.Hour)) {
		t.Errorf("the new device's next id is dated %v; want about now", quiz.IDTime(later))
	}
	p.Add([]quiz.Event{quiz.NewPracticeAnswer(later, quiz.AnswerData{Question: q1.ID, Response: quiz.KeyResponse(q1), Correct: true})}, now.Add(time.Minute))
	s := p.State()
	if s.Pending != 1 || s.Practiced != 2 {
		t.Errorf("after the note: pending %d, practiced %d; want 1 and 2 (the answer dated ahead waits, the others count)", s.Pending, s.Practiced)
	}
	if got, want := digest(s), digest(quiz.Fold(p.Log(), quiz.Rules{Catalog: cat, Now: now.Add(time.Minute)})); got != want {
		t.Errorf("Progress and Fold disagree:\n%s", diffLines(got, want))
	}
	// Its date come, the answer counts, placed at the time the device noted it.
	p.Refresh(now.Add(365 * 24 * time.Hour))
	if s := p.State(); s.Pending != 0 || s.Practiced != 3 {
		t.Errorf("a year on: pending %d, practiced %d; want 0 and 3", s.Pending, s.Practiced)
	}
}

func TestAResetCannotClearWhatADeviceDoesAfterIt(t *testing.T) {
	cat := realCatalog(t)
	q1, q2 := cat.Questions[cat.Live[0]], cat.Questions[cat.Live[1]]
	now := t0
	a, z := newDevice(t, "AAAAAAAA"), newDevice(t, "ZZZZZZZZ")
	before := a.right(now.Add(-2*time.Hour), q1)
	after := a.right(now.Add(quiz.Tolerance+time.Hour), q2) // the next day: past the clocks' tolerance
	// A crafted file: a reset made an hour ago that claims to have seen A's events up to 2099.
	future, _ := quiz.NewIDs("AAAAAAAA", "")
	reset := quiz.NewReset(z.ids.Next(now.Add(-time.Hour)), map[string]string{"AAAAAAAA": future.Next(now.Add(70 * 365 * 24 * time.Hour))})
	s := foldBoth(t, cat, []quiz.Event{before, reset, after}, now.Add(quiz.Tolerance+2*time.Hour))
	if s.Cards[q1.ID] != nil || s.Cards[q2.ID] == nil || s.Practiced != 1 {
		t.Errorf("cards %v, practiced %d: want the answer before the reset cleared and the one after it counted", cardsOf(cat, s), s.Practiced)
	}
}
