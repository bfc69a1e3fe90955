//go:build js && wasm

package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/wasm/dom"
)

// typeNames are how each item type is named to the candidate.
var typeNames = map[quiz.ItemType]string{
	quiz.Single:  "Multiple choice",
	quiz.Multi:   "Multiple response",
	quiz.Order:   "Ordering",
	quiz.Match:   "Matching",
	quiz.Hotspot: "Hotspot",
}

const letters = "ABCDEFGHIJ"

// itemView shows one question and reads the candidate's response back from the page.
type itemView struct {
	cat      *quiz.Catalog
	q        *quiz.Question
	layout   quiz.Layout
	el       dom.El
	uid      string
	hs       dom.Handlers
	onChange func()
	announce func(string)

	orderHs dom.Handlers // order: listeners of the list as drawn now
	inputs  []dom.El     // single, multi, regions: by display position
	stored  []int        // single, multi, regions: stored index at each display position
	order   []int        // order: stored indices in the order shown now
	list    dom.El       // order: the list
	selects []dom.El     // match: by stored pair index
	cells   [][]dom.El
	row     int
	col     int
	locked  bool
}

// studyURL is the study page section that teaches a task.
func studyURL(p quiz.Place) string {
	return fmt.Sprintf("/domain-%s/%s/#task-%s", p.Domain.ID, strings.ReplaceAll(p.SubDomain.ID, ".", "-"), strings.ReplaceAll(p.Task.ID, ".", "-"))
}

// newItemView renders a question with its layout, restoring a prior response if given. uid
// prefixes the ids of its elements and must be unique on the page (App.uid).
func newItemView(cat *quiz.Catalog, uid string, q *quiz.Question, layout quiz.Layout, prior quiz.Response, onChange func(), announce func(string)) *itemView {
	v := &itemView{cat: cat, q: q, layout: layout, uid: uid, onChange: onChange, announce: announce, row: -1, col: -1}
	v.el = dom.Clone("tpl-question")
	p := cat.Places[q.ID]
	v.el.Q("[data-role=task]").Text(fmt.Sprintf("Task %s", p.Task.ID))
	v.el.Q("[data-role=type]").Text(typeNames[q.Type])
	if c := cat.Case(q); c != "" {
		v.el.Q("[data-role=case]").Show()
		v.el.Q("[data-role=case-text]").Text(c)
	}
	if q.Figure != "" {
		v.el.Q("[data-role=figure]").Show()
		v.el.Q("[data-role=figure-text]").Text(q.Figure)
	}
	stem := v.el.Q("[data-role=stem]").Text(q.Stem).Attr("id", v.uid+"-stem")
	_ = stem
	answer := v.el.Q("[data-role=answer]")
	hint := v.el.Q("[data-role=hint]").Attr("id", v.uid+"-hint")
	switch {
	case q.Type == quiz.Single || q.Type == quiz.Multi || (q.Type == quiz.Hotspot && q.Grid == nil):
		v.renderChoices(answer, prior)
		switch q.Type {
		case quiz.Single:
			hint.Text("Choose one answer.")
		case quiz.Multi:
			hint.Text(fmt.Sprintf("Choose %d answers.", len(q.Key)))
		default:
			hint.Text("Select the one region of the figure that answers the question.")
		}
	case q.Type == quiz.Order:
		hint.Text("Put the steps in order: use a step's arrow buttons, or focus the step and press Alt+↑ or Alt+↓.")
		v.renderOrder(answer, prior)
	case q.Type == quiz.Match:
		hint.Text("Choose the match for each item; each match fits one item at most, and some may fit none.")
		v.renderMatch(answer, prior)
	case q.Type == quiz.Hotspot:
		hint.Text("Select one cell: click it, or move with the arrow keys and press Enter or Space.")
		v.renderGrid(answer, prior)
	}
	return v
}

func (v *itemView) changed() {
	if v.onChange != nil {
		v.onChange()
	}
}

