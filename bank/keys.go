package bank

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/issmp-study/issmp/quiz"
)

// KeysFile is the name, inside content/bank, of the key baseline.
const KeysFile = "keys.txt"

// Keys is the key baseline: every question's key as it was when the question was first recorded
// there. A line is never rewritten, so a key that differs from its baseline was changed, and the
// linter asks for a public correction (content/corrections.yaml) that names the new key.
type Keys struct {
	File    string
	Entries []KeyEntry
	byID    map[string]int
}

// KeyEntry is one question's baseline key, in the compact form CompactKey writes.
type KeyEntry struct {
	ID   string
	Key  string
	Line int
}

// ParseKeys reads a key baseline: one "id key" pair per line; blank lines and # comments are
// ignored.
func ParseKeys(file string, data []byte) (*Keys, error) {
	k := &Keys{File: file, byID: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("%s:%d: a key baseline line is \"<question id> <key>\"", file, n)
		}
		if prev, dup := k.byID[f[0]]; dup {
			return nil, fmt.Errorf("%s:%d: question %s is already in the key baseline at line %d", file, n, f[0], k.Entries[prev].Line)
		}
		k.byID[f[0]] = len(k.Entries)
		k.Entries = append(k.Entries, KeyEntry{ID: f[0], Key: f[1], Line: n})
	}
	return k, sc.Err()
}

// Lookup returns a question's baseline.
func (k *Keys) Lookup(id string) (KeyEntry, bool) {
	if i, ok := k.byID[id]; ok {
		return k.Entries[i], true
	}
	return KeyEntry{}, false
}

// keysHeader starts a new key baseline file.
const keysHeader = `# The key of every question as first recorded: "id key". Append only: never edit or delete a
# line. When a key changes, record why in content/corrections.yaml (change: key, key: the new key);
# the linter compares each key with its line here and with the latest correction of it.
# Keys: a letter (C), letters (A,D), a grid cell as [row,col] counted from 1, and for order and
# match questions short fingerprints of each step's or pair's words (see bank/keys.go).
# New questions are added by: go run ./cmd/bank keys
`

// MissingKeys returns the baseline entries of the questions the baseline does not hold yet, in
// file order, retired ones included (their keys still show in past answers). A question without a
// key that can be written (its type or key is broken, which the linter reports) waits until it
// has one, and an id used twice is entered once.
func (src *Source) MissingKeys() []KeyEntry {
	var out []KeyEntry
	seen := map[string]bool{}
	for _, it := range src.Items {
		key := CompactKey(&it.Question)
		if _, ok := src.Keys.Lookup(it.ID); ok || it.ID == "" || key == "" || seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		out = append(out, KeyEntry{ID: it.ID, Key: key})
	}
	return out
}

// AppendKeys returns the key baseline's new content: the old content plus the given entries.
func AppendKeys(old []byte, entries []KeyEntry) []byte {
	pairs := make([][2]string, len(entries))
	for i, e := range entries {
		pairs[i] = [2]string{e.ID, e.Key}
	}
	return appendPairs(old, keysHeader, pairs)
}

// CompactKey writes a question's key in one word without spaces:
//   - single, and hotspot on a figure: the letter, "C";
//   - multi: the letters, "A,D";
//   - hotspot on a grid: the cell, "[1,3]" (row and column counted from 1);
//   - order: the steps' fingerprints in the right order, "3f2a>91c0>77de>0b41";
//   - match: each pair's item and match fingerprints, then the extra matches', "3f2a=91c0,77de=0b41,=5e6f".
//
// Letters and cells stand for positions, which the bank never moves (docs/QUESTIONS.md: "never
// move the key to another letter"), so rewording an option leaves the key as it was. Order and
// match keys are made of the texts themselves; fingerprints of their words (see fingerprint) let
// KeyAgrees tell a reordered step or a re-paired item from a reworded one.
func CompactKey(q *quiz.Question) string {
	switch {
	case q.Type == quiz.Order:
		fps := make([]string, len(q.Choices))
		for i, c := range q.Choices {
			fps[i] = fingerprint(c.Text)
		}
		return strings.Join(fps, ">")
	case q.Type == quiz.Match:
		var parts []string
		for _, p := range q.Pairs {
			parts = append(parts, fingerprint(p.Item)+"="+fingerprint(p.Match))
		}
		for _, e := range q.Extra {
			parts = append(parts, "="+fingerprint(e.Text))
		}
		return strings.Join(parts, ",")
	case q.Type == quiz.Hotspot && q.Grid != nil:
		if len(q.Key) != 2 {
			return ""
		}
		return fmt.Sprintf("[%d,%d]", q.Key[0]+1, q.Key[1]+1)
	default:
		ls := make([]string, len(q.Key))
		for i, k := range q.Key {
			ls[i] = string(letters[min(k, len(letters)-1)])
		}
		return strings.Join(ls, ",")
	}
}

