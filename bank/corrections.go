package bank

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"go.yaml.in/yaml/v3"
)

// CorrectionsFile is the name, inside content/, of the public corrections log.
const CorrectionsFile = "corrections.yaml"

// ChangeKinds are what a correction may say it changed.
var ChangeKinds = []string{"key", "stem", "explanation", "options"}

// dateLayout is how a correction's date is written: 2026-12-07.
const dateLayout = "2006-01-02"

// Corrections is the public log of corrections to questions (content/corrections.yaml): one entry
// each time a question's key, stem, explanation or options changed for a reason other than style.
// The site publishes it, and each corrected question says so in its feedback.
type Corrections struct {
	File    string
	Entries []CorrectionEntry
	// Problems of form found while reading; Lint reports them with the rest.
	Problems []Problem
}

// CorrectionEntry is one correction as written. Key is kept as written, because it is read
// against the question it names (letters, grid labels), which the linter has at hand.
type CorrectionEntry struct {
	ID      string
	Date    string
	Changes []string
	What    string
	Why     string
	Key     *yaml.Node
	Line    int
}

// correctionKeys are the fields an entry may have.
var correctionKeys = []string{"id", "date", "change", "what", "why", "key"}

// ParseCorrections reads the corrections log: a YAML list of entries. An empty file or an empty
// list is a log with no corrections. Problems of form are kept in Corrections.Problems.
func ParseCorrections(file string, data []byte) *Corrections {
	c := &Corrections{File: file}
	r := &fileReader{src: &Source{}, file: file}
	defer func() { c.Problems = r.src.Problems }()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		r.problem(yamlErrorLine(err), "not valid YAML: %v", cleanYAMLError(err))
		return c
	}
	if len(doc.Content) == 0 {
		return c
	}
	root := doc.Content[0]
	if root.Kind != yaml.SequenceNode {
		r.problem(root.Line, "the corrections log is a list of entries (id, date, change, what, why, key); write [] for none")
		return c
	}
	for _, n := range root.Content {
		if n.Kind != yaml.MappingNode {
			r.problem(n.Line, "a correction is a mapping of id, date, change, what, why and (for a key) key")
			continue
		}
		r.checkKeys(n, "correction", correctionKeys...)
		e := CorrectionEntry{
			ID:   strings.TrimSpace(scalar(n, "id")),
			Date: strings.TrimSpace(scalar(n, "date")),
			What: strings.TrimSpace(scalar(n, "what")),
			Why:  strings.TrimSpace(scalar(n, "why")),
			Key:  valueOf(n, "key"),
			Line: n.Line,
		}
		// change: key, or change: [key, explanation].
		if ch := valueOf(n, "change"); ch != nil {
			switch ch.Kind {
			case yaml.ScalarNode:
				e.Changes = []string{strings.TrimSpace(ch.Value)}
			case yaml.SequenceNode:
				for _, k := range ch.Content {
					e.Changes = append(e.Changes, strings.TrimSpace(k.Value))
				}
			}
		}
		c.Entries = append(c.Entries, e)
	}
	return c
}

