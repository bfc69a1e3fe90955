// Package notes reads the study notes in content/notes and checks them against the outline and
// the content guide: every task has a note with the required sections, word counts are met, key
// terms are defined once, and references are given.
//
// Layout (mirrors the site's URLs):
//
//	content/notes/domain-3/_index.md          the domain overview
//	content/notes/domain-3/3-1/_index.md      the sub-domain's introduction
//	content/notes/domain-3/3-1/3-1-9.md       the note for task 3.1.9
package notes

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/issmp-study/issmp/quiz"
	"go.yaml.in/yaml/v3"
)

// Minimum sizes, from the content guide and the notes issue.
const (
	MinKnowWords      = 150 // "what a manager must know and decide"
	MinSectionWords   = 30  // every other required section
	MinSubdomainWords = 800 // all notes of one sub-domain page together
	MinIntroWords     = 50
	MaxTermWords      = 45 // a one-sentence definition
	MinWorkedWords    = 80
	// MinWorkedFigures is how many numbers a worked example must show at least: an input, a
	// step and a result.
	MinWorkedFigures = 3
	// MinWorkedExamples is how many task notes, across the site, must work a number through.
	MinWorkedExamples = 40
	// MinDiagramsPerSubdomain is how many figures every sub-domain's notes draw at least.
	MinDiagramsPerSubdomain = 1
)

// Section is one heading of a note's layout.
type Section struct {
	Heading  string
	Optional bool
	MinWords int
}

// The layouts: a task note's level-3 sections and a domain overview's level-2 sections, in order.
var (
	TaskLayout = []Section{
		{Heading: "Know and decide", MinWords: MinKnowWords},
		{Heading: "In practice", MinWords: MinSectionWords},
		{Heading: WorkedExample, Optional: true, MinWords: MinWorkedWords},
		{Heading: "Exam trap", MinWords: MinSectionWords},
		{Heading: "AI angle", Optional: true, MinWords: MinSectionWords},
	}
	DomainLayout = []Section{
		{Heading: "What this domain covers", MinWords: MinSectionWords},
		{Heading: "How the questions are framed", MinWords: MinSectionWords},
		{Heading: "AI security in this domain", MinWords: MinSectionWords},
	}
)

// WorkedExample is the optional section in which a note works a realistic number through.
const WorkedExample = "Worked example"

// Term is a key term with its one-sentence definition.
type Term struct {
	Term       string `yaml:"term"`
	Definition string `yaml:"definition"`
}

// Note is one Markdown file of notes.
type Note struct {
	File       string   // path inside content/notes
	Task       string   `yaml:"task"`
	Subdomain  string   `yaml:"subdomain"`
	Domain     string   `yaml:"domain"`
	Terms      []Term   `yaml:"terms"`
	References []string `yaml:"references"`
	Body       string   `yaml:"-"`
	bodyLine   int      // line of the body's first line in the file
}

// Set is every note, indexed by what it belongs to.
type Set struct {
	Tasks      map[string]*Note // by task id
	Subdomains map[string]*Note // introductions, by sub-domain id
	Domains    map[string]*Note // overviews, by domain id
	fsys       fs.FS            // the folder read, for the diagrams beside the notes
}

// Load reads every note under fsys (the content/notes folder). Files that cannot be parsed are
// reported together with their file names.
func Load(fsys fs.FS) (*Set, error) {
	s := &Set{Tasks: map[string]*Note{}, Subdomains: map[string]*Note{}, Domains: map[string]*Note{}, fsys: fsys}
	var errs []error
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || p == "_index.md" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		n, err := Parse(p, data)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		var into map[string]*Note
		var key string
		switch {
		case n.Task != "":
			into, key = s.Tasks, n.Task
		case n.Subdomain != "":
			into, key = s.Subdomains, n.Subdomain
		case n.Domain != "":
			into, key = s.Domains, n.Domain
		default:
			errs = append(errs, fmt.Errorf("%s:1: front matter needs one of task, subdomain or domain", p))
			return nil
		}
		if prev, dup := into[key]; dup {
			errs = append(errs, fmt.Errorf("%s:1: %s is already covered by %s", p, key, prev.File))
			return nil
		}
		into[key] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	return s, errors.Join(errs...)
}

