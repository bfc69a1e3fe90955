//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/wasm/dom"
)

// practice is a running practice session.
type practice struct {
	a       *App
	scope   quiz.Scope
	plan    []string
	session string
	i       int
	right   int
	missed  []string
	view    *itemView
	shown   time.Time
	checked bool
	busy    bool
	taps    tapGuard // Check and Next share a spot: a double tap on one is not a tap on the other

	announcer dom.El // screen-reader messages of the items, apart from the visible counter

	root, question, feedback, check, next, counter, score dom.El
}

// scopeFromURL reads the practice scope the page was opened with: ?scope=subdomain:3.1 (links on
// the study pages) or the setup form's ?mode=...&topic=....
func scopeFromURL() (quiz.Scope, bool, error) {
	if s := param("scope"); s != "" {
		sc, err := quiz.ParseScope(s)
		return sc, true, err
	}
	switch mode := param("mode"); mode {
	case "":
		return quiz.Scope{}, false, nil
	case "topic":
		topic := param("topic")
		if topic == "" {
			topic = "all"
		}
		sc, err := quiz.ParseScope(topic)
		return sc, true, err
	default:
		sc, err := quiz.ParseScope(mode)
		return sc, true, err
	}
}

func startPractice(a *App) error {
	setup := dom.ByID("practice-setup")
	form := dom.ByID("practice-form")
	s := a.State()
	due := len(quiz.DueQueue(a.cat, s, now()))
	// About as long as the page's placeholder, so that the form does not move when it arrives.
	note := fmt.Sprintf("%d questions are due today from your spaced-repetition schedule.", due)
	switch due {
	case 0:
		note = "Nothing is due now: answered questions come back when due."
	case 1:
		note = "1 question is due today from your spaced-repetition schedule."
	}
	setup.Q("[data-role=due-count]").Text(note)
	setup.Q("[data-role=start]").Disabled(false)
	// Reflect the URL in the form, so "Practice again" starts where the candidate was.
	if m := param("mode"); m != "" {
		if r := form.Q(`input[name=mode][value="` + m + `"]`); r.Ok() {
			r.Set("checked", true)
		}
	}
	if t := param("topic"); t != "" {
		form.Q("#topic").Set("value", t)
	}
	if n := param("size"); n != "" {
		form.Q("#size").Set("value", n)
	}
	sc, ok, err := scopeFromURL()
	if err != nil {
		a.fail(fmt.Errorf("%v: choose what to practice below", err))
		return nil
	}
	if !ok {
		return nil
	}
	size, err := strconv.Atoi(param("size"))
	if err != nil || size <= 0 || size > 200 {
		size = 20
	}
	plan, err := quiz.PlanPractice(a.cat, s, sc, size, now(), a.rng)
	if errors.Is(err, quiz.ErrEmptyScope) {
		msg := "There are no questions in that topic yet: choose another."
		switch sc.Kind {
		case quiz.ScopeDue:
			msg = "Nothing is due for review right now. Come back tomorrow, or practice by topic."
		case quiz.ScopeNew:
			msg = "You have answered every question at least once. Try “Weakest first” or “Due for review”."
		case quiz.ScopeWeakest:
			msg = "Answer some questions first: then this brings back the ones you are most likely to miss."
		}
		a.warn(msg)
		return nil
	}
	if err != nil {
		return err
	}
	p := &practice{a: a, scope: sc, plan: plan, session: quiz.NewDeviceID(a.rng)}
	// A reload goes on with the session the page had (the answers are in the log already).
	if saved, ok := loadSession(); ok && reloaded() && saved.Search == locationSearch() && a.cat.Has(saved.Plan) {
		p.plan, p.session = saved.Plan, saved.Session
		r := quiz.ResumeSession(a.Log(), p.session, p.plan)
		p.i, p.right, p.missed = r.Answered, r.Right, r.Missed
	} else {
		storeSession(savedSession{Search: locationSearch(), Session: p.session, Plan: p.plan})
	}
	p.root = dom.ByID("practice-session")
	p.question = p.root.Q("[data-role=question]")
	p.feedback = p.root.Q("[data-role=feedback]")
	p.check = p.root.Q("[data-role=check]")
	p.next = p.root.Q("[data-role=next]")
	p.counter = p.root.Q("[data-role=counter]")
	p.score = p.root.Q("[data-role=score]")
	// After a move, what the move drew under the finger (the session bar's End session link, a
	// study link) takes no second tap either.
	guardClicks(p.root, &p.taps)
	p.announcer = dom.New("p", "class", "visually-hidden", "aria-live", "polite")
	p.root.Append(p.announcer)
	setup.Hide()
	p.root.Show()
	// The session's guard (above) has already stopped a double tap's second tap.
	p.check.On("click", func(ev js.Value) { p.taps.arm(ev); p.onCheck() })
	p.next.On("click", func(ev js.Value) { p.taps.arm(ev); p.onNext() })
	dom.Document().On("keydown", p.onKey)
	if p.i >= len(p.plan) {
		p.done()
		return nil
	}
	p.show()
	return nil
}

