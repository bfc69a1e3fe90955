package quiz_test

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func TestBlueprintSplitsTheItemsByLargestRemainder(t *testing.T) {
	got := quiz.Blueprint(outline(t))
	want := map[string]int{"1": 26, "2": 19, "3": 25, "4": 23, "5": 15, "6": 17}
	sum := 0
	for _, dc := range got {
		sum += dc.Items
		if dc.Items != want[dc.Domain] {
			t.Errorf("domain %s: %d items, want %d", dc.Domain, dc.Items, want[dc.Domain])
		}
	}
	if sum != 125 {
		t.Errorf("the blueprint holds %d items, want 125", sum)
	}
	// Ties of the remainder go to the heavier domain: 10 items at 50/30/20 split 5/3/2 exactly;
	// 5 items at 50/30/20 give 2.5/1.5/1 -> one left over, to the 50% domain.
	o := &quiz.Outline{Exam: quiz.ExamFacts{Items: 5}, Domains: []quiz.Domain{{ID: "a", Weight: 30}, {ID: "b", Weight: 50}, {ID: "c", Weight: 20}}}
	small := quiz.Blueprint(o)
	if small[0].Items != 1 || small[1].Items != 3 || small[2].Items != 1 {
		t.Errorf("tie break: %+v", small)
	}
}

func TestAssembleExamFollowsTheBlueprintAndKeepsSetsWhole(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 40, 1))
	items, err := quiz.AssembleExam(c, nil, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 125 {
		t.Fatalf("%d items, want 125", len(items))
	}
	perDomain := map[string]int{}
	seen := map[string]bool{}
	for i, id := range items {
		if seen[id] {
			t.Fatalf("%s appears twice", id)
		}
		seen[id] = true
		perDomain[c.Places[id].Domain.ID]++
		q := c.Questions[id]
		if q.Scenario == "" {
			continue
		}
		set := c.Sets[q.Scenario]
		// A set's questions stand together, in their written order.
		if set.Questions[0] == id && !reflect.DeepEqual(items[i:i+len(set.Questions)], set.Questions) {
			t.Errorf("scenario %s split: %v", set.ID, items[i:i+len(set.Questions)])
		}
	}
	for _, dc := range c.Blueprint {
		if perDomain[dc.Domain] != dc.Items {
			t.Errorf("domain %s: %d items, want %d", dc.Domain, perDomain[dc.Domain], dc.Items)
		}
	}
	again, _ := quiz.AssembleExam(c, nil, rand.New(rand.NewPCG(1, 1)))
	if !reflect.DeepEqual(items, again) {
		t.Error("the same random source assembled a different exam")
	}
}

func TestAssembleExamAvoidsQuestionsFromRecentExams(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 40, 2))
	rng := rand.New(rand.NewPCG(3, 3))
	first, _ := quiz.AssembleExam(c, nil, rng)
	lastSeen := map[string]time.Time{}
	for _, id := range first {
		lastSeen[id] = t0
	}
	second, err := quiz.AssembleExam(c, lastSeen, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range second {
		if _, ok := lastSeen[id]; ok {
			t.Errorf("%s repeated although the bank has unseen questions", id)
		}
	}
	// A bank too small to avoid repeats repeats the questions seen longest ago.
	small := catalog(t, synthBank(t, 200, 0, 4))
	seenAt := map[string]time.Time{}
	for i, id := range small.Live {
		seenAt[id] = t0.Add(time.Duration(i) * time.Minute)
	}
	items, err := quiz.AssembleExam(small, seenAt, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, dc := range small.Blueprint {
		var newest time.Time
		var pool []time.Time
		for _, id := range items {
			if small.Places[id].Domain.ID == dc.Domain && seenAt[id].After(newest) {
				newest = seenAt[id]
			}
		}
		for _, id := range small.Live {
			if small.Places[id].Domain.ID == dc.Domain {
				pool = append(pool, seenAt[id])
			}
		}
		older := 0
		for _, at := range pool {
			if !at.After(newest) {
				older++
			}
		}
		if older != dc.Items {
			t.Errorf("domain %s: the exam did not take the %d questions seen longest ago", dc.Domain, dc.Items)
		}
	}
}

func TestAssembleExamSaysWhenTheBankIsTooSmall(t *testing.T) {
	_, err := quiz.AssembleExam(catalog(t, synthBank(t, 60, 0, 5)), nil, rand.New(rand.NewPCG(1, 1)))
	if err == nil || !strings.Contains(err.Error(), "a mock exam needs") {
		t.Errorf("got %v", err)
	}
}

func TestScoreExamCountsUnansweredAsWrong(t *testing.T) {
	c := catalog(t, synthBank(t, 300, 0, 6))
	items, _ := quiz.AssembleExam(c, nil, rand.New(rand.NewPCG(1, 1)))
	x := &quiz.MockExam{Items: items, Answers: make([]quiz.Response, len(items)), Correct: make([]bool, len(items))}
	for i := 0; i < 100; i++ {
		x.Answers[i], x.Correct[i] = quiz.Response{0}, i%4 != 0 // 75 right of the 100 answered
	}
	s := quiz.ScoreExam(c, x)
	if s.Correct != 75 || s.Total != 125 || s.Unanswered != 25 {
		t.Errorf("score %+v", s)
	}
	if s.Scaled != quiz.Scaled(75.0/125) || s.Passed {
		t.Errorf("75 of 125 is %d scaled, passed=%v", s.Scaled, s.Passed)
	}
	total := 0
	for _, d := range s.ByDomain {
		total += d.Total
	}
	if total != 125 {
		t.Errorf("per-domain totals sum to %d", total)
	}
}

func TestScaledMapping(t *testing.T) {
	tests := []struct {
		raw  float64
		want int
	}{{0, 0}, {0.35, 350}, {0.7, 700}, {0.8, 800}, {0.9, 900}, {1, 1000}, {-1, 0}, {2, 1000}, {87.0 / 125, 696}, {88.0 / 125, 704}}
	for _, tt := range tests {
		if got := quiz.Scaled(tt.raw); got != tt.want {
			t.Errorf("Scaled(%.3f) = %d, want %d", tt.raw, got, tt.want)
		}
	}
}

func TestExamLayoutsSurviveAReload(t *testing.T) {
	q := &quiz.Question{ID: "q", Type: quiz.Single, Choices: make([]quiz.Choice, 4), Key: []int{0}}
	x := &quiz.MockExam{Seed: 12345}
	y := &quiz.MockExam{Seed: 12345}
	differs := false
	for i := 0; i < 20; i++ {
		if !reflect.DeepEqual(x.Layout(i, q), y.Layout(i, q)) {
			t.Fatal("the same exam shows item layouts differently")
		}
		if !reflect.DeepEqual(x.Layout(i, q), x.Layout(0, q)) {
			differs = true
		}
	}
	if !differs {
		t.Error("every item has the same layout")
	}
}
