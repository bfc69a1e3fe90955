package quiz_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// answerIn has a fresh state answer, a minute apart from t0, n new questions of each domain in
// perDomain (a domain missing from the map gets none), then repeats times the first of them again.
func answerIn(t *testing.T, c *quiz.Catalog, perDomain map[string]int, repeats int) (*quiz.State, time.Time) {
	t.Helper()
	d := newDevice(t, "AAAAAAAA")
	s := quiz.NewState()
	at := t0
	var first string
	left := map[string]int{}
	for k, v := range perDomain {
		left[k] = v
	}
	for _, id := range c.Live {
		dom := c.Places[id].Domain.ID
		if left[dom] == 0 {
			continue
		}
		left[dom]--
		if first == "" {
			first = id
		}
		s.Apply(d.answer(at, id, true), at, quiz.Rules{Catalog: c})
		at = at.Add(time.Minute)
	}
	for k, v := range left {
		if v > 0 {
			t.Fatalf("the bank has too few questions in domain %s", k)
		}
	}
	for i := 0; i < repeats; i++ {
		s.Apply(d.answer(at, first, true), at, quiz.Rules{Catalog: c})
		at = at.Add(time.Minute)
	}
	return s, at
}

// taskAnswers has a fresh state answer n questions of one task (repeating its questions a day
// apart when it has fewer), and returns the state, the task and the time after.
func taskAnswers(t *testing.T, c *quiz.Catalog, n int) (*quiz.State, string, time.Time) {
	t.Helper()
	task := c.Places[c.Live[0]].Task.ID
	var qs []string
	for _, id := range c.Live {
		if c.Places[id].Task.ID == task {
			qs = append(qs, id)
		}
	}
	d := newDevice(t, "AAAAAAAA")
	s := quiz.NewState()
	at := t0
	for i := 0; i < n; i++ {
		s.Apply(d.answer(at, qs[i%len(qs)], true), at, quiz.Rules{Catalog: c})
		at = at.Add(24 * time.Hour)
	}
	return s, task, at
}

func TestATaskIsSureOnlyOnceItRestsOnMinAnswers(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 0, 21))
	tests := []struct {
		name    string
		answers int
		want    bool
	}{
		{"no answer", 0, false},
		{"one right answer", 1, false},
		{"one answer short", quiz.MinAnswers - 1, false},
		{"exactly the minimum", quiz.MinAnswers, true},
		{"more than the minimum", quiz.MinAnswers + 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, task, now := taskAnswers(t, c, tt.answers)
			e := quiz.ComputeMastery(c, s, now).Tasks[task]
			if e.Answers != tt.answers || e.Sure != tt.want {
				t.Errorf("task %s after %d answers: Answers %d, Sure %v; want Sure %v", task, tt.answers, e.Answers, e.Sure, tt.want)
			}
		})
	}
}

func TestADomainIsSureOnlyWithEnoughEvidenceNotMereRepeats(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 0, 21))
	min := int(quiz.EnoughPerDomain)
	tests := []struct {
		name    string
		new     int
		repeats int
		want    bool
	}{
		{"one new answer", 1, 0, false},
		{"one new answer short", min - 1, 0, false},
		{"enough new answers", min, 0, true},
		// Answers to a question just rehearsed say little about the domain (novelty near 0).
		{"one new answer repeated many times", 1, 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, now := answerIn(t, c, map[string]int{"5": tt.new}, tt.repeats)
			e := quiz.ComputeMastery(c, s, now).Domains["5"]
			if e.Sure != tt.want {
				t.Errorf("domain 5 after %d new answers and %d repeats (evidence %.2f): Sure %v, want %v", tt.new, tt.repeats, e.Evidence, e.Sure, tt.want)
			}
		})
	}
}

