package bank

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func goodKeys(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/good/keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// lintDay is the day the corrections tests lint on: noon UTC, 7 December 2026.
var lintDay = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// lintLog lints the good fixture, changed by the given replacements in 3-1.yaml and keys.txt,
// with the given corrections log, and returns the problems as strings.
func lintLog(t *testing.T, bankEdit, keysEdit [2]string, log string) []string {
	t.Helper()
	edit := func(s string, r [2]string) string {
		if r[0] == "" {
			return s
		}
		if !strings.Contains(s, r[0]) {
			t.Fatalf("the fixture does not contain %q", r[0])
		}
		return strings.Replace(s, r[0], r[1], 1)
	}
	src := readFiles(t, map[string]string{
		"3-1.yaml": edit(goodFile(t), bankEdit),
		LedgerFile: goodLedger(t),
		KeysFile:   edit(goodKeys(t), keysEdit),
	})
	src.Corrections = ParseCorrections("content/corrections.yaml", []byte(log))
	var out []string
	for _, p := range LintAt(src, testOutline(t), lintDay) {
		out = append(out, p.String())
	}
	return out
}

// The steps of the fixture's order question 3.1-003, as written (the right order).
const (
	stepConfirm = "      - text: Confirm the rating is within the appetite set by leadership\n        why: Acceptance is only allowed within the approved appetite.\n"
	stepObtain  = "      - text: Obtain the risk owner's signed approval\n        why: The owner, not security, accepts the risk.\n"
)

// Each case changes the good fixture or its key baseline and writes a corrections log; want is a
// problem the linter must report, or "" for a clean bank.
func TestLintChecksKeysAgainstTheBaselineAndTheCorrectionsLog(t *testing.T) {
	entry := func(id, date, change, key string) string {
		s := "- id: \"" + id + "\"\n  date: " + date + "\n  change: " + change + "\n  what: The key is now another option.\n  why: A reader showed the old key was wrong.\n"
		if key != "" {
			s += "  key: " + key + "\n"
		}
		return s
	}
	was := func(id, old, new string) [2]string { return [2]string{id + " " + old + "\n", id + " " + new + "\n"} }
	swapped := [2]string{stepConfirm + stepObtain, stepObtain + stepConfirm}
	swappedKey := "cbf7>e6f3>5cb1>f131"
	tests := []struct {
		name           string
		bankEdit, keys [2]string
		log            string
		want           string
	}{
		{"the fixture with an empty log is clean", [2]string{}, [2]string{}, "[]\n", ""},
		{"an empty log file is an empty log", [2]string{}, [2]string{}, "", ""},
		{"a new question without a baseline fails", [2]string{}, [2]string{"3.1-008 A\n", ""}, "[]",
			"content/bank/keys.txt: 1 questions have no key baseline yet (3.1-008): run go run ./cmd/bank keys"},
		{"a retired question needs no baseline", [2]string{"        task: \"3.1.2\"\n", "        task: \"3.1.2\"\n        retired: true\n"}, [2]string{"3.1-008 A\n", ""}, "[]", ""},
		{"a key changed with no entry fails", [2]string{}, was("3.1-001", "B", "A"), "[]",
			"content/bank/3-1.yaml:4: question 3.1-001: its key changed (now B; content/bank/keys.txt:2 records A): put it back, or record why in content/corrections.yaml with change: key and key: B"},
		{"a key changed with an entry passes", [2]string{}, was("3.1-001", "B", "A"), entry("3.1-001", "2026-12-07", "[key, explanation]", "B"), ""},
		{"a key corrected twice passes on its latest entry", [2]string{}, was("3.1-001", "B", "A"),
			entry("3.1-001", "2026-12-01", "key", "C") + entry("3.1-001", "2026-12-05", "key", "B"), ""},
		{"a key that is not its latest entry's fails", [2]string{}, was("3.1-001", "B", "A"),
			entry("3.1-001", "2026-12-01", "key", "B") + entry("3.1-001", "2026-12-05", "key", "C"),
			"content/bank/3-1.yaml:4: question 3.1-001: its key is B, but its latest key correction (content/corrections.yaml:7) says otherwise"},
		{"an entry without change key leaves the key to the baseline", [2]string{}, was("3.1-001", "B", "A"), entry("3.1-001", "2026-12-07", "stem", ""),
			"question 3.1-001: its key changed (now B; content/bank/keys.txt:2 records A)"},
		{"a multi key changed with an entry in any order passes", [2]string{}, was("3.1-002", "A,C", "A,E"), entry("3.1-002", "2026-12-07", "key", "[C, A]"), ""},
		{"a multi key changed without an entry fails", [2]string{}, was("3.1-002", "A,C", "A,E"), "[]",
			"question 3.1-002: its key changed (now [A, C]; content/bank/keys.txt:3 records A,E)"},
		{"a grid key changed with an entry by labels passes", [2]string{}, was("3.1-005", "[1,3]", "[2,3]"), entry("3.1-005", "2026-12-07", "key", "{row: Likely, col: Major}"), ""},
		{"a grid key correction with an unknown label fails", [2]string{}, was("3.1-005", "[1,3]", "[2,3]"), entry("3.1-005", "2026-12-07", "key", "{row: Certain, col: Major}"),
			"correction of 3.1-005: the key of a grid hotspot is a cell by its labels, such as key: {row: Likely, col: Major}"},
		{"a key letter that is no option fails", [2]string{}, [2]string{}, entry("3.1-001", "2026-12-07", "key", "E"),
			`correction of 3.1-001: key "E" is not a letter of the question's options (write it as in the bank: key: B)`},
		{"order steps swapped without an entry fail", swapped, [2]string{}, "[]",
			`question 3.1-003: its key changed (now "` + swappedKey + `"; content/bank/keys.txt:4 records cbf7>5cb1>e6f3>f131)`},
		{"order steps swapped with an entry pass", swapped, [2]string{}, entry("3.1-003", "2026-12-07", "key", `"`+swappedKey+`"`), ""},
		{"an order step reworded needs no entry", [2]string{"Obtain the risk owner's signed approval", "Get the risk owner's written approval"}, [2]string{}, "[]", ""},
		{"match pairs re-paired without an entry fail", [2]string{"        match: Transfer\n", "        match: Escalate\n"}, [2]string{}, "[]",
			"question 3.1-004: its key changed"},
		{"a match reworded needs no entry", [2]string{"        match: Transfer\n", "        match: Share\n"}, [2]string{}, "[]", ""},
		{"an entry for no question fails", [2]string{}, [2]string{}, entry("3.1-099", "2026-12-07", "stem", ""),
			"content/corrections.yaml:1: correction of 3.1-099: no question has id 3.1-099"},
		{"an entry without an id fails", [2]string{}, [2]string{}, "- date: 2026-12-07\n  change: stem\n  what: x\n  why: y\n",
			"content/corrections.yaml:1: correction: no id"},
		{"a date that is no real day fails", [2]string{}, [2]string{}, entry("3.1-001", "2026-02-30", "stem", ""),
			`correction of 3.1-001: date must be a real day written as 2026-12-07, not "2026-02-30"`},
		{"a date in the future fails", [2]string{}, [2]string{}, entry("3.1-001", "2026-12-09", "stem", ""),
			"correction of 3.1-001: date 2026-12-09 is in the future"},
		{"a date some time zone has reached passes", [2]string{}, [2]string{}, entry("3.1-001", "2026-12-08", "stem", ""), ""},
		{"dates of one question going backwards fail", [2]string{}, [2]string{},
			entry("3.1-001", "2026-12-05", "stem", "") + entry("3.1-001", "2026-12-01", "explanation", ""),
			"content/corrections.yaml:6: correction of 3.1-001: its date 2026-12-01 is before 2026-12-05, the date of the correction above it (line 1)"},
		{"dates of different questions may go backwards", [2]string{}, [2]string{},
			entry("3.1-001", "2026-12-05", "stem", "") + entry("3.1-002", "2026-12-01", "explanation", ""), ""},
		{"an unknown change fails", [2]string{}, [2]string{}, entry("3.1-001", "2026-12-07", "[stem, typo]", ""),
			`correction of 3.1-001: unknown change "typo" (one or more of key, stem, explanation, options)`},
		{"no change fails", [2]string{}, [2]string{}, "- id: \"3.1-001\"\n  date: 2026-12-07\n  what: x\n  why: y\n",
			"correction of 3.1-001: change must say what changed"},
		{"an empty what fails", [2]string{}, [2]string{}, "- id: \"3.1-001\"\n  date: 2026-12-07\n  change: stem\n  what: \"\"\n  why: y\n",
			"correction of 3.1-001: what must say in a sentence what changed"},
		{"a missing why fails", [2]string{}, [2]string{}, "- id: \"3.1-001\"\n  date: 2026-12-07\n  change: stem\n  what: x\n",
			"correction of 3.1-001: why must say in a sentence why it changed"},
		{"a key correction without its key fails", [2]string{}, [2]string{}, entry("3.1-001", "2026-12-07", "key", ""),
			"correction of 3.1-001: a key correction names the new key, written as in the bank: key: B"},
		{"a key without change key fails", [2]string{}, [2]string{}, entry("3.1-001", "2026-12-07", "stem", "B"),
			"correction of 3.1-001: key is given only when change includes key"},
		{"an unknown field fails", [2]string{}, [2]string{}, entry("3.1-001", "2026-12-07", "stem", "") + "  reason: typo\n",
			`content/corrections.yaml:6: correction: unknown field "reason"`},
		{"a log that is not a list fails", [2]string{}, [2]string{}, "id: \"3.1-001\"\n",
			"content/corrections.yaml:1: the corrections log is a list of entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := lintLog(t, tt.bankEdit, tt.keys, tt.log)
			all := strings.Join(ps, "\n")
			if tt.want == "" {
				if len(ps) > 0 {
					t.Fatalf("want no problems, got:\n%s", all)
				}
				return
			}
			if !strings.Contains(all, tt.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tt.want, all)
			}
		})
	}
}

