package bank

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/issmp-study/issmp/quiz"
)

// A second reader answers new questions blind: from the stem and the options alone, before seeing
// the key (docs/QUESTIONS.md, "Second reading"). BlindSheet writes what such a reader sees and
// CheckBlind compares the reader's answers with the keys.
//
// Answers are written one per line, "id answer", in the sheet's own terms:
//   - single, hotspot with regions: a letter, "B";
//   - multi: letters, "A C" (or "A,C");
//   - order: the sheet's step numbers in the right order, "3 1 4 2";
//   - match: each numbered item with the letter of its match, "1B 2A 3C";
//   - hotspot on a grid: the row's and the column's label, "Likely / Major".
//
// Single options keep their letters (the linter keeps keys' letters evenly spread). Multi options,
// steps and both sides of a match are shown in an order drawn from the question's id, the same
// every time: writers tend to list a multi's keys first, and an order's steps in order.

// blindLayout is the order a question's lists have on the sheet.
func blindLayout(q *quiz.Question) quiz.Layout {
	h := fnv.New64a()
	h.Write([]byte("blind " + q.ID))
	l := quiz.Shuffle(q, rand.New(rand.NewPCG(h.Sum64(), 0)))
	if q.Type == quiz.Single {
		l.Choices = nil // options keep their letters, whose spread the linter keeps even
	}
	return l
}

func letter(i int) string { return string(rune('A' + i)) }

// BlindSheet writes the live questions of items for which keep is true (all when keep is nil),
// with the case of their scenario set before the first of them, and no key, explanation or
// rationale.
func BlindSheet(w io.Writer, src *Source, keep func(id string) bool) error {
	cases := map[string]string{}
	for _, s := range src.Scenarios {
		cases[s.ID] = s.Case
	}
	shown := map[string]bool{}
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	n := 0
	for _, it := range src.Items {
		q := &it.Question
		if q.Retired || (keep != nil && !keep(q.ID)) {
			continue
		}
		n++
		if q.Scenario != "" && !shown[q.Scenario] {
			shown[q.Scenario] = true
			p("=== Case %s (for the questions that follow)\n%s\n\n", q.Scenario, wrap(cases[q.Scenario]))
		}
		p("## %s (%s)\n", q.ID, q.Type)
		if q.Scenario != "" {
			p("[case %s]\n", q.Scenario)
		}
		p("%s\n", wrap(q.Stem))
		l := blindLayout(q)
		switch {
		case q.Type == quiz.Single:
			for i, c := range q.Choices {
				p("  %s. %s\n", letter(i), c.Text)
			}
			p("Answer with one letter.\n")
		case q.Type == quiz.Multi:
			for pos, i := range l.Choices {
				p("  %s. %s\n", letter(pos), q.Choices[i].Text)
			}
			p("Answer with the letters chosen, e.g. \"A C\".\n")
		case q.Type == quiz.Hotspot && q.Grid == nil:
			p("Figure: %s\n", wrap(q.Figure))
			for i, c := range q.Choices {
				p("  %s. %s\n", letter(i), c.Text)
			}
			p("Answer with the letter of one region.\n")
		case q.Type == quiz.Hotspot:
			g := q.Grid
			p("Grid: rows (%s): %s\n      columns (%s): %s\n", g.RowsLabel, labels(g.Rows), g.ColsLabel, labels(g.Cols))
			for _, c := range g.Cells {
				if c.Row < len(g.Rows) && c.Col < len(g.Cols) {
					p("  cell %s / %s shows %q\n", g.Rows[c.Row].Text, g.Cols[c.Col].Text, c.Text)
				}
			}
			p("Answer with \"row / column\" labels.\n")
		case q.Type == quiz.Order:
			for pos, i := range l.Choices {
				p("  %d. %s\n", pos+1, q.Choices[i].Text)
			}
			p("Answer with the step numbers in the right order, e.g. \"3 1 4 2\".\n")
		case q.Type == quiz.Match:
			opts := quiz.MatchOptions(q)
			for pos, i := range l.Items {
				p("  %d. %s\n", pos+1, q.Pairs[i].Item)
			}
			p("  matches:\n")
			for pos, i := range l.Matches {
				p("    %s. %s\n", letter(pos), opts[i])
			}
			p("Answer each item with its match, e.g. \"1B 2A 3C\" (a match may fit none).\n")
		}
		p("\n")
	}
	p("(%d questions)\n", n)
	return bw.Flush()
}

func labels(cs []quiz.Choice) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return strings.Join(out, " | ")
}