func TestRecentAnswersCountWholeTowardTheThresholds(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 0, 21))
	min := int(quiz.EnoughPerDomain)
	s, at := answerIn(t, c, map[string]int{"5": min}, 0)
	for _, tt := range []struct {
		name  string
		later time.Duration
		want  bool
	}{
		{"a minute later", time.Minute, true},
		{"a day later", 24 * time.Hour, true},
		{"a month later, when the evidence has faded", 30 * 24 * time.Hour, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := quiz.ComputeMastery(c, s, at.Add(tt.later)).Domains["5"].Sure; got != tt.want {
				t.Errorf("Sure = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPredictNamesTheDomainsThatFallShort(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 0, 21))
	tests := []struct {
		name      string
		perDomain map[string]int
		repeats   int
		enough    bool
		want      quiz.Shortfall
		sentence  string
	}{
		{
			name:      "68 answers in all six domains, one domain a single answer short",
			perDomain: map[string]int{"1": 15, "2": 12, "3": 15, "4": 13, "5": 3, "6": 10},
			want:      quiz.Shortfall{Answers: 1, Domains: []quiz.DomainShortfall{{Domain: "5", Answers: 1}}},
			sentence:  "The prediction needs 1 more answer to a new question in domain 5.",
		},
		{
			name:      "68 answers, mostly repeats: short overall, no domain short",
			perDomain: map[string]int{"1": 6, "2": 4, "3": 6, "4": 4, "5": 4, "6": 4},
			repeats:   40,
			want:      quiz.Shortfall{Answers: 12},
			sentence:  "The prediction needs 12 more answers to new questions, in any domain.",
		},
		{
			name:      "short overall and in two domains",
			perDomain: map[string]int{"1": 8, "2": 8, "3": 8, "4": 2, "5": 3, "6": 4},
			want:      quiz.Shortfall{Answers: 7, Domains: []quiz.DomainShortfall{{"4", 2}, {"5", 1}}},
			sentence:  "The prediction needs 7 more answers to new questions, including 2 in domain 4 and 1 in domain 5.",
		},
		{
			name:      "the domains need more than the total",
			perDomain: map[string]int{"1": 10, "2": 10, "3": 10, "4": 2, "5": 1, "6": 4},
			want:      quiz.Shortfall{Answers: 5, Domains: []quiz.DomainShortfall{{"4", 2}, {"5", 3}}},
			sentence:  "The prediction needs 5 more answers to new questions: 2 in domain 4 and 3 in domain 5.",
		},
		{
			name:      "enough everywhere",
			perDomain: map[string]int{"1": 8, "2": 7, "3": 8, "4": 7, "5": 5, "6": 5},
			enough:    true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, now := answerIn(t, c, tt.perDomain, tt.repeats)
			r := quiz.Predict(c, quiz.ComputeMastery(c, s, now))
			if r.Enough != tt.enough {
				t.Errorf("Enough = %v, want %v", r.Enough, tt.enough)
			}
			got, _ := json.Marshal(r.Short)
			want, _ := json.Marshal(tt.want)
			if string(got) != string(want) {
				t.Errorf("Short = %s, want %s", got, want)
			}
			if s := r.Short.Sentence(); s != tt.sentence {
				t.Errorf("Sentence() = %q, want %q", s, tt.sentence)
			}
		})
	}
}

func TestShortfallSentence(t *testing.T) {
	tests := []struct {
		name string
		s    quiz.Shortfall
		want string
	}{
		{"nothing short", quiz.Shortfall{}, ""},
		{"one answer anywhere", quiz.Shortfall{Answers: 1}, "The prediction needs 1 more answer to a new question, in any domain."},
		{"one domain", quiz.Shortfall{Answers: 4, Domains: []quiz.DomainShortfall{{"5", 4}}}, "The prediction needs 4 more answers to new questions in domain 5."},
		{"two domains making up the total", quiz.Shortfall{Answers: 5, Domains: []quiz.DomainShortfall{{"2", 1}, {"5", 4}}}, "The prediction needs 5 more answers to new questions: 1 in domain 2 and 4 in domain 5."},
		{"three domains", quiz.Shortfall{Answers: 6, Domains: []quiz.DomainShortfall{{"1", 2}, {"2", 2}, {"6", 2}}}, "The prediction needs 6 more answers to new questions: 2 in domain 1, 2 in domain 2 and 2 in domain 6."},
		{"more overall than the domains need", quiz.Shortfall{Answers: 39, Domains: []quiz.DomainShortfall{{"3", 3}}}, "The prediction needs 39 more answers to new questions, including 3 in domain 3."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Sentence(); got != tt.want {
				t.Errorf("Sentence() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCountIsSingularOnlyForOne(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0 answers"},
		{1, "1 answer"},
		{2, "2 answers"},
		{68, "68 answers"},
	}
	for _, tt := range tests {
		if got := quiz.Count(tt.n, "answer"); got != tt.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tt.n, "answer", got, tt.want)
		}
	}
}

func TestBasisSaysWhatAnEstimateRestsOn(t *testing.T) {
	tests := []struct {
		name string
		e    quiz.Estimate
		want string
	}{
		{"not practiced", quiz.Estimate{}, "not practiced yet"},
		{"one answer", quiz.Estimate{Answers: 1, Evidence: 1}, "1 answer: too few to tell"},
		{"two answers", quiz.Estimate{Answers: 2, Evidence: 2}, "2 answers: too few to tell"},
		{"enough answers, little evidence", quiz.Estimate{Answers: 9, Evidence: 1.5}, "9 answers, mostly repeated or old: too few to tell"},
		{"sure", quiz.Estimate{Answers: 5, Evidence: 5, Sure: true}, "5 answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Basis(); got != tt.want {
				t.Errorf("Basis() = %q, want %q", got, tt.want)
			}
			if strings.Contains(tt.e.Basis(), "1 answers") {
				t.Errorf("Basis() = %q says 1 answers", tt.e.Basis())
			}
		})
	}
}

func TestSummaryTellsThePagesWhichTasksAreSure(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 0, 21))
	for _, n := range []int{1, quiz.MinAnswers} {
		s, task, now := taskAnswers(t, c, n)
		sum := quiz.Summarize(c, s, now)
		if sum.Version != 2 {
			t.Errorf("summary version %d, want 2 (pages of version 1 do not know Sure)", sum.Version)
		}
		if got, want := sum.Tasks[task].Sure, n >= quiz.MinAnswers; got != want {
			t.Errorf("after %d answers: task %s Sure %v, want %v", n, task, got, want)
		}
	}
}