func TestLintOfSomeFilesStillChecksTheirKeysButNotTheBaselineOfOthers(t *testing.T) {
	src := readFiles(t, map[string]string{"3-1.yaml": goodFile(t), KeysFile: strings.Replace(goodKeys(t), "3.1-001 B\n", "3.1-001 A\n", 1)})
	all := ""
	for _, p := range LintAt(src.Only("3-1.yaml"), testOutline(t), lintDay) {
		all += p.String() + "\n"
	}
	if !strings.Contains(all, "question 3.1-001: its key changed") || strings.Contains(all, "no key baseline") {
		t.Errorf("want the changed key and nothing about the baseline of other files, got:\n%s", all)
	}
}

func TestKeyAgreesSeesReorderingButNotRewording(t *testing.T) {
	order := &quiz.Question{Type: quiz.Order, Choices: []quiz.Choice{{Text: "Plan the test"}, {Text: "Run the test"}, {Text: "Report the results"}, {Text: "Fix the findings"}}}
	recorded := CompactKey(order)
	tests := []struct {
		name  string
		steps []string
		want  bool
	}{
		{"unchanged", []string{"Plan the test", "Run the test", "Report the results", "Fix the findings"}, true},
		{"case and punctuation", []string{"Plan the test.", "run the TEST", "Report the results", "Fix  the findings"}, true},
		{"one step reworded", []string{"Plan the exercise", "Run the test", "Report the results", "Fix the findings"}, true},
		{"two steps swapped", []string{"Plan the test", "Report the results", "Run the test", "Fix the findings"}, false},
		{"a reworded step moved is not seen", []string{"Plan the test", "Report the results", "Fix the findings", "Run the exercise"}, true},
	}
	for _, tt := range tests {
		q := &quiz.Question{Type: quiz.Order}
		for _, s := range tt.steps {
			q.Choices = append(q.Choices, quiz.Choice{Text: s})
		}
		if got := KeyAgrees(q, recorded); got != tt.want {
			t.Errorf("%s: KeyAgrees = %v, want %v", tt.name, got, tt.want)
		}
	}
	single := &quiz.Question{Type: quiz.Single, Choices: make([]quiz.Choice, 4), Key: []int{2}}
	if CompactKey(single) != "C" || !KeyAgrees(single, "C") || KeyAgrees(single, "B") {
		t.Errorf("a single key is its letter: %q", CompactKey(single))
	}
}

