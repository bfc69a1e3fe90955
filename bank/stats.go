package bank

import (
	"fmt"
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
	// Domains breaks the live questions down by domain, for the domains' own targets.
	Domains map[string]*DomainStats `json:"domains"`
}

// DomainStats summarises one domain's live questions.
type DomainStats struct {
	Questions int            `json:"questions"`
	ByType    map[string]int `json:"by_type"`
	InSets    int            `json:"in_sets"` // questions that belong to a scenario set
	AI        int            `json:"ai"`
	Hard      int            `json:"difficulty_3"`
	// By sub-domain id: live questions, scenario sets and AI-tagged questions.
	PerSubdomain map[string]int `json:"per_subdomain"`
	SetsBySub    map[string]int `json:"sets_by_subdomain"`
	AIBySub      map[string]int `json:"ai_by_subdomain"`
}

// Count computes the stats of a source against the outline.
func Count(src *Source, o *quiz.Outline) Stats {
	idx := o.Index()
	s := Stats{ByDomain: map[string]int{}, ByType: map[string]int{}, PerTask: map[string]int{}, Domains: map[string]*DomainStats{}, Tasks: len(idx)}
	for _, d := range o.Domains {
		s.ByDomain[d.ID] = 0
		ds := &DomainStats{ByType: map[string]int{}, PerSubdomain: map[string]int{}, SetsBySub: map[string]int{}, AIBySub: map[string]int{}}
		for _, sd := range d.SubDomains {
			ds.PerSubdomain[sd.ID], ds.SetsBySub[sd.ID], ds.AIBySub[sd.ID] = 0, 0, 0
		}
		s.Domains[d.ID] = ds
	}
	for _, t := range quiz.ItemTypes {
		s.ByType[string(t)] = 0
	}
	for id := range idx {
		s.PerTask[id] = 0
	}
	liveSets := map[string]quiz.Place{}
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
		ds := s.Domains[p.Domain.ID]
		ds.Questions++
		ds.ByType[string(it.Type)]++
		ds.PerSubdomain[p.SubDomain.ID]++
		if it.Difficulty == 3 {
			ds.Hard++
		}
		if it.AI {
			s.AI++
			ds.AI++
			ds.AIBySub[p.SubDomain.ID]++
		}
		if it.Scenario != "" {
			ds.InSets++
			liveSets[it.Scenario] = p
		}
	}
	for _, p := range liveSets {
		s.Domains[p.Domain.ID].SetsBySub[p.SubDomain.ID]++
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
	MinQuestions int // live questions
	MinPerTask   int // live questions on every task statement
	// MinMockExams is how many full mock exams every domain can fill with its weighted share of
	// items before one repeats.
	MinMockExams int
	// MaxOffWeight caps how far a domain's share of the bank may sit from its exam weight, now
	// that every domain has reached its plan: practice then follows the exam's proportions.
	MaxOffWeight     float64
	MinSingleShare   float64 // of live questions
	MinPerAdvanced   int     // of each of multi, order, match, hotspot
	MinScenarioSets  int
	MinAIShare       float64 // of live questions; and every domain has some
	MinAIEveryDomain int
	// Domains holds the targets of the domains that have reached the 1,500-question plan.
	Domains map[string]DomainTargets
}

// DomainTargets are what one domain of the 1,500-question plan holds.
type DomainTargets struct {
	MinQuestions int
	MinPerTask   int
	// MaxTaskOverAverage caps any task at this multiple of its sub-domain's average, so that the
	// count is not met by piling questions on the easy tasks.
	MaxTaskOverAverage float64
	MinEachAdvanced    float64 // share of each of multi, order, match and hotspot
	MinAdvanced        float64 // share of the four together
	MinInSets          float64 // share of questions in scenario sets (and a set in every sub-domain)
	MinAI              float64 // share AI-tagged (and some in every sub-domain, see MaxAIOverShare)
	// MaxAIOverShare caps a sub-domain's share of the domain's AI-tagged questions at this
	// multiple of its share of the domain's questions (plus one question, so that small counts do
	// not trip it): the AI section spreads over the domain's topics as the questions do.
	MaxAIOverShare float64
	MinHard        float64 // share at difficulty 3
}

// planDomain is the mix every domain of the 1,500-question plan must have.
func planDomain(questions int) DomainTargets {
	return DomainTargets{MinQuestions: questions, MinPerTask: 6, MaxTaskOverAverage: 2,
		MinEachAdvanced: 0.05, MinAdvanced: 0.25, MinInSets: 0.15, MinAI: 0.14, MaxAIOverShare: 1.5, MinHard: 0.25}
}

