//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/wasm/dom"
)

// examUI runs the mock-exam page.
type examUI struct {
	a        *App
	x        *quiz.MockExam
	i        int
	view     *itemView
	ticker   js.Func
	tickID   js.Value
	warned   map[int]bool
	ending   bool
	keys     *dom.Handler
	reviewHs dom.Handlers // the review screen's item buttons
	placed   int          // the item whose position was last stored, -1 for none
	taps     tapGuard     // a double tap on Next, Previous or a number moves once

	run, question, counter, clock, flag, navToggle, nav, navList, announceEl dom.El
}

func startExam(a *App) error {
	u := &examUI{a: a, warned: map[int]bool{}, placed: -1}
	start := dom.ByID("exam-start")
	if id := param("results"); id != "" {
		if x := a.State().Exam(id); x != nil && x.Submitted {
			start.Hide()
			u.showResults(x)
			return nil
		}
		a.warn("That mock exam was not found on this device.")
	}
	u.drawHistory(start.Q("[data-role=history]"))
	begin, resume := start.Q("[data-role=start]"), start.Q("[data-role=resume]")
	if x := a.State().CurrentExam(); x != nil {
		if x.TimeUp(now()) {
			// Time ran out while the page was closed: the exam is over, submit it now.
			e, err := quiz.SubmitExam(x, a.NextID())
			if err == nil {
				err = a.Record(e).Wait() // the main goroutine, not a listener: it may wait
			}
			if err != nil {
				return err
			}
			a.warn("Time ran out on your mock exam while this page was closed, so it was submitted for you.")
			start.Hide()
			u.showResults(a.State().Exam(x.ID))
			return nil
		}
		begin.Hide()
		resume.Show().On("click", func(js.Value) {
			if resume.Get("disabled").Bool() {
				return // a second tap would open the exam twice
			}
			resume.Disabled(true)
			go func() { // open reads storage: not on the JS thread
				defer dom.Recover()
				u.open(a.State().CurrentExam())
				start.Hide()
			}()
		})
		return nil
	}
	begin.Disabled(false).On("click", func(js.Value) {
		if begin.Get("disabled").Bool() {
			return
		}
		begin.Disabled(true)
		e, err := quiz.StartExam(a.cat, a.State(), a.NextID(), a.rng)
		if err != nil {
			a.fail(err)
			begin.Disabled(false)
			return
		}
		saved := a.Record(e)
		go func() {
			defer dom.Recover()
			// The exam opens once its start is stored: a reload then finds it.
			if err := saved.Wait(); err != nil {
				a.fail(err)
				begin.Disabled(false)
				return
			}
			u.open(a.State().CurrentExam())
			start.Hide()
		}()
	})
	return nil
}

// drawHistory lists the submitted mock exams, newest first.
func (u *examUI) drawHistory(box dom.El) {
	var done []*quiz.MockExam
	for _, x := range u.a.State().Exams {
		if x.Submitted {
			done = append(done, x)
		}
	}
	if len(done) == 0 {
		return
	}
	box.Append(dom.New("h3").Text("Your mock exams"))
	ul := dom.New("ul", "class", "history")
	for k := len(done) - 1; k >= 0; k-- {
		x := done[k]
		s := quiz.ScoreExam(u.a.cat, x)
		verdict := "below the pass mark"
		if s.Passed {
			verdict = "pass"
		}
		ul.Append(dom.New("li").Append(dom.New("a", "href", "/mock-exam/?results="+x.ID).Text(
			fmt.Sprintf("%s: %d of %d right, estimated %d (%s)", x.Started.Local().Format("2 Jan 2006 15:04"), s.Correct, s.Total, s.Scaled, verdict))))
	}
	box.Append(ul)
}