// ReadCorrections reads the corrections log at path; a missing file is an empty log.
func ReadCorrections(path string) (*Corrections, error) {
	data, err := os.ReadFile(path)
	if errorsIsNotExist(err) {
		return &Corrections{File: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	return ParseCorrections(path, data), nil
}

// For returns the corrections of one question as the browser shows them: date and what, newest
// first (of two on one day, the one written later).
func (c *Corrections) For(id string) []quiz.Correction {
	var out []quiz.Correction
	for i := len(c.Entries) - 1; i >= 0; i-- {
		if e := c.Entries[i]; e.ID == id {
			out = append(out, quiz.Correction{Date: e.Date, What: e.What})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date > out[j].Date })
	return out
}

// latestDate is the last day some time zone has reached at now: a correction dated later is in
// the future everywhere. UTC+14 is the earliest zone, so an author east of the linter's clock
// can still date a correction by their own calendar.
func latestDate(now time.Time) string {
	return now.In(time.FixedZone("UTC+14", 14*60*60)).Format(dateLayout)
}

// keyRecord is the key a question is expected to have, and where that was written.
type keyRecord struct {
	key   string
	where string
	entry bool // written in a correction rather than the baseline
}

// corrections checks the corrections log and the key baseline against the bank: each entry is
// well formed and names a question; each live question has a baseline key; each key equals its
// latest correction's key or, never corrected, its baseline.
func (l *linter) corrections() {
	c := l.src.Corrections
	l.problems = append(l.problems, c.Problems...)
	items := map[string]*Item{}
	for _, it := range l.src.Items {
		items[it.ID] = it
	}
	latest := map[string]keyRecord{}
	lastDate := map[string]CorrectionEntry{}
	horizon := latestDate(l.now)
	for _, e := range c.Entries {
		bad := func(format string, args ...any) {
			name := "correction"
			if e.ID != "" {
				name += " of " + e.ID
			}
			l.at(c.File, e.Line, "%s: %s", name, fmt.Sprintf(format, args...))
		}
		it := items[e.ID]
		switch {
		case e.ID == "":
			bad("no id: name the question corrected, such as id: \"3.1-019\"")
		case it == nil && !l.src.partial:
			bad("no question has id %s", e.ID)
		}
		if d, err := time.Parse(dateLayout, e.Date); err != nil {
			bad("date must be a real day written as 2026-12-07, not %q", e.Date)
		} else if e.Date > horizon {
			bad("date %s is in the future", d.Format(dateLayout))
		} else if prev, ok := lastDate[e.ID]; ok && e.Date < prev.Date {
			bad("its date %s is before %s, the date of the correction above it (line %d): add corrections in the order they were made", e.Date, prev.Date, prev.Line)
		} else {
			lastDate[e.ID] = e
		}
		if len(e.Changes) == 0 {
			bad("change must say what changed: one or more of %s", strings.Join(ChangeKinds, ", "))
		}
		seen := map[string]bool{}
		for _, k := range e.Changes {
			switch {
			case !contains(ChangeKinds, k):
				bad("unknown change %q (one or more of %s)", k, strings.Join(ChangeKinds, ", "))
			case seen[k]:
				bad("change %q is listed twice", k)
			}
			seen[k] = true
		}
		if e.What == "" {
			bad("what must say in a sentence what changed")
		}
		if e.Why == "" {
			bad("why must say in a sentence why it changed")
		}
		switch {
		case !seen["key"] && e.Key != nil:
			bad("key is given only when change includes key")
		case seen["key"] && e.Key == nil:
			if it != nil {
				bad("a key correction names the new key, written as in the bank: key: %s", yamlKey(&it.Question))
			} else {
				bad("a key correction names the new key, written as in the bank")
			}
		case seen["key"] && it != nil:
			// A key that cannot be read records nothing: the question is then held to its
			// baseline or an earlier correction, and this problem says what to fix.
			if k, err := entryKey(&it.Question, e.Key); err != nil {
				bad("%v", err)
			} else {
				latest[e.ID] = keyRecord{key: k, where: fmt.Sprintf("%s:%d", c.File, e.Line), entry: true}
			}
		}
	}

	keys := l.src.Keys
	var missing []string
	for _, it := range l.src.Items {
		if it.ID == "" {
			continue
		}
		rec, ok := latest[it.ID]
		base, inBase := keys.Lookup(it.ID)
		if !inBase && !it.Retired && CompactKey(&it.Question) != "" {
			missing = append(missing, it.ID)
		}
		if !ok && inBase {
			rec, ok = keyRecord{key: base.Key, where: fmt.Sprintf("%s:%d", keys.File, base.Line)}, true
		}
		if !ok || KeyAgrees(&it.Question, rec.key) {
			continue
		}
		if rec.entry {
			l.at(it.File, it.Line, "question %s: its key is %s, but its latest key correction (%s) says otherwise: correct the entry's key, or add a later correction with change: key and key: %s",
				it.ID, yamlKey(&it.Question), rec.where, yamlKey(&it.Question))
		} else {
			l.at(it.File, it.Line, "question %s: its key changed (now %s; %s records %s): put it back, or record why in %s with change: key and key: %s",
				it.ID, yamlKey(&it.Question), rec.where, rec.key, c.File, yamlKey(&it.Question))
		}
	}
	if len(missing) > 0 && !l.src.partial {
		l.at(keys.File, 0, "%d questions have no key baseline yet (%s): run go run ./cmd/bank keys", len(missing), summarize(missing, 6))
	}
}

// entryKey reads a correction's key against the question it names, into the compact form.
func entryKey(q *quiz.Question, n *yaml.Node) (string, error) {
	letter := func(v *yaml.Node) (string, error) {
		i := strings.Index(letters[:min(len(q.Choices), len(letters))], v.Value)
		if v.Kind != yaml.ScalarNode || len(v.Value) != 1 || i < 0 {
			return "", fmt.Errorf("key %q is not a letter of the question's options (write it as in the bank: key: %s)", v.Value, yamlKey(q))
		}
		return v.Value, nil
	}
	switch {
	case q.Type == quiz.Single || (q.Type == quiz.Hotspot && q.Grid == nil):
		return letter(n)
	case q.Type == quiz.Multi:
		if n.Kind != yaml.SequenceNode {
			return "", fmt.Errorf("the key of a multi question is a list of letters, such as key: %s", yamlKey(q))
		}
		var ls []string
		for _, v := range n.Content {
			l, err := letter(v)
			if err != nil {
				return "", err
			}
			if contains(ls, l) {
				return "", fmt.Errorf("key %s is listed twice", l)
			}
			ls = append(ls, l)
		}
		return sortedLetters(ls), nil
	case q.Type == quiz.Hotspot:
		row, col := -1, -1
		for i, r := range q.Grid.Rows {
			if r.Text == scalar(n, "row") {
				row = i
			}
		}
		for i, c := range q.Grid.Cols {
			if c.Text == scalar(n, "col") {
				col = i
			}
		}
		if n.Kind != yaml.MappingNode || row < 0 || col < 0 {
			return "", fmt.Errorf("the key of a grid hotspot is a cell by its labels, such as key: %s", yamlKey(q))
		}
		return fmt.Sprintf("[%d,%d]", row+1, col+1), nil
	default: // order and match have no key field: the compact form stands for it.
		if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
			return "", fmt.Errorf("order and match questions have no key field: write the key in the compact form of %s, now key: %s", KeysFile, yamlKey(q))
		}
		return strings.TrimSpace(n.Value), nil
	}
}