// wrap folds a paragraph at about 100 columns for reading in a terminal or an editor.
func wrap(s string) string {
	var b strings.Builder
	col := 0
	for _, w := range strings.Fields(s) {
		if col > 0 && col+1+len(w) > 100 {
			b.WriteByte('\n')
			col = 0
		} else if col > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}

// BlindResult is a reader's answer to one question, checked against the key.
type BlindResult struct {
	Item   *Item
	Answer string // as the reader wrote it
	Key    string // the key in the sheet's terms
	Agrees bool
	Err    error // the answer could not be read; it does not agree
}

// CheckBlind reads a reader's answers ("id answer" lines; blank lines and lines starting with #
// are skipped) and checks each against its question's key. Questions of the sheet the reader did
// not answer are not listed; an id that is not a live question is an error.
func CheckBlind(src *Source, answers io.Reader) ([]BlindResult, error) {
	byID := map[string]*Item{}
	for _, it := range src.Items {
		if !it.Retired {
			byID[it.ID] = it
		}
	}
	var out []BlindResult
	sc := bufio.NewScanner(answers)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		id, ans, _ := strings.Cut(text, " ")
		it := byID[id]
		if it == nil {
			return nil, fmt.Errorf("answers line %d: %q is not a live question of these files", line, id)
		}
		q := &it.Question
		l := blindLayout(q)
		res := BlindResult{Item: it, Answer: strings.TrimSpace(ans), Key: sheetAnswer(q, l, quiz.KeyResponse(q))}
		r, err := readBlind(q, l, res.Answer)
		if err != nil {
			res.Err = err
		} else if scored, err := quiz.Score(q, r); err != nil {
			res.Err = err
		} else {
			res.Agrees = scored.Correct
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

// sheetAnswer writes a response in the sheet's terms.
func sheetAnswer(q *quiz.Question, l quiz.Layout, r quiz.Response) string {
	var parts []string
	switch {
	case q.Type == quiz.Hotspot && q.Grid != nil:
		return q.Grid.Rows[r[0]].Text + " / " + q.Grid.Cols[r[1]].Text
	case q.Type == quiz.Order:
		for _, stored := range r {
			parts = append(parts, strconv.Itoa(indexOf(l.Choices, stored)+1))
		}
	case q.Type == quiz.Multi:
		var shown []int
		for _, stored := range r {
			shown = append(shown, indexOf(l.Choices, stored))
		}
		sort.Ints(shown)
		for _, i := range shown {
			parts = append(parts, letter(i))
		}
	case q.Type == quiz.Match:
		for pos, item := range l.Items {
			parts = append(parts, strconv.Itoa(pos+1)+letter(indexOf(l.Matches, r[item])))
		}
	default:
		for _, i := range r {
			parts = append(parts, letter(i))
		}
	}
	return strings.Join(parts, " ")
}

func indexOf(list []int, v int) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// readBlind turns an answer in the sheet's terms into a response.
func readBlind(q *quiz.Question, l quiz.Layout, ans string) (quiz.Response, error) {
	bad := func(format string, args ...any) (quiz.Response, error) {
		return nil, fmt.Errorf("%s: "+format, append([]any{q.ID}, args...)...)
	}
	fields := strings.FieldsFunc(ans, func(r rune) bool { return r == ' ' || r == ',' })
	if len(fields) == 0 {
		return bad("no answer")
	}
	letterIndex := func(s string, n int) int {
		s = strings.ToUpper(s)
		if len(s) != 1 || s[0] < 'A' || int(s[0]-'A') >= n {
			return -1
		}
		return int(s[0] - 'A')
	}
	switch {
	case q.Type == quiz.Hotspot && q.Grid != nil:
		find := func(cs []quiz.Choice, s string) int {
			for i, c := range cs {
				if strings.EqualFold(c.Text, strings.TrimSpace(s)) {
					return i
				}
			}
			return -1
		}
		// A label may itself hold a slash ("Assess/decide"), so try every slash as the separator.
		for i, ch := range ans {
			if ch != '/' {
				continue
			}
			if r, c := find(q.Grid.Rows, ans[:i]), find(q.Grid.Cols, ans[i+1:]); r >= 0 && c >= 0 {
				return quiz.Response{r, c}, nil
			}
		}
		return bad("%q is not \"row / column\" of the grid's labels", ans)
	case q.Type == quiz.Order:
		var r quiz.Response
		for _, f := range fields {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > len(l.Choices) {
				return bad("%q is not a step number", f)
			}
			r = append(r, l.Choices[n-1])
		}
		return r, nil
	case q.Type == quiz.Match:
		r := make(quiz.Response, len(q.Pairs))
		for i := range r {
			r[i] = -1
		}
		for _, f := range fields {
			num := strings.TrimRight(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
			n, err := strconv.Atoi(num)
			m := letterIndex(f[len(num):], len(l.Matches))
			if err != nil || n < 1 || n > len(l.Items) || m < 0 {
				return bad("%q is not an item number with a match letter", f)
			}
			r[l.Items[n-1]] = l.Matches[m]
		}
		return r, nil
	default:
		var r quiz.Response
		for _, f := range fields {
			i := letterIndex(f, len(q.Choices))
			if i < 0 {
				return bad("%q is not one of the letters", f)
			}
			if l.Choices != nil {
				i = l.Choices[i]
			}
			r = append(r, i)
		}
		return r, nil
	}
}