// renderChoices renders options (single, multi) or regions (hotspot) as radio buttons or
// checkboxes, in the layout's order.
func (v *itemView) renderChoices(answer dom.El, prior quiz.Response) {
	q := v.q
	v.stored = v.layout.Choices
	if v.stored == nil {
		v.stored = make([]int, len(q.Choices))
		for i := range v.stored {
			v.stored[i] = i
		}
	}
	kind, role := "radio", "radiogroup"
	if q.Type == quiz.Multi {
		kind, role = "checkbox", "group"
	}
	group := dom.New("div", "class", "choices", "role", role, "aria-labelledby", v.uid+"-stem", "aria-describedby", v.uid+"-hint")
	if q.Type == quiz.Hotspot {
		group.Class("regions", true)
	}
	chosen := map[int]bool{}
	for _, r := range prior {
		chosen[r] = true
	}
	for pos, idx := range v.stored {
		c := dom.Clone("tpl-choice")
		in := c.Q("[data-role=input]").Attr("type", kind).Attr("name", v.uid).Attr("value", strconv.Itoa(idx)).Attr("id", fmt.Sprintf("%s-%d", v.uid, pos))
		if chosen[idx] {
			in.Set("checked", true)
		}
		c.Q("[data-role=letter]").Text(string(letters[pos]))
		c.Q("[data-role=text]").Text(q.Choices[idx].Text)
		v.hs.Add(in.On("change", func(js.Value) { v.changed() }))
		v.inputs = append(v.inputs, in)
		group.Append(c)
	}
	answer.Append(group)
}

// renderOrder renders the steps as a list the candidate rearranges with buttons or Alt+arrows.
func (v *itemView) renderOrder(answer dom.El, prior quiz.Response) {
	v.order = append([]int(nil), v.layout.Choices...)
	if len(prior) == len(v.q.Choices) {
		v.order = append([]int(nil), prior...)
	}
	v.list = dom.New("ol", "class", "order-list", "aria-labelledby", v.uid+"-stem", "aria-describedby", v.uid+"-hint")
	answer.Append(v.list)
	v.drawOrder(-1)
}

// drawOrder redraws the list; focus, if not -1, is the position whose step keeps the focus.
func (v *itemView) drawOrder(focus int) {
	v.orderHs.Off()
	v.list.Clear()
	n := len(v.order)
	for pos, idx := range v.order {
		pos := pos
		li := dom.Clone("tpl-order-item")
		li.Q("[data-role=pos]").Text(strconv.Itoa(pos + 1))
		li.Q("[data-role=text]").Text(v.q.Choices[idx].Text)
		li.Attr("aria-label", fmt.Sprintf("Step %d of %d: %s", pos+1, n, v.q.Choices[idx].Text))
		up, down := li.Q("[data-role=up]"), li.Q("[data-role=down]")
		up.Attr("aria-label", fmt.Sprintf("Move “%s” up", short(v.q.Choices[idx].Text)))
		down.Attr("aria-label", fmt.Sprintf("Move “%s” down", short(v.q.Choices[idx].Text)))
		up.Disabled(pos == 0 || v.locked)
		down.Disabled(pos == n-1 || v.locked)
		if v.locked {
			li.Attr("tabindex", "-1")
		}
		v.orderHs.Add(up.On("click", func(js.Value) { v.move(pos, -1, "up") }))
		v.orderHs.Add(down.On("click", func(js.Value) { v.move(pos, +1, "down") }))
		v.orderHs.Add(li.On("keydown", func(ev js.Value) {
			if !ev.Get("altKey").Bool() || v.locked {
				return
			}
			switch ev.Get("key").String() {
			case "ArrowUp":
				ev.Call("preventDefault")
				v.move(pos, -1, "item")
			case "ArrowDown":
				ev.Call("preventDefault")
				v.move(pos, +1, "item")
			}
		}))
		v.list.Append(li)
		if pos == focus {
			defer li.Focus()
		}
	}
}

// move moves the step at pos by delta and keeps the focus where the candidate was working.
func (v *itemView) move(pos, delta int, from string) {
	to := pos + delta
	if v.locked || to < 0 || to >= len(v.order) {
		return
	}
	v.order[pos], v.order[to] = v.order[to], v.order[pos]
	v.drawOrder(-1)
	items := v.list.All("li")
	switch from {
	case "item":
		items[to].Focus()
	case "up":
		if to == 0 {
			items[to].Q("[data-role=down]").Focus()
		} else {
			items[to].Q("[data-role=up]").Focus()
		}
	default:
		if to == len(items)-1 {
			items[to].Q("[data-role=up]").Focus()
		} else {
			items[to].Q("[data-role=down]").Focus()
		}
	}
	if v.announce != nil {
		v.announce(fmt.Sprintf("“%s” moved to position %d of %d.", short(v.q.Choices[v.order[to]].Text), to+1, len(v.order)))
	}
	v.changed()
}