// open shows the exam screen at the first unanswered item.
func (u *examUI) open(x *quiz.MockExam) {
	// Resume at the item the candidate was on; a new exam starts at item 1.
	// Read first, so that the exam never shows without its item.
	first := 0
	if v, ok, err := u.a.store.Get(context.Background(), examPositionKey); err == nil && ok {
		if id, pos, found := strings.Cut(v, " "); found && id == x.ID {
			if n, err := strconv.Atoi(pos); err == nil && n >= 0 && n < len(x.Items) {
				first = n
			}
		}
	}
	u.x = x
	// An update of the site waits while this is set (offline.js).
	dom.Document().Get("body").Get("dataset").Set("exam", "running")
	u.run = dom.ByID("exam-run").Show()
	u.question = u.run.Q("[data-role=question]")
	u.counter = u.run.Q("[data-role=counter]")
	u.clock = u.run.Q("[data-role=clock]")
	u.flag = u.run.Q("[data-role=flag]")
	u.navToggle = u.run.Q("[data-role=nav-toggle]")
	u.nav = dom.ByID("exam-nav")
	u.navList = u.nav.Q("[data-role=nav-list]")
	u.announceEl = u.run.Q("[data-role=announce]")
	u.flag.On("click", func(js.Value) { u.toggleFlag() })
	u.navToggle.On("click", func(js.Value) {
		u.openNav(u.nav.Get("hidden").Bool())
	})
	a := u.a
	a.OnChange(func() { u.refresh(); u.drawNav() })
	u.run.Q("[data-role=prev]").On("click", func(ev js.Value) { u.tap(ev, func() { u.goTo(u.i - 1) }) })
	u.run.Q("[data-role=next]").On("click", func(ev js.Value) { u.tap(ev, func() { u.goTo(u.i + 1) }) })
	u.run.Q("[data-role=review]").On("click", func(ev js.Value) { u.tap(ev, u.showReview) })
	review := dom.ByID("exam-review")
	// After a move, what it drew under the finger (Flag, a link, the review's buttons) takes no
	// second tap either.
	guardClicks(u.run, &u.taps)
	guardClicks(review, &u.taps)
	review.Q("[data-role=back]").On("click", func(js.Value) { review.Hide(); u.run.Show(); u.goTo(u.i) })
	review.Q("[data-role=submit]").On("click", func(js.Value) { u.confirmSubmit() })
	u.keys = dom.Document().On("keydown", u.onKey)
	u.buildNav()
	u.ticker = js.FuncOf(func(js.Value, []js.Value) any { defer dom.Recover(); u.tick(); return nil })
	u.tickID = dom.Window().Call("setInterval", u.ticker, 1000)
	u.tick()
	u.show(first)
}

func (u *examUI) buildNav() {
	u.navList.Clear()
	for i := range u.x.Items {
		i := i
		b := dom.New("button", "type", "button").Text(strconv.Itoa(i + 1))
		b.On("click", func(ev js.Value) {
			u.tap(ev, func() {
				u.openNav(false) // the item is what the candidate came for
				u.goTo(i)
			})
		})
		u.navList.Append(dom.New("li").Append(b))
	}
	u.drawNav()
}

func (u *examUI) drawNav() {
	for i, li := range u.navList.All("li") {
		b := li.Q("button")
		answered, flagged := len(u.x.Answers[i]) > 0, u.x.Flags[i]
		b.Class("answered", answered).Class("flagged", flagged).Class("current", i == u.i)
		label := fmt.Sprintf("Item %d", i+1)
		if answered {
			label += ", answered"
		} else {
			label += ", not answered"
		}
		if flagged {
			label += ", flagged"
		}
		b.Attr("aria-label", label)
		if i == u.i {
			b.Attr("aria-current", "true")
		} else {
			b.Unattr("aria-current")
		}
	}
}

// refresh takes the exam's latest state: a fold of merged events replaces it.
func (u *examUI) refresh() {
	if x := u.a.State().Exam(u.x.ID); x != nil {
		u.x = x
	}
}

