package quiz_test

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func TestParseScope(t *testing.T) {
	for _, s := range []string{"all", "due", "weakest", "new", "domain:3", "subdomain:3.1", "task:3.1.9", "questions:3.1-001,3.1-002"} {
		sc, err := quiz.ParseScope(s)
		if err != nil || sc.String() != s {
			t.Errorf("ParseScope(%q) = %v, %v", s, sc, err)
		}
	}
	for _, s := range []string{"", "domain", "due:3", "everything", "questions"} {
		if _, err := quiz.ParseScope(s); err == nil {
			t.Errorf("ParseScope(%q) accepted", s)
		}
	}
}

func TestPracticeScopesSelectTheirQuestionsOnce(t *testing.T) {
	c := catalog(t, synthBank(t, 600, 10, 11))
	s := quiz.NewState()
	rng := rand.New(rand.NewPCG(5, 5))
	tests := []struct {
		scope string
		in    func(p quiz.Place) bool
	}{
		{"domain:3", func(p quiz.Place) bool { return p.Domain.ID == "3" }},
		{"subdomain:4.3", func(p quiz.Place) bool { return p.SubDomain.ID == "4.3" }},
		{"all", func(quiz.Place) bool { return true }},
	}
	for _, tt := range tests {
		sc, _ := quiz.ParseScope(tt.scope)
		plan, err := quiz.PlanPractice(c, s, sc, 20, t0, rng)
		if err != nil {
			t.Fatalf("%s: %v", tt.scope, err)
		}
		if len(plan) != 20 {
			t.Errorf("%s: %d questions, want 20", tt.scope, len(plan))
		}
		seen := map[string]bool{}
		for _, id := range plan {
			if seen[id] {
				t.Errorf("%s: %s repeated in one session", tt.scope, id)
			}
			seen[id] = true
			if !tt.in(c.Places[id]) {
				t.Errorf("%s: %s is out of scope", tt.scope, id)
			}
		}
	}
	// A task scope smaller than the session gives what it has.
	task := c.Places[c.Live[0]].Task.ID
	plan, err := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeTask, ID: task}, 50, t0, rng)
	if err != nil || len(plan) == 0 || len(plan) >= 50 {
		t.Errorf("task %s: %d questions, %v", task, len(plan), err)
	}
	if _, err := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeTask, ID: "9.9.9"}, 5, t0, rng); !errors.Is(err, quiz.ErrEmptyScope) {
		t.Errorf("unknown task: %v", err)
	}
}

func TestPracticeIsDeterministicForARandomSource(t *testing.T) {
	c := catalog(t, synthBank(t, 600, 10, 12))
	s := quiz.NewState()
	a, _ := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeAll}, 25, t0, rand.New(rand.NewPCG(9, 9)))
	b, _ := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeAll}, 25, t0, rand.New(rand.NewPCG(9, 9)))
	d, _ := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeAll}, 25, t0, rand.New(rand.NewPCG(10, 9)))
	if !reflect.DeepEqual(a, b) {
		t.Error("the same random source planned different sessions")
	}
	if reflect.DeepEqual(a, d) {
		t.Error("different random sources planned the same session")
	}
}

func TestDueNewAndWeakestScopes(t *testing.T) {
	c := catalog(t, synthBank(t, 200, 0, 13))
	d := newDevice(t, "AAAAAAAA")
	var events []quiz.Event
	// Ten questions: the first five answered wrong, the rest right, a minute apart.
	for i, id := range c.Live[:10] {
		events = append(events, d.answer(t0.Add(time.Duration(i)*time.Minute), id, i >= 5))
	}
	s := quiz.Fold(quiz.SortLog(events), quiz.Rules{})
	rng := rand.New(rand.NewPCG(1, 1))

	// A day later the missed ones are due, most overdue first; the right ones are not.
	now := t0.Add(25 * time.Hour)
	due, err := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeDue}, 50, now, rng)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(due, c.Live[:5]) {
		t.Errorf("due: %v, want %v", due, c.Live[:5])
	}
	if got := quiz.DueQueue(c, s, now); !reflect.DeepEqual(got, due) {
		t.Errorf("DueQueue %v differs from the due plan %v", got, due)
	}
	// Nothing is due right after the session.
	if _, err := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeDue}, 5, t0.Add(time.Hour), rng); !errors.Is(err, quiz.ErrEmptyScope) {
		t.Errorf("due right after answering: %v", err)
	}

	fresh, _ := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeNew}, 300, now, rng)
	if len(fresh) != len(c.Live)-10 {
		t.Errorf("new: %d questions, want %d", len(fresh), len(c.Live)-10)
	}
	for _, id := range fresh {
		if s.Cards[id] != nil {
			t.Errorf("new: %s was answered before", id)
		}
	}

	weak, _ := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeWeakest}, 12, now, rng)
	if len(weak) != 12 {
		t.Fatalf("weakest: %d questions", len(weak))
	}
	missed := map[string]bool{}
	for _, id := range c.Live[:5] {
		missed[id] = true
	}
	for i, id := range weak[:5] {
		if !missed[id] {
			t.Errorf("weakest: position %d is %s, want the missed questions first", i, id)
		}
	}
	for _, id := range weak[10:] {
		if s.Cards[id] != nil {
			t.Errorf("weakest: after the answered questions come new ones, got %s", id)
		}
	}
}