// renderMatch renders one select per item, listing the matches in the layout's order.
func (v *itemView) renderMatch(answer dom.El, prior quiz.Response) {
	options := quiz.MatchOptions(v.q)
	box := dom.New("div", "class", "match", "role", "group", "aria-labelledby", v.uid+"-stem", "aria-describedby", v.uid+"-hint")
	v.selects = make([]dom.El, len(v.q.Pairs))
	for _, i := range v.layout.Items {
		i := i
		row := dom.Clone("tpl-match-row")
		row.Q("[data-role=item]").Text(v.q.Pairs[i].Item)
		sel := row.Q("[data-role=select]").Attr("id", fmt.Sprintf("%s-m%d", v.uid, i))
		for _, m := range v.layout.Matches {
			sel.Append(dom.New("option", "value", strconv.Itoa(m)).Text(options[m]))
		}
		if len(prior) == len(v.q.Pairs) && prior[i] >= 0 {
			sel.Set("value", strconv.Itoa(prior[i]))
		}
		v.hs.Add(sel.On("change", func(js.Value) { v.syncMatches(); v.changed() }))
		v.selects[i] = sel
		box.Append(row)
	}
	answer.Append(box)
	v.syncMatches()
}

// syncMatches disables, in every select, the matches another item already uses.
func (v *itemView) syncMatches() {
	used := map[string]int{}
	for i, s := range v.selects {
		if val := s.Val(); val != "-1" {
			used[val] = i
		}
	}
	for i, s := range v.selects {
		for _, opt := range s.All("option") {
			val := opt.Val()
			owner, taken := used[val]
			opt.Disabled(val != "-1" && taken && owner != i)
		}
	}
}

// renderGrid renders a hotspot grid: a table of toggle buttons with a roving tab stop.
func (v *itemView) renderGrid(answer dom.El, prior quiz.Response) {
	g := v.q.Grid
	if len(prior) == 2 {
		v.row, v.col = prior[0], prior[1]
	}
	table := dom.New("table", "class", "hotspot-grid", "aria-describedby", v.uid+"-hint")
	table.Append(dom.New("caption", "class", "visually-hidden").Text(v.q.Stem))
	head := dom.New("thead")
	top := dom.New("tr")
	top.Append(dom.New("td"), dom.New("th", "scope", "colgroup", "colspan", strconv.Itoa(len(g.Cols)), "class", "axis").Text(g.ColsLabel+" →"))
	labels := dom.New("tr")
	labels.Append(dom.New("th", "scope", "col", "class", "axis").Text(g.RowsLabel + " ↓"))
	for _, c := range g.Cols {
		labels.Append(dom.New("th", "scope", "col").Text(c.Text))
	}
	head.Append(top, labels)
	body := dom.New("tbody")
	cellText := map[[2]int]string{}
	for _, c := range g.Cells {
		cellText[[2]int{c.Row, c.Col}] = c.Text
	}
	v.cells = make([][]dom.El, len(g.Rows))
	for r, row := range g.Rows {
		tr := dom.New("tr")
		tr.Append(dom.New("th", "scope", "row").Text(row.Text))
		for c, col := range g.Cols {
			r, c := r, c
			text := cellText[[2]int{r, c}]
			label := fmt.Sprintf("%s: %s, %s: %s", g.RowsLabel, row.Text, g.ColsLabel, col.Text)
			if text != "" {
				label += ", marked " + text
			}
			b := dom.New("button", "type", "button", "class", "cell", "aria-label", label, "aria-pressed", "false", "tabindex", "-1").Text(text)
			v.hs.Add(b.On("click", func(js.Value) { v.pick(r, c) }))
			v.hs.Add(b.On("keydown", func(ev js.Value) { v.gridKey(ev, r, c) }))
			v.cells[r] = append(v.cells[r], b)
			tr.Append(dom.New("td").Append(b))
		}
		body.Append(tr)
	}
	table.Append(head, body)
	answer.Append(dom.New("div", "class", "grid-wrap").Append(table))
	v.drawGrid()
}

func (v *itemView) pick(r, c int) {
	if v.locked {
		return
	}
	v.row, v.col = r, c
	v.drawGrid()
	v.changed()
}