// Parse reads one note: YAML front matter between "---" lines, then the Markdown body.
func Parse(file string, data []byte) (*Note, error) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, fmt.Errorf("%s:1: a note starts with front matter between --- lines", file)
	}
	end := bytes.Index(data[4:], []byte("\n---\n"))
	if end < 0 {
		return nil, fmt.Errorf("%s:1: front matter is not closed by a --- line", file)
	}
	front := data[4 : 4+end+1]
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	n := &Note{File: file}
	if err := dec.Decode(n); err != nil {
		return nil, fmt.Errorf("%s: front matter: %w", file, shiftYAMLLine(err, 1))
	}
	n.Body = string(data[4+end+5:])
	n.bodyLine = bytes.Count(data[:4+end+5], []byte("\n")) + 1
	return n, nil
}

// shiftYAMLLine turns the decoder's "line N" into the file's line number.
func shiftYAMLLine(err error, offset int) error {
	re := regexp.MustCompile(`line (\d+)`)
	msg := re.ReplaceAllStringFunc(err.Error(), func(m string) string {
		var n int
		fmt.Sscanf(m, "line %d", &n)
		return fmt.Sprintf("line %d", n+offset)
	})
	return errors.New(msg)
}

// Problem is one finding, located in a file.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// Check returns every problem in the set against the outline. With complete set, a task,
// sub-domain or domain without notes is a problem too; without it only the notes present are
// checked (useful while writing).
func (s *Set) Check(o *quiz.Outline, complete bool) []Problem {
	var ps []Problem
	add := func(file string, line int, format string, args ...any) {
		ps = append(ps, Problem{file, line, fmt.Sprintf(format, args...)})
	}
	idx := o.Index()
	subs := map[string]*quiz.SubDomain{}
	doms := map[string]*quiz.Domain{}
	for i := range o.Domains {
		doms[o.Domains[i].ID] = &o.Domains[i]
		for j := range o.Domains[i].SubDomains {
			subs[o.Domains[i].SubDomains[j].ID] = &o.Domains[i].SubDomains[j]
		}
	}
	// Where each note must live.
	for id, n := range s.Tasks {
		p, ok := idx[id]
		if !ok {
			add(n.File, 1, "task %q is not in the outline", id)
			continue
		}
		if want := TaskFile(p.Domain.ID, p.SubDomain.ID, id); n.File != want {
			add(n.File, 1, "the note for task %s belongs at %s", id, want)
		}
		ps = append(ps, checkTask(n)...)
	}
	for id, n := range s.Subdomains {
		sd, ok := subs[id]
		if !ok {
			add(n.File, 1, "sub-domain %q is not in the outline", id)
			continue
		}
		if want := path.Join(path.Dir(TaskFile(domainOf(id), id, sd.Tasks[0].ID)), "_index.md"); n.File != want {
			add(n.File, 1, "the introduction to %s belongs at %s", id, want)
		}
		if w := Words(n.Body); w < MinIntroWords {
			add(n.File, n.bodyLine, "introduction has %d words, want at least %d", w, MinIntroWords)
		}
		if len(n.Terms) > 0 || len(n.References) > 0 {
			add(n.File, 1, "terms and references belong in the task notes, not the introduction")
		}
	}
	for id, n := range s.Domains {
		if _, ok := doms[id]; !ok {
			add(n.File, 1, "domain %q is not in the outline", id)
			continue
		}
		if want := fmt.Sprintf("domain-%s/_index.md", id); n.File != want {
			add(n.File, 1, "the overview of domain %s belongs at %s", id, want)
		}
		ps = append(ps, checkSections(n, "##", DomainLayout)...)
	}
	// Sub-domain totals, and what is missing.
	for _, d := range o.Domains {
		if _, ok := s.Domains[d.ID]; !ok && complete {
			add(fmt.Sprintf("domain-%s/_index.md", d.ID), 1, "domain %s has no overview", d.ID)
		}
		for _, sd := range d.SubDomains {
			total, have := 0, 0
			if intro, ok := s.Subdomains[sd.ID]; ok {
				total += Words(intro.Body)
			} else if complete {
				add(path.Join(path.Dir(TaskFile(d.ID, sd.ID, sd.Tasks[0].ID)), "_index.md"), 1, "sub-domain %s has no introduction", sd.ID)
			}
			for _, t := range sd.Tasks {
				if n, ok := s.Tasks[t.ID]; ok {
					total += Words(n.Body)
					have++
				} else if complete {
					add(TaskFile(d.ID, sd.ID, t.ID), 1, "task %s (%s) has no note", t.ID, t.Text)
				}
			}
			if (complete || have == len(sd.Tasks)) && total < MinSubdomainWords {
				add(path.Dir(TaskFile(d.ID, sd.ID, sd.Tasks[0].ID)), 1, "sub-domain %s has %d words of notes, want at least %d", sd.ID, total, MinSubdomainWords)
			}
		}
	}
	// One definition per term across all notes.
	seen := map[string]*Note{}
	for _, id := range sortedKeys(s.Tasks) {
		n := s.Tasks[id]
		for _, t := range n.Terms {
			key := Slug(t.Term)
			if prev, ok := seen[key]; ok {
				add(n.File, 1, "term %q is already defined in %s: define each term once and refer to it", t.Term, prev.File)
				continue
			}
			seen[key] = n
		}
	}
	worked := 0
	for _, n := range s.Tasks {
		for _, sec := range sections(n.Body, "###") {
			if sec.heading == WorkedExample {
				worked++
				break
			}
		}
	}
	if complete && worked < MinWorkedExamples {
		add(".", 1, "%d task notes work a number through in a %q section, want at least %d", worked, WorkedExample, MinWorkedExamples)
	}
	for _, n := range s.all() {
		ps = append(ps, checkLinks(n, idx)...)
		ps = append(ps, checkSpelling(n)...)
		ps = append(ps, checkDiagrams(s.fsys, n)...)
	}
	// A figure in every sub-domain, each name once on its page.
	for _, d := range o.Domains {
		for _, sd := range d.SubDomains {
			names := map[string]string{}
			notes := []*Note{s.Subdomains[sd.ID]}
			for _, t := range sd.Tasks {
				notes = append(notes, s.Tasks[t.ID])
			}
			for _, n := range notes {
				if n == nil {
					continue
				}
				for _, dg := range diagrams(n) {
					if prev, ok := names[dg.src]; ok {
						add(n.File, dg.line, "diagram %q is already drawn in %s: each figure once on its page", dg.src, prev)
					}
					names[dg.src] = n.File
				}
			}
			if complete && len(names) < MinDiagramsPerSubdomain {
				add(path.Join(path.Dir(TaskFile(d.ID, sd.ID, sd.Tasks[0].ID)), "_index.md"), 1, "sub-domain %s has %d diagrams, want at least %d where a picture teaches better than words", sd.ID, len(names), MinDiagramsPerSubdomain)
			}
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
	return ps
}

func checkTask(n *Note) []Problem {
	ps := checkSections(n, "###", TaskLayout)
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{n.File, line, fmt.Sprintf(format, args...)})
	}
	if len(n.Terms) == 0 {
		add(1, "list at least one key term with its definition")
	}
	for _, t := range n.Terms {
		switch {
		case strings.TrimSpace(t.Term) == "" || strings.TrimSpace(t.Definition) == "":
			add(1, "term %q needs both a term and a definition", t.Term)
		case sentences(t.Definition) != 1:
			add(1, "term %q: the definition should be one sentence ending in a full stop", t.Term)
		case Words(t.Definition) > MaxTermWords:
			add(1, "term %q: definition has %d words, keep it under %d", t.Term, Words(t.Definition), MaxTermWords)
		}
	}
	if len(n.References) == 0 {
		add(1, "name at least one public framework or law as a reference")
	}
	for _, r := range n.References {
		if strings.TrimSpace(r) == "" {
			add(1, "empty reference")
		} else if !referenceUsed(r, n.Body) {
			add(1, "reference %q is not used in the text: cite it where the fact it supports is stated (as %s), or remove it", r, strings.Join(quoteAll(referenceForms(r)), " or "))
		}
	}
	return ps
}

