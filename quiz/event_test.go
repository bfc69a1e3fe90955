package quiz_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func TestEventIDsSortByTimeAndNameTheDevice(t *testing.T) {
	g, err := quiz.NewIDs("7QF3ZC9A", "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	at := t0
	for i := 0; i < 50; i++ {
		if i%10 == 0 {
			at = at.Add(-time.Second) // the clock steps back: ids must still increase
		} else if i%3 == 0 {
			at = at.Add(time.Millisecond)
		}
		ids = append(ids, g.Next(at))
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("ids of one device are not increasing: %v", ids)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("id %s issued twice", id)
		}
		seen[id] = true
		_, dev, _, err := quiz.ParseID(id)
		if err != nil || dev != "7QF3ZC9A" {
			t.Errorf("ParseID(%s) = %s, %v", id, dev, err)
		}
	}
	a, _ := quiz.NewIDs("AAAAAAAA", "")
	b, _ := quiz.NewIDs("BBBBBBBB", "")
	early, late := b.Next(t0), a.Next(t0.Add(time.Millisecond))
	if !(early < late) {
		t.Errorf("ids of different devices do not sort by time: %s !< %s", early, late)
	}
	if got := quiz.IDTime(early); !got.Equal(t0) {
		t.Errorf("IDTime = %v, want %v", got, t0)
	}
	// A restarted generator continues after the last id the device wrote.
	again, err := quiz.NewIDs("7QF3ZC9A", ids[len(ids)-1])
	if err != nil {
		t.Fatal(err)
	}
	if next := again.Next(t0.Add(-time.Hour)); next <= ids[len(ids)-1] {
		t.Errorf("after a restart, %s does not follow %s", next, ids[len(ids)-1])
	}
	if _, err := quiz.NewIDs("bad id", ""); err == nil {
		t.Error("a bad device id was accepted")
	}
	if d := quiz.NewDeviceID(rand.New(rand.NewPCG(1, 1))); !quiz.ValidDeviceID(d) {
		t.Errorf("NewDeviceID made %q", d)
	}
}

func sampleEvents(t testing.TB) []quiz.Event {
	d := newDevice(t, "7QF3ZC9A")
	start := quiz.NewExamStart(d.ids.Next(t0), quiz.ExamStartData{Items: []string{"a", "b"}, Seed: 1<<63 + 5, Minutes: 180, Bank: "v1"})
	return []quiz.Event{
		quiz.NewPracticeAnswer(d.ids.Next(t0), quiz.AnswerData{Question: "3.1-001", Response: quiz.Response{2}, Correct: true, Session: "s1", Millis: 1200}),
		start,
		quiz.NewExamAnswer(d.ids.Next(t0), quiz.ExamItemData{Exam: start.ID, Index: 1, Response: quiz.Response{0, -1, 2}, Correct: false}),
		quiz.NewExamFlag(d.ids.Next(t0), quiz.ExamItemData{Exam: start.ID, Index: 0, Flagged: true}),
		quiz.NewExamSubmit(d.ids.Next(t0), quiz.ExamSubmitData{Exam: start.ID, Reason: quiz.ByClock}),
		quiz.NewSetting(d.ids.Next(t0), "theme", "dark"),
		legacyReset(t, d.ids.Next(t0)),
		quiz.NewReset(d.ids.Next(t0), map[string]string{"7QF3ZC9A": start.ID}),
		quiz.NewArrival(d.ids.Next(t0), []string{start.ID}),
	}
}

func TestEventsRoundTripThroughJSON(t *testing.T) {
	for _, e := range sampleEvents(t) {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := quiz.DecodeEvent(data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", e.Type, err, data)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(data) {
			t.Errorf("%s: round trip changed the event:\n%s\n%s", e.Type, data, again)
		}
	}
}

