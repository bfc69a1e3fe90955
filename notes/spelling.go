package notes

import (
	"fmt"
	"regexp"
	"strings"
)

// british lists British spellings with the American form the site uses. Stems match their
// inflections: "analys" finds analyse, analysed and analysing (not analyses, which is
// also the American plural of analysis).
var british = []struct{ re, american string }{
	{`behaviour`, "behavior"}, {`colour`, "color"}, {`favour`, "favor"}, {`honour`, "honor"},
	{`labour`, "labor"}, {`neighbour`, "neighbor"}, {`rumour`, "rumor"}, {`endeavour`, "endeavor"},
	{`analys(e|ed|ing)\b`, "analyze"}, {`catalogu(e|es|ed|ing)\b`, "catalog"},
	{`centre`, "center"}, {`defence`, "defense"}, {`offence`, "offense"}, {`licence`, "license"},
	{`artefact`, "artifact"}, {`judgement`, "judgment"}, {`programme`, "program"},
	{`modelling`, "modeling"}, {`modelled`, "modeled"}, {`labelled`, "labeled"}, {`labelling`, "labeling"},
	{`travelled`, "traveled"}, {`cancelled`, "canceled"}, {`fulfil\b`, "fulfill"}, {`enrolment`, "enrollment"},
	{`grey\b`, "gray"}, {`practis(e|ed|es|ing)\b`, "practice"}, {`cheque`, "check"},
	{`(organi|recogni|prioriti|minimi|maximi|authori|summari|standardi|categori|characteri|emphasi|utili|optimi|operationali|formali|finali|normali|capitali|apologi|centrali|critici|reali|annuali|speciali|visuali|locali|personali|familiari|incentivi|moneti|tokeni|digitali|globali|memori|harmoni|synchroni|itemi|stabili|legali|mobili|penali|scrutini|sanitis|anonymi|pseudonymi)s(e|ed|es|ing|ation|ations)\b`, "-ize/-ization"},
}

var britishRe = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(british))
	for i, b := range british {
		out[i] = regexp.MustCompile(`(?i)\b\w*` + b.re + `\w*`)
	}
	return out
}()

// checkSpelling finds British spellings in a note's body, terms and definitions.
func checkSpelling(n *Note) []Problem {
	var ps []Problem
	find := func(text string, line int) {
		for i, re := range britishRe {
			for _, w := range re.FindAllString(text, -1) {
				ps = append(ps, Problem{n.File, line, fmt.Sprintf("%q is British spelling: the site writes American (%s)", w, british[i].american)})
			}
		}
	}
	for _, t := range n.Terms {
		find(t.Term+" "+t.Definition, 1)
	}
	for i, line := range strings.Split(n.Body, "\n") {
		find(mdLink.ReplaceAllString(line, "$1"), n.bodyLine+i) // a link's address is not prose
	}
	return ps
}
