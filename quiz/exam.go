package quiz

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// AssembleExam draws a mock exam from the catalog: the blueprint's number of items from each
// domain, scenario sets kept whole and in their written order, and questions the candidate has not
// met in a mock exam preferred, then those met longest ago (lastSeen, as State.ExamExposure gives
// it). The units (single questions and whole sets) are then shuffled together.
func AssembleExam(c *Catalog, lastSeen map[string]time.Time, rng *rand.Rand) ([]string, error) {
	type unit struct {
		ids  []string
		seen time.Time // the latest exposure of any of its questions
	}
	byDomain := map[string][]unit{}
	setDone := map[string]bool{}
	for _, id := range c.Live {
		q := c.Questions[id]
		d := c.Places[id].Domain.ID
		if q.Scenario == "" {
			byDomain[d] = append(byDomain[d], unit{ids: []string{id}, seen: lastSeen[id]})
			continue
		}
		if setDone[q.Scenario] {
			continue
		}
		setDone[q.Scenario] = true
		u := unit{}
		for _, sid := range c.Sets[q.Scenario].Questions {
			if sq := c.Questions[sid]; sq != nil && !sq.Retired {
				u.ids = append(u.ids, sid)
				if lastSeen[sid].After(u.seen) {
					u.seen = lastSeen[sid]
				}
			}
		}
		byDomain[d] = append(byDomain[d], u)
	}
	var chosen []unit
	for _, dc := range c.Blueprint {
		units := byDomain[dc.Domain]
		rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
		sort.SliceStable(units, func(i, j int) bool { return units[i].seen.Before(units[j].seen) })
		need := dc.Items
		for _, u := range units {
			if len(u.ids) <= need {
				chosen = append(chosen, u)
				need -= len(u.ids)
			}
			if need == 0 {
				break
			}
		}
		if need > 0 {
			return nil, fmt.Errorf("a mock exam needs %d questions from domain %s, but the bank holds only %d live ones there", dc.Items, dc.Domain, dc.Items-need)
		}
	}
	rng.Shuffle(len(chosen), func(i, j int) { chosen[i], chosen[j] = chosen[j], chosen[i] })
	var items []string
	for _, u := range chosen {
		items = append(items, u.ids...)
	}
	return items, nil
}

// DomainScore is the raw score of one domain.
type DomainScore struct {
	Domain  string
	Name    string
	Correct int
	Total   int
}

// ExamScore is the result of a mock exam.
type ExamScore struct {
	Correct    int
	Total      int
	Unanswered int
	ByDomain   []DomainScore
	Scaled     int  // estimate on 0-1000
	Passed     bool // Scaled >= PassMark
}

// ScoreExam scores a mock exam: each item all or nothing, unanswered items wrong, per domain and
// overall, with the scaled estimate.
func ScoreExam(c *Catalog, x *MockExam) ExamScore {
	var s ExamScore
	byDomain := map[string]*DomainScore{}
	for _, d := range c.Bank.Outline.Domains {
		s.ByDomain = append(s.ByDomain, DomainScore{Domain: d.ID, Name: d.Name})
	}
	for i := range s.ByDomain {
		byDomain[s.ByDomain[i].Domain] = &s.ByDomain[i]
	}
	for i, id := range x.Items {
		s.Total++
		if len(x.Answers[i]) == 0 {
			s.Unanswered++
		}
		p, ok := c.Places[id]
		if !ok {
			continue // a question since removed from the bank: it still counts, as wrong
		}
		ds := byDomain[p.Domain.ID]
		ds.Total++
		if x.Correct[i] && len(x.Answers[i]) > 0 {
			s.Correct++
			ds.Correct++
		}
	}
	if s.Total > 0 {
		s.Scaled = Scaled(float64(s.Correct) / float64(s.Total))
	}
	s.Passed = s.Scaled >= PassMark
	return s
}

// The scaled score. ISC2 reports 0-1000 with 700 to pass and does not publish how raw answers
// convert. Our estimate assumes the pass mark sits at CutRaw of the items right and maps linearly
// on both sides of it: 0% -> 0, CutRaw -> 700, 100% -> 1000. See docs/SCORING.md.
const (
	PassMark = 700
	MaxScore = 1000
	CutRaw   = 0.70
)

// Scaled converts a raw fraction of items right into the scaled estimate.
func Scaled(raw float64) int {
	raw = math.Max(0, math.Min(1, raw))
	var v float64
	if raw <= CutRaw {
		v = PassMark * raw / CutRaw
	} else {
		v = PassMark + (MaxScore-PassMark)*(raw-CutRaw)/(1-CutRaw)
	}
	return int(math.Round(v))
}

// Layout returns how item i of the exam is shown: fixed by the exam's seed, so a reload shows the
// options in the same order.
func (x *MockExam) Layout(i int, q *Question) Layout {
	return Shuffle(q, rand.New(rand.NewPCG(x.Seed, uint64(i))))
}
