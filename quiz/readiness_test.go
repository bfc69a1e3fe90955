package quiz_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// learner is a synthetic candidate of known ability: on a question new to them they are right with
// probability ability[domain]. A memorizing learner also recalls answers they have met: on a
// repeat they are right with probability max(ability, retrievability).
type learner struct {
	ability   map[string]float64
	memorizes bool
}

// practice has the learner answer n questions over days days, planned as the app plans them
// (scope "all": due first, then new, then the rest), and returns the state.
func (l learner) practice(t *testing.T, c *quiz.Catalog, n, days int, rng *rand.Rand) *quiz.State {
	d := newDevice(t, "AAAAAAAA")
	s := quiz.NewState()
	perDay := n / days
	for day := 0; day < days; day++ {
		now := t0.Add(time.Duration(day) * 24 * time.Hour)
		plan, err := quiz.PlanPractice(c, s, quiz.Scope{Kind: quiz.ScopeAll}, perDay, now, rng)
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range plan {
			at := now.Add(time.Duration(i) * time.Minute)
			p := l.ability[c.Places[id].Domain.ID]
			if l.memorizes {
				p = math.Max(p, s.Retrievability(id, at))
			}
			s.Apply(d.answer(at, id, rng.Float64() < p), at, quiz.Rules{Catalog: c})
		}
	}
	return s
}

// expectedRaw is the mean raw score of an exam for true abilities.
func expectedRaw(c *quiz.Catalog, ability map[string]float64) float64 {
	var sum, n float64
	for _, dc := range c.Blueprint {
		sum += float64(dc.Items) * ability[dc.Domain]
		n += float64(dc.Items)
	}
	return sum / n
}

// sitExam simulates one exam for true abilities: true if the learner passes.
func sitExam(c *quiz.Catalog, ability map[string]float64, rng *rand.Rand) bool {
	right, n := 0, 0
	for _, dc := range c.Blueprint {
		for i := 0; i < dc.Items; i++ {
			n++
			if rng.Float64() < ability[dc.Domain] {
				right++
			}
		}
	}
	return quiz.Scaled(float64(right)/float64(n)) >= quiz.PassMark
}

func uniform(p float64) map[string]float64 {
	return map[string]float64{"1": p, "2": p, "3": p, "4": p, "5": p, "6": p}
}

func TestReadinessPredictsTheScoreOfLearnersOfKnownAbility(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 0, 21))
	tests := []struct {
		name    string
		l       learner
		answers int
		days    int
		maxBias float64 // of the mean prediction over many learners of this kind
	}{
		{"80% everywhere", learner{ability: uniform(0.8)}, 500, 20, 0.015},
		{"60% everywhere", learner{ability: uniform(0.6)}, 500, 20, 0.015},
		{"uneven domains", learner{ability: map[string]float64{"1": 0.9, "2": 0.55, "3": 0.75, "4": 0.85, "5": 0.65, "6": 0.8}}, 600, 30, 0.015},
		{"memorizes repeats", learner{ability: uniform(0.7), memorizes: true}, 1200, 60, 0.025},
	}
	const learners = 25
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(77, 1))
			want := expectedRaw(c, tt.l.ability)
			var sumErr, sumNaive float64
			covered := 0
			for i := 0; i < learners; i++ {
				s := tt.l.practice(t, c, tt.answers, tt.days, rng)
				now := t0.Add(time.Duration(tt.days) * 24 * time.Hour)
				r := quiz.Predict(c, quiz.ComputeMastery(c, s, now))
				sumErr += r.Raw - want
				if w := quiz.Scaled(want); w >= r.Low && w <= r.High {
					covered++
				}
				if !r.Enough {
					t.Errorf("%d answers should be enough evidence", tt.answers)
				}
				right := 0
				for _, rv := range s.Reviews {
					if rv.Correct {
						right++
					}
				}
				sumNaive += float64(right)/float64(len(s.Reviews)) - want
			}
			bias, naive := sumErr/learners, sumNaive/learners
			t.Logf("mean prediction error %+.3f (naive accuracy %+.3f); truth inside the 90%% interval for %d of %d", bias, naive, covered, learners)
			if math.Abs(bias) > tt.maxBias {
				t.Errorf("predictions are biased by %+.3f on average (allowed %.3f)", bias, tt.maxBias)
			}
			if covered < learners*85/100 {
				t.Errorf("the true expected score fell inside the 90%% interval for only %d of %d learners", covered, learners)
			}
			if tt.l.memorizes && naive < 0.05 {
				t.Errorf("the memorizing learner does not inflate naive accuracy (%+.3f): the test no longer tests the weighting", naive)
			}
		})
	}
}

