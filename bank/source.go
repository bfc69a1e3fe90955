package bank

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/issmp-study/issmp/quiz"
	"go.yaml.in/yaml/v3"
)

// Problem is one finding of the linter, located in a file ("content/bank/3-1.yaml:42: ...").
// Line 0 means the problem concerns the bank as a whole.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// SortProblems orders problems by file and line.
func SortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// Item is a question as read from its source file, with where it was written.
type Item struct {
	quiz.Question
	File string
	Line int
}

// SetSource is a scenario set as read from its source file.
type SetSource struct {
	quiz.Scenario
	File string
	Line int
}

// Source is the question bank as read from content/bank: every question and scenario set, in
// file order, with their positions, and the problems found while reading.
type Source struct {
	Items     []*Item
	Scenarios []*SetSource
	Ledger    *Ledger
	// Keys is the key baseline (content/bank/keys.txt) and Corrections the public log of
	// corrections (content/corrections.yaml), which together make a changed key visible.
	Keys        *Keys
	Corrections *Corrections
	Problems    []Problem
	// partial is set on a source cut down to some files: the ledger, which covers the whole
	// bank, is not checked against it.
	partial bool
}

// Only returns the part of the source written in the named files (base names such as
// "3-1.yaml"), so that one writer can lint their own files while others are mid-edit. Bank-wide
// rules (key balance, near-duplicates) then apply to those files alone; the ledger is not checked,
// nor whether every question has a key baseline or every correction names a question, since
// those cover the whole bank. Each question's key is still checked against its record.
func (src *Source) Only(names ...string) *Source {
	keep := func(file string) bool { return contains(names, path.Base(file)) }
	out := &Source{Ledger: src.Ledger, Keys: src.Keys, Corrections: src.Corrections, partial: true}
	for _, it := range src.Items {
		if keep(it.File) {
			out.Items = append(out.Items, it)
		}
	}
	for _, s := range src.Scenarios {
		if keep(s.File) {
			out.Scenarios = append(out.Scenarios, s)
		}
	}
	for _, p := range src.Problems {
		if keep(p.File) {
			out.Problems = append(out.Problems, p)
		}
	}
	return out
}

// bankFile matches the name of a sub-domain's question file, e.g. 3-1.yaml.
var bankFile = regexp.MustCompile(`^(\d)-(\d{1,2})\.yaml$`)

// Read parses every question file in fsys (the content/bank folder), its ledger and its key
// baseline. dir is used to name files in problems. Problems of form and schema are collected in
// Source.Problems; the content checks are Lint's job.
func Read(fsys fs.FS, dir string) (*Source, error) {
	src := &Source{}
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("bank: %w", err)
		}
		src.readFile(path.Join(dir, name), name, data)
	}
	ledger, err := fs.ReadFile(fsys, LedgerFile)
	switch {
	case err == nil:
		src.Ledger, err = ParseLedger(path.Join(dir, LedgerFile), ledger)
		if err != nil {
			return nil, err
		}
	case errorsIsNotExist(err):
		src.Ledger = &Ledger{File: path.Join(dir, LedgerFile)}
	default:
		return nil, fmt.Errorf("bank: %w", err)
	}
	keys, err := fs.ReadFile(fsys, KeysFile)
	switch {
	case err == nil:
		src.Keys, err = ParseKeys(path.Join(dir, KeysFile), keys)
		if err != nil {
			return nil, err
		}
	case errorsIsNotExist(err):
		src.Keys, _ = ParseKeys(path.Join(dir, KeysFile), nil)
	default:
		return nil, fmt.Errorf("bank: %w", err)
	}
	// The log lives beside the bank folder (content/corrections.yaml), outside fsys: Load reads
	// it. Until then the bank has an empty log, which problems can still name.
	src.Corrections = &Corrections{File: path.Join(path.Dir(dir), CorrectionsFile)}
	return src, nil
}

// fileReader reads one file, reporting problems with its name.
type fileReader struct {
	src  *Source
	file string
}

func (r *fileReader) problem(line int, format string, args ...any) {
	r.src.Problems = append(r.src.Problems, Problem{r.file, line, fmt.Sprintf(format, args...)})
}