func TestPracticeNeedsAPositiveSize(t *testing.T) {
	c := catalog(t, synthBank(t, 50, 0, 1))
	if _, err := quiz.PlanPractice(c, quiz.NewState(), quiz.Scope{Kind: quiz.ScopeAll}, 0, t0, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "at least one") {
		t.Errorf("size 0: %v", err)
	}
}

func TestQuestionsScopeKeepsTheGivenOrder(t *testing.T) {
	c := catalog(t, synthBank(t, 50, 0, 14))
	ids := c.Live[10] + "," + c.Live[3] + ",nope," + c.Live[10] + "," + c.Live[7]
	plan, err := quiz.PlanPractice(c, quiz.NewState(), quiz.Scope{Kind: quiz.ScopeQuestions, ID: ids}, 10, t0, rand.New(rand.NewPCG(1, 1)))
	if err != nil || !reflect.DeepEqual(plan, []string{c.Live[10], c.Live[3], c.Live[7]}) {
		t.Errorf("plan %v, %v", plan, err)
	}
	if _, err := quiz.PlanPractice(c, quiz.NewState(), quiz.Scope{Kind: quiz.ScopeQuestions, ID: "x,y"}, 10, t0, rand.New(rand.NewPCG(1, 1))); !errors.Is(err, quiz.ErrEmptyScope) {
		t.Errorf("unknown questions: %v", err)
	}
}

func TestResumeSessionGoesOnAtTheFirstUnansweredQuestion(t *testing.T) {
	d := newDevice(t, "AAAAAAAA")
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	answer := func(q, session string, ok bool) quiz.Event {
		at = at.Add(time.Minute)
		return quiz.NewPracticeAnswer(d.ids.Next(at), quiz.AnswerData{Question: q, Response: quiz.Response{0}, Correct: ok, Session: session})
	}
	plan := []string{"q1", "q2", "q3"}
	tests := []struct {
		name string
		log  []quiz.Event
		want quiz.SessionResume
	}{
		{"a session with no answers starts at the first question", nil, quiz.SessionResume{}},
		{"two answers go on at the third question", []quiz.Event{answer("q1", "S", true), answer("q2", "S", false)},
			quiz.SessionResume{Answered: 2, Right: 1, Missed: []string{"q2"}}},
		{"answers of another session do not count", []quiz.Event{answer("q1", "T", true), answer("q2", "S", true)},
			quiz.SessionResume{}},
		{"an answer to a question outside the plan does not count", []quiz.Event{answer("q9", "S", true), answer("q1", "S", true)},
			quiz.SessionResume{Answered: 1, Right: 1}},
		{"every question answered ends the session", []quiz.Event{answer("q1", "S", true), answer("q2", "S", true), answer("q3", "S", false)},
			quiz.SessionResume{Answered: 3, Right: 2, Missed: []string{"q3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := quiz.ResumeSession(tt.log, "S", plan)
			if got.Answered != tt.want.Answered || got.Right != tt.want.Right || strings.Join(got.Missed, ",") != strings.Join(tt.want.Missed, ",") {
				t.Errorf("ResumeSession = %+v; want %+v", got, tt.want)
			}
		})
	}
}
