package quiz

import (
	"errors"
	"fmt"
	"sort"
)

// Response is a candidate's answer as indices into the question's stored lists, whatever order
// they were shown in:
//   - single, hotspot with regions: [choice];
//   - multi: the chosen choices, in any order;
//   - order: the choices in the order the candidate placed them (a permutation);
//   - match: for each pair, in stored order, the index of the chosen match in MatchOptions, or -1
//     where none was chosen;
//   - hotspot on a grid: [row, col].
//
// A nil or empty Response is no answer.
type Response []int

// ErrBadResponse is wrapped by Score when a response does not fit its question.
var ErrBadResponse = errors.New("response does not fit the question")

// Result is a scored response: all or nothing, as on the exam, with the detail the feedback
// screen needs.
type Result struct {
	Correct  bool
	Answered bool
	// Parts says which parts were right:
	//   - single, hotspot with regions: one part;
	//   - multi: per stored choice, whether the candidate's decision (chosen or not) was right;
	//   - order: per position, whether the right step was placed there;
	//   - match: per pair, whether its match was right;
	//   - hotspot on a grid: [row right, column right].
	Parts []bool
}

// MatchOptions lists the right-hand options of a match question in stored order: each pair's
// match, then the extra matches.
func MatchOptions(q *Question) []string {
	out := make([]string, 0, len(q.Pairs)+len(q.Extra))
	for _, p := range q.Pairs {
		out = append(out, p.Match)
	}
	for _, e := range q.Extra {
		out = append(out, e.Text)
	}
	return out
}

// KeyResponse is the response that scores right: the key as the candidate would give it.
func KeyResponse(q *Question) Response {
	switch q.Type {
	case Order:
		return identity(len(q.Choices))
	case Match:
		return identity(len(q.Pairs))
	}
	return append(Response(nil), q.Key...)
}

func identity(n int) Response {
	r := make(Response, n)
	for i := range r {
		r[i] = i
	}
	return r
}

// Score scores a response to a question. An empty response scores wrong and unanswered; a
// response that does not fit the question (wrong length, index out of range, a repeated choice)
// is an error wrapping ErrBadResponse.
func Score(q *Question, r Response) (Result, error) {
	if len(r) == 0 {
		return Result{Parts: make([]bool, partCount(q))}, nil
	}
	bad := func(format string, args ...any) (Result, error) {
		return Result{}, fmt.Errorf("%w: question %s: %s", ErrBadResponse, q.ID, fmt.Sprintf(format, args...))
	}
	res := Result{Answered: true}
	switch {
	case q.Type == Single || (q.Type == Hotspot && q.Grid == nil):
		if len(r) != 1 || r[0] < 0 || r[0] >= len(q.Choices) {
			return bad("want one choice of %d", len(q.Choices))
		}
		res.Correct = len(q.Key) == 1 && r[0] == q.Key[0]
		res.Parts = []bool{res.Correct}
	case q.Type == Multi:
		chosen := make([]bool, len(q.Choices))
		for _, i := range r {
			if i < 0 || i >= len(q.Choices) || chosen[i] {
				return bad("choices must be distinct indices below %d", len(q.Choices))
			}
			chosen[i] = true
		}
		res.Correct = true
		res.Parts = make([]bool, len(q.Choices))
		for i := range q.Choices {
			res.Parts[i] = chosen[i] == containsIndex(q.Key, i)
			res.Correct = res.Correct && res.Parts[i]
		}
	case q.Type == Order:
		if len(r) != len(q.Choices) || !isPermutation(r) {
			return bad("want an arrangement of all %d steps", len(q.Choices))
		}
		res.Correct = true
		res.Parts = make([]bool, len(r))
		for pos, i := range r {
			res.Parts[pos] = i == pos
			res.Correct = res.Correct && res.Parts[pos]
		}
	case q.Type == Match:
		n := len(q.Pairs) + len(q.Extra)
		if len(r) != len(q.Pairs) {
			return bad("want one match per item (%d)", len(q.Pairs))
		}
		used := map[int]bool{}
		res.Correct = true
		res.Parts = make([]bool, len(q.Pairs))
		for i, m := range r {
			if m < -1 || m >= n || (m >= 0 && used[m]) {
				return bad("matches must be distinct indices below %d, or -1", n)
			}
			if m >= 0 {
				used[m] = true
			}
			res.Parts[i] = m == i
			res.Correct = res.Correct && res.Parts[i]
		}
	case q.Type == Hotspot:
		if len(r) != 2 || r[0] < 0 || r[0] >= len(q.Grid.Rows) || r[1] < 0 || r[1] >= len(q.Grid.Cols) {
			return bad("want [row, col] of the %dx%d grid", len(q.Grid.Rows), len(q.Grid.Cols))
		}
		res.Parts = []bool{len(q.Key) == 2 && r[0] == q.Key[0], len(q.Key) == 2 && r[1] == q.Key[1]}
		res.Correct = res.Parts[0] && res.Parts[1]
	default:
		return bad("unknown type %q", q.Type)
	}
	return res, nil
}

func partCount(q *Question) int {
	switch {
	case q.Type == Multi || q.Type == Order:
		return len(q.Choices)
	case q.Type == Match:
		return len(q.Pairs)
	case q.Type == Hotspot && q.Grid != nil:
		return 2
	}
	return 1
}

func isPermutation(r []int) bool {
	s := append([]int(nil), r...)
	sort.Ints(s)
	for i, v := range s {
		if v != i {
			return false
		}
	}
	return true
}

func containsIndex(list []int, i int) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}
