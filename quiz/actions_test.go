package quiz_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func TestAFullMockExamThroughTheActions(t *testing.T) {
	c := catalog(t, synthBank(t, 600, 10, 31))
	d := newDevice(t, "AAAAAAAA")
	rng := rand.New(rand.NewPCG(4, 4))
	var log []quiz.Event
	do := func(e quiz.Event, err error) *quiz.State {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		log = quiz.Merge(log, []quiz.Event{e})
		return quiz.Fold(log, quiz.Rules{})
	}
	s := do(quiz.StartExam(c, quiz.NewState(), d.ids.Next(t0), rng))
	x := s.CurrentExam()
	if x == nil || len(x.Items) != 125 || x.Deadline.Sub(x.Started) != 180*time.Minute {
		t.Fatalf("exam: %+v", x)
	}
	if _, err := quiz.StartExam(c, s, d.ids.Next(t0.Add(time.Minute)), rng); err == nil || !strings.Contains(err.Error(), "already in progress") {
		t.Errorf("a second exam started while one runs: %v", err)
	}
	// Answer every item with its key, then change item 0 to a wrong answer, flag item 1.
	for i, id := range x.Items {
		q := c.Questions[id]
		s = do(quiz.AnswerExam(c, s.CurrentExam(), d.ids.Next(t0.Add(time.Minute)), i, quiz.Response{q.Key[0]}))
	}
	wrong := (c.Questions[x.Items[0]].Key[0] + 1) % 4
	s = do(quiz.AnswerExam(c, s.CurrentExam(), d.ids.Next(t0.Add(2*time.Minute)), 0, quiz.Response{wrong}))
	s = do(quiz.FlagExam(s.CurrentExam(), d.ids.Next(t0.Add(2*time.Minute)), 1, true))
	if _, err := quiz.AnswerExam(c, s.CurrentExam(), d.ids.Next(t0.Add(2*time.Minute)), 125, quiz.Response{0}); err == nil {
		t.Error("an answer to item 126 was accepted")
	}
	s = do(quiz.SubmitExam(s.CurrentExam(), d.ids.Next(t0.Add(3*time.Minute))))
	x = s.Exam(x.ID)
	score := quiz.ScoreExam(c, x)
	if !x.Submitted || x.Reason != quiz.ByCandidate || score.Correct != 124 || !score.Passed {
		t.Errorf("after submit: %+v, score %+v", x.Reason, score)
	}
	if _, err := quiz.AnswerExam(c, x, d.ids.Next(t0.Add(4*time.Minute)), 0, quiz.Response{0}); err == nil {
		t.Error("a submitted exam accepted an answer")
	}
	// The next exam avoids the questions of this one while the bank allows.
	s = do(quiz.StartExam(c, s, d.ids.Next(t0.Add(time.Hour)), rng))
	repeats := 0
	for _, id := range s.CurrentExam().Items {
		for _, old := range x.Items {
			if id == old {
				repeats++
			}
		}
	}
	if repeats > 0 {
		t.Errorf("the second exam repeats %d questions of the first although the bank has 600", repeats)
	}
	// Time runs out: answering is refused and the submit is the clock's.
	late := t0.Add(time.Hour + 181*time.Minute)
	if _, err := quiz.AnswerExam(c, s.CurrentExam(), d.ids.Next(late), 0, quiz.Response{0}); err == nil || !strings.Contains(err.Error(), "time is up") {
		t.Errorf("answer after time: %v", err)
	}
	s = do(quiz.SubmitExam(s.CurrentExam(), d.ids.Next(late)))
	if last := s.Exams[len(s.Exams)-1]; last.Reason != quiz.ByClock {
		t.Errorf("submit after time: reason %q", last.Reason)
	}
}

func TestAnswerPracticeScoresAndRefusesNonsense(t *testing.T) {
	c := catalog(t, synthBank(t, 50, 0, 32))
	d := newDevice(t, "AAAAAAAA")
	q := c.Questions[c.Live[0]]
	e, res, err := quiz.AnswerPractice(c, d.ids.Next(t0), q.ID, quiz.Response{q.Key[0]}, "s1", 5000)
	if err != nil || !res.Correct || !e.Answer.Correct || e.Answer.Millis != 5000 {
		t.Errorf("right answer: %+v %+v %v", e.Answer, res, err)
	}
	if _, _, err := quiz.AnswerPractice(c, d.ids.Next(t0), "nope", quiz.Response{0}, "s1", 0); err == nil {
		t.Error("an unknown question was accepted")
	}
	if _, _, err := quiz.AnswerPractice(c, d.ids.Next(t0), q.ID, nil, "s1", 0); err == nil || !strings.Contains(err.Error(), "choose an answer") {
		t.Errorf("an empty answer: %v", err)
	}
	if _, _, err := quiz.AnswerPractice(c, d.ids.Next(t0), q.ID, quiz.Response{7}, "s1", 0); err == nil {
		t.Error("an out-of-range answer was accepted")
	}
}
