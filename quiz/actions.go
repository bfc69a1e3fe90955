package quiz

import (
	"fmt"
	"math/rand/v2"
)

// The actions below turn what the candidate does into events: they score the response against the
// catalog, so that an adapter (the browser app) never scores anything itself. The caller supplies
// the new event's id (IDs.Next) and writes the event to storage before showing its effect.

// AnswerPractice scores a practice answer and returns its event and result.
func AnswerPractice(c *Catalog, id, question string, r Response, session string, millis int64) (Event, Result, error) {
	q := c.Questions[question]
	if q == nil {
		return Event{}, Result{}, fmt.Errorf("question %s is not in this bank", question)
	}
	res, err := Score(q, r)
	if err != nil {
		return Event{}, Result{}, err
	}
	if !res.Answered {
		return Event{}, Result{}, fmt.Errorf("question %s: choose an answer first", question)
	}
	return NewPracticeAnswer(id, AnswerData{Question: question, Response: r, Correct: res.Correct, Session: session, Millis: millis}), res, nil
}

// StartExam assembles a mock exam (see AssembleExam) for the candidate whose state is s and returns
// the event that starts it. Its seed fixes the layout of every item.
func StartExam(c *Catalog, s *State, id string, rng *rand.Rand) (Event, error) {
	if x := s.CurrentExam(); x != nil && !x.TimeUp(IDTime(id)) {
		return Event{}, fmt.Errorf("a mock exam is already in progress: finish or submit it first")
	}
	items, err := AssembleExam(c, s.ExamExposure(), rng)
	if err != nil {
		return Event{}, err
	}
	return NewExamStart(id, ExamStartData{Items: items, Seed: rng.Uint64(), Minutes: c.Bank.Outline.Exam.Minutes, Bank: c.Bank.Version}), nil
}

// AnswerExam records an answer (or, with an empty response, clears it) on item i of an exam in
// progress. The answer is scored now but counts only at submit.
func AnswerExam(c *Catalog, x *MockExam, id string, i int, r Response) (Event, error) {
	if err := checkOpen(x, id, i); err != nil {
		return Event{}, err
	}
	q := c.Questions[x.Items[i]]
	if q == nil {
		return Event{}, fmt.Errorf("item %d (%s) is no longer in the bank", i+1, x.Items[i])
	}
	res, err := Score(q, r)
	if err != nil {
		return Event{}, err
	}
	return NewExamAnswer(id, ExamItemData{Exam: x.ID, Index: i, Response: r, Correct: res.Correct}), nil
}

// FlagExam flags or unflags item i of an exam in progress for review.
func FlagExam(x *MockExam, id string, i int, on bool) (Event, error) {
	if err := checkOpen(x, id, i); err != nil {
		return Event{}, err
	}
	return NewExamFlag(id, ExamItemData{Exam: x.ID, Index: i, Flagged: on}), nil
}

// SubmitExam ends an exam: by the candidate, or by the clock when its time is up.
func SubmitExam(x *MockExam, id string) (Event, error) {
	if x == nil || x.Submitted {
		return Event{}, fmt.Errorf("there is no mock exam in progress to submit")
	}
	reason := ByCandidate
	if x.TimeUp(IDTime(id)) {
		reason = ByClock
	}
	return NewExamSubmit(id, ExamSubmitData{Exam: x.ID, Reason: reason}), nil
}

func checkOpen(x *MockExam, id string, i int) error {
	switch {
	case x == nil || x.Submitted:
		return fmt.Errorf("this mock exam has ended: answers can no longer change")
	case x.TimeUp(IDTime(id)):
		return fmt.Errorf("time is up: the exam is being submitted")
	case i < 0 || i >= len(x.Items):
		return fmt.Errorf("there is no item %d in this exam", i+1)
	}
	return nil
}
