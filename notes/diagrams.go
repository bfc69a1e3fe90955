package notes

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Diagram rules: the SVG beside a sub-domain's notes takes its colors and type from the site's
// CSS classes (so dark mode works), is narrow enough to stay readable at 320 px, and its text
// alternative carries the content in words.
const (
	MaxDiagramWidth = 340 // viewBox units; the CSS sets text at 12-13 units
	MinDiagramWords = 25
)

// DiagramClasses are the classes a diagram may use (site/assets/css/main.css styles them).
var DiagramClasses = map[string]bool{"d-box": true, "d-key": true, "d-line": true, "d-dash": true, "d-fill": true,
	"d-text": true, "d-small": true, "d-strong": true, "d-on-fill": true}

var (
	diagramCode = regexp.MustCompile(`\{\{<\s*diagram\s+src="([^"]*)"\s+title="([^"]*)"\s*>\}\}((?s).*?)\{\{<\s*/diagram\s*>\}\}`)
	svgRoot     = regexp.MustCompile(`^\s*<svg\b([^>]*)>`)
	viewBox     = regexp.MustCompile(`\bviewBox="0 0 ([\d.]+) ([\d.]+)"`)
	svgClass    = regexp.MustCompile(`\bclass="([^"]*)"`)
	svgText     = regexp.MustCompile(`<text\b[^>]*>`)
	// Colors, styles and sizes written into the drawing would not follow the page's theme.
	svgForbidden = regexp.MustCompile(`<script|<image|<foreignObject|<style|\sstyle=|\s(fill|stroke)="(#|rgb|hsl|[a-z]+\b)[^"]*"|\sfont-size=`)
)

// diagram is one diagram shortcode in a note.
type diagram struct {
	src, title, words string // the SVG's name, the title, the text alternative
	line              int
}

// diagrams finds the diagram shortcodes of a note.
func diagrams(n *Note) (out []diagram) {
	for _, m := range diagramCode.FindAllStringSubmatchIndex(n.Body, -1) {
		out = append(out, diagram{n.Body[m[2]:m[3]], n.Body[m[4]:m[5]], n.Body[m[6]:m[7]], n.bodyLine + strings.Count(n.Body[:m[0]], "\n")})
	}
	return out
}

// checkDiagrams checks every diagram a note draws, and its SVG file in the note's folder.
func checkDiagrams(fsys fs.FS, n *Note) []Problem {
	var ps []Problem
	for _, d := range diagrams(n) {
		add := func(format string, args ...any) {
			ps = append(ps, Problem{n.File, d.line, fmt.Sprintf("diagram %q: ", d.src) + fmt.Sprintf(format, args...)})
		}
		if strings.TrimSpace(d.title) == "" {
			add("give it a title")
		}
		if w := Words(d.words); w < MinDiagramWords {
			add("its text alternative has %d words, want at least %d that carry what the figure shows", w, MinDiagramWords)
		}
		if fsys == nil {
			continue
		}
		file := path.Join(path.Dir(n.File), d.src+".svg")
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			add("no %s beside the note", file)
			continue
		}
		svg := string(data)
		root := svgRoot.FindStringSubmatch(svg)
		if root == nil {
			add("%s does not start with an <svg> element", file)
			continue
		}
		if vb := viewBox.FindStringSubmatch(root[1]); vb == nil {
			add(`%s: give the <svg> a viewBox="0 0 width height"`, file)
		} else if w, _ := strconv.ParseFloat(vb[1], 64); w > MaxDiagramWidth {
			add("%s is %g units wide, want at most %d so that its text stays readable on a 320 px phone", file, w, MaxDiagramWidth)
		}
		if strings.Contains(root[1], " width=") || strings.Contains(root[1], " height=") {
			add("%s: the <svg> has a width or height; the page sizes it", file)
		}
		if bad := svgForbidden.FindString(svg); bad != "" {
			add("%s holds %q: draw with the diagram classes only, so that the figure follows light and dark mode", file, strings.TrimSpace(bad))
		}
		for _, m := range svgClass.FindAllStringSubmatch(svg, -1) {
			for _, c := range strings.Fields(m[1]) {
				if !DiagramClasses[c] {
					add("%s uses the class %q, which the site does not style", file, c)
				}
			}
		}
		for _, t := range svgText.FindAllString(svg, -1) {
			if !strings.Contains(t, `class="`) {
				add("%s has a <text> without a class: give it d-text, d-small, d-strong or d-on-fill", file)
				break
			}
		}
	}
	return ps
}