// TestApplyGivesEachEventTypeItsEffect folds short logs and checks what each event type does to
// the state, including the exam events that must not count.
func TestApplyGivesEachEventTypeItsEffect(t *testing.T) {
	const unknownExam = "01JDQ3X7K2-7QF3ZC9A-0000" // a well-formed id that no exam.start has
	items := []string{"a", "b", "c"}
	const seed, minutes, bankVersion = 1<<63 + 5, 90, "v7"
	deadline := t0.Add(minutes * time.Minute)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	start := func(d *device) quiz.Event {
		return quiz.NewExamStart(d.ids.Next(t0), quiz.ExamStartData{Items: items, Seed: seed, Minutes: minutes, Bank: bankVersion})
	}
	answer := func(d *device, m int, exam string, i int, r quiz.Response, ok bool) quiz.Event {
		return quiz.NewExamAnswer(d.ids.Next(at(m)), quiz.ExamItemData{Exam: exam, Index: i, Response: r, Correct: ok})
	}
	flag := func(d *device, m int, exam string, i int, on bool) quiz.Event {
		return quiz.NewExamFlag(d.ids.Next(at(m)), quiz.ExamItemData{Exam: exam, Index: i, Flagged: on})
	}
	submit := func(d *device, m int, exam, reason string) quiz.Event {
		return quiz.NewExamSubmit(d.ids.Next(at(m)), quiz.ExamSubmitData{Exam: exam, Reason: reason})
	}
	// theExam returns the only exam, which every exam case starts first.
	theExam := func(t *testing.T, s *quiz.State) *quiz.MockExam {
		t.Helper()
		if len(s.Exams) != 1 {
			t.Fatalf("%d exams, want 1", len(s.Exams))
		}
		return s.Exams[0]
	}
	// unanswered checks that the exam holds no answer, no correct mark and no flag.
	unanswered := func(t *testing.T, x *quiz.MockExam) {
		t.Helper()
		if !reflect.DeepEqual(x.Answers, []quiz.Response{nil, nil, nil}) || !reflect.DeepEqual(x.Correct, []bool{false, false, false}) || !reflect.DeepEqual(x.Flags, []bool{false, false, false}) {
			t.Errorf("answers %v correct %v flags %v, want none", x.Answers, x.Correct, x.Flags)
		}
	}
	noProgress := func(t *testing.T, s *quiz.State) {
		t.Helper()
		if len(s.Cards) != 0 || len(s.Reviews) != 0 || s.Practiced != 0 {
			t.Errorf("cards %v reviews %v practiced %d, want none", s.Cards, s.Reviews, s.Practiced)
		}
	}

	tests := []struct {
		name  string
		log   func(d *device) []quiz.Event
		check func(t *testing.T, s *quiz.State, log []quiz.Event)
	}{
		{
			name: "practice.answer creates the question's card and a review",
			log:  func(d *device) []quiz.Event { return []quiz.Event{d.answer(t0, "q1", true)} },
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				if s.Practiced != 1 {
					t.Errorf("Practiced %d, want 1", s.Practiced)
				}
				c := s.Cards["q1"]
				if c == nil {
					t.Fatal("no card for q1")
				}
				if c.Seen != 1 || c.Right != 1 || c.Lapses != 0 || !c.LastCorrect || !c.LastReview.Equal(t0) || !c.Due.After(t0.Add(24*time.Hour)) {
					t.Errorf("card %+v, want seen once, right, reviewed at %v, due after more than a day", c, t0)
				}
				want := []quiz.Review{{Question: "q1", At: t0, Correct: true, Novelty: 1}}
				if !reflect.DeepEqual(s.Reviews, want) {
					t.Errorf("reviews %+v, want %+v", s.Reviews, want)
				}
				if len(s.Exams) != 0 || len(s.Settings) != 0 {
					t.Errorf("exams %v settings %v, want none", s.Exams, s.Settings)
				}
			},
		},
		{
			name: "practice.answer updates the card and adds a review",
			log: func(d *device) []quiz.Event {
				return []quiz.Event{d.answer(t0, "q1", true), d.answer(t0.Add(48*time.Hour), "q1", false)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				later := t0.Add(48 * time.Hour)
				if s.Practiced != 2 || len(s.Cards) != 1 {
					t.Errorf("Practiced %d, %d cards, want 2 and 1", s.Practiced, len(s.Cards))
				}
				c := s.Cards["q1"]
				if c == nil {
					t.Fatal("no card for q1")
				}
				if c.Seen != 2 || c.Right != 1 || c.Lapses != 1 || c.LastCorrect || !c.LastReview.Equal(later) || !c.Due.Equal(later.Add(24*time.Hour)) {
					t.Errorf("card %+v, want seen twice, right once, one lapse, due a day after %v", c, later)
				}
				if len(s.Reviews) != 2 {
					t.Fatalf("%d reviews, want 2", len(s.Reviews))
				}
				r := s.Reviews[1]
				if r.Question != "q1" || !r.At.Equal(later) || r.Correct || r.Exam || !(r.Novelty > 0 && r.Novelty < 1) {
					t.Errorf("second review %+v, want q1 wrong at %v, some novelty", r, later)
				}
			},
		},
		{
			name: "exam.start creates the exam with its items, deadline, seed and bank",
			log:  func(d *device) []quiz.Event { return []quiz.Event{start(d)} },
			check: func(t *testing.T, s *quiz.State, log []quiz.Event) {
				x := theExam(t, s)
				if x.ID != log[0].ID || s.Exam(log[0].ID) != x || s.CurrentExam() != x {
					t.Errorf("exam %s is not found by its id %s or as the current exam", x.ID, log[0].ID)
				}
				if !x.Started.Equal(t0) || !x.Deadline.Equal(deadline) || !reflect.DeepEqual(x.Items, items) || x.Seed != seed || x.Bank != bankVersion {
					t.Errorf("started %v deadline %v items %v seed %d bank %q, want %v %v %v %d %q",
						x.Started, x.Deadline, x.Items, x.Seed, x.Bank, t0, deadline, items, uint64(seed), bankVersion)
				}
				unanswered(t, x)
				if x.Submitted || !x.Ended.IsZero() || x.Reason != "" {
					t.Errorf("a new exam is over: %+v", x)
				}
				noProgress(t, s)
			},
		},
		{
			name: "exam.answer sets the item's answer and whether it is correct",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 1, x.ID, 1, quiz.Response{2}, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if !reflect.DeepEqual(x.Answers, []quiz.Response{nil, {2}, nil}) || !reflect.DeepEqual(x.Correct, []bool{false, true, false}) {
					t.Errorf("answers %v correct %v, want item 1 answered [2], correct", x.Answers, x.Correct)
				}
				noProgress(t, s) // exam answers count only when the exam is submitted
			},
		},
		{
			name: "exam.answer replaces an earlier answer",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 1, x.ID, 1, quiz.Response{2}, true), answer(d, 2, x.ID, 1, quiz.Response{0}, false)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if !reflect.DeepEqual(x.Answers[1], quiz.Response{0}) || x.Correct[1] {
					t.Errorf("item 1: answer %v correct %v, want [0] wrong", x.Answers[1], x.Correct[1])
				}
			},
		},
		{
			name: "exam.answer with an empty response clears the answer",
			log: func(d *device) []quiz.Event {
				x := start(d)
				// An empty response clears the answer and the correct mark, whatever the event says.
				return []quiz.Event{x, answer(d, 1, x.ID, 1, quiz.Response{2}, true), answer(d, 2, x.ID, 1, quiz.Response{}, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) { unanswered(t, theExam(t, s)) },
		},
		{
			name: "exam.answer at the deadline counts",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, minutes, x.ID, 0, quiz.Response{1}, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				if x := theExam(t, s); !reflect.DeepEqual(x.Answers[0], quiz.Response{1}) || !x.Correct[0] {
					t.Errorf("item 0: answer %v correct %v, want [1] correct", x.Answers[0], x.Correct[0])
				}
			},
		},
		{
			name: "exam.answer after the deadline is ignored",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, minutes+1, x.ID, 0, quiz.Response{1}, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) { unanswered(t, theExam(t, s)) },
		},
		{
			name: "exam.answer for an unknown exam is ignored",
			log: func(d *device) []quiz.Event {
				return []quiz.Event{start(d), answer(d, 1, unknownExam, 0, quiz.Response{1}, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				unanswered(t, theExam(t, s))
				if s.Exam(unknownExam) != nil {
					t.Error("an answer created an exam")
				}
			},
		},
		{
			name: "exam.answer for an item out of range is ignored",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 1, x.ID, len(items), quiz.Response{1}, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				unanswered(t, x)
				if len(x.Answers) != len(items) || len(x.Correct) != len(items) {
					t.Errorf("answers %v correct %v grew past the %d items", x.Answers, x.Correct, len(items))
				}
			},
		},
		{
			name: "exam.answer and exam.flag on a submitted exam are ignored",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 1, x.ID, 0, quiz.Response{1}, true), submit(d, 2, x.ID, quiz.ByCandidate),
					answer(d, 3, x.ID, 0, quiz.Response{2}, false), answer(d, 3, x.ID, 1, quiz.Response{2}, true), flag(d, 4, x.ID, 2, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if !reflect.DeepEqual(x.Answers, []quiz.Response{{1}, nil, nil}) || !reflect.DeepEqual(x.Correct, []bool{true, false, false}) || x.Flags[2] {
					t.Errorf("answers %v correct %v flags %v changed after the submit", x.Answers, x.Correct, x.Flags)
				}
			},
		},
		{
			name: "exam.flag sets a flag and leaves the answer alone",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 1, x.ID, 2, quiz.Response{1}, true), flag(d, 2, x.ID, 2, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if !reflect.DeepEqual(x.Flags, []bool{false, false, true}) {
					t.Errorf("flags %v, want item 2 flagged", x.Flags)
				}
				if !reflect.DeepEqual(x.Answers[2], quiz.Response{1}) || !x.Correct[2] {
					t.Errorf("the flag changed item 2's answer: %v correct %v", x.Answers[2], x.Correct[2])
				}
			},
		},
		{
			name: "exam.flag clears a flag",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, flag(d, 1, x.ID, 2, true), flag(d, 2, x.ID, 2, false)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) { unanswered(t, theExam(t, s)) },
		},
		{
			name: "exam.flag after the deadline is ignored",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, flag(d, minutes+1, x.ID, 2, true)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) { unanswered(t, theExam(t, s)) },
		},
		{
			name: "exam.submit ends the exam and turns its final answers into reviews",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 10, x.ID, 0, quiz.Response{1}, true), answer(d, 11, x.ID, 1, quiz.Response{0}, false),
					flag(d, 12, x.ID, 2, true), submit(d, 30, x.ID, quiz.ByCandidate)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if !x.Submitted || x.Reason != quiz.ByCandidate || !x.Ended.Equal(at(30)) || s.CurrentExam() != nil {
					t.Errorf("submitted %v reason %q ended %v, want by the candidate at %v", x.Submitted, x.Reason, x.Ended, at(30))
				}
				want := []quiz.Review{{Question: "a", At: at(30), Correct: true, Novelty: 1, Exam: true}, {Question: "b", At: at(30), Correct: false, Novelty: 1, Exam: true}}
				if !reflect.DeepEqual(s.Reviews, want) {
					t.Errorf("reviews %+v, want %+v", s.Reviews, want)
				}
				a, b := s.Cards["a"], s.Cards["b"]
				if a == nil || b == nil || s.Cards["c"] != nil || len(s.Cards) != 2 {
					t.Fatalf("cards %v, want a and b (c was not answered)", s.Cards)
				}
				if a.Seen != 1 || a.Right != 1 || !a.LastReview.Equal(at(30)) || b.Seen != 1 || b.Right != 0 || !b.LastReview.Equal(at(30)) {
					t.Errorf("cards a %+v b %+v, want each seen once at %v, a right", a, b, at(30))
				}
				if s.Practiced != 0 {
					t.Errorf("Practiced %d: exam answers are not practice", s.Practiced)
				}
			},
		},
		{
			name: "exam.submit after the deadline ends the exam at the deadline",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 10, x.ID, 0, quiz.Response{1}, true), submit(d, minutes+110, x.ID, quiz.ByClock)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if !x.Submitted || x.Reason != quiz.ByClock || !x.Ended.Equal(deadline) {
					t.Errorf("submitted %v reason %q ended %v, want by the clock at %v", x.Submitted, x.Reason, x.Ended, deadline)
				}
				want := []quiz.Review{{Question: "a", At: deadline, Correct: true, Novelty: 1, Exam: true}}
				if !reflect.DeepEqual(s.Reviews, want) {
					t.Errorf("reviews %+v, want %+v", s.Reviews, want)
				}
			},
		},
		{
			name: "a second exam.submit is ignored",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 10, x.ID, 0, quiz.Response{1}, true), submit(d, 30, x.ID, quiz.ByCandidate), submit(d, 40, x.ID, quiz.ByClock)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if x.Reason != quiz.ByCandidate || !x.Ended.Equal(at(30)) {
					t.Errorf("reason %q ended %v, want the first submit's %q %v", x.Reason, x.Ended, quiz.ByCandidate, at(30))
				}
				if c := s.Cards["a"]; len(s.Reviews) != 1 || c == nil || c.Seen != 1 {
					t.Errorf("%d reviews, card a %+v: the answers must count once", len(s.Reviews), c)
				}
			},
		},
		{
			name: "exam.submit for an unknown exam is ignored",
			log: func(d *device) []quiz.Event {
				x := start(d)
				return []quiz.Event{x, answer(d, 10, x.ID, 0, quiz.Response{1}, true), submit(d, 30, unknownExam, quiz.ByCandidate)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				x := theExam(t, s)
				if x.Submitted || s.CurrentExam() != x || s.Exam(unknownExam) != nil {
					t.Errorf("a submit for another exam ended this one or created one: %+v", x)
				}
				noProgress(t, s)
			},
		},
		{
			name: "settings.set sets a setting, the last value winning",
			log: func(d *device) []quiz.Event {
				return []quiz.Event{quiz.NewSetting(d.ids.Next(t0), "theme", "dark"), quiz.NewSetting(d.ids.Next(t0), "size", "20"), quiz.NewSetting(d.ids.Next(t0), "theme", "light")}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				if want := map[string]string{"theme": "light", "size": "20"}; !reflect.DeepEqual(s.Settings, want) {
					t.Errorf("settings %v, want %v", s.Settings, want)
				}
				noProgress(t, s)
			},
		},
		{
			name: "progress.reset clears cards, reviews and exams but keeps settings and the event count",
			log: func(d *device) []quiz.Event {
				x := start(d)
				log := []quiz.Event{quiz.NewSetting(d.ids.Next(t0), "theme", "dark"), x, answer(d, 1, x.ID, 0, quiz.Response{1}, true),
					submit(d, 2, x.ID, quiz.ByCandidate), start(d), d.answer(at(3), "q1", true)}
				return append(log, quiz.NewReset(d.ids.Next(at(4)), quiz.Seen(log)))
			},
			check: func(t *testing.T, s *quiz.State, log []quiz.Event) {
				if len(s.Cards) != 0 || len(s.Reviews) != 0 || len(s.Exams) != 0 || s.Practiced != 0 {
					t.Errorf("cards %v reviews %v exams %v practiced %d survived the reset", s.Cards, s.Reviews, s.Exams, s.Practiced)
				}
				if s.Exam(log[1].ID) != nil || s.Exam(log[4].ID) != nil || s.CurrentExam() != nil {
					t.Error("an exam is still found by its id after the reset")
				}
				if want := map[string]string{"theme": "dark"}; !reflect.DeepEqual(s.Settings, want) {
					t.Errorf("settings %v, want %v", s.Settings, want)
				}
			},
		},
		{
			name: "progress.reset leaves a state that takes new answers",
			log: func(d *device) []quiz.Event {
				first := d.answer(t0, "q1", true)
				return []quiz.Event{first, quiz.NewReset(d.ids.Next(at(1)), quiz.Seen([]quiz.Event{first})), d.answer(at(2), "q1", false)}
			},
			check: func(t *testing.T, s *quiz.State, _ []quiz.Event) {
				if c := s.Cards["q1"]; c == nil || c.Seen != 1 || c.Right != 0 || s.Practiced != 1 || len(s.Reviews) != 1 {
					t.Errorf("card %+v practiced %d reviews %d, want only the answer after the reset", c, s.Practiced, len(s.Reviews))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := tt.log(newDevice(t, "AAAAAAAA"))
			s := quiz.Fold(log, quiz.Rules{})
			if s.Events != len(log) || s.Last != log[len(log)-1].ID {
				t.Errorf("Events %d Last %s, want %d %s", s.Events, s.Last, len(log), log[len(log)-1].ID)
			}
			tt.check(t, s, log)
		})
	}
}

