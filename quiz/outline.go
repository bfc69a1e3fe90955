// Package quiz is the study engine: the exam outline, questions, scoring, practice and mock-exam
// selection, spaced repetition, the progress event log and readiness. It is pure Go: it knows
// nothing of browsers, HTTP or AWS, so the same code runs natively, in tests and in WebAssembly.
package quiz

import (
	"errors"
	"fmt"
	"strings"
)

// ExamFacts holds the published facts of the exam.
type ExamFacts struct {
	Name         string   `json:"name" yaml:"name"`
	FullName     string   `json:"full_name" yaml:"full_name"`
	Items        int      `json:"items" yaml:"items"`
	Minutes      int      `json:"minutes" yaml:"minutes"`
	PassingScore int      `json:"passing_score" yaml:"passing_score"`
	MaxScore     int      `json:"max_score" yaml:"max_score"`
	ItemFormat   string   `json:"item_format" yaml:"item_format"`
	Languages    []string `json:"languages" yaml:"languages"`
	Delivery     string   `json:"delivery" yaml:"delivery"`
}

// Outline is the exam outline: six weighted domains, their sub-domains and task statements.
type Outline struct {
	Exam    ExamFacts `json:"exam" yaml:"exam"`
	Domains []Domain  `json:"domains" yaml:"domains"`
}

// Domain is one weighted domain of the outline.
type Domain struct {
	ID         string      `json:"id" yaml:"id"`
	Name       string      `json:"name" yaml:"name"`
	Weight     int         `json:"weight" yaml:"weight"` // percent of the exam
	AI         AISecurity  `json:"ai" yaml:"ai"`
	SubDomains []SubDomain `json:"subdomains" yaml:"subdomains"`
}

// AISecurity summarises, in our own words, how the outline says AI security enters a domain.
type AISecurity struct {
	Summary string   `json:"summary" yaml:"summary"`
	Topics  []string `json:"topics" yaml:"topics"`
}

// SubDomain is a numbered sub-domain such as "3.1".
type SubDomain struct {
	ID    string `json:"id" yaml:"id"`
	Name  string `json:"name" yaml:"name"`
	Short string `json:"short" yaml:"short"` // our short name for navigation
	Tasks []Task `json:"tasks" yaml:"tasks"`
}

// Task is one task statement, with a stable id such as "3.1.9".
type Task struct {
	ID   string `json:"id" yaml:"id"`
	Text string `json:"text" yaml:"text"`
}

// Validate checks the outline's internal consistency: weights that sum to 100, ids that are unique
// and nest (task "3.1.9" sits under sub-domain "3.1" under domain "3"), and no empty names. It
// reports every problem it finds, not only the first.
func (o *Outline) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if o.Exam.Items <= 0 || o.Exam.Minutes <= 0 {
		bad("exam: items and minutes must be positive")
	}
	if o.Exam.PassingScore <= 0 || o.Exam.PassingScore > o.Exam.MaxScore {
		bad("exam: passing score %d must lie in 1..%d", o.Exam.PassingScore, o.Exam.MaxScore)
	}
	if len(o.Domains) == 0 {
		bad("outline: no domains")
	}
	seen := map[string]bool{}
	unique := func(kind, id string) {
		if seen[id] {
			bad("%s %q: duplicate id", kind, id)
		}
		seen[id] = true
	}
	sum := 0
	for _, d := range o.Domains {
		unique("domain", d.ID)
		sum += d.Weight
		if d.Name == "" || d.Weight <= 0 {
			bad("domain %q: needs a name and a positive weight", d.ID)
		}
		if len(d.SubDomains) == 0 {
			bad("domain %q: no sub-domains", d.ID)
		}
		for _, s := range d.SubDomains {
			unique("sub-domain", s.ID)
			if !strings.HasPrefix(s.ID, d.ID+".") {
				bad("sub-domain %q: id does not start with its domain's id %q", s.ID, d.ID)
			}
			if s.Name == "" || s.Short == "" {
				bad("sub-domain %q: needs a name and a short name", s.ID)
			}
			if len(s.Tasks) == 0 {
				bad("sub-domain %q: no tasks", s.ID)
			}
			for _, t := range s.Tasks {
				unique("task", t.ID)
				if !strings.HasPrefix(t.ID, s.ID+".") {
					bad("task %q: id does not start with its sub-domain's id %q", t.ID, s.ID)
				}
				if strings.TrimSpace(t.Text) == "" {
					bad("task %q: empty text", t.ID)
				}
			}
		}
	}
	if sum != 100 {
		bad("outline: domain weights sum to %d, not 100", sum)
	}
	return errors.Join(errs...)
}

// TaskCount is the number of task statements in the outline.
func (o *Outline) TaskCount() int {
	n := 0
	for _, d := range o.Domains {
		for _, s := range d.SubDomains {
			n += len(s.Tasks)
		}
	}
	return n
}

// Place says where a task statement sits in the outline.
type Place struct {
	Domain    *Domain
	SubDomain *SubDomain
	Task      *Task
}

// Index maps every task id to its place in the outline. The pointers refer into o.
func (o *Outline) Index() map[string]Place {
	idx := make(map[string]Place, 160)
	for i := range o.Domains {
		d := &o.Domains[i]
		for j := range d.SubDomains {
			s := &d.SubDomains[j]
			for k := range s.Tasks {
				idx[s.Tasks[k].ID] = Place{Domain: d, SubDomain: s, Task: &s.Tasks[k]}
			}
		}
	}
	return idx
}