// drawGrid marks the chosen cell and puts the tab stop on it (or on the first cell).
func (v *itemView) drawGrid() {
	for r := range v.cells {
		for c, b := range v.cells[r] {
			on := r == v.row && c == v.col
			b.Attr("aria-pressed", strconv.FormatBool(on)).Class("selected", on)
			stop := on || (v.row < 0 && r == 0 && c == 0)
			b.Attr("tabindex", map[bool]string{true: "0", false: "-1"}[stop])
			b.Disabled(v.locked)
		}
	}
}

func (v *itemView) gridKey(ev js.Value, r, c int) {
	nr, nc := r, c
	switch ev.Get("key").String() {
	case "ArrowUp":
		nr--
	case "ArrowDown":
		nr++
	case "ArrowLeft":
		nc--
	case "ArrowRight":
		nc++
	case "Home":
		nc = 0
	case "End":
		nc = len(v.cells[r]) - 1
	default:
		return
	}
	ev.Call("preventDefault")
	if nr < 0 || nr >= len(v.cells) || nc < 0 || nc >= len(v.cells[nr]) {
		return
	}
	v.cells[r][c].Attr("tabindex", "-1")
	v.cells[nr][nc].Attr("tabindex", "0")
	v.cells[nr][nc].Focus()
}

// Response reads the candidate's current answer; nil when nothing is answered.
func (v *itemView) Response() quiz.Response {
	switch {
	case v.inputs != nil:
		var r quiz.Response
		for pos, in := range v.inputs {
			if in.Checked() {
				r = append(r, v.stored[pos])
			}
		}
		return r
	case v.order != nil:
		return append(quiz.Response(nil), v.order...)
	case v.selects != nil:
		r := make(quiz.Response, len(v.selects))
		any := false
		for i, s := range v.selects {
			n, err := strconv.Atoi(s.Val())
			if err != nil {
				n = -1
			}
			r[i] = n
			any = any || n >= 0
		}
		if !any {
			return nil
		}
		return r
	case v.cells != nil:
		if v.row < 0 {
			return nil
		}
		return quiz.Response{v.row, v.col}
	}
	return nil
}

// Lock stops further changes (after a practice answer is checked).
func (v *itemView) Lock() {
	v.locked = true
	for _, in := range v.inputs {
		in.Disabled(true)
	}
	for _, s := range v.selects {
		s.Disabled(true)
	}
	if v.order != nil {
		v.drawOrder(-1)
	}
	if v.cells != nil {
		v.drawGrid()
	}
}

// Shortcut handles a key pressed outside any form field: 1-9 (or A-J) choose an option.
func (v *itemView) Shortcut(key string) bool {
	if v.locked || v.inputs == nil || len(key) != 1 {
		return false
	}
	pos := -1
	switch k := key[0]; {
	case k >= '1' && k <= '9':
		pos = int(k - '1')
	case k >= 'a' && k <= 'j':
		pos = int(k - 'a')
	case k >= 'A' && k <= 'J':
		pos = int(k - 'A')
	}
	if pos < 0 || pos >= len(v.inputs) {
		return false
	}
	in := v.inputs[pos]
	if v.q.Type == quiz.Multi {
		in.Set("checked", !in.Checked())
	} else {
		in.Set("checked", true)
	}
	in.Focus()
	v.changed()
	return true
}

// Close removes the view's listeners.
func (v *itemView) Close() {
	v.hs.Off()
	v.orderHs.Off()
}

// Focus puts the keyboard focus on the first control of the answer.
func (v *itemView) Focus() {
	switch {
	case v.inputs != nil:
		for _, in := range v.inputs {
			if in.Checked() {
				in.Focus()
				return
			}
		}
		v.inputs[0].Focus()
	case v.order != nil:
		if items := v.list.All("li"); len(items) > 0 {
			items[0].Focus()
		}
	case v.selects != nil:
		v.selects[v.layout.Items[0]].Focus()
	case v.cells != nil:
		r, c := v.row, v.col
		if r < 0 {
			r, c = 0, 0
		}
		v.cells[r][c].Focus()
	}
}

// short shortens a long text for an announcement.
func short(s string) string {
	if len([]rune(s)) <= 60 {
		return s
	}
	return string([]rune(s)[:57]) + "…"
}