func (src *Source) readFile(file, base string, data []byte) {
	r := &fileReader{src: src, file: file}
	m := bankFile.FindStringSubmatch(base)
	if m == nil {
		r.problem(1, "a question file is named after its sub-domain, such as 3-1.yaml")
		return
	}
	wantSub := m[1] + "." + m[2]
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		r.problem(yamlErrorLine(err), "not valid YAML: %v", cleanYAMLError(err))
		return
	}
	if len(doc.Content) == 0 {
		r.problem(1, "empty file: it needs `subdomain:` and `questions:`")
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		r.problem(root.Line, "the file must be a mapping with `subdomain:`, `questions:` and optionally `scenarios:`")
		return
	}
	r.checkKeys(root, "file", "subdomain", "questions", "scenarios")
	sub := valueOf(root, "subdomain")
	if sub == nil || sub.Value != wantSub {
		r.problem(lineOr(sub, root.Line), "subdomain must be %q, as the file name says", wantSub)
	}
	if qs := valueOf(root, "questions"); qs != nil {
		if qs.Kind != yaml.SequenceNode {
			r.problem(qs.Line, "questions must be a list")
		} else {
			for _, qn := range qs.Content {
				if it := r.readQuestion(qn, ""); it != nil {
					it.File = file
					src.Items = append(src.Items, it)
				}
			}
		}
	}
	if ss := valueOf(root, "scenarios"); ss != nil {
		if ss.Kind != yaml.SequenceNode {
			r.problem(ss.Line, "scenarios must be a list")
			return
		}
		for _, sn := range ss.Content {
			r.readScenario(sn)
		}
	}
}

func (r *fileReader) readScenario(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		r.problem(n.Line, "a scenario set is a mapping with id, case and questions")
		return
	}
	r.checkKeys(n, "scenario set", "id", "case", "questions")
	set := &SetSource{File: r.file, Line: n.Line}
	set.ID = scalar(n, "id")
	set.Case = strings.TrimSpace(scalar(n, "case"))
	if set.ID == "" {
		r.problem(n.Line, "scenario set without an id")
	}
	if set.Case == "" {
		r.problem(n.Line, "scenario set %s has no case text", set.ID)
	}
	qs := valueOf(n, "questions")
	if qs == nil || qs.Kind != yaml.SequenceNode {
		r.problem(n.Line, "scenario set %s needs a list of questions", set.ID)
	} else {
		for _, qn := range qs.Content {
			if it := r.readQuestion(qn, set.ID); it != nil {
				it.File = r.file
				set.Questions = append(set.Questions, it.ID)
				r.src.Items = append(r.src.Items, it)
			}
		}
	}
	r.src.Scenarios = append(r.src.Scenarios, set)
}

// questionKeys are the fields a question may have.
var questionKeys = []string{"id", "task", "type", "difficulty", "ai", "retired", "stem", "figure",
	"options", "regions", "steps", "pairs", "extra", "grid", "key", "why", "explanation", "references"}

// readQuestion converts one question's YAML into a quiz.Question, reporting every problem of form
// on its own line. It returns nil only when the entry is not a question at all.
func (r *fileReader) readQuestion(n *yaml.Node, scenario string) *Item {
	if n.Kind != yaml.MappingNode {
		r.problem(n.Line, "a question is a mapping of fields such as id, task, type and stem")
		return nil
	}
	r.checkKeys(n, "question", questionKeys...)
	it := &Item{Line: n.Line}
	q := &it.Question
	q.Scenario = scenario
	q.ID = scalar(n, "id")
	name := "question " + q.ID
	if q.ID == "" {
		name = "question"
		r.problem(n.Line, "question without an id")
	}
	q.Task = scalar(n, "task")
	q.Type = quiz.ItemType(scalar(n, "type"))
	q.Stem = strings.TrimSpace(scalar(n, "stem"))
	q.Figure = strings.TrimSpace(scalar(n, "figure"))
	q.Explanation = strings.TrimSpace(scalar(n, "explanation"))
	if d := valueOf(n, "difficulty"); d != nil {
		v, err := strconv.Atoi(d.Value)
		if err != nil || v < 1 || v > 3 {
			r.problem(d.Line, "%s: difficulty must be 1, 2 or 3", name)
		}
		q.Difficulty = v
	} else {
		r.problem(n.Line, "%s: no difficulty (1, 2 or 3)", name)
	}
	q.AI = r.boolean(n, "ai", name)
	q.Retired = r.boolean(n, "retired", name)
	if refs := valueOf(n, "references"); refs != nil {
		if refs.Kind != yaml.SequenceNode {
			r.problem(refs.Line, "%s: references must be a list", name)
		} else {
			for _, ref := range refs.Content {
				if s := strings.TrimSpace(ref.Value); s != "" && ref.Kind == yaml.ScalarNode {
					q.References = append(q.References, s)
				} else {
					r.problem(ref.Line, "%s: a reference must be a non-empty text", name)
				}
			}
		}
	}
	for _, field := range []string{"task", "stem", "explanation"} {
		if scalar(n, field) == "" {
			r.problem(n.Line, "%s: no %s", name, field)
		}
	}
	switch q.Type {
	case quiz.Single, quiz.Multi:
		r.readLettered(n, it, name, "options")
	case quiz.Order:
		r.readSteps(n, it, name)
	case quiz.Match:
		r.readPairs(n, it, name)
	case quiz.Hotspot:
		if valueOf(n, "grid") != nil {
			r.readGrid(n, it, name)
		} else {
			r.readLettered(n, it, name, "regions")
		}
	case "":
		r.problem(n.Line, "%s: no type (single, multi, order, match or hotspot)", name)
	default:
		r.problem(lineOr(valueOf(n, "type"), n.Line), "%s: unknown type %q (single, multi, order, match or hotspot)", name, q.Type)
	}
	r.onlyFor(n, it, name)
	return it
}