func TestDecodeEventRefusesWhatItCannotTrust(t *testing.T) {
	good := `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"practice.answer","data":{"q":"3.1-001","r":[2],"ok":true}}`
	if _, err := quiz.DecodeEvent([]byte(good)); err != nil {
		t.Fatalf("a good event was refused: %v", err)
	}
	tests := []struct {
		name, json string
		want       error
	}{
		{"not JSON", `{"v":1,`, quiz.ErrBadEvent},
		{"newer version", strings.Replace(good, `"v":1`, `"v":3`, 1), quiz.ErrNewerVersion},
		{"no version", strings.Replace(good, `"v":1,`, ``, 1), quiz.ErrBadEvent},
		{"bad id", strings.Replace(good, "01JDQ3X7K2-7QF3ZC9A-0000", "1-2-3", 1), quiz.ErrBadEvent},
		{"id with a letter outside base32", strings.Replace(good, "01JDQ3X7K2", "01JDQ3X7KU", 1), quiz.ErrBadEvent},
		{"id in lower case", strings.Replace(good, "01JDQ3X7K2", "01jdq3x7k2", 1), quiz.ErrBadEvent},
		{"unknown type", strings.Replace(good, "practice.answer", "practice.cheat", 1), quiz.ErrBadEvent},
		{"unknown field", strings.Replace(good, `"ok":true`, `"ok":true,"extra":1`, 1), quiz.ErrBadEvent},
		{"no question", strings.Replace(good, `"q":"3.1-001",`, ``, 1), quiz.ErrBadEvent},
		{"response index out of range", strings.Replace(good, `"r":[2]`, `"r":[9999]`, 1), quiz.ErrBadEvent},
		{"trailing data", good + `{}`, quiz.ErrBadEvent},
		{"exam item for a bad exam id", `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.flag","data":{"exam":"x","i":0,"on":true}}`, quiz.ErrBadEvent},
		{"submit with a bad reason", `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.submit","data":{"exam":"01JDQ3X7K2-7QF3ZC9A-0000","reason":"bored"}}`, quiz.ErrBadEvent},
		{"exam without items", `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.start","data":{"items":[],"seed":"1","minutes":180}}`, quiz.ErrBadEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := quiz.DecodeEvent([]byte(tt.json)); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzDecodeEvent feeds arbitrary bytes to the decoder: it must return an error or an event that
// encodes back to a decodable event, and never panic.
func FuzzDecodeEvent(f *testing.F) {
	for _, e := range sampleEvents(f) {
		data, _ := json.Marshal(e)
		f.Add(data)
	}
	f.Add([]byte(`{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.answer","data":{"exam":"01JDQ3X7K2-7QF3ZC9A-0000","i":3,"r":[0]}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"v":1e400}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := quiz.DecodeEvent(data)
		if err != nil {
			return
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("a decoded event does not encode: %v", err)
		}
		if _, err := quiz.DecodeEvent(out); err != nil {
			t.Fatalf("a decoded event does not decode again: %v\n%s", err, out)
		}
		quiz.Fold([]quiz.Event{e}, quiz.Rules{})
	})
}
