package quiz

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxAnswerText is the longest AnswerText returns, in characters: what a problem report carries.
const MaxAnswerText = 200

// AnswerText writes a response the way the question bank's source names things (content/bank/),
// so that a maintainer reading a problem report can find the answer in the YAML whatever order
// the candidate saw:
//   - single, hotspot with regions: the letter of the option or region, "B";
//   - multi: the letters chosen, alphabetical, "A C";
//   - order: the steps by their written number (1 is the first step of the key), in the order the
//     candidate placed them, "2 1 3 4";
//   - match: each item by its written number with the letter of the match chosen for it, the
//     pairs' matches lettered in written order and then the extra matches, "-" for none: "1A 2C 3-";
//   - hotspot on a grid: the labels of the row and the column, "Likely / Major".
//
// No answer is "". An index that does not fit the question shows as "?". The text is cut to
// MaxAnswerText characters.
func AnswerText(q *Question, r Response) string {
	if q == nil || len(r) == 0 {
		return ""
	}
	letter := func(i, n int) string {
		if i < 0 || i >= n || i >= 26 {
			return "?"
		}
		return string(rune('A' + i))
	}
	var parts []string
	switch {
	case q.Type == Single || q.Type == Multi || (q.Type == Hotspot && q.Grid == nil):
		chosen := append([]int(nil), r...)
		sort.Ints(chosen)
		for _, i := range chosen {
			parts = append(parts, letter(i, len(q.Choices)))
		}
	case q.Type == Order:
		for _, i := range r {
			if i < 0 || i >= len(q.Choices) {
				parts = append(parts, "?")
				continue
			}
			parts = append(parts, strconv.Itoa(i+1))
		}
	case q.Type == Match:
		n := len(q.Pairs) + len(q.Extra)
		for item, m := range r {
			switch {
			case m == -1:
				parts = append(parts, strconv.Itoa(item+1)+"-")
			default:
				parts = append(parts, strconv.Itoa(item+1)+letter(m, n))
			}
		}
	case q.Type == Hotspot:
		label := func(list []Choice, i int) string {
			if i < 0 || i >= len(list) {
				return "?"
			}
			return list[i].Text
		}
		row, col := "?", "?"
		if len(r) > 0 {
			row = label(q.Grid.Rows, r[0])
		}
		if len(r) > 1 {
			col = label(q.Grid.Cols, r[1])
		}
		parts = []string{row + " / " + col}
	default:
		return "?"
	}
	return cut(strings.Join(parts, " "), MaxAnswerText)
}

// cut shortens s to at most n characters, ending with "…" when it cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n-1]) + "…"
}
