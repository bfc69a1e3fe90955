package quiz_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func TestSpacedRepetitionRatesRightGoodAndWrongAgain(t *testing.T) {
	d := newDevice(t, "AAAAAAAA")
	s := quiz.Fold(quiz.SortLog([]quiz.Event{d.answer(t0, "right", true), d.answer(t0, "wrong", false)}), quiz.Rules{})
	right, wrong := s.Cards["right"], s.Cards["wrong"]
	if right == nil || wrong == nil {
		t.Fatal("no cards after answers")
	}
	if !wrong.Due.Before(right.Due) {
		t.Errorf("a missed question is due %v, not before the right one's %v", wrong.Due, right.Due)
	}
	if wrong.Due.Sub(t0) != 24*time.Hour {
		t.Errorf("a missed question comes back the next day, not after %v", wrong.Due.Sub(t0))
	}
	if right.Seen != 1 || right.Right != 1 || wrong.Right != 0 || s.Practiced != 2 {
		t.Errorf("counts: %+v %+v", right, wrong)
	}
	// Retrievability falls with time and is 0 for a question never answered.
	r1, r2 := s.Retrievability("right", t0.Add(24*time.Hour)), s.Retrievability("right", t0.Add(30*24*time.Hour))
	if !(r1 > r2 && r2 > 0 && r1 <= 1) || s.Retrievability("never", t0) != 0 {
		t.Errorf("retrievability: a day %.3f, a month %.3f", r1, r2)
	}
	// The first answer counts fully as evidence; an answer right after a rehearsal counts little.
	s = quiz.Fold(quiz.SortLog([]quiz.Event{d.answer(t0.Add(time.Hour), "q", true), d.answer(t0.Add(time.Hour+time.Minute), "q", true)}), quiz.Rules{})
	if s.Reviews[0].Novelty != 1 || s.Reviews[1].Novelty > 0.05 {
		t.Errorf("novelty of first and rehearsed answers: %.3f, %.3f", s.Reviews[0].Novelty, s.Reviews[1].Novelty)
	}
}

func TestMockExamAnswersFlagsSubmitAndClock(t *testing.T) {
	d := newDevice(t, "AAAAAAAA")
	start := quiz.NewExamStart(d.ids.Next(t0), quiz.ExamStartData{Items: []string{"a", "b", "c"}, Seed: 9, Minutes: 180})
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	ans := func(m, i, choice int, ok bool) quiz.Event {
		return quiz.NewExamAnswer(d.ids.Next(at(m)), quiz.ExamItemData{Exam: start.ID, Index: i, Response: quiz.Response{choice}, Correct: ok})
	}
	events := []quiz.Event{
		start,
		ans(1, 0, 2, false),
		ans(2, 0, 1, true), // changed: the last answer counts
		ans(3, 1, 0, true),
		quiz.NewExamAnswer(d.ids.Next(at(4)), quiz.ExamItemData{Exam: start.ID, Index: 1}), // cleared again
		quiz.NewExamFlag(d.ids.Next(at(5)), quiz.ExamItemData{Exam: start.ID, Index: 2, Flagged: true}),
		ans(6, 7, 0, true), // no item 7: ignored
	}
	s := quiz.Fold(quiz.SortLog(events), quiz.Rules{})
	x := s.CurrentExam()
	if x == nil || x.ID != start.ID || x.Submitted {
		t.Fatalf("exam in progress: %+v", x)
	}
	if !reflect.DeepEqual(x.Answers[0], quiz.Response{1}) || !x.Correct[0] || x.Answers[1] != nil {
		t.Errorf("answers %v correct %v", x.Answers, x.Correct)
	}
	un, fl := x.ReviewList()
	if !reflect.DeepEqual(un, []int{1, 2}) || !reflect.DeepEqual(fl, []int{2}) {
		t.Errorf("review list: unanswered %v flagged %v", un, fl)
	}
	if got := x.Remaining(at(30)); got != 150*time.Minute {
		t.Errorf("remaining after 30 minutes: %v", got)
	}
	if x.TimeUp(at(179)) || !x.TimeUp(at(180)) {
		t.Error("time is up at 180 minutes, not before")
	}
	// An answer after the deadline does not count; the clock's submit ends the exam at the deadline.
	events = append(events, ans(181, 2, 0, true), quiz.NewExamSubmit(d.ids.Next(at(200)), quiz.ExamSubmitData{Exam: start.ID, Reason: quiz.ByClock}))
	s = quiz.Fold(quiz.SortLog(events), quiz.Rules{})
	x = s.Exam(start.ID)
	if !x.Submitted || x.Reason != quiz.ByClock || !x.Ended.Equal(x.Deadline) || x.Answers[2] != nil {
		t.Errorf("after time: %+v", x)
	}
	if s.CurrentExam() != nil {
		t.Error("a submitted exam is still current")
	}
	// The final answers count for spaced repetition, once, at the end.
	if c := s.Cards["a"]; c == nil || c.Seen != 1 || c.Right != 1 || s.Cards["b"] != nil {
		t.Errorf("cards after the exam: a=%+v b=%+v", s.Cards["a"], s.Cards["b"])
	}
	// Nothing changes an exam once submitted.
	events = append(events, quiz.NewExamSubmit(d.ids.Next(at(201)), quiz.ExamSubmitData{Exam: start.ID, Reason: quiz.ByCandidate}))
	if x := quiz.Fold(quiz.SortLog(events), quiz.Rules{}).Exam(start.ID); x.Reason != quiz.ByClock {
		t.Error("a second submit changed the exam")
	}
}

func TestResetClearsProgressButKeepsSettings(t *testing.T) {
	d := newDevice(t, "AAAAAAAA")
	events := []quiz.Event{
		quiz.NewSetting(d.ids.Next(t0), "size", "20"),
		d.answer(t0, "q1", true),
	}
	events = append(events, quiz.NewReset(d.ids.Next(t0.Add(time.Minute)), quiz.Seen(events)), d.answer(t0.Add(2*time.Minute), "q2", false))
	s := quiz.Fold(quiz.SortLog(events), quiz.Rules{})
	if s.Cards["q1"] != nil || s.Cards["q2"] == nil || s.Practiced != 1 || s.Settings["size"] != "20" || s.Events != 4 {
		t.Errorf("after reset: cards %v practiced %d settings %v", s.Cards, s.Practiced, s.Settings)
	}
}