// checkSections checks that the body consists of the layout's headings (at the given level, in
// order, the optional ones where the layout places them), each followed by enough words.
func checkSections(n *Note, level string, layout []Section) []Problem {
	var ps []Problem
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{n.File, line, fmt.Sprintf(format, args...)})
	}
	secs := sections(n.Body, level)
	if Words(secs[0].text) > 0 {
		add(n.bodyLine, "text before the first %s heading: start with %q", level, level+" "+layout[0].Heading)
	}
	known := map[string]bool{}
	for _, l := range layout {
		known[l.Heading] = true
	}
	next := 0 // the layout's next section
	for i, sec := range secs[1:] {
		line := n.bodyLine + sec.line
		if !known[sec.heading] {
			add(line, "unexpected section %q: the sections are %s", sec.heading, describe(layout))
			continue
		}
		k := next
		for k < len(layout) && layout[k].Heading != sec.heading && layout[k].Optional {
			k++
		}
		if k == len(layout) || layout[k].Heading != sec.heading {
			want := "nothing more"
			if next < len(layout) {
				want = fmt.Sprintf("%q", layout[next].Heading)
			}
			add(line, "section %d is %q, want %s (the sections are %s)", i+1, sec.heading, want, describe(layout))
			continue
		}
		if w := Words(sec.text); w < layout[k].MinWords {
			add(line, "section %q has %d words, want at least %d", sec.heading, w, layout[k].MinWords)
		}
		if sec.heading == WorkedExample {
			if f := len(figure.FindAllString(sec.text, -1)); f < MinWorkedFigures {
				add(line, "section %q shows %d numbers: work a realistic case through, with its inputs, steps and result", sec.heading, f)
			}
		}
		next = k + 1
	}
	for _, l := range layout[next:] {
		if !l.Optional {
			add(n.bodyLine, "missing sections: want %s", describe(layout))
			break
		}
	}
	for _, h := range headingsAbove(n.Body, level) {
		add(n.bodyLine+h.line, "heading %q: use %s for sections (the page supplies the higher levels)", h.heading, level)
	}
	return ps
}