// onlyFor reports fields that do not belong to the question's type.
func (r *fileReader) onlyFor(n *yaml.Node, it *Item, name string) {
	allowed := map[quiz.ItemType][]string{
		quiz.Single:  {"options", "key", "why"},
		quiz.Multi:   {"options", "key", "why"},
		quiz.Order:   {"steps"},
		quiz.Match:   {"pairs", "extra"},
		quiz.Hotspot: {"grid", "regions", "figure", "key", "why"},
	}[it.Type]
	for _, f := range []string{"options", "regions", "figure", "steps", "pairs", "extra", "grid", "key", "why"} {
		if v := valueOf(n, f); v != nil && !contains(allowed, f) && allowed != nil {
			r.problem(v.Line, "%s: a %s question has no %s", name, it.Type, f)
		}
	}
}

// letters are the labels of options and regions, in order.
const letters = "ABCDEFGH"

// readLettered reads options (single, multi) or regions (hotspot) labelled A, B, C..., the key as
// letters, and one rationale per wrong letter.
func (r *fileReader) readLettered(n *yaml.Node, it *Item, name, field string) {
	q := &it.Question
	opts := valueOf(n, field)
	if opts == nil || opts.Kind != yaml.MappingNode {
		r.problem(lineOr(opts, n.Line), "%s: %s must be a mapping of letters to text (A: ..., B: ...)", name, field)
		return
	}
	var labels []string
	for i := 0; i+1 < len(opts.Content); i += 2 {
		k, v := opts.Content[i], opts.Content[i+1]
		want := ""
		if len(labels) < len(letters) {
			want = letters[len(labels) : len(labels)+1]
		}
		if k.Value != want {
			r.problem(k.Line, "%s: %s are labelled A, B, C... in order; found %q where %q belongs", name, field, k.Value, want)
		}
		if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
			r.problem(v.Line, "%s: %s %s is empty", name, field, k.Value)
		}
		labels = append(labels, k.Value)
		q.Choices = append(q.Choices, quiz.Choice{Text: strings.TrimSpace(v.Value)})
	}
	index := func(letter string) int {
		for i, l := range labels {
			if l == letter {
				return i
			}
		}
		return -1
	}
	key := valueOf(n, "key")
	switch {
	case key == nil:
		r.problem(n.Line, "%s: no key", name)
	case q.Type == quiz.Multi:
		if key.Kind != yaml.SequenceNode {
			r.problem(key.Line, "%s: the key of a multi question is a list of letters, such as [A, D]", name)
			break
		}
		seen := map[int]bool{}
		for _, k := range key.Content {
			i := index(k.Value)
			switch {
			case i < 0:
				r.problem(k.Line, "%s: key %q is not one of the options", name, k.Value)
			case seen[i]:
				r.problem(k.Line, "%s: key %s is listed twice", name, k.Value)
			default:
				seen[i] = true
				q.Key = append(q.Key, i)
			}
		}
		sort.Ints(q.Key)
	default:
		i := -1
		if key.Kind == yaml.ScalarNode {
			i = index(key.Value)
		}
		if i < 0 {
			r.problem(key.Line, "%s: the key must be one letter of the %s", name, field)
			break
		}
		q.Key = []int{i}
	}
	// One rationale per wrong letter, none for a key letter.
	why := valueOf(n, "why")
	if why != nil && why.Kind != yaml.MappingNode {
		r.problem(why.Line, "%s: why must be a mapping of letters to rationales", name)
		why = nil
	}
	given := map[string]*yaml.Node{}
	if why != nil {
		for i := 0; i+1 < len(why.Content); i += 2 {
			k, v := why.Content[i], why.Content[i+1]
			given[k.Value] = v
			idx := index(k.Value)
			switch {
			case idx < 0:
				r.problem(k.Line, "%s: why %s: there is no such letter", name, k.Value)
			case containsInt(q.Key, idx):
				r.problem(k.Line, "%s: why %s: %s is a key; explain keys in explanation", name, k.Value, k.Value)
			default:
				q.Choices[idx].Why = strings.TrimSpace(v.Value)
			}
		}
	}
	for i, l := range labels {
		if containsInt(q.Key, i) {
			continue
		}
		if v, ok := given[l]; !ok || strings.TrimSpace(v.Value) == "" {
			r.problem(lineOr(why, n.Line), "%s: no rationale (why %s) for wrong %s %s", name, l, strings.TrimSuffix(field, "s"), l)
		}
	}
}

