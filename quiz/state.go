package quiz

import (
	"fmt"
	"math"
	"time"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// MaxInterval caps spaced-repetition intervals, in days: a candidate preparing for an exam should
// meet every question again within a year.
const MaxInterval = 365

// TargetRetention is the probability of recall at which a card falls due.
const TargetRetention = 0.9

// NewScheduler returns the spaced-repetition model: FSRS-6 (go-fsrs) with its default weights.
// The engine uses its memory-state functions directly, with whole-day intervals (a practice session
// never repeats a question, so a missed one comes back the next day) and no fuzz, so that the same
// log always folds to the same state.
func NewScheduler() fsrs.Parameters {
	p := fsrs.DefaultParam()
	p.RequestRetention = TargetRetention
	p.MaximumInterval = MaxInterval
	p.EnableFuzz = false
	p.EnableShortTerm = false
	return p
}

// Card is a question's spaced-repetition card: FSRS memory state, when it falls due, and how it went.
type Card struct {
	Stability   float64 // days for recall to fall to 90%
	Difficulty  float64 // 1 (easy) to 10 (hard)
	LastReview  time.Time
	Due         time.Time
	Seen        int
	Right       int
	Lapses      int
	LastCorrect bool
}

// Review is one answer that counted for spaced repetition: a practice answer, or a final answer
// of a submitted mock exam.
type Review struct {
	Question string
	At       time.Time
	Correct  bool
	// Novelty is 1 minus the card's retrievability just before the answer: 1 when the question
	// was new or long forgotten, near 0 when it had just been rehearsed. It says how much the
	// answer tells about the candidate's ability on questions they have not seen.
	Novelty float64
	Exam    bool
}

// MockExam is a mock exam as the log records it.
type MockExam struct {
	ID       string
	Started  time.Time
	Deadline time.Time
	Items    []string
	Seed     uint64
	Bank     string
	Answers  []Response // final answer per item; nil where unanswered
	Correct  []bool
	Flags    []bool
	// Submitted is set by an exam.submit event; Ended is when (never after the deadline).
	Submitted bool
	Ended     time.Time
	Reason    string
}

// State is everything the candidate sees, derived by folding the log in id order.
type State struct {
	Cards     map[string]*Card
	Reviews   []Review    // in time order
	Exams     []*MockExam // in start order
	Settings  map[string]string
	Practiced int // practice answers since the last reset
	Events    int // events in the log
	Last      string
	// Unusable are the events kept in the log that the fold could not use: an answer that does
	// not fit its question, a question the bank does not hold, an exam never started.
	Unusable []Unusable
	// Pending counts the events dated more than Tolerance after the clock: they count from then.
	Pending int
	exams   map[string]*MockExam
	srs     fsrs.Parameters
	curve   forgetting
}

// NewState returns the state of an empty log.
func NewState() *State {
	srs := NewScheduler()
	return &State{Cards: map[string]*Card{}, Settings: map[string]string{}, exams: map[string]*MockExam{}, srs: srs, curve: newForgetting(srs)}
}

// forgetting is FSRS-6's forgetting curve with its two constants worked out once. go-fsrs works
// them out again, with a check of all 21 weights, on every call: a fold computes recall on every
// answer, and that cost a seventh of its time.
type forgetting struct{ decay, factor float64 }

func newForgetting(p fsrs.Parameters) forgetting {
	decay := -p.W[20]
	return forgetting{decay: decay, factor: math.Pow(0.9, 1/decay) - 1}
}

// at is go-fsrs's ForgettingCurve (TestForgettingCurveMatchesGoFSRS holds them together).
func (f forgetting) at(days, stability float64) float64 {
	return math.Pow(1+f.factor*days/min(max(stability, 0.001), 36500), f.decay)
}

// Apply folds one more event into the state at time at (its effective time, docs/PROGRESS.md),
// checking it against the rules. Events must come in the fold's order: a new local event can be
// applied directly; events merged from elsewhere, arrival notes and resets need a fresh Fold.
// An event that does not fit the bank is recorded in Unusable and changes nothing else.
func (s *State) Apply(e Event, at time.Time, r Rules) {
	s.Last = e.ID
	if reason := s.check(e, r); reason != "" {
		s.Unusable = append(s.Unusable, Unusable{ID: e.ID, Reason: reason})
		return
	}
	switch e.Type {
	case PracticeAnswer:
		s.Practiced++
		s.review(e.Answer.Question, at, e.Answer.Correct, false)
	case ExamStart:
		x := &MockExam{
			ID: e.ID, Started: at, Deadline: at.Add(time.Duration(e.Start.Minutes) * time.Minute),
			Items: e.Start.Items, Seed: e.Start.Seed, Bank: e.Start.Bank,
			Answers: make([]Response, len(e.Start.Items)), Correct: make([]bool, len(e.Start.Items)), Flags: make([]bool, len(e.Start.Items)),
		}
		s.Exams = append(s.Exams, x)
		s.exams[x.ID] = x
	case ExamAnswer, ExamFlag:
		x := s.exams[e.Item.Exam]
		if x.Submitted || at.After(x.Deadline) {
			return // the exam is over: a late answer from another device does not count
		}
		i := e.Item.Index
		if e.Type == ExamFlag {
			x.Flags[i] = e.Item.Flagged
			return
		}
		if len(e.Item.Response) == 0 {
			x.Answers[i], x.Correct[i] = nil, false
		} else {
			x.Answers[i], x.Correct[i] = e.Item.Response, e.Item.Correct
		}
	case ExamSubmit:
		x := s.exams[e.Submit.Exam]
		if x.Submitted {
			return
		}
		x.Submitted, x.Reason = true, e.Submit.Reason
		x.Ended = at
		if at.After(x.Deadline) {
			x.Ended = x.Deadline
		}
		// The final answers count for spaced repetition, as of the end of the exam.
		for i, r := range x.Answers {
			if len(r) > 0 {
				s.review(x.Items[i], x.Ended, x.Correct[i], true)
			}
		}
	case SettingSet:
		s.Settings[e.Setting.Key] = e.Setting.Value
	case ProgressReset:
		// Nothing to do: what a reset clears depends on the whole log, and the fold has already
		// left it out (erase). Clearing the state here would also clear what a version-2 reset
		// had not seen. A reset is never applied in place: Progress folds afresh.
	}
}

// check says why an event cannot be used against the bank and the state so far, or "".
func (s *State) check(e Event, r Rules) string {
	question := func(id string) (*Question, string) {
		if r.Catalog == nil {
			return nil, ""
		}
		q := r.Catalog.Questions[id]
		if q == nil {
			return nil, fmt.Sprintf("question %.64s is not in this bank", id)
		}
		return q, ""
	}
	fits := func(q *Question, resp Response) string {
		if q == nil {
			return ""
		}
		if _, err := Score(q, resp); err != nil {
			return fmt.Sprintf("the answer does not fit question %s", q.ID)
		}
		return ""
	}
	switch e.Type {
	case PracticeAnswer:
		if len(e.Answer.Response) == 0 {
			return "a practice answer with no response"
		}
		q, why := question(e.Answer.Question)
		if why != "" {
			return why
		}
		return fits(q, e.Answer.Response)
	case ExamAnswer, ExamFlag:
		x := s.exams[e.Item.Exam]
		switch {
		case x == nil:
			return "its mock exam is unknown"
		case e.Item.Index < 0 || e.Item.Index >= len(x.Items):
			return fmt.Sprintf("the exam has no item %d", e.Item.Index+1)
		case e.Type == ExamFlag || len(e.Item.Response) == 0:
			return ""
		}
		q, why := question(x.Items[e.Item.Index])
		if why != "" {
			return why
		}
		return fits(q, e.Item.Response)
	case ExamSubmit:
		if s.exams[e.Submit.Exam] == nil {
			return "its mock exam is unknown"
		}
	case ExamStart:
		if s.exams[e.ID] != nil {
			return "an exam with this id has started already"
		}
	}
	return ""
}

// review records an answer on the question's card: right rates Good, wrong rates Again.
func (s *State) review(question string, at time.Time, correct bool, exam bool) {
	c := s.Cards[question]
	if c == nil {
		c = &Card{}
		s.Cards[question] = c
	}
	if at.Before(c.LastReview) {
		at = c.LastReview // another device's clock ran behind
	}
	r := s.recall(c, at)
	rating := fsrs.Again
	if correct {
		rating = fsrs.Good
	}
	var current *fsrs.MemoryState
	if c.Seen > 0 {
		current = &fsrs.MemoryState{Stability: c.Stability, Difficulty: c.Difficulty}
	}
	next := s.srs.NextState(current, TargetRetention, uint64(at.Sub(c.LastReview).Hours()/24), rating)
	days := math.Max(1, math.Min(math.Round(next.Interval), MaxInterval))
	if !correct {
		days = 1
		if c.Seen > 0 {
			c.Lapses++
		}
	}
	c.Stability, c.Difficulty = next.Memory.Stability, next.Memory.Difficulty
	c.LastReview, c.Due = at, at.Add(time.Duration(days*24)*time.Hour)
	c.Seen++
	if correct {
		c.Right++
	}
	c.LastCorrect = correct
	s.Reviews = append(s.Reviews, Review{Question: question, At: at, Correct: correct, Novelty: 1 - r, Exam: exam})
}

// recall is the card's retrievability at now: the FSRS forgetting curve; 0 for a card never seen.
func (s *State) recall(c *Card, now time.Time) float64 {
	if c == nil || c.Seen == 0 {
		return 0
	}
	days := math.Max(0, now.Sub(c.LastReview).Hours()/24)
	return s.curve.at(days, c.Stability)
}

// Retrievability is the estimated probability of recalling the question's answer at now: 0 for a
// question never answered.
func (s *State) Retrievability(question string, now time.Time) float64 {
	return s.recall(s.Cards[question], now)
}

// Exam returns the exam with the given id, or nil.
func (s *State) Exam(id string) *MockExam { return s.exams[id] }

// CurrentExam returns the exam in progress (started, not submitted), or nil. Its time may have run
// out: the caller submits it (TimeUp).
func (s *State) CurrentExam() *MockExam {
	for i := len(s.Exams) - 1; i >= 0; i-- {
		if !s.Exams[i].Submitted {
			return s.Exams[i]
		}
	}
	return nil
}

// ExamExposure maps each question to when it last appeared in a mock exam.
func (s *State) ExamExposure() map[string]time.Time {
	out := map[string]time.Time{}
	for _, x := range s.Exams {
		for _, id := range x.Items {
			if x.Started.After(out[id]) {
				out[id] = x.Started
			}
		}
	}
	return out
}

// Remaining is the time left on the exam's clock at now. The clock runs on wall time, as in a
// test centre: closing the app does not stop it.
func (x *MockExam) Remaining(now time.Time) time.Duration {
	if x.Submitted || !now.Before(x.Deadline) {
		return 0
	}
	return x.Deadline.Sub(now)
}

// TimeUp reports whether the exam is still open but its time has run out, so it must be submitted.
func (x *MockExam) TimeUp(now time.Time) bool { return !x.Submitted && !now.Before(x.Deadline) }

// ReviewList returns the items (indices) not answered yet and those flagged for review.
func (x *MockExam) ReviewList() (unanswered, flagged []int) {
	for i := range x.Items {
		if len(x.Answers[i]) == 0 {
			unanswered = append(unanswered, i)
		}
		if x.Flags[i] {
			flagged = append(flagged, i)
		}
	}
	return unanswered, flagged
}