func (p *practice) show() {
	if p.view != nil {
		p.view.Close()
	}
	q := p.a.cat.Questions[p.plan[p.i]]
	p.checked = false
	p.question.Clear()
	p.feedback.Clear()
	p.view = newItemView(p.a.cat, p.a.uid(), q, quiz.Shuffle(q, p.a.rng), nil, clearMessage, p.announce)
	p.question.Append(p.view.el)
	p.counter.Text(fmt.Sprintf("Question %d of %d", p.i+1, len(p.plan)))
	if p.i > 0 {
		p.score.Text(fmt.Sprintf("%d right so far", p.right))
	}
	p.check.Show().Disabled(false)
	p.next.Hide()
	p.shown = now()
	p.view.el.Q("[data-role=stem]").Attr("tabindex", "-1").Focus()
	p.root.ScrollIntoView()
}

func (p *practice) announce(msg string) { p.announcer.Text(msg) }

func (p *practice) onCheck() {
	if p.checked || p.busy {
		return
	}
	r := p.view.Response()
	if len(r) == 0 {
		p.a.warn("Choose an answer first, then check it.")
		p.view.Focus()
		return
	}
	q := p.view.q
	e, res, err := quiz.AnswerPractice(p.a.cat, p.a.NextID(), q.ID, r, p.session, now().Sub(p.shown).Milliseconds())
	if err != nil {
		p.a.fail(err)
		return
	}
	p.busy = true
	p.check.Disabled(true)
	saved := p.a.Record(e)
	go func() {
		defer dom.Recover()
		defer func() { p.busy = false }()
		// The feedback shows once the answer is stored: what it says is what a reload finds.
		if err := saved.Wait(); err != nil {
			p.a.fail(err)
			p.check.Disabled(false)
			return
		}
		clearMessage()
		p.checked = true
		if res.Correct {
			p.right++
		} else {
			p.missed = append(p.missed, q.ID)
		}
		p.view.Lock()
		fb := renderFeedback(p.a.cat, q, p.view.layout, r, res)
		fb.Append(p.a.reportControl(q, r))
		p.feedback.Clear().Append(fb)
		p.check.Hide()
		p.next.Show()
		if p.i == len(p.plan)-1 {
			p.next.Text("See your results")
		}
		p.score.Text(fmt.Sprintf("%d right of %d", p.right, p.i+1))
		fb.Focus()
	}()
}

func (p *practice) onNext() {
	if !p.checked || p.busy {
		return
	}
	p.i++
	if p.i < len(p.plan) {
		p.show()
		return
	}
	p.done()
}

