package quiz

import (
	"fmt"
	"math"
	"strings"
)

// How much evidence a figure needs before the app shows it as mastery. Every estimate borrows
// ShrinkStrength pseudo-answers from the level above (mastery.go); until the candidate's own
// answers weigh at least as much, the figure says more about the neighbours than about the task or
// domain, so the app shows it as uncertain instead of in a colour of mastery.
const (
	// MinAnswers is how many answers a task or sub-domain needs before its mastery is shown. It
	// counts answers, not weighted evidence: most tasks have one to three questions, so their
	// evidence from first sights alone could never reach the bar.
	MinAnswers = int(ShrinkStrength)
	// EnoughPerDomain is the weighted evidence a domain needs before its mastery is shown and
	// before readiness is predicted. A first answer to a question counts 1; a repeat of a question
	// met recently counts for little (Mastery).
	EnoughPerDomain = ShrinkStrength
	// EnoughOverall is the weighted evidence readiness needs overall: about a third of a mock
	// exam's 125 items, on top of EnoughPerDomain in every domain.
	EnoughOverall = 40
)

// sure applies the thresholds above to an estimate of the given level.
func sure(e Estimate, level string) bool {
	switch level {
	case "domain":
		return short(e.Evidence, EnoughPerDomain) == 0
	case "overall":
		return short(e.Evidence, EnoughOverall) == 0
	}
	return e.Answers >= MinAnswers
}

// short is how many more first answers (each worth 1 of evidence) bring have up to want, to the
// nearest answer: evidence fades continuously (HalfLife), and without rounding four answers given
// yesterday (3.94) would already ask for a fifth. Within half an answer of a threshold meets it:
// four new answers keep a domain sure for about nine days, eight for over seven weeks.
func short(have, want float64) int {
	return max(0, int(math.Round(want-have)))
}

// Count is n followed by noun, made plural by adding "s" unless n is 1: "1 answer", "2 answers".
func Count(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Basis says what an estimate rests on, for labels: "not practiced yet", "5 answers", or, while
// the estimate is not Sure, "2 answers: too few to tell".
func (e Estimate) Basis() string {
	switch {
	case e.Answers == 0:
		return "not practiced yet"
	case e.Sure:
		return Count(e.Answers, "answer")
	case e.Answers >= MinAnswers:
		// A domain short of evidence despite the answers: they were repeats or are old.
		return Count(e.Answers, "answer") + ", mostly repeated or old: too few to tell"
	}
	return Count(e.Answers, "answer") + ": too few to tell"
}

// Shortfall is what readiness still lacks, in answers to questions the candidate has not met
// (each counts 1 of evidence when given; see EnoughOverall and EnoughPerDomain).
type Shortfall struct {
	Answers int               // more answers needed in all, counting those of Domains
	Domains []DomainShortfall // domains short of EnoughPerDomain, in blueprint order
}

// DomainShortfall is how many more answers a domain needs.
type DomainShortfall struct {
	Domain  string
	Answers int
}

// shortfall measures m against the readiness thresholds, per domain of the blueprint.
func shortfall(c *Catalog, m Mastery) Shortfall {
	var s Shortfall
	sum := 0
	for _, dc := range c.Blueprint {
		if n := short(m.Domains[dc.Domain].Evidence, EnoughPerDomain); n > 0 {
			s.Domains = append(s.Domains, DomainShortfall{dc.Domain, n})
			sum += n
		}
	}
	s.Answers = max(sum, short(m.Overall.Evidence, EnoughOverall))
	return s
}

// Sentence says what the shortfall asks of the candidate, e.g. "The prediction needs 4 more
// answers to new questions in domain 5."; "" when nothing is short.
func (s Shortfall) Sentence() string {
	if s.Answers == 0 {
		return ""
	}
	what := "answers to new questions"
	if s.Answers == 1 {
		what = "answer to a new question"
	}
	head := fmt.Sprintf("The prediction needs %d more %s", s.Answers, what)
	if len(s.Domains) == 0 {
		return head + ", in any domain."
	}
	parts := make([]string, len(s.Domains))
	sum := 0
	for i, d := range s.Domains {
		parts[i] = fmt.Sprintf("%d in domain %s", d.Answers, d.Domain)
		sum += d.Answers
	}
	list := parts[len(parts)-1]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + list
	}
	switch {
	case len(s.Domains) == 1 && sum == s.Answers:
		return fmt.Sprintf("%s in domain %s.", head, s.Domains[0].Domain)
	case sum == s.Answers:
		return head + ": " + list + "."
	}
	return head + ", including " + list + "."
}