// BankTargets are the bank's targets: the first complete bank's, with the domains that have
// reached the 1,500-question plan (21/15/20/18/12/14 percent of 1,500).
var BankTargets = Targets{
	MinQuestions: 400, MinPerTask: 2, MinMockExams: 3, MaxOffWeight: 0.02, MinSingleShare: 0.60,
	MinPerAdvanced: 20, MinScenarioSets: 10, MinAIShare: 0.12, MinAIEveryDomain: 1,
	Domains: map[string]DomainTargets{"1": planDomain(315), "2": planDomain(225), "3": planDomain(300), "4": planDomain(270), "5": planDomain(180), "6": planDomain(210)},
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
	perExam := map[string]int{}
	for _, c := range quiz.Blueprint(o) {
		perExam[c.Domain] = c.Items
	}
	for _, d := range o.Domains {
		if need := t.MinMockExams * perExam[d.ID]; s.ByDomain[d.ID] < need {
			miss("domain %s has %d live questions, want at least %d (%d items in each of %d mock exams without a repeat)", d.ID, s.ByDomain[d.ID], need, perExam[d.ID], t.MinMockExams)
		}
		if t.MaxOffWeight > 0 && s.Questions > 0 {
			share, weight := float64(s.ByDomain[d.ID])/float64(s.Questions), float64(d.Weight)/100
			if share < weight-t.MaxOffWeight || share > weight+t.MaxOffWeight {
				miss("domain %s holds %.1f%% of the live questions, want its exam weight of %d%% within %.0f points", d.ID, 100*share, d.Weight, 100*t.MaxOffWeight)
			}
		}
		if ai := s.Domains[d.ID].AI; ai < t.MinAIEveryDomain {
			miss("domain %s has %d AI-tagged questions, want at least %d", d.ID, ai, t.MinAIEveryDomain)
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
	for _, d := range o.Domains {
		if dt, ok := t.Domains[d.ID]; ok {
			for _, m := range dt.Check(d, s) {
				miss("domain %s: %s", d.ID, m)
			}
		}
	}
	return out
}

// Check returns one message for every target domain d misses.
func (t DomainTargets) Check(d quiz.Domain, s Stats) []string {
	var out []string
	miss := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	ds := s.Domains[d.ID]
	if ds == nil {
		ds = &DomainStats{}
	}
	if ds.Questions < t.MinQuestions {
		miss("%d live questions, want at least %d", ds.Questions, t.MinQuestions)
	}
	share := func(n int) float64 {
		if ds.Questions == 0 {
			return 0
		}
		return float64(n) / float64(ds.Questions)
	}
	var thin, heavy []string
	for _, sd := range d.SubDomains {
		avg := float64(ds.PerSubdomain[sd.ID]) / float64(len(sd.Tasks))
		for _, task := range sd.Tasks {
			n := s.PerTask[task.ID]
			if n < t.MinPerTask {
				thin = append(thin, fmt.Sprintf("%s (%d)", task.ID, n))
			}
			if t.MaxTaskOverAverage > 0 && float64(n) > t.MaxTaskOverAverage*avg {
				heavy = append(heavy, fmt.Sprintf("%s (%d, sub-domain average %.1f)", task.ID, n, avg))
			}
		}
		if t.MinInSets > 0 && ds.SetsBySub[sd.ID] == 0 {
			miss("sub-domain %s has no scenario set", sd.ID)
		}
		if t.MinAI > 0 && ds.AIBySub[sd.ID] == 0 {
			miss("sub-domain %s has no AI-tagged question", sd.ID)
		}
		if t.MaxAIOverShare > 0 && ds.AI > 0 && ds.Questions > 0 {
			part := float64(ds.PerSubdomain[sd.ID]) / float64(ds.Questions)
			if most := int(t.MaxAIOverShare*part*float64(ds.AI)) + 1; ds.AIBySub[sd.ID] > most {
				miss("sub-domain %s holds %d of the domain's %d AI-tagged questions, want at most %d (%.1f times its %.0f%% of the questions)", sd.ID, ds.AIBySub[sd.ID], ds.AI, most, t.MaxAIOverShare, 100*part)
			}
		}
	}
	if len(thin) > 0 {
		miss("%d tasks have fewer than %d questions: %s", len(thin), t.MinPerTask, summarize(thin, 12))
	}
	if len(heavy) > 0 {
		miss("%d tasks have more than %.0f times their sub-domain's average: %s", len(heavy), t.MaxTaskOverAverage, summarize(heavy, 12))
	}
	advanced := 0
	for _, typ := range []quiz.ItemType{quiz.Multi, quiz.Order, quiz.Match, quiz.Hotspot} {
		n := ds.ByType[string(typ)]
		advanced += n
		if share(n) < t.MinEachAdvanced {
			miss("%d %s questions of %d, want at least %.0f%%", n, typ, ds.Questions, 100*t.MinEachAdvanced)
		}
	}
	if share(advanced) < t.MinAdvanced {
		miss("%d multi, order, match and hotspot questions of %d, want at least %.0f%%", advanced, ds.Questions, 100*t.MinAdvanced)
	}
	if share(ds.InSets) < t.MinInSets {
		miss("%d questions of %d in scenario sets, want at least %.0f%%", ds.InSets, ds.Questions, 100*t.MinInSets)
	}
	if share(ds.AI) < t.MinAI {
		miss("%d AI-tagged questions of %d, want at least %.0f%%", ds.AI, ds.Questions, 100*t.MinAI)
	}
	if share(ds.Hard) < t.MinHard {
		miss("%d questions of %d at difficulty 3, want at least %.0f%%", ds.Hard, ds.Questions, 100*t.MinHard)
	}
	return out
}