func (p *practice) done() {
	clearSession()
	if p.view != nil {
		p.view.Close()
	}
	p.root.Hide()
	done := dom.ByID("practice-done").Show()
	done.Q("[data-role=summary]").Text(fmt.Sprintf("You answered %d of %d right (%d%%).", p.right, len(p.plan), 100*p.right/len(p.plan)))
	missed := done.Q("[data-role=missed]").Clear()
	if len(p.missed) > 0 {
		missed.Append(dom.New("h3").Text("To review"))
		ul := dom.New("ul", "class", "missed")
		for _, id := range p.missed {
			pl := p.a.cat.Places[id]
			ul.Append(dom.New("li").Append(dom.New("a", "href", studyURL(pl)).Text(fmt.Sprintf("Task %s: %s", pl.Task.ID, pl.Task.Text))))
		}
		missed.Append(ul)
	}
	done.Q("[data-role=again]").Attr("href", "/practice/?scope="+p.scope.String()+"&size="+strconv.Itoa(len(p.plan)))
	if len(p.missed) > 0 {
		retry := dom.New("a", "class", "button", "href", "/practice/?scope=questions:"+strings.Join(p.missed, ",")+"&size="+strconv.Itoa(len(p.missed))).Text("Try the missed ones again")
		done.Q("[data-role=again]").Call("after", retry.Value)
	}
	done.Focus()
}

// onKey: Enter checks and moves on; 1-9 and A-J choose options.
func (p *practice) onKey(ev js.Value) {
	if ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() {
		return
	}
	if inReport(ev) {
		return // the keys of a problem report's form are its own
	}
	tag := ev.Get("target").Get("tagName").String()
	key := ev.Get("key").String()
	if key == "Enter" {
		if tag == "BUTTON" || tag == "A" || tag == "SELECT" || tag == "TEXTAREA" || tag == "SUMMARY" {
			return // the control does its own thing
		}
		ev.Call("preventDefault")
		if p.checked {
			p.onNext()
		} else {
			p.onCheck()
		}
		return
	}
	if tag == "SELECT" || tag == "TEXTAREA" || (tag == "INPUT" && ev.Get("target").Get("type").String() == "text") {
		return
	}
	if p.view != nil && p.view.Shortcut(key) {
		ev.Call("preventDefault")
	}
}

// sessionKey names the practice session in the tab's sessionStorage: a reload goes on with it,
// a new tab or a new setup starts afresh.
const sessionKey = "issmp-practice"

// savedSession is what a reload needs besides the log: which questions, in which order, under
// which session id its answers were recorded.
type savedSession struct {
	Search  string   `json:"search"` // the page's query string: the same setup
	Session string   `json:"session"`
	Plan    []string `json:"plan"`
}

func sessionStorage() js.Value {
	defer func() { _ = recover() }() // storage may be disabled: sessions then end with the page
	return js.Global().Get("sessionStorage")
}

// reloaded reports whether the page was reloaded (or reached with Back or Forward) rather than
// opened anew: only then does the session go on. Opened from a link or the setup form, the
// same topic starts a new session.
func reloaded() bool {
	nav := js.Global().Get("performance").Call("getEntriesByType", "navigation")
	if nav.Length() == 0 {
		return false
	}
	t := nav.Index(0).Get("type").String()
	return t == "reload" || t == "back_forward"
}

func locationSearch() string { return dom.Window().Get("location").Get("search").String() }

func loadSession() (savedSession, bool) {
	var s savedSession
	st := sessionStorage()
	if !st.Truthy() {
		return s, false
	}
	v := st.Call("getItem", sessionKey)
	if v.IsNull() || json.Unmarshal([]byte(v.String()), &s) != nil || s.Session == "" || len(s.Plan) == 0 {
		return s, false
	}
	return s, true
}

func storeSession(s savedSession) {
	if st := sessionStorage(); st.Truthy() {
		if data, err := json.Marshal(s); err == nil {
			st.Call("setItem", sessionKey, string(data))
		}
	}
}

func clearSession() {
	if st := sessionStorage(); st.Truthy() {
		st.Call("removeItem", sessionKey)
	}
}
