package quiz

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// ScopeKind says which questions a practice session draws from.
type ScopeKind string

// Practice scopes.
const (
	ScopeAll       ScopeKind = "all"
	ScopeDomain    ScopeKind = "domain"    // ID "3"
	ScopeSubDomain ScopeKind = "subdomain" // ID "3.1"
	ScopeTask      ScopeKind = "task"      // ID "3.1.9"
	ScopeDue       ScopeKind = "due"       // spaced-repetition cards due for review
	ScopeWeakest   ScopeKind = "weakest"   // the questions most likely to be missed now
	ScopeNew       ScopeKind = "new"       // questions never answered
	ScopeQuestions ScopeKind = "questions" // ID "3.1-001,3.1-007": these questions, in this order
)

// Scope selects the questions of a practice session.
type Scope struct {
	Kind ScopeKind `json:"kind"`
	ID   string    `json:"id,omitempty"`
}

// ParseScope reads a scope from its text form: "due", "weakest", "new", "all", or "domain:3",
// "subdomain:3.1", "task:3.1.9", "questions:3.1-001,3.1-007".
func ParseScope(s string) (Scope, error) {
	kind, id, _ := strings.Cut(s, ":")
	sc := Scope{Kind: ScopeKind(kind), ID: id}
	switch sc.Kind {
	case ScopeAll, ScopeDue, ScopeWeakest, ScopeNew:
		if id != "" {
			return Scope{}, fmt.Errorf("practice scope %q takes no id", kind)
		}
	case ScopeDomain, ScopeSubDomain, ScopeTask, ScopeQuestions:
		if id == "" {
			return Scope{}, fmt.Errorf("practice scope %q needs an id, such as %s:3", kind, kind)
		}
	default:
		return Scope{}, fmt.Errorf("unknown practice scope %q", s)
	}
	return sc, nil
}

func (sc Scope) String() string {
	if sc.ID == "" {
		return string(sc.Kind)
	}
	return string(sc.Kind) + ":" + sc.ID
}

// ErrEmptyScope is returned when a scope holds no question to practice.
var ErrEmptyScope = errors.New("no questions to practice in this scope")

// PlanPractice chooses up to size questions for a practice session, each once. A topic scope
// (all, domain, sub-domain, task) puts questions due for review first, then new ones, then the
// rest, each group in random order. "due" takes due cards, most overdue first; "weakest" the
// answered questions least likely to be recalled now, then new questions from the weakest tasks;
// "new" unanswered questions in random order. The same random source gives the same plan.
func PlanPractice(c *Catalog, s *State, sc Scope, size int, now time.Time, rng *rand.Rand) ([]string, error) {
	if size <= 0 {
		return nil, fmt.Errorf("a practice session needs at least one question")
	}
	inScope := func(id string) bool {
		p := c.Places[id]
		switch sc.Kind {
		case ScopeDomain:
			return p.Domain.ID == sc.ID
		case ScopeSubDomain:
			return p.SubDomain.ID == sc.ID
		case ScopeTask:
			return p.Task.ID == sc.ID
		}
		return true
	}
	if sc.Kind == ScopeQuestions {
		// Chosen questions (for instance those missed in a session), once each, in order.
		var plan []string
		seen := map[string]bool{}
		for _, id := range strings.Split(sc.ID, ",") {
			if q := c.Questions[id]; q != nil && !q.Retired && !seen[id] {
				seen[id] = true
				plan = append(plan, id)
			}
		}
		if len(plan) == 0 {
			return nil, fmt.Errorf("%w: none of those questions is in the bank", ErrEmptyScope)
		}
		if len(plan) > size {
			plan = plan[:size]
		}
		return plan, nil
	}
	var pool []string
	for _, id := range c.Live {
		if inScope(id) {
			pool = append(pool, id)
		}
	}
	if len(pool) == 0 {
		if sc.Kind == ScopeDomain || sc.Kind == ScopeSubDomain || sc.Kind == ScopeTask {
			return nil, fmt.Errorf("%w: %s", ErrEmptyScope, sc)
		}
		return nil, ErrEmptyScope
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	due := func(id string) bool { cd := s.Cards[id]; return cd != nil && !cd.Due.After(now) }
	unseen := func(id string) bool { return s.Cards[id] == nil }
	var plan []string
	switch sc.Kind {
	case ScopeDue:
		plan = DueQueue(c, s, now)
	case ScopeNew:
		for _, id := range pool {
			if unseen(id) {
				plan = append(plan, id)
			}
		}
	case ScopeWeakest:
		var seen []string
		for _, id := range pool {
			if !unseen(id) {
				seen = append(seen, id)
			}
		}
		r := make(map[string]float64, len(seen))
		for _, id := range seen {
			r[id] = s.Retrievability(id, now)
			if !s.Cards[id].LastCorrect {
				r[id] -= 1 // a question last missed comes before any last answered right
			}
		}
		sort.SliceStable(seen, func(i, j int) bool { return r[seen[i]] < r[seen[j]] })
		plan = seen
		if len(plan) < size {
			m := ComputeMastery(c, s, now)
			var fresh []string
			for _, id := range pool {
				if unseen(id) {
					fresh = append(fresh, id)
				}
			}
			sort.SliceStable(fresh, func(i, j int) bool {
				return m.Tasks[c.Places[fresh[i]].Task.ID].P < m.Tasks[c.Places[fresh[j]].Task.ID].P
			})
			plan = append(plan, fresh...)
		}
	default:
		var first, second, rest []string
		for _, id := range pool {
			switch {
			case due(id):
				first = append(first, id)
			case unseen(id):
				second = append(second, id)
			default:
				rest = append(rest, id)
			}
		}
		plan = append(append(first, second...), rest...)
	}
	if len(plan) == 0 {
		return nil, ErrEmptyScope
	}
	if len(plan) > size {
		plan = plan[:size]
	}
	return plan, nil
}

// DueQueue lists the live questions whose cards are due at now, most overdue first.
func DueQueue(c *Catalog, s *State, now time.Time) []string {
	type item struct {
		id  string
		due time.Time
	}
	var items []item
	for _, id := range c.Live {
		if cd := s.Cards[id]; cd != nil && !cd.Due.After(now) {
			items = append(items, item{id, cd.Due})
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].due.Equal(items[j].due) {
			return items[i].due.Before(items[j].due)
		}
		return items[i].id < items[j].id
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.id
	}
	return out
}

// SessionResume is how far a practice session got, read back from the log: what a reload needs
// to go on where the candidate was.
type SessionResume struct {
	Answered int      // questions of the plan answered, in order from the first
	Right    int      // of them, answered right
	Missed   []string // of them, answered wrong, in plan order
}

// ResumeSession reads from the log the answers given in practice session session to the
// questions of plan. The session goes on at the first question of the plan with no answer; an
// answer to a question the plan does not hold is not the session's.
func ResumeSession(log []Event, session string, plan []string) SessionResume {
	got := map[string]bool{} // question -> right, the first answer in the session
	for _, e := range log {
		if e.Type != PracticeAnswer || e.Answer == nil || e.Answer.Session != session || session == "" {
			continue
		}
		if _, seen := got[e.Answer.Question]; !seen {
			got[e.Answer.Question] = e.Answer.Correct
		}
	}
	var r SessionResume
	for _, id := range plan {
		right, ok := got[id]
		if !ok {
			break
		}
		r.Answered++
		if right {
			r.Right++
		} else {
			r.Missed = append(r.Missed, id)
		}
	}
	return r
}