// figure is a number as a worked example writes it: 2, 0.3, 400,000, 70%.
var figure = regexp.MustCompile(`\d[\d,.]*`)

func describe(layout []Section) string {
	var parts []string
	for _, l := range layout {
		if l.Optional {
			parts = append(parts, fmt.Sprintf("optionally %q", l.Heading))
		} else {
			parts = append(parts, fmt.Sprintf("%q", l.Heading))
		}
	}
	return strings.Join(parts, ", ")
}

type section struct {
	heading string
	line    int // 0-based line of the heading within the body
	text    string
}

// sections splits a Markdown body at headings of exactly the given level ("###"). The first
// section, before any heading, has an empty heading.
func sections(body, level string) []section {
	secs := []section{{}}
	inFence := false
	for i, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(line, level+" ") {
			secs = append(secs, section{heading: strings.TrimSpace(line[len(level)+1:]), line: i})
			continue
		}
		secs[len(secs)-1].text += line + "\n"
	}
	return secs
}

// headingsAbove finds headings of a higher level than the sections use.
func headingsAbove(body, level string) []section {
	var out []section
	for i, line := range strings.Split(body, "\n") {
		for l := 1; l < len(level); l++ {
			prefix := strings.Repeat("#", l) + " "
			if strings.HasPrefix(line, prefix) {
				out = append(out, section{heading: strings.TrimSpace(line[l+1:]), line: i})
			}
		}
	}
	return out
}

// Words counts the words of Markdown text: runs of non-space characters holding a letter or digit.
func Words(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

var sentenceEnd = regexp.MustCompile(`[.!?]["”’)]?(\s+[A-Z(“"]|$)`)

// abbreviations whose full stop does not end a sentence.
var abbreviations = strings.NewReplacer("e.g.", "eg", "i.e.", "ie", "etc.", "etc", "vs.", "vs", "Rev.", "Rev", "No.", "No", "U.S.", "US", "Inc.", "Inc")

// sentences counts sentences in a definition; it must end with a full stop.
func sentences(s string) int {
	s = strings.TrimSpace(abbreviations.Replace(s))
	if !strings.HasSuffix(s, ".") {
		return 0
	}
	return len(sentenceEnd.FindAllStringIndex(s, -1))
}

// Slug turns a term into the anchor the site gives it, the way Hugo's anchorize does (GitHub
// style): lowercase, spaces become hyphens, letters, digits, hyphens and underscores stay, all
// other punctuation goes. "Goodhart's law" becomes goodharts-law.
func Slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	return b.String()
}

// TaskFile is where the note for a task lives inside content/notes.
func TaskFile(domainID, subID, taskID string) string {
	return fmt.Sprintf("domain-%s/%s/%s.md", domainID, strings.ReplaceAll(subID, ".", "-"), strings.ReplaceAll(taskID, ".", "-"))
}

func domainOf(subID string) string { return strings.SplitN(subID, ".", 2)[0] }

// all returns every note, in file order.
func (s *Set) all() []*Note {
	var out []*Note
	for _, m := range []map[string]*Note{s.Tasks, s.Subdomains, s.Domains} {
		for _, n := range m {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

func sortedKeys(m map[string]*Note) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
