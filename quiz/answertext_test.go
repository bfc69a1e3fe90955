package quiz_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/issmp-study/issmp/quiz"
)

func TestAnswerTextNamesTheAnswerAsTheBankSourceDoes(t *testing.T) {
	opts := func(n int) []quiz.Choice {
		out := make([]quiz.Choice, n)
		for i := range out {
			out[i] = quiz.Choice{Text: string(rune('a' + i))}
		}
		return out
	}
	single := &quiz.Question{ID: "1.1-001", Type: quiz.Single, Choices: opts(4), Key: []int{1}}
	multi := &quiz.Question{ID: "1.1-002", Type: quiz.Multi, Choices: opts(6), Key: []int{0, 2}}
	order := &quiz.Question{ID: "1.1-003", Type: quiz.Order, Choices: opts(4)}
	match := &quiz.Question{ID: "1.1-004", Type: quiz.Match,
		Pairs: []quiz.Pair{{Item: "i1", Match: "m1"}, {Item: "i2", Match: "m2"}, {Item: "i3", Match: "m3"}},
		Extra: []quiz.Choice{{Text: "x1"}, {Text: "x2"}}}
	regions := &quiz.Question{ID: "1.1-005", Type: quiz.Hotspot, Choices: opts(8), Key: []int{6}}
	grid := &quiz.Question{ID: "1.1-006", Type: quiz.Hotspot, Key: []int{0, 2}, Grid: &quiz.Grid{
		RowsLabel: "Likelihood", ColsLabel: "Impact",
		Rows: []quiz.Choice{{Text: "Likely"}, {Text: "Possible"}, {Text: "Unlikely"}},
		Cols: []quiz.Choice{{Text: "Minor"}, {Text: "Moderate"}, {Text: "Major"}}}}
	long := &quiz.Question{ID: "1.1-007", Type: quiz.Hotspot, Key: []int{0, 0}, Grid: &quiz.Grid{
		Rows: []quiz.Choice{{Text: strings.Repeat("é", 150)}}, Cols: []quiz.Choice{{Text: strings.Repeat("ж", 150)}}}}

	for _, c := range []struct {
		name string
		q    *quiz.Question
		r    quiz.Response
		want string
	}{
		{"single", single, quiz.Response{1}, "B"},
		{"single, first", single, quiz.Response{0}, "A"},
		{"single, no answer", single, nil, ""},
		{"single, empty answer", single, quiz.Response{}, ""},
		{"single, out of range", single, quiz.Response{4}, "?"},
		{"multi, in the order chosen", multi, quiz.Response{5, 0, 2}, "A C F"},
		{"multi, one", multi, quiz.Response{3}, "D"},
		{"order, the key", order, quiz.Response{0, 1, 2, 3}, "1 2 3 4"},
		{"order, as placed", order, quiz.Response{0, 2, 1, 3}, "1 3 2 4"},
		{"order, reversed", order, quiz.Response{3, 2, 1, 0}, "4 3 2 1"},
		{"order, damaged", order, quiz.Response{0, 9, 1, 2}, "1 ? 2 3"},
		{"match, right", match, quiz.Response{0, 1, 2}, "1A 2B 3C"},
		{"match, an extra and a gap", match, quiz.Response{3, -1, 0}, "1D 2- 3A"},
		{"match, the last extra", match, quiz.Response{4, 2, 1}, "1E 2C 3B"},
		{"match, out of range", match, quiz.Response{5, 1, 2}, "1? 2B 3C"},
		{"regions", regions, quiz.Response{6}, "G"},
		{"grid", grid, quiz.Response{1, 2}, "Possible / Major"},
		{"grid, damaged", grid, quiz.Response{3}, "? / ?"},
		{"nil question", nil, quiz.Response{1}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := quiz.AnswerText(c.q, c.r); got != c.want {
				t.Errorf("AnswerText = %q, want %q", got, c.want)
			}
		})
	}

	t.Run("cut to 200 characters", func(t *testing.T) {
		got := quiz.AnswerText(long, quiz.Response{0, 0})
		if n := utf8.RuneCountInString(got); n != quiz.MaxAnswerText {
			t.Errorf("%d characters, want %d", n, quiz.MaxAnswerText)
		}
		if !utf8.ValidString(got) || !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, "ééé") {
			t.Errorf("cut badly: %q", got)
		}
	})

	t.Run("the key of each type", func(t *testing.T) {
		// A response that fits its question never prints "?".
		for _, q := range []*quiz.Question{single, multi, order, match, regions, grid} {
			r := quiz.Response(q.Key)
			switch q.Type {
			case quiz.Order:
				r = quiz.Response{0, 1, 2, 3}
			case quiz.Match:
				r = quiz.Response{0, 1, 2}
			}
			if got := quiz.AnswerText(q, r); got == "" || strings.Contains(got, "?") {
				t.Errorf("%s: %q", q.ID, got)
			}
		}
	})
}