func (r *fileReader) readSteps(n *yaml.Node, it *Item, name string) {
	steps := valueOf(n, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode {
		r.problem(lineOr(steps, n.Line), "%s: an order question needs steps: a list, in the correct order, of text and why", name)
		return
	}
	for _, s := range steps.Content {
		c, ok := r.textWhy(s, name, "step", "text", "why")
		if ok {
			it.Choices = append(it.Choices, c)
		}
	}
}

func (r *fileReader) readPairs(n *yaml.Node, it *Item, name string) {
	pairs := valueOf(n, "pairs")
	if pairs == nil || pairs.Kind != yaml.SequenceNode {
		r.problem(lineOr(pairs, n.Line), "%s: a match question needs pairs: a list of item, match and why", name)
		return
	}
	for _, p := range pairs.Content {
		if p.Kind != yaml.MappingNode {
			r.problem(p.Line, "%s: a pair has item, match and why", name)
			continue
		}
		r.checkKeys(p, name+" pair", "item", "match", "why")
		pair := quiz.Pair{Item: strings.TrimSpace(scalar(p, "item")), Match: strings.TrimSpace(scalar(p, "match")), Why: strings.TrimSpace(scalar(p, "why"))}
		if pair.Item == "" || pair.Match == "" || pair.Why == "" {
			r.problem(p.Line, "%s: a pair needs item, match and why", name)
		}
		it.Pairs = append(it.Pairs, pair)
	}
	if extra := valueOf(n, "extra"); extra != nil {
		if extra.Kind != yaml.SequenceNode {
			r.problem(extra.Line, "%s: extra is a list of text and why", name)
			return
		}
		for _, e := range extra.Content {
			if c, ok := r.textWhy(e, name, "extra match", "text", "why"); ok {
				it.Extra = append(it.Extra, c)
			}
		}
	}
}

func (r *fileReader) readGrid(n *yaml.Node, it *Item, name string) {
	g := valueOf(n, "grid")
	if g.Kind != yaml.MappingNode {
		r.problem(g.Line, "%s: grid needs rows_label, cols_label, rows and cols", name)
		return
	}
	r.checkKeys(g, name+" grid", "rows_label", "cols_label", "rows", "cols", "cells")
	grid := &quiz.Grid{RowsLabel: scalar(g, "rows_label"), ColsLabel: scalar(g, "cols_label")}
	if grid.RowsLabel == "" || grid.ColsLabel == "" {
		r.problem(g.Line, "%s: grid needs rows_label and cols_label", name)
	}
	labels := func(field string) []quiz.Choice {
		v := valueOf(g, field)
		if v == nil || v.Kind != yaml.SequenceNode {
			r.problem(lineOr(v, g.Line), "%s: grid %s must be a list of labels", name, field)
			return nil
		}
		var out []quiz.Choice
		for _, l := range v.Content {
			out = append(out, quiz.Choice{Text: strings.TrimSpace(l.Value)})
		}
		return out
	}
	grid.Rows, grid.Cols = labels("rows"), labels("cols")
	find := func(list []quiz.Choice, label string) int {
		for i, c := range list {
			if c.Text == label {
				return i
			}
		}
		return -1
	}
	if cells := valueOf(g, "cells"); cells != nil {
		for _, c := range cells.Content {
			r.checkKeys(c, name+" cell", "row", "col", "text")
			row, col := find(grid.Rows, scalar(c, "row")), find(grid.Cols, scalar(c, "col"))
			if row < 0 || col < 0 || scalar(c, "text") == "" {
				r.problem(c.Line, "%s: a cell needs a row and col from the grid's labels, and text", name)
				continue
			}
			grid.Cells = append(grid.Cells, quiz.Cell{Row: row, Col: col, Text: scalar(c, "text")})
		}
	}
	it.Grid = grid
	key := valueOf(n, "key")
	row, col := -1, -1
	if key == nil || key.Kind != yaml.MappingNode {
		r.problem(lineOr(key, n.Line), "%s: the key of a grid hotspot is {row: <row label>, col: <column label>}", name)
	} else {
		r.checkKeys(key, name+" key", "row", "col")
		row, col = find(grid.Rows, scalar(key, "row")), find(grid.Cols, scalar(key, "col"))
		if row < 0 || col < 0 {
			r.problem(key.Line, "%s: the key's row and col must be labels of the grid", name)
		} else {
			it.Key = []int{row, col}
		}
	}
	why := valueOf(n, "why")
	if why == nil || why.Kind != yaml.MappingNode {
		r.problem(lineOr(why, n.Line), "%s: a grid hotspot needs why: {rows: {...}, cols: {...}}, a rationale for every wrong row and column", name)
		return
	}
	r.checkKeys(why, name+" why", "rows", "cols")
	for _, axis := range []struct {
		field string
		list  []quiz.Choice
		key   int
	}{{"rows", grid.Rows, row}, {"cols", grid.Cols, col}} {
		m := valueOf(why, axis.field)
		given := map[string]string{}
		if m != nil {
			for i := 0; i+1 < len(m.Content); i += 2 {
				k := m.Content[i].Value
				idx := find(axis.list, k)
				switch {
				case idx < 0:
					r.problem(m.Content[i].Line, "%s: why %s: %q is not a label of the grid", name, axis.field, k)
				case idx == axis.key:
					r.problem(m.Content[i].Line, "%s: why %s: %q is the key's; explain it in explanation", name, axis.field, k)
				default:
					axis.list[idx].Why = strings.TrimSpace(m.Content[i+1].Value)
					given[k] = axis.list[idx].Why
				}
			}
		}
		for i, c := range axis.list {
			if i != axis.key && given[c.Text] == "" {
				r.problem(lineOr(m, why.Line), "%s: no rationale for wrong %s %q", name, strings.TrimSuffix(axis.field, "s"), c.Text)
			}
		}
	}
}

func (r *fileReader) textWhy(n *yaml.Node, name, what, textKey, whyKey string) (quiz.Choice, bool) {
	if n.Kind != yaml.MappingNode {
		r.problem(n.Line, "%s: a %s has %s and %s", name, what, textKey, whyKey)
		return quiz.Choice{}, false
	}
	r.checkKeys(n, name+" "+what, textKey, whyKey)
	c := quiz.Choice{Text: strings.TrimSpace(scalar(n, textKey)), Why: strings.TrimSpace(scalar(n, whyKey))}
	if c.Text == "" || c.Why == "" {
		r.problem(n.Line, "%s: a %s needs %s and %s", name, what, textKey, whyKey)
	}
	return c, true
}

func (r *fileReader) boolean(n *yaml.Node, key, name string) bool {
	v := valueOf(n, key)
	if v == nil {
		return false
	}
	var b bool
	if err := v.Decode(&b); err != nil {
		r.problem(v.Line, "%s: %s must be true or false", name, key)
	}
	return b
}

// checkKeys reports keys of a mapping that are not allowed, and keys given twice.
func (r *fileReader) checkKeys(n *yaml.Node, what string, allowed ...string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !contains(allowed, k.Value) {
			r.problem(k.Line, "%s: unknown field %q (allowed: %s)", what, k.Value, strings.Join(allowed, ", "))
		}
		if seen[k.Value] {
			r.problem(k.Line, "%s: field %q given twice", what, k.Value)
		}
		seen[k.Value] = true
	}
}

func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node, key string) string {
	if v := valueOf(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func lineOr(n *yaml.Node, line int) int {
	if n != nil {
		return n.Line
	}
	return line
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

func cleanYAMLError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLine.ReplaceAllString(msg, "")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// decodeStrict decodes YAML into v, failing on unknown fields.
func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}
