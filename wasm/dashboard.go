//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/wasm/dom"
)

// barFill is the filled part of a bar, pct wide. The width is set through the CSS object model,
// which the site's Content-Security-Policy allows (it forbids style attributes in markup).
func barFill(pct int) dom.El {
	f := dom.New("span", "class", "bar-fill")
	f.Get("style").Set("width", fmt.Sprintf("%d%%", max(0, min(100, pct))))
	return f
}

// masteryClass buckets a mastery percentage for color: m0 not practiced, uncertain while too few
// answers back it (quiz.Estimate.Sure), m1..m4 rising.
func masteryClass(e quiz.Estimate) string {
	pct := int(math.Round(100 * e.P))
	switch {
	case e.Answers == 0:
		return "m0"
	case !e.Sure:
		return "uncertain"
	case pct >= 85:
		return "m4"
	case pct >= 70:
		return "m3"
	case pct >= 50:
		return "m2"
	}
	return "m1"
}

func startDashboard(a *App) error {
	root := dom.ByID("dashboard").Show()
	drawDashboard(a, root)
	// Events synced from another device change the figures: draw them again.
	a.OnChange(func() { drawDashboard(a, root) })
	go warnIfUnprotected(a, root.Q("[data-role=keep]"))
	return nil
}

// drawDashboard draws every figure from the current state.
func drawDashboard(a *App, root dom.El) {
	for _, role := range []string{"readiness", "due", "domains", "heatmap", "history"} {
		root.Q("[data-role=" + role + "]").Clear()
	}
	s := a.State()
	t := now()
	m := quiz.ComputeMastery(a.cat, s, t)
	r := quiz.Predict(a.cat, m)

	ready := root.Q("[data-role=readiness]")
	if !r.Enough {
		ready.Append(dom.New("p").Text(fmt.Sprintf("Not enough answers yet for a prediction worth trusting: you have %s.", quiz.Count(m.Overall.Answers, "answer"))))
		ready.Append(dom.New("p", "data-role", "shortfall").Text(r.Short.Sentence() + " Then your predicted score and chance of passing appear here."))
		// Say why answers may not count fully, when it matters: repeats and old answers weigh less.
		if float64(m.Overall.Answers)-m.Overall.Evidence >= 1 {
			ready.Append(dom.New("p", "class", "estimate-note").Text("Answers to questions you met recently count for little, and older answers fade: recalling an answer is not knowing the subject."))
		}
		ready.Append(dom.New("p").Append(dom.New("a", "class", "button primary", "href", "/practice/?mode=new").Text("Practice new questions")))
	} else {
		ready.Append(
			dom.New("p", "class", "scaled "+map[bool]string{true: "pass", false: "fail"}[r.Scaled >= quiz.PassMark]).Text(fmt.Sprint(r.Scaled)),
			dom.New("p", "class", "scaled-label").Text(fmt.Sprintf("predicted scaled score if you sat the exam now (90%% range %d–%d; pass mark %d)", r.Low, r.High, quiz.PassMark)),
			dom.New("p", "class", "pass-chance").Text(fmt.Sprintf("Estimated chance of passing: %d%%.", int(math.Round(100*r.PassProbability)))),
			dom.New("p", "class", "estimate-note").Append(dom.New("span").Text("An estimate from your answers so far, weighted like the exam. "), dom.New("a", "href", "/exam/#scoring").Text("How it is worked out")),
		)
	}

	due := len(quiz.DueQueue(a.cat, s, t))
	dueEl := root.Q("[data-role=due]")
	if due == 0 {
		dueEl.Text("Nothing is due for review right now.")
	} else {
		dueEl.Append(dom.New("span").Text(fmt.Sprintf("%s %s due for review. ", quiz.Count(due, "question"), isAre(due))), dom.New("a", "class", "button primary", "href", "/practice/?mode=due").Text("Review them now"))
	}

	doms := root.Q("[data-role=domains]")
	for _, d := range a.cat.Bank.Outline.Domains {
		e := m.Domains[d.ID]
		pct := int(math.Round(100 * e.P))
		// A figure is drawn only once the domain's evidence is enough (the threshold readiness
		// uses too); before that the bar stays empty and says what it rests on.
		value := fmt.Sprintf("%d%% · %s", pct, e.Basis())
		cls := "bar-row d" + d.ID
		if !e.Sure {
			value, pct = e.Basis(), 0
			if e.Answers > 0 {
				cls += " uncertain"
			}
		}
		row := dom.New("div", "class", cls)
		row.Append(
			dom.New("a", "class", "bar-label", "href", fmt.Sprintf("/domain-%s/", d.ID)).Text(fmt.Sprintf("%s. %s (%d%% of the exam)", d.ID, d.Name, d.Weight)),
			dom.New("span", "class", "bar").Append(barFill(pct)),
			dom.New("span", "class", "bar-value").Text(fmt.Sprintf("%s · %d of %d questions seen", value, e.Seen, e.Live)),
		)
		doms.Append(row)
	}

	root.Q("[data-role=uncertain-legend]").Text(fmt.Sprintf("fewer than %d answers: too few to tell", quiz.MinAnswers))
	heat := root.Q("[data-role=heatmap]")
	for _, d := range a.cat.Bank.Outline.Domains {
		block := dom.New("div", "class", "heat-domain d"+d.ID)
		block.Append(dom.New("h3").Text(fmt.Sprintf("Domain %s: %s", d.ID, d.Name)))
		for _, sd := range d.SubDomains {
			row := dom.New("div", "class", "heat-row")
			row.Append(dom.New("span", "class", "heat-label").Text(sd.ID + " " + sd.Short))
			list := dom.New("ul", "class", "heat-cells")
			for _, task := range sd.Tasks {
				e := m.Tasks[task.ID]
				desc := e.Basis()
				if e.Sure {
					desc = fmt.Sprintf("mastery %d%% from %s", int(math.Round(100*e.P)), e.Basis())
				}
				label := fmt.Sprintf("Task %s: %s. %s.", task.ID, task.Text, desc)
				href := fmt.Sprintf("/domain-%s/%s/#task-%s", d.ID, strings.ReplaceAll(sd.ID, ".", "-"), strings.ReplaceAll(task.ID, ".", "-"))
				short := task.ID[strings.LastIndex(task.ID, ".")+1:]
				list.Append(dom.New("li").Append(dom.New("a", "class", "heat "+masteryClass(e), "href", href, "aria-label", label, "title", label).Text(short)))
			}
			row.Append(list)
			block.Append(row)
		}
		heat.Append(block)
	}

	drawHistoryChart(a, root.Q("[data-role=history]"))
}