func (u *examUI) show(i int) {
	if u.view != nil {
		u.view.Close()
	}
	u.i = i
	q := u.a.cat.Questions[u.x.Items[i]]
	u.question.Clear()
	if q == nil {
		u.question.Append(dom.New("p", "class", "notice").Text("This item is no longer in the question bank; it counts as unanswered."))
	} else {
		u.view = newItemView(u.a.cat, u.a.uid(), q, u.x.Layout(i, q), u.x.Answers[i], func() { u.save(i) }, u.say)
		u.question.Append(u.view.el)
	}
	u.counter.Text(fmt.Sprintf("Item %d of %d", i+1, len(u.x.Items)))
	u.drawFlag()
	u.run.Q("[data-role=prev]").Disabled(i == 0)
	u.run.Q("[data-role=next]").Disabled(i == len(u.x.Items)-1)
	u.drawNav()
	u.counter.Attr("tabindex", "-1").Focus()
	u.run.ScrollIntoView() // the item's first line, not where the last one ended
	if i == u.placed {
		return // drawn again where it was: the position is stored already
	}
	u.placed = i
	saved := u.a.Put(examPositionKey, u.x.ID+" "+strconv.Itoa(i))
	go func() {
		defer dom.Recover()
		if err := saved.Wait(); err != nil {
			u.a.warn(sentence(err.Error()) + " A reload may open the exam on another item; your answers are not affected.")
		}
	}()
}

// examPositionKey names the stored value that remembers the item on screen, so that a reload
// resumes on it.
const examPositionKey = "exam-position"

// save records the item's current answer (or its clearing). It runs in the listener of the change:
// the answer counts at once and the writer stores it behind the ones before.
func (u *examUI) save(i int) {
	if u.view == nil || u.ending {
		return
	}
	e, err := quiz.AnswerExam(u.a.cat, u.x, u.a.NextID(), i, u.view.Response())
	if err != nil {
		u.a.fail(err)
		return
	}
	u.settle(u.a.Record(e), i)
	u.drawNav()
}

func (u *examUI) toggleFlag() {
	if u.ending {
		return
	}
	e, err := quiz.FlagExam(u.x, u.a.NextID(), u.i, !u.x.Flags[u.i])
	if err != nil {
		u.a.fail(err)
		return
	}
	u.settle(u.a.Record(e), u.i)
	u.drawFlag()
	u.drawNav()
}

// settle waits, in a goroutine, for an answer or flag of item i to be stored. If it could not be,
// the item is drawn again as stored and the candidate is told.
func (u *examUI) settle(saved Saved, i int) {
	go func() {
		defer dom.Recover()
		err := saved.Wait()
		if err == nil {
			if dom.ByID("app-message").GetAttr("data-kind") == "error" {
				clearMessage() // an earlier write failed; this one did not
			}
			return
		}
		u.refresh()
		if u.i == i && !u.ending && !u.run.Get("hidden").Bool() {
			u.show(i)
		}
		u.drawNav()
		u.a.fail(err) // last: drawing the item again may move the page, and the message must be in view
	}()
}

func (u *examUI) drawFlag() {
	on := u.x.Flags[u.i]
	u.flag.Attr("aria-pressed", strconv.FormatBool(on)).Text(map[bool]string{true: "⚑ Flagged", false: "⚑ Flag for review"}[on])
}

// goTo moves to item i at once: answers still being stored already count in the state it shows.
func (u *examUI) goTo(i int) {
	if i < 0 || i >= len(u.x.Items) || u.ending {
		return
	}
	u.refresh()
	dom.ByID("exam-review").Hide()
	u.run.Show()
	u.show(i)
}

func (u *examUI) say(msg string) { u.announceEl.Text(msg) }

// tap runs a move and remembers the tap, so that the screens' guards (startExam) stop its second
// tap if it was a double tap.
func (u *examUI) tap(ev js.Value, move func()) {
	u.taps.arm(ev)
	move()
}

// openNav opens or closes the navigator; opened, it is brought into view, since from the foot
// of a long item it would open above the screen, as if nothing happened.
func (u *examUI) openNav(open bool) {
	u.nav.Visible(open)
	u.navToggle.Attr("aria-expanded", strconv.FormatBool(open))
	if open {
		u.nav.ScrollIntoView()
	}
}

