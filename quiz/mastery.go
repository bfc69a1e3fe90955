package quiz

import (
	"math"
	"time"
)

// Mastery is the estimated probability of answering a question right, now, on a question the
// candidate has not rehearsed: per task, sub-domain and domain, and overall. See docs/SCORING.md.
//
// Each answer is evidence about the candidate's ability, weighted by
//   - the square of its novelty, from the spaced-repetition model (novelty is 1 minus the card's
//     retrievability just before the answer). A first sight counts fully; an answer to a question
//     rehearsed yesterday counts for little, because recalling an answer is not the same as knowing
//     the subject. Squaring removes most of the flattery of memorized answers at a small cost in
//     variance (measured in readiness_test.go);
//   - its age: evidence halves in weight every HalfLife, so the estimate follows the candidate's
//     progress.
//
// Estimates are shrunk toward the level above (task toward sub-domain, sub-domain toward domain,
// domain toward overall, overall toward one half), so a task with two answers borrows strength from
// its neighbours instead of swinging between 0 and 100%.
type Mastery struct {
	Tasks      map[string]Estimate
	SubDomains map[string]Estimate
	Domains    map[string]Estimate
	Overall    Estimate
}

// Estimate is one mastery figure.
type Estimate struct {
	P        float64 // estimated probability of a right answer
	Evidence float64 // weighted answers behind it
	Answers  int     // answers given (unweighted)
	Seen     int     // live questions answered at least once
	Live     int     // live questions in the bank
	// Sure is true once the estimate rests on enough evidence to be shown as mastery
	// (MinAnswers, EnoughPerDomain, EnoughOverall); until then the app shows it as uncertain.
	Sure bool
}

// Parameters of the mastery estimate.
const (
	HalfLife       = 45 * 24 * time.Hour
	PriorP         = 0.5 // before any evidence
	PriorStrength  = 2.0 // pseudo-answers behind the overall prior
	ShrinkStrength = 4.0 // pseudo-answers borrowed from the level above
)

// ComputeMastery derives mastery from the state's reviews at now.
func ComputeMastery(c *Catalog, s *State, now time.Time) Mastery {
	type acc struct{ w, wy float64 }
	tasks, subs, doms := map[string]*acc{}, map[string]*acc{}, map[string]*acc{}
	var all acc
	answers := map[string]int{}
	add := func(m map[string]*acc, k string, w, wy float64) {
		a := m[k]
		if a == nil {
			a = &acc{}
			m[k] = a
		}
		a.w += w
		a.wy += wy
	}
	lambda := math.Ln2 / HalfLife.Hours()
	for _, r := range s.Reviews {
		p, ok := c.Places[r.Question]
		if !ok {
			continue
		}
		age := now.Sub(r.At).Hours()
		if age < 0 {
			age = 0
		}
		w := r.Novelty * r.Novelty * math.Exp(-lambda*age)
		wy := 0.0
		if r.Correct {
			wy = w
		}
		add(tasks, p.Task.ID, w, wy)
		add(subs, p.SubDomain.ID, w, wy)
		add(doms, p.Domain.ID, w, wy)
		all.w += w
		all.wy += wy
		answers[p.Task.ID]++
	}
	m := Mastery{Tasks: map[string]Estimate{}, SubDomains: map[string]Estimate{}, Domains: map[string]Estimate{}}
	m.Overall = Estimate{P: (all.wy + PriorStrength*PriorP) / (all.w + PriorStrength), Evidence: all.w}
	seen, live := map[string]int{}, map[string]int{}
	for _, id := range c.Live {
		t := c.Places[id].Task.ID
		live[t]++
		if c := s.Cards[id]; c != nil && c.Seen > 0 {
			seen[t]++
		}
	}
	shrink := func(a *acc, prior float64) Estimate {
		if a == nil {
			return Estimate{P: prior}
		}
		return Estimate{P: (a.wy + ShrinkStrength*prior) / (a.w + ShrinkStrength), Evidence: a.w}
	}
	for _, d := range c.Bank.Outline.Domains {
		de := shrink(doms[d.ID], m.Overall.P)
		for _, sd := range d.SubDomains {
			se := shrink(subs[sd.ID], de.P)
			for _, t := range sd.Tasks {
				te := shrink(tasks[t.ID], se.P)
				te.Answers, te.Seen, te.Live = answers[t.ID], seen[t.ID], live[t.ID]
				te.Sure = sure(te, "task")
				m.Tasks[t.ID] = te
				se.Answers += te.Answers
				se.Seen += te.Seen
				se.Live += te.Live
			}
			se.Sure = sure(se, "sub-domain")
			m.SubDomains[sd.ID] = se
			de.Answers += se.Answers
			de.Seen += se.Seen
			de.Live += se.Live
		}
		de.Sure = sure(de, "domain")
		m.Domains[d.ID] = de
		m.Overall.Answers += de.Answers
		m.Overall.Seen += de.Seen
		m.Overall.Live += de.Live
	}
	m.Overall.Sure = sure(m.Overall, "overall")
	return m
}