// fingerprint is four hex digits of a hash of a text's words, ignoring case, punctuation and
// spacing: short enough to keep a baseline line readable, long enough that two steps of one
// question collide about once in 65,536 pairs (KeyAgrees ignores a fingerprint that does).
func fingerprint(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	return hex.EncodeToString(sum[:2])
}

// KeyAgrees reports whether a question's key is the one recorded (in the compact form). Letters
// and cells must be equal. For order and match questions only the steps, items and matches whose
// words are unchanged since the record can be recognised: the key agrees when those recognised
// steps keep their relative order, and each recognised item keeps its match unless the match it
// has now is unknown (reworded). A step reworded and moved in the same edit is therefore not seen.
func KeyAgrees(q *quiz.Question, recorded string) bool {
	now := CompactKey(q)
	if now == recorded {
		return true
	}
	switch q.Type {
	case quiz.Order:
		return orderAgrees(strings.Split(now, ">"), strings.Split(recorded, ">"))
	case quiz.Match:
		return matchAgrees(strings.Split(now, ","), strings.Split(recorded, ","))
	}
	return false
}

// orderAgrees reports whether the steps found in both lists come in the same order.
func orderAgrees(now, recorded []string) bool {
	pos := uniquePositions(recorded)
	mine := uniquePositions(now)
	last := -1
	for _, fp := range now {
		p, ok := pos[fp]
		if _, unique := mine[fp]; !ok || !unique {
			continue
		}
		if p < last {
			return false
		}
		last = p
	}
	return true
}

// uniquePositions maps each fingerprint to its index, or to -1 when it occurs twice (a collision
// or a repeated text, which cannot identify a step).
func uniquePositions(fps []string) map[string]int {
	m := map[string]int{}
	for i, fp := range fps {
		if _, dup := m[fp]; dup {
			m[fp] = -1
			continue
		}
		m[fp] = i
	}
	for fp, i := range m {
		if i < 0 {
			delete(m, fp)
		}
	}
	return m
}

// matchAgrees reports whether every item known to both keys still has its recorded match, where
// its match now is one the record knows (a pair's match or an extra).
func matchAgrees(now, recorded []string) bool {
	was := map[string]string{}
	known := map[string]bool{}
	items := map[string]int{}
	for _, p := range recorded {
		item, match, ok := strings.Cut(p, "=")
		if !ok {
			return false
		}
		known[match] = true
		if item != "" {
			was[item] = match
			items[item]++
		}
	}
	for _, p := range now {
		item, match, _ := strings.Cut(p, "=")
		old, ok := was[item]
		if item == "" || !ok || items[item] > 1 || !known[match] {
			continue
		}
		if old != match {
			return false
		}
	}
	return true
}

// yamlKey writes a question's key as an author writes it in the bank and in a correction: "C",
// "[A, D]", "{row: Likely, col: Major}"; order and match questions have no key field, so a
// correction gives their compact form, quoted.
func yamlKey(q *quiz.Question) string {
	switch {
	case q.Type == quiz.Order || q.Type == quiz.Match:
		return strconv.Quote(CompactKey(q))
	case q.Type == quiz.Hotspot && q.Grid != nil:
		if len(q.Key) != 2 || q.Key[0] >= len(q.Grid.Rows) || q.Key[1] >= len(q.Grid.Cols) {
			return "{}"
		}
		return fmt.Sprintf("{row: %s, col: %s}", q.Grid.Rows[q.Key[0]].Text, q.Grid.Cols[q.Key[1]].Text)
	case q.Type == quiz.Multi:
		ls := make([]string, len(q.Key))
		for i, k := range q.Key {
			ls[i] = string(letters[min(k, len(letters)-1)])
		}
		return "[" + strings.Join(ls, ", ") + "]"
	default:
		return CompactKey(q)
	}
}

// sortedLetters turns letters into the compact form of a multi key, "A,D".
func sortedLetters(ls []string) string {
	sort.Strings(ls)
	return strings.Join(ls, ",")
}