// tick updates the clock, warns as time runs low, and submits when it runs out.
func (u *examUI) tick() {
	left := u.x.Remaining(now())
	secs := int(left.Round(time.Second).Seconds())
	u.clock.Text(fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60))
	u.clock.Class("low", left < 10*time.Minute)
	for _, m := range []int{30, 10, 5, 1} {
		if left <= time.Duration(m)*time.Minute && left > time.Duration(m)*time.Minute-5*time.Second && !u.warned[m] {
			u.warned[m] = true
			u.say(quiz.Count(m, "minute") + " left.")
		}
	}
	if left <= 0 && !u.ending {
		u.submit("Time is up: your exam was submitted.")
	}
}

func (u *examUI) showReview() {
	if u.ending {
		return
	}
	u.refresh()
	un, fl := u.x.ReviewList()
	review := dom.ByID("exam-review")
	u.run.Hide()
	review.Show()
	review.Q("[data-role=review-summary]").Text(fmt.Sprintf("%d of %d answered, %d not answered, %d flagged for review. Time left: %s.",
		len(u.x.Items)-len(un), len(u.x.Items), len(un), len(fl), u.clock.Get("textContent").String()))
	u.reviewHs.Off() // the buttons of the last review are gone
	for _, part := range []struct {
		role  string
		items []int
		none  string
	}{{"unanswered", un, "Every item is answered."}, {"flagged", fl, "No item is flagged."}} {
		list := review.Q("[data-role=" + part.role + "]").Clear()
		if len(part.items) == 0 {
			list.Append(dom.New("li").Text(part.none))
		}
		for _, i := range part.items {
			b := dom.New("button", "type", "button").Text(fmt.Sprintf("Item %d", i+1))
			u.reviewHs.Add(b.On("click", func(js.Value) { u.goTo(i) }))
			list.Append(dom.New("li").Append(b))
		}
	}
	review.Focus()
}

func (u *examUI) confirmSubmit() {
	un, fl := u.x.ReviewList()
	dlg := dom.ByID("exam-confirm")
	text := "You cannot change answers after submitting."
	if len(un) > 0 {
		text = fmt.Sprintf("%s %s not answered and will count as wrong. ", quiz.Count(len(un), "item"), isAre(len(un))) + text
	}
	if len(fl) > 0 {
		text = fmt.Sprintf("%s %s flagged for review. ", quiz.Count(len(fl), "item"), isAre(len(fl))) + text
	}
	dlg.Q("[data-role=confirm-text]").Text(text)
	var h *dom.Handler
	h = dlg.On("close", func(js.Value) {
		h.Off()
		if dlg.Get("returnValue").String() == "submit" {
			u.submit("")
		}
	})
	dlg.Call("showModal")
}

func (u *examUI) submit(notice string) {
	if u.ending {
		return
	}
	u.refresh()
	e, err := quiz.SubmitExam(u.x, u.a.NextID())
	if err != nil {
		u.a.fail(err)
		return
	}
	u.ending = true
	// Queued behind every answer given before it, so they all count.
	saved := u.a.Record(e)
	go func() {
		defer dom.Recover()
		if err := saved.Wait(); err != nil {
			u.ending = false
			u.a.fail(err)
			return
		}
		dom.Window().Call("clearInterval", u.tickID)
		dom.Document().Get("body").Get("dataset").Delete("exam")
		if u.keys != nil {
			u.keys.Off()
		}
		if u.view != nil {
			u.view.Close()
		}
		if notice != "" {
			u.a.warn(notice)
		}
		dom.ByID("exam-run").Hide()
		dom.ByID("exam-review").Hide()
		u.showResults(u.a.State().Exam(u.x.ID))
	}()
}

func (u *examUI) onKey(ev js.Value) {
	if u.view == nil || ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() {
		return
	}
	if dom.ByID("exam-run").Get("hidden").Bool() || inReport(ev) {
		return
	}
	tag := ev.Get("target").Get("tagName").String()
	key := ev.Get("key").String()
	if key == "Enter" {
		if tag == "BUTTON" || tag == "A" || tag == "SELECT" || tag == "TEXTAREA" || tag == "SUMMARY" {
			return
		}
		ev.Call("preventDefault")
		if ev.Get("shiftKey").Bool() {
			u.goTo(u.i - 1)
		} else {
			u.goTo(u.i + 1)
		}
		return
	}
	if tag == "SELECT" || tag == "TEXTAREA" {
		return
	}
	if u.view.Shortcut(key) {
		ev.Call("preventDefault")
	}
}