// Over many learners, the predicted pass probability matches how often such learners pass.
func TestPassProbabilityIsCalibrated(t *testing.T) {
	c := catalog(t, synthBank(t, 1000, 0, 22))
	rng := rand.New(rand.NewPCG(5, 8))
	type bin struct{ predicted, passed, n float64 }
	bins := make([]bin, 5)
	var brier, baseBrier, passes float64
	const learners = 300
	type outcome struct{ p, passed float64 }
	var outcomes []outcome
	for i := 0; i < learners; i++ {
		base := 0.6 + 0.22*rng.Float64()
		ability := map[string]float64{}
		for _, d := range []string{"1", "2", "3", "4", "5", "6"} {
			ability[d] = math.Min(0.97, math.Max(0.3, base+0.06*rng.NormFloat64()))
		}
		s := learner{ability: ability}.practice(t, c, 300, 10, rng)
		r := quiz.Predict(c, quiz.ComputeMastery(c, s, t0.Add(10*24*time.Hour)))
		passed := 0.0
		if sitExam(c, ability, rng) {
			passed = 1
		}
		outcomes = append(outcomes, outcome{r.PassProbability, passed})
		passes += passed
		b := &bins[int(math.Min(4, r.PassProbability*5))]
		b.predicted += r.PassProbability
		b.passed += passed
		b.n++
	}
	rate := passes / learners
	for _, o := range outcomes {
		brier += (o.p - o.passed) * (o.p - o.passed)
		baseBrier += (rate - o.passed) * (rate - o.passed)
	}
	for i, b := range bins {
		if b.n < 25 {
			continue
		}
		pred, got := b.predicted/b.n, b.passed/b.n
		t.Logf("bin %d: %3.0f learners, predicted %.2f, passed %.2f", i, b.n, pred, got)
		if math.Abs(pred-got) > 0.15 {
			t.Errorf("bin %d: predicted pass probability %.2f, but %.2f of %v learners passed", i, pred, got, b.n)
		}
	}
	if brier >= 0.75*baseBrier {
		t.Errorf("Brier score %.3f is not clearly better than always predicting the base rate (%.3f)", brier/learners, baseBrier/learners)
	}
}

func TestReadinessSaysWhenEvidenceIsThin(t *testing.T) {
	c := catalog(t, synthBank(t, 400, 0, 23))
	s := learner{ability: uniform(0.8)}.practice(t, c, 10, 1, rand.New(rand.NewPCG(1, 2)))
	r := quiz.Predict(c, quiz.ComputeMastery(c, s, t0.Add(24*time.Hour)))
	if r.Enough {
		t.Errorf("10 answers reported as enough evidence: %+v", r)
	}
	empty := quiz.Predict(c, quiz.ComputeMastery(c, quiz.NewState(), t0))
	if empty.Enough || math.Abs(empty.Raw-quiz.PriorP) > 1e-9 {
		t.Errorf("with no answers: %+v", empty)
	}
}

func TestMasteryCountsTasksSubdomainsAndDomains(t *testing.T) {
	c := catalog(t, synthBank(t, 400, 0, 24))
	d := newDevice(t, "AAAAAAAA")
	// Every question of one task answered right once.
	task := c.Places[c.Live[0]].Task.ID
	var events []quiz.Event
	for _, id := range c.Live {
		if c.Places[id].Task.ID == task {
			events = append(events, d.answer(t0, id, true))
		}
	}
	m := quiz.ComputeMastery(c, quiz.Fold(quiz.SortLog(events), quiz.Rules{}), t0.Add(time.Hour))
	te := m.Tasks[task]
	if te.Seen != te.Live || te.Answers != len(events) || te.P <= m.Overall.P-1e-9 && te.P < 0.6 {
		t.Errorf("task %s: %+v (overall %+v)", task, te, m.Overall)
	}
	other := ""
	for id, e := range m.Tasks {
		if id != task && e.Answers == 0 {
			other = id
			break
		}
	}
	if oe := m.Tasks[other]; oe.P >= te.P || oe.Seen != 0 {
		t.Errorf("an untouched task %s (%+v) should sit below the practiced one (%+v)", other, oe, te)
	}
	if len(m.Tasks) != 134 || len(m.SubDomains) != 30 || len(m.Domains) != 6 {
		t.Errorf("mastery covers %d tasks, %d sub-domains, %d domains", len(m.Tasks), len(m.SubDomains), len(m.Domains))
	}
}