// warnIfUnprotected shows, once there is progress to lose, what protects it when the browser has
// not promised to keep it.
func warnIfUnprotected(a *App, box dom.El) {
	defer dom.Recover()
	if len(a.State().Reviews) == 0 {
		return
	}
	storage := dom.Window().Get("navigator").Get("storage")
	if storage.Truthy() && storage.Get("persisted").Truthy() {
		if v, err := dom.Await(storage.Call("persisted")); err == nil && v.Bool() {
			return
		}
	}
	box.Clear().Append(dom.New("p").Text(storageAdvice()), dom.New("p").Append(dom.New("a", "href", "/settings/").Text("Export or protect your progress")))
	box.Show()
}

// drawHistoryChart draws the scaled estimates of the submitted mock exams as an SVG line chart,
// with the pass mark, and lists them.
func drawHistoryChart(a *App, box dom.El) {
	type point struct {
		x      *quiz.MockExam
		scaled int
		s      quiz.ExamScore
	}
	var pts []point
	for _, x := range a.State().Exams {
		if x.Submitted {
			s := quiz.ScoreExam(a.cat, x)
			pts = append(pts, point{x, s.Scaled, s})
		}
	}
	if len(pts) == 0 {
		box.Append(dom.New("p").Append(dom.New("span").Text("No mock exams yet. "), dom.New("a", "href", "/mock-exam/").Text("Take your first one")))
		return
	}
	const w, h, left, top, bottom = 600, 240, 44, 12, 28
	plotW, plotH := float64(w-left-12), float64(h-top-bottom)
	y := func(v int) float64 { return top + plotH*(1-float64(v)/1000) }
	x := func(i int) float64 {
		if len(pts) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(pts)-1)
	}
	var b strings.Builder
	labels := make([]string, len(pts))
	for i, p := range pts {
		labels[i] = fmt.Sprintf("%s: %d", p.x.Started.Local().Format("2 Jan"), p.scaled)
	}
	fmt.Fprintf(&b, `<svg class="history-chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, w, h, dom.Escape("Mock exam scores over time, pass mark 700. "+strings.Join(labels, "; ")+"."))
	for _, v := range []int{0, 250, 500, 750, 1000} {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"></line><text class="axis" x="%d" y="%.1f">%d</text>`, left, w-12, y(v), y(v), left-6, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<line class="passline" x1="%d" x2="%d" y1="%.1f" y2="%.1f"></line><text class="passlabel" x="%d" y="%.1f">pass 700</text>`, left, w-12, y(700), y(700), w-14, y(700)-5)
	var path strings.Builder
	for i, p := range pts {
		if i == 0 {
			fmt.Fprintf(&path, "M%.1f %.1f", x(i), y(p.scaled))
		} else {
			fmt.Fprintf(&path, " L%.1f %.1f", x(i), y(p.scaled))
		}
	}
	fmt.Fprintf(&b, `<path class="line" d="%s"></path>`, path.String())
	for i, p := range pts {
		cls := "pt fail"
		if p.scaled >= quiz.PassMark {
			cls = "pt pass"
		}
		fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="5"></circle>`, cls, x(i), y(p.scaled))
		if len(pts) <= 12 {
			fmt.Fprintf(&b, `<text class="axis xlabel" x="%.1f" y="%d">%s</text>`, x(i), h-8, dom.Escape(p.x.Started.Local().Format("2 Jan")))
		}
	}
	b.WriteString(`</svg>`)
	chart := dom.New("div", "class", "chart")
	chart.Set("innerHTML", b.String())
	box.Append(chart)
	ul := dom.New("ul", "class", "history")
	for i := len(pts) - 1; i >= 0; i-- {
		p := pts[i]
		ul.Append(dom.New("li").Append(dom.New("a", "href", "/mock-exam/?results="+p.x.ID).Text(
			fmt.Sprintf("%s: estimated %d, %d of %d right", p.x.Started.Local().Format("2 Jan 2006 15:04"), p.scaled, p.s.Correct, p.s.Total))))
	}
	box.Append(ul)
}
