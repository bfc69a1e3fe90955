package bank

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/issmp-study/issmp/quiz"
)

// Limits of the writing rules (see docs/QUESTIONS.md).
const (
	MinExplanationWords = 12
	MinWhyWords         = 4
	MinCaseWords        = 25
	// NearDuplicate is the word-shingle (3-word) Jaccard similarity at which two stems are too alike.
	NearDuplicate = 0.6
	// minShingles keeps very short stems (common in scenario sets, whose case differs) out of the
	// near-duplicate comparison.
	minShingles = 6
	// Bank-wide balance of single items, applied once there are at least balanceMin of them.
	balanceMin     = 20
	keyShareMin    = 0.20
	keyShareMax    = 0.30
	longestKeyMax  = 0.35
	scenarioMinQ   = 2
	scenarioMaxQ   = 4
	maxExtraMatchs = 3
)

var (
	questionID = regexp.MustCompile(`^\d\.\d{1,2}-\d{3}$`)
	scenarioID = regexp.MustCompile(`^\d\.\d{1,2}-S\d{2}$`)
	// allOrNone catches "all of the above", "none of these" and their kin.
	allOrNone = regexp.MustCompile(`(?i)\b(all|none|both|neither) of (the above|these|the options|the answers)\b`)
	// choose reads "Choose two" from a multi stem.
	choose    = regexp.MustCompile(`(?i)\bchoose (two|three|four|2|3|4)\b`)
	chooseTag = regexp.MustCompile(`(?i)\s*\(?choose (two|three|four|2|3|4)\.?\)?\s*$`)
	// negation in lowercase: the stem must write NOT or EXCEPT in capitals.
	lowerNegation = regexp.MustCompile(`\b(not|except)\b|n't\b`)
)

var chooseCount = map[string]int{"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}

// Lint checks the question bank against the outline and the writing rules and returns every
// problem, sorted by file and line: the problems found while reading, each question's own, and
// those of the bank as a whole (duplicate ids, the ledger, the key baseline and corrections log,
// near-duplicate stems, key balance).
func Lint(src *Source, o *quiz.Outline) []Problem {
	return LintAt(src, o, time.Now())
}

// LintAt is Lint on the day now: a correction dated after it is in the future.
func LintAt(src *Source, o *quiz.Outline, now time.Time) []Problem {
	l := &linter{src: src, idx: o.Index(), now: now, problems: append([]Problem(nil), src.Problems...)}
	for _, it := range src.Items {
		l.question(it)
	}
	cases := map[string]string{}
	for _, s := range src.Scenarios {
		l.scenario(s)
		cases[s.ID] = s.Case
	}
	for _, it := range src.Items {
		if label := gridLabelInStem(&it.Question, cases[it.Scenario]); label != "" && !it.Retired {
			l.at(it.File, it.Line, "question %s: the stem names the grid's %q, so the cell is found by reading labels; describe the evidence and leave the classifying to the candidate", it.ID, label)
		}
	}
	l.ids()
	l.ledger()
	l.corrections()
	l.nearDuplicates()
	l.balance()
	l.cueBalance()
	SortProblems(l.problems)
	return l.problems
}

type linter struct {
	src      *Source
	idx      map[string]quiz.Place
	now      time.Time
	problems []Problem
}

func (l *linter) at(file string, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{file, line, fmt.Sprintf(format, args...)})
}

// fileSubdomain returns "3.1" for content/bank/3-1.yaml.
func fileSubdomain(file string) string {
	m := bankFile.FindStringSubmatch(path.Base(file))
	if m == nil {
		return ""
	}
	return m[1] + "." + m[2]
}