func TestCompileGivesCorrectedQuestionsTheirCorrectionsNewestFirst(t *testing.T) {
	src := readGood(t, goodFile(t))
	src.Corrections = ParseCorrections("content/corrections.yaml", []byte(`
- id: "3.1-002"
  date: 2026-11-30
  change: stem
  what: The stem asks for two options.
  why: It did not say how many to choose.
- id: "3.1-001"
  date: 2026-12-01
  change: explanation
  what: The explanation gives the figures.
  why: It left the arithmetic to the reader.
- id: "3.1-002"
  date: 2026-12-02
  change: [options, explanation]
  what: Option E no longer overlaps A.
  why: Two options said nearly the same.
`))
	b, err := Compile(src, testOutline(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]quiz.Correction{}
	for _, q := range b.Questions {
		got[q.ID] = q.Corrections
	}
	want := map[string][]quiz.Correction{
		"3.1-001": {{Date: "2026-12-01", What: "The explanation gives the figures."}},
		"3.1-002": {{Date: "2026-12-02", What: "Option E no longer overlaps A."}, {Date: "2026-11-30", What: "The stem asks for two options."}},
	}
	for id, w := range want {
		if !reflect.DeepEqual(got[id], w) {
			t.Errorf("%s: corrections %+v, want %+v", id, got[id], w)
		}
	}
	if got["3.1-003"] != nil {
		t.Errorf("an uncorrected question has corrections %+v", got["3.1-003"])
	}
}