// showResults shows the result of a submitted exam: the scaled estimate against the pass mark,
// each domain, and every item with its explanation.
func (u *examUI) showResults(x *quiz.MockExam) {
	cat := u.a.cat
	s := quiz.ScoreExam(cat, x)
	res := dom.ByID("exam-results").Show()
	verdict, cls := "Below the pass mark", "fail"
	if s.Passed {
		verdict, cls = "At or above the pass mark", "pass"
	}
	head := res.Q("[data-role=head]").Clear()
	head.Append(
		dom.New("p", "class", "scaled "+cls).Text(fmt.Sprintf("%d", s.Scaled)),
		dom.New("p", "class", "scaled-label").Text(fmt.Sprintf("estimated scaled score (pass mark %d of %d) · %s", quiz.PassMark, quiz.MaxScore, verdict)),
		dom.New("p").Text(fmt.Sprintf("%d of %d items right (%.0f%%). %d not answered. Submitted %s%s.", s.Correct, s.Total, 100*float64(s.Correct)/float64(max(1, s.Total)), s.Unanswered,
			x.Ended.Local().Format("2 Jan 2006 15:04"), map[bool]string{true: " when time ran out", false: ""}[x.Reason == quiz.ByClock])),
	)
	doms := res.Q("[data-role=domains]").Clear()
	for _, d := range s.ByDomain {
		pct := 0
		if d.Total > 0 {
			pct = 100 * d.Correct / d.Total
		}
		row := dom.New("div", "class", "bar-row d"+d.Domain)
		row.Append(
			dom.New("span", "class", "bar-label").Text(fmt.Sprintf("%s. %s", d.Domain, d.Name)),
			dom.New("span", "class", "bar").Append(barFill(pct)),
			dom.New("span", "class", "bar-value").Text(fmt.Sprintf("%d of %d (%d%%)", d.Correct, d.Total, pct)),
		)
		doms.Append(row)
	}
	items := res.Q("[data-role=items]").Clear()
	for i, id := range x.Items {
		i := i
		q := cat.Questions[id]
		ok := x.Correct[i] && len(x.Answers[i]) > 0
		li := dom.New("li", "class", map[bool]string{true: "right", false: "wrong"}[ok])
		det := dom.New("details")
		mark := "✗"
		if ok {
			mark = "✓"
		} else if len(x.Answers[i]) == 0 {
			mark = "–"
		}
		task := ""
		if p, found := cat.Places[id]; found {
			task = " · Task " + p.Task.ID
		}
		det.Append(dom.New("summary").Text(fmt.Sprintf("%s Item %d%s", mark, i+1, task)))
		body := dom.New("div", "class", "review-body")
		det.Append(body)
		rendered := false
		det.On("toggle", func(js.Value) {
			if rendered || q == nil || !det.Get("open").Bool() {
				return
			}
			rendered = true
			layout := x.Layout(i, q)
			v := newItemView(cat, u.a.uid(), q, layout, x.Answers[i], nil, nil)
			v.Lock()
			r, err := quiz.Score(q, x.Answers[i])
			if err != nil {
				// A damaged answer (from an import, say) shows as wrong rather than stopping the page.
				r = quiz.Result{Answered: true}
				body.Append(dom.New("p", "class", "notice").Text("The answer stored for this item does not fit the question, so it counts as wrong."))
			}
			fb := renderFeedback(cat, q, layout, x.Answers[i], r)
			fb.Append(u.a.reportControl(q, x.Answers[i]))
			body.Append(v.el, fb)
		})
		li.Append(det)
		items.Append(li)
	}
	only := res.Q("[data-role=only-wrong]")
	only.On("change", func(js.Value) {
		for _, li := range items.All("li.right") {
			li.Visible(!only.Checked())
		}
	})
	// The score first, not wherever the page was scrolled in the exam.
	res.Call("focus", map[string]any{"preventScroll": true})
	res.Call("scrollIntoView", map[string]any{"block": "start", "behavior": "instant"})
}