func (l *linter) question(it *Item) {
	q := &it.Question
	bad := func(format string, args ...any) {
		l.at(it.File, it.Line, "question %s: %s", q.ID, fmt.Sprintf(format, args...))
	}
	if q.ID != "" && !questionID.MatchString(q.ID) {
		bad("id must look like 3.1-007 (sub-domain, hyphen, three digits)")
	}
	if q.Task != "" {
		p, ok := l.idx[q.Task]
		switch {
		case !ok:
			bad("task %q is not in the outline", q.Task)
		case p.SubDomain.ID != fileSubdomain(it.File):
			bad("task %s belongs to sub-domain %s, not to this file's %s", q.Task, p.SubDomain.ID, fileSubdomain(it.File))
		}
	}
	if q.Explanation != "" && words(q.Explanation) < MinExplanationWords {
		bad("the explanation has %d words; say why the key is right in at least %d", words(q.Explanation), MinExplanationWords)
	}
	l.stem(it)
	texts := map[string]bool{}
	dup := func(what, s string) {
		k := strings.ToLower(strings.TrimSpace(s))
		if k != "" && texts[k] {
			bad("two %s read the same: %q", what, s)
		}
		texts[k] = true
		if allOrNone.MatchString(s) {
			bad("%q: no all/none of the above; write a real option", s)
		}
	}
	why := func(what, label, s string) {
		if s != "" && words(s) < MinWhyWords {
			bad("the rationale for %s %s is too short to teach anything: %q", what, label, s)
		}
	}
	switch q.Type {
	case quiz.Single:
		if len(q.Choices) != 4 {
			bad("a single question has 4 options, not %d", len(q.Choices))
		}
	case quiz.Multi:
		if n := len(q.Choices); n < 5 || n > 6 {
			bad("a multi question has 5 or 6 options, not %d", n)
		}
		m := choose.FindStringSubmatch(q.Stem)
		switch {
		case m == nil:
			bad("a multi stem says how many to choose, e.g. (Choose two.)")
		case chooseCount[strings.ToLower(m[1])] != len(q.Key) && q.Key != nil:
			bad("the key has %d answers but the stem says %q", len(q.Key), m[0])
		}
	case quiz.Order:
		if n := len(q.Choices); n < 4 || n > 6 {
			bad("an order question has 4 to 6 steps, not %d", n)
		}
	case quiz.Match:
		if n := len(q.Pairs); n < 3 || n > 6 {
			bad("a match question has 3 to 6 pairs, not %d", n)
		}
		if len(q.Extra) > maxExtraMatchs {
			bad("at most %d extra matches", maxExtraMatchs)
		}
	case quiz.Hotspot:
		if q.Grid != nil {
			if r, c := len(q.Grid.Rows), len(q.Grid.Cols); r < 2 || r > 6 || c < 2 || c > 6 {
				bad("a grid has 2 to 6 rows and 2 to 6 columns, not %dx%d", r, c)
			}
			for i, c := range q.Grid.Rows {
				dup("rows", c.Text)
				why("row", fmt.Sprint(i+1), c.Why)
			}
			texts = map[string]bool{}
			for i, c := range q.Grid.Cols {
				dup("columns", c.Text)
				why("column", fmt.Sprint(i+1), c.Why)
			}
		} else {
			if n := len(q.Choices); n < 4 || n > 8 {
				bad("a hotspot figure has 4 to 8 regions, not %d", n)
			}
			if q.Figure == "" {
				bad("a hotspot with regions needs figure: a description of the figure the regions belong to")
			}
		}
	}
	if q.Type != quiz.Multi && choose.MatchString(q.Stem) {
		bad("only a multi stem says how many to choose")
	}
	for i, c := range q.Choices {
		dup("options", c.Text)
		why("option", string(letters[min(i, len(letters)-1)]), c.Why)
	}
	for _, p := range q.Pairs {
		dup("items", p.Item)
		why("pair", p.Item, p.Why)
	}
	texts = map[string]bool{}
	for _, p := range q.Pairs {
		dup("matches", p.Match)
	}
	for _, e := range q.Extra {
		dup("matches", e.Text)
		why("extra match", e.Text, e.Why)
	}
}

// stem checks the question's wording: the question itself (the stem's last sentence) writes a
// negation in capitals.
func (l *linter) stem(it *Item) {
	q := &it.Question
	if q.Stem == "" {
		return
	}
	question := lastSentence(chooseTag.ReplaceAllString(q.Stem, ""))
	if m := lowerNegation.FindString(question); m != "" {
		l.at(it.File, it.Line, "question %s: the question says %q in lowercase; a negative stem writes NOT or EXCEPT in capitals, or better, ask it positively", q.ID, m)
	}
}

// lastSentence returns the final sentence of a text: the question being asked.
func lastSentence(s string) string {
	s = strings.TrimSpace(s)
	cut := 0
	for i := 0; i < len(s)-1; i++ {
		if (s[i] == '.' || s[i] == '?' || s[i] == '!' || s[i] == ':') && s[i+1] == ' ' && i+2 < len(s) && unicode.IsUpper(rune(s[i+2])) {
			cut = i + 2
		}
	}
	return s[cut:]
}

func (l *linter) scenario(s *SetSource) {
	if s.ID != "" && !scenarioID.MatchString(s.ID) {
		l.at(s.File, s.Line, "scenario set %s: id must look like 3.1-S01", s.ID)
	}
	if n := len(s.Questions); n < scenarioMinQ || n > scenarioMaxQ {
		l.at(s.File, s.Line, "scenario set %s: a set has %d to %d questions, not %d", s.ID, scenarioMinQ, scenarioMaxQ, n)
	}
	if s.Case != "" && words(s.Case) < MinCaseWords {
		l.at(s.File, s.Line, "scenario set %s: the case has %d words; give at least %d so the questions have something to stand on", s.ID, words(s.Case), MinCaseWords)
	}
}

