package bank

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// LedgerFile is the name, inside content/bank, of the ledger of every id ever issued.
const LedgerFile = "ledger.txt"

// Ledger records every question and scenario id ever issued, with what it was issued for (a task
// id for a question, a sub-domain id for a scenario set). It only grows: the linter uses it to
// refuse an id that was deleted (mark it retired instead) or reused for another task, because
// saved progress refers to questions by id.
type Ledger struct {
	File    string
	Entries []LedgerEntry
}

// LedgerEntry is one issued id.
type LedgerEntry struct {
	ID    string
	Owner string
	Line  int
}

// ParseLedger reads a ledger: one "id owner" pair per line; blank lines and # comments are ignored.
func ParseLedger(file string, data []byte) (*Ledger, error) {
	l := &Ledger{File: file}
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("%s:%d: a ledger line is \"<id> <task or sub-domain>\"", file, n)
		}
		if prev, dup := seen[f[0]]; dup {
			return nil, fmt.Errorf("%s:%d: id %s is already in the ledger at line %d", file, n, f[0], prev)
		}
		seen[f[0]] = n
		l.Entries = append(l.Entries, LedgerEntry{ID: f[0], Owner: f[1], Line: n})
	}
	return l, sc.Err()
}

// Lookup returns the entry for an id.
func (l *Ledger) Lookup(id string) (LedgerEntry, bool) {
	for _, e := range l.Entries {
		if e.ID == id {
			return e, true
		}
	}
	return LedgerEntry{}, false
}

// ledgerHeader starts a new ledger file.
const ledgerHeader = `# Every question and scenario-set id ever issued, with the task (or, for a set, the sub-domain)
# it was issued for. Append only: never edit or delete a line. To take a question out of use, set
# retired: true on it. New ids are added by: make bank-ledger
`

// Missing returns the ids of the source that the ledger does not hold yet, with their owners, in
// file order.
func (src *Source) Missing() []LedgerEntry {
	var out []LedgerEntry
	for _, it := range src.Items {
		if _, ok := src.Ledger.Lookup(it.ID); !ok && it.ID != "" {
			out = append(out, LedgerEntry{ID: it.ID, Owner: it.Task})
		}
	}
	for _, s := range src.Scenarios {
		if _, ok := src.Ledger.Lookup(s.ID); !ok && s.ID != "" {
			out = append(out, LedgerEntry{ID: s.ID, Owner: subdomainOfID(s.ID)})
		}
	}
	return out
}

// AppendLedger returns the ledger file's new content: the old content plus the given entries.
func AppendLedger(old []byte, entries []LedgerEntry) []byte {
	pairs := make([][2]string, len(entries))
	for i, e := range entries {
		pairs[i] = [2]string{e.ID, e.Owner}
	}
	return appendPairs(old, ledgerHeader, pairs)
}

// appendPairs returns an append-only "id value" file's new content: old (or header, for an empty
// file), ended by a newline, then one line per pair. The ledger and the key baseline are such files.
func appendPairs(old []byte, header string, pairs [][2]string) []byte {
	var b bytes.Buffer
	if len(bytes.TrimSpace(old)) == 0 {
		b.WriteString(header)
	} else {
		b.Write(old)
		if !bytes.HasSuffix(old, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	for _, p := range pairs {
		fmt.Fprintf(&b, "%s %s\n", p[0], p[1])
	}
	return b.Bytes()
}

// subdomainOfID returns "3.1" for ids such as "3.1-007" or "3.1-S01".
func subdomainOfID(id string) string {
	sub, _, _ := strings.Cut(id, "-")
	return sub
}

func errorsIsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
