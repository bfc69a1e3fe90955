package quiz

import "math/rand/v2"

// Layout is the order in which a question's lists are shown: each slice maps a display position
// to a stored index. It is drawn once per presentation, so the written order (and, for a single
// question, the key's letter) tells the candidate nothing.
type Layout struct {
	Choices []int `json:"choices,omitempty"` // single, multi: options; order: the starting arrangement
	Items   []int `json:"items,omitempty"`   // match: the items (left side)
	Matches []int `json:"matches,omitempty"` // match: the options to match (right side), into MatchOptions
}

// Shuffle draws a layout for a question from rng. Options of single and multi questions and both
// sides of a match are shuffled. An order question starts in a shuffled arrangement that is never
// already the answer. A hotspot is never shuffled: a grid's rows and columns carry meaning (a
// heat map's scales), and a figure's regions are described in place.
func Shuffle(q *Question, rng *rand.Rand) Layout {
	var l Layout
	switch q.Type {
	case Single, Multi:
		l.Choices = rng.Perm(len(q.Choices))
	case Order:
		l.Choices = rng.Perm(len(q.Choices))
		for len(l.Choices) > 1 && isIdentity(l.Choices) {
			l.Choices = rng.Perm(len(q.Choices))
		}
	case Match:
		l.Items = rng.Perm(len(q.Pairs))
		l.Matches = rng.Perm(len(q.Pairs) + len(q.Extra))
	}
	return l
}

func isIdentity(p []int) bool {
	for i, v := range p {
		if i != v {
			return false
		}
	}
	return true
}
