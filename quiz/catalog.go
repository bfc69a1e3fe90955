package quiz

import (
	"errors"
	"fmt"
	"sort"
)

// Catalog indexes a bank for the engine: questions by id, where each sits in the outline, and the
// live questions and scenario sets of each domain.
type Catalog struct {
	Bank      *Bank
	Questions map[string]*Question
	Places    map[string]Place     // by question id
	Sets      map[string]*Scenario // by scenario id
	Live      []string             // live question ids, in bank order
	Blueprint []DomainCount        // a mock exam's items per domain
}

// NewCatalog indexes a bank, checking that it is consistent: unique ids, tasks in its outline,
// scenario sets that name their questions.
func NewCatalog(b *Bank) (*Catalog, error) {
	if err := b.Outline.Validate(); err != nil {
		return nil, fmt.Errorf("bank %s: %w", b.Version, err)
	}
	c := &Catalog{Bank: b, Questions: map[string]*Question{}, Places: map[string]Place{}, Sets: map[string]*Scenario{}}
	idx := b.Outline.Index()
	var errs []error
	for i := range b.Questions {
		q := &b.Questions[i]
		if _, dup := c.Questions[q.ID]; dup {
			errs = append(errs, fmt.Errorf("question %s: duplicate id", q.ID))
			continue
		}
		p, ok := idx[q.Task]
		if !ok {
			errs = append(errs, fmt.Errorf("question %s: task %q is not in the outline", q.ID, q.Task))
			continue
		}
		c.Questions[q.ID] = q
		c.Places[q.ID] = p
		if !q.Retired {
			c.Live = append(c.Live, q.ID)
		}
	}
	for i := range b.Scenarios {
		s := &b.Scenarios[i]
		c.Sets[s.ID] = s
		for _, id := range s.Questions {
			if q := c.Questions[id]; q == nil || q.Scenario != s.ID {
				errs = append(errs, fmt.Errorf("scenario %s: question %s is not one of its own", s.ID, id))
			}
		}
	}
	c.Blueprint = Blueprint(&b.Outline)
	return c, errors.Join(errs...)
}

// Case returns the scenario text a question belongs to, or "".
func (c *Catalog) Case(q *Question) string {
	if s := c.Sets[q.Scenario]; s != nil {
		return s.Case
	}
	return ""
}

// DomainCount is how many items of a mock exam come from a domain.
type DomainCount struct {
	Domain string
	Weight int
	Items  int
}

// Blueprint splits the exam's items over the domains by their weights with the largest-remainder
// method: each domain gets the whole part of its share, and the items left over go to the largest
// fractional parts, ties to the heavier domain. For the ISSMP (125 items; 21/15/20/18/12/14%) this
// gives 26, 19, 25, 23, 15 and 17 items.
func Blueprint(o *Outline) []DomainCount {
	n := o.Exam.Items
	out := make([]DomainCount, len(o.Domains))
	type rem struct {
		i      int
		frac   int // remainder in units of 1/100 item
		weight int
	}
	var rems []rem
	left := n
	for i, d := range o.Domains {
		exact := n * d.Weight // hundredths of an item
		out[i] = DomainCount{Domain: d.ID, Weight: d.Weight, Items: exact / 100}
		left -= exact / 100
		rems = append(rems, rem{i, exact % 100, d.Weight})
	}
	sort.SliceStable(rems, func(a, b int) bool {
		if rems[a].frac != rems[b].frac {
			return rems[a].frac > rems[b].frac
		}
		return rems[a].weight > rems[b].weight
	})
	for k := 0; k < left && k < len(rems); k++ {
		out[rems[k].i].Items++
	}
	return out
}

// Has reports whether the catalog holds every question of ids: a plan saved by an older bank may
// name questions this one dropped.
func (c *Catalog) Has(ids []string) bool {
	for _, id := range ids {
		if c.Questions[id] == nil {
			return false
		}
	}
	return true
}
