//go:build js && wasm

package main

import (
	"fmt"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/wasm/dom"
)

// renderFeedback explains a scored answer: right or wrong, what the answer is and why, why each
// wrong option is wrong, and where the task is taught.
func renderFeedback(cat *quiz.Catalog, q *quiz.Question, layout quiz.Layout, r quiz.Response, res quiz.Result) dom.El {
	fb := dom.Clone("tpl-feedback")
	verdict := fb.Q("[data-role=verdict]")
	switch {
	case res.Correct:
		verdict.Text("✓ Correct").Class("right", true)
	case !res.Answered:
		verdict.Text("Not answered").Class("wrong", true)
	default:
		verdict.Text("✗ Not correct").Class("wrong", true)
	}
	detail := fb.Q("[data-role=detail]")
	// Which parts were right is the engine's verdict (res.Parts): nothing here scores again.
	right := func(i int) bool { return i >= 0 && i < len(res.Parts) && res.Parts[i] }
	chosen := map[int]bool{}
	for _, i := range r {
		chosen[i] = true
	}
	switch {
	case q.Type == quiz.Single || q.Type == quiz.Multi || (q.Type == quiz.Hotspot && q.Grid == nil):
		order := layout.Choices
		if order == nil {
			order = make([]int, len(q.Choices))
			for i := range order {
				order[i] = i
			}
		}
		list := dom.New("ul", "class", "options-review")
		for pos, idx := range order {
			isKey := contains(q.Key, idx)
			li := dom.New("li").Class("key", isKey).Class("chosen", chosen[idx])
			mark := "  "
			switch {
			case isKey && chosen[idx]:
				mark = "✓ "
			case isKey:
				mark = "✓ "
			case chosen[idx]:
				mark = "✗ "
			}
			head := dom.New("p", "class", "option-line").Text(fmt.Sprintf("%s%c. %s", mark, letters[pos], q.Choices[idx].Text))
			li.Append(head)
			var notes []string
			if isKey {
				notes = append(notes, "The answer.")
			}
			if chosen[idx] {
				notes = append(notes, "Your choice.")
			}
			if len(notes) > 0 {
				li.Append(dom.New("p", "class", "option-tag").Text(joinSpace(notes)))
			}
			if !isKey && q.Choices[idx].Why != "" {
				li.Append(dom.New("p", "class", "why").Text("Why not: " + q.Choices[idx].Why))
			}
			list.Append(li)
		}
		detail.Append(list)
	case q.Type == quiz.Order:
		detail.Append(dom.New("p").Text("The right order:"))
		ol := dom.New("ol", "class", "order-review")
		for pos, c := range q.Choices {
			li := dom.New("li")
			line := c.Text
			if res.Answered && !right(pos) {
				if pos < len(r) && r[pos] >= 0 && r[pos] < len(q.Choices) {
					line += fmt.Sprintf(" (you placed “%s” here)", short(q.Choices[r[pos]].Text))
				}
				li.Class("chosen", true)
			}
			li.Append(dom.New("p", "class", "option-line").Text(line), dom.New("p", "class", "why").Text(c.Why))
			ol.Append(li)
		}
		detail.Append(ol)
	case q.Type == quiz.Match:
		options := quiz.MatchOptions(q)
		list := dom.New("ul", "class", "options-review")
		for i, p := range q.Pairs {
			li := dom.New("li")
			line := fmt.Sprintf("%s → %s", p.Item, p.Match)
			ok := right(i)
			if !ok {
				yours := "nothing"
				if i < len(r) && r[i] >= 0 && r[i] < len(options) {
					yours = "“" + options[r[i]] + "”"
				}
				line = "✗ " + line + " (you chose " + yours + ")"
			} else {
				line = "✓ " + line
			}
			li.Class("chosen", !ok)
			li.Append(dom.New("p", "class", "option-line").Text(line), dom.New("p", "class", "why").Text(p.Why))
			list.Append(li)
		}
		for _, e := range q.Extra {
			list.Append(dom.New("li").Append(dom.New("p", "class", "option-line").Text("“"+e.Text+"” matches nothing."), dom.New("p", "class", "why").Text(e.Why)))
		}
		detail.Append(list)
	case q.Type == quiz.Hotspot:
		g := q.Grid
		kr, kc := q.Key[0], q.Key[1]
		detail.Append(dom.New("p", "class", "option-line").Text(fmt.Sprintf("The answer: %s %s, %s %s.", g.RowsLabel, g.Rows[kr].Text, g.ColsLabel, g.Cols[kc].Text)))
		if res.Answered && len(r) == 2 && r[0] >= 0 && r[0] < len(g.Rows) && r[1] >= 0 && r[1] < len(g.Cols) {
			if !right(0) {
				detail.Append(dom.New("p", "class", "why").Text(fmt.Sprintf("You chose %s %s: %s", g.RowsLabel, g.Rows[r[0]].Text, g.Rows[r[0]].Why)))
			}
			if !right(1) {
				detail.Append(dom.New("p", "class", "why").Text(fmt.Sprintf("You chose %s %s: %s", g.ColsLabel, g.Cols[r[1]].Text, g.Cols[r[1]].Why)))
			}
		}
	}
	fb.Q("[data-role=explanation]").Text(q.Explanation)
	showCorrections(fb, q)
	if len(q.References) > 0 {
		fb.Q("[data-role=refs-block]").Show()
		refs := fb.Q("[data-role=refs]")
		for _, ref := range q.References {
			refs.Append(dom.New("li").Text(ref))
		}
	}
	p := cat.Places[q.ID]
	fb.Q("[data-role=study]").Attr("href", studyURL(p)).Text(fmt.Sprintf("Study task %s: %s", p.Task.ID, p.Task.Text))
	return fb
}

// showCorrections says, under the explanation, when and how a corrected question was corrected,
// newest first, each line linking to its entry in the public log. A candidate who remembers the
// old answer then knows it changed, and why the feedback may differ from what they learnt.
func showCorrections(fb dom.El, q *quiz.Question) {
	after := fb.Q("[data-role=explanation]")
	for _, c := range q.Corrections {
		day := c.Date
		if t, err := time.Parse("2006-01-02", c.Date); err == nil {
			day = t.Format("2 January 2006")
		}
		line := dom.New("p", "class", "correction").Append(
			dom.New("span").Text(fmt.Sprintf("Corrected on %s: %s ", day, c.What)),
			dom.New("a", "href", "/corrections/#"+q.ID).Text("(see Corrections)"),
		)
		after.Call("after", line.Value)
		after = line
	}
}

func contains(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func joinSpace(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " "
		}
		out += p
	}
	return out
}
