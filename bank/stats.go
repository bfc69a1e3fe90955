package bank

import (
	"fmt"
	"math"
	"sort"

	"github.com/issmp-study/issmp/quiz"
)

// Stats summarises the live (not retired) questions of a bank.
type Stats struct {
	Questions    int            `json:"questions"`
	ByDomain     map[string]int `json:"by_domain"`
	ByType       map[string]int `json:"by_type"`
	TasksCovered int            `json:"tasks_covered"`
	Tasks        int            `json:"tasks"`
	AI           int            `json:"ai"`
	ScenarioSets int            `json:"scenario_sets"`
	Retired      int            `json:"retired"`
	// PerTask counts live questions per task id (every task of the outline is present).
	PerTask map[string]int `json:"-"`
	// AIByDomain counts live AI-tagged questions per domain.
	AIByDomain map[string]int `json:"-"`
}

// Count computes the stats of a source against the outline.
func Count(src *Source, o *quiz.Outline) Stats {
	idx := o.Index()
	s := Stats{ByDomain: map[string]int{}, ByType: map[string]int{}, PerTask: map[string]int{}, AIByDomain: map[string]int{}, Tasks: len(idx)}
	for _, d := range o.Domains {
		s.ByDomain[d.ID] = 0
		s.AIByDomain[d.ID] = 0
	}
	for _, t := range quiz.ItemTypes {
		s.ByType[string(t)] = 0
	}
	for id := range idx {
		s.PerTask[id] = 0
	}
	liveSets := map[string]bool{}
	for _, it := range src.Items {
		if it.Retired {
			s.Retired++
			continue
		}
		p, ok := idx[it.Task]
		if !ok {
			continue
		}
		s.Questions++
		s.ByDomain[p.Domain.ID]++
		s.ByType[string(it.Type)]++
		s.PerTask[it.Task]++
		if it.AI {
			s.AI++
			s.AIByDomain[p.Domain.ID]++
		}
		if it.Scenario != "" {
			liveSets[it.Scenario] = true
		}
	}
	for _, n := range s.PerTask {
		if n > 0 {
			s.TasksCovered++
		}
	}
	s.ScenarioSets = len(liveSets)
	return s
}

// Targets are what the bank must reach before it is worth a candidate's time.
type Targets struct {
	MinQuestions     int     // live questions
	MinPerTask       int     // live questions on every task statement
	MaxDomainDrift   float64 // percentage points between a domain's share and its exam weight
	MinSingleShare   float64 // of live questions
	MinPerAdvanced   int     // of each of multi, order, match, hotspot
	MinScenarioSets  int
	MinAIShare       float64 // of live questions; and every domain has some
	MinAIEveryDomain int
}

// BankTargets are the targets of the first complete bank.
var BankTargets = Targets{
	MinQuestions: 400, MinPerTask: 2, MaxDomainDrift: 3, MinSingleShare: 0.60,
	MinPerAdvanced: 20, MinScenarioSets: 10, MinAIShare: 0.12, MinAIEveryDomain: 1,
}

// Check returns one message for every target the stats miss.
func (t Targets) Check(s Stats, o *quiz.Outline) []string {
	var out []string
	miss := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if s.Questions < t.MinQuestions {
		miss("%d live questions, want at least %d", s.Questions, t.MinQuestions)
	}
	var thin []string
	for id, n := range s.PerTask {
		if n < t.MinPerTask {
			thin = append(thin, fmt.Sprintf("%s (%d)", id, n))
		}
	}
	sort.Strings(thin)
	if len(thin) > 0 {
		miss("%d tasks have fewer than %d questions: %s", len(thin), t.MinPerTask, summarize(thin, 12))
	}
	for _, d := range o.Domains {
		if s.Questions == 0 {
			break
		}
		share := 100 * float64(s.ByDomain[d.ID]) / float64(s.Questions)
		if math.Abs(share-float64(d.Weight)) > t.MaxDomainDrift {
			miss("domain %s holds %.1f%% of the questions, its exam weight is %d%% (allowed drift %.0f points)", d.ID, share, d.Weight, t.MaxDomainDrift)
		}
		if s.AIByDomain[d.ID] < t.MinAIEveryDomain {
			miss("domain %s has %d AI-tagged questions, want at least %d", d.ID, s.AIByDomain[d.ID], t.MinAIEveryDomain)
		}
	}
	if s.Questions > 0 && float64(s.ByType[string(quiz.Single)]) < t.MinSingleShare*float64(s.Questions) {
		miss("%d single questions of %d, want at least %.0f%%", s.ByType[string(quiz.Single)], s.Questions, 100*t.MinSingleShare)
	}
	for _, typ := range []quiz.ItemType{quiz.Multi, quiz.Order, quiz.Match, quiz.Hotspot} {
		if s.ByType[string(typ)] < t.MinPerAdvanced {
			miss("%d %s questions, want at least %d", s.ByType[string(typ)], typ, t.MinPerAdvanced)
		}
	}
	if s.ScenarioSets < t.MinScenarioSets {
		miss("%d scenario sets, want at least %d", s.ScenarioSets, t.MinScenarioSets)
	}
	if s.Questions > 0 && float64(s.AI) < t.MinAIShare*float64(s.Questions) {
		miss("%d AI-tagged questions of %d, want at least %.0f%%", s.AI, s.Questions, 100*t.MinAIShare)
	}
	return out
}