// ids reports ids used twice anywhere in the bank.
func (l *linter) ids() {
	type where struct {
		file string
		line int
	}
	seen := map[string]where{}
	check := func(id, file string, line int) {
		if id == "" {
			return
		}
		if w, ok := seen[id]; ok {
			l.at(file, line, "id %s is already used at %s:%d", id, w.file, w.line)
			return
		}
		seen[id] = where{file, line}
	}
	for _, it := range l.src.Items {
		check(it.ID, it.File, it.Line)
	}
	for _, s := range l.src.Scenarios {
		check(s.ID, s.File, s.Line)
	}
}

// ledger checks the bank against the ledger of issued ids: nothing deleted, nothing reused.
func (l *linter) ledger() {
	if l.src.partial {
		return
	}
	led := l.src.Ledger
	present := map[string]bool{}
	for _, it := range l.src.Items {
		present[it.ID] = true
		if e, ok := led.Lookup(it.ID); ok && e.Owner != it.Task && it.Task != "" {
			l.at(it.File, it.Line, "question %s: the ledger issued this id for task %s (%s:%d); an id is never reused for another task: give this question a new id", it.ID, e.Owner, led.File, e.Line)
		}
	}
	for _, s := range l.src.Scenarios {
		present[s.ID] = true
	}
	for _, e := range led.Entries {
		if !present[e.ID] {
			l.at(led.File, e.Line, "%s was issued but is no longer in the bank: restore it with retired: true instead of deleting it", e.ID)
		}
	}
	if missing := l.src.Missing(); len(missing) > 0 {
		ids := make([]string, 0, len(missing))
		for _, e := range missing {
			ids = append(ids, e.ID)
		}
		l.at(led.File, 0, "%d new ids are not in the ledger yet (%s): run make bank-ledger", len(ids), summarize(ids, 6))
	}
}

// nearDuplicates reports live questions whose stems share most of their 3-word shingles.
func (l *linter) nearDuplicates() {
	type entry struct {
		it *Item
		sh map[string]bool
	}
	var live []entry
	for _, it := range l.src.Items {
		if it.Retired {
			continue
		}
		if sh := shingles(it.Stem); len(sh) >= minShingles {
			live = append(live, entry{it, sh})
		}
	}
	for i := range live {
		for j := i + 1; j < len(live); j++ {
			if s := jaccard(live[i].sh, live[j].sh); s >= NearDuplicate {
				a, b := live[i].it, live[j].it
				l.at(b.File, b.Line, "question %s: its stem is %.0f%% the same as question %s's (%s:%d); ask something different or retire one", b.ID, 100*s, a.ID, a.File, a.Line)
			}
		}
	}
}

func shingles(s string) map[string]bool {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := map[string]bool{}
	for i := 0; i+3 <= len(f); i++ {
		out[strings.Join(f[i:i+3], " ")] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// balance checks, over the live single items of the whole bank, that the key's position is spread
// evenly over A to D and that the key is not too often the longest option.
func (l *linter) balance() {
	var pos [4]int
	total, longest := 0, 0
	for _, it := range l.src.Items {
		if it.Retired || it.Type != quiz.Single || len(it.Choices) != 4 || len(it.Key) != 1 {
			continue
		}
		total++
		pos[it.Key[0]]++
		if strictlyLongest(it.Choices, it.Key[0]) {
			longest++
		}
	}
	if total < balanceMin {
		return
	}
	where := path.Dir(l.src.Ledger.File)
	for i, n := range pos {
		share := float64(n) / float64(total)
		if share < keyShareMin || share > keyShareMax {
			l.at(where, 0, "the key is %s in %d of %d single questions (%.0f%%); keep each of A-D between %.0f%% and %.0f%% (now A %d, B %d, C %d, D %d)",
				string(letters[i]), n, total, 100*share, 100*keyShareMin, 100*keyShareMax, pos[0], pos[1], pos[2], pos[3])
		}
	}
	if share := float64(longest) / float64(total); share > longestKeyMax {
		l.at(where, 0, "the key is the longest option in %d of %d single questions (%.0f%%); keep it at most %.0f%%: lengthen distractors or tighten keys", longest, total, 100*share, 100*longestKeyMax)
	}
}

func strictlyLongest(cs []quiz.Choice, key int) bool {
	k := utf8.RuneCountInString(cs[key].Text)
	for i, c := range cs {
		if i != key && utf8.RuneCountInString(c.Text) >= k {
			return false
		}
	}
	return true
}

func words(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

func summarize(ids []string, max int) string {
	sort.Strings(ids)
	if len(ids) <= max {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:max], ", ") + fmt.Sprintf(" and %d more", len(ids)-max)
}
