package bank

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/issmp-study/issmp/quiz"
)

func testOutline(t *testing.T) *quiz.Outline {
	t.Helper()
	o, err := LoadOutline(outlinePath)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func goodFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/good/3-1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func goodLedger(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/good/ledger.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// lintFiles lints a bank made of the given files and returns the problems as strings.
func lintFiles(t *testing.T, files map[string]string) []string {
	t.Helper()
	var out []string
	for _, p := range Lint(readFiles(t, files), testOutline(t)) {
		out = append(out, p.String())
	}
	return out
}

func TestTheGoodFixtureIsClean(t *testing.T) {
	ps := lintFiles(t, map[string]string{"3-1.yaml": goodFile(t), LedgerFile: goodLedger(t)})
	if len(ps) > 0 {
		t.Fatalf("want no problems, got:\n%s", strings.Join(ps, "\n"))
	}
}

// Each case changes the good fixture in one way and names the problem the linter must report, with
// the file and line it must point at.
func TestLintCatchesEachError(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // a replacement in 3-1.yaml
		want     string // the problem, as printed
	}{
		{"schema: unknown field", "    difficulty: 2\n    stem: >-\n      A control", "    difficulty: 2\n    level: hard\n    stem: >-\n      A control",
			`content/bank/3-1.yaml:8: question: unknown field "level"`},
		{"schema: bad YAML", "key: B\n    explanation: >-\n      The control", "key: [B\n    explanation: >-\n      The control", "content/bank/3-1.yaml:"},
		{"schema: unknown type", "type: order", "type: sequence", `question 3.1-003: unknown type "sequence"`},
		{"schema: difficulty out of range", "difficulty: 1\n    stem: Which of these", "difficulty: 5\n    stem: Which of these", "content/bank/3-1.yaml:29: question 3.1-002: difficulty must be 1, 2 or 3"},
		{"schema: options not lettered in order", "      B: Decline the control", "      C: Decline the control", `options are labelled A, B, C... in order; found "C" where "B" belongs`},
		{"schema: field of another type", "    key: C\n    explanation: Ownership", "    key: C\n    steps: []\n    explanation: Ownership", "a hotspot question has no steps"},
		{"duplicate id", `id: "3.1-002"`, `id: "3.1-001"`, "content/bank/3-1.yaml:26: id 3.1-001 is already used at content/bank/3-1.yaml:4"},
		{"id format", `id: "3.1-003"`, `id: "q3"`, "question q3: id must look like 3.1-007"},
		{"task not in the outline", `task: "3.1.11"`, `task: "3.1.13"`, `question 3.1-003: task "3.1.13" is not in the outline`},
		{"task of another sub-domain", `task: "3.1.11"`, `task: "3.2.1"`, "question 3.1-003: task 3.2.1 belongs to sub-domain 3.2, not to this file's 3.1"},
		{"single key not an option", "    key: B\n    explanation: >-\n      The control", "    key: E\n    explanation: >-\n      The control", "question 3.1-001: the key must be one letter of the options"},
		{"multi key count differs from Choose N", "key: [A, C]", "key: [A, C, E]", `question 3.1-002: the key has 3 answers but the stem says "Choose two"`},
		{"multi without Choose N", "risk treatment options? (Choose two.)", "risk treatment options?", "a multi stem says how many to choose"},
		{"single saying Choose N", "What should the security manager recommend?", "What should the security manager recommend? (Choose two.)", "only a multi stem says how many to choose"},
		{"missing explanation", "    explanation: Each situation shows one classic treatment; escalation routes a decision but treats nothing by itself.\n", "", "question 3.1-004: no explanation"},
		{"missing rationale for a wrong option", "      D: Accepted risks are recorded in the risk register with the owner's approval.\n", "", "question 3.1-001: no rationale (why D) for wrong option D"},
		{"rationale for the key", "    why:\n      A: Lowering", "    why:\n      B: It is right.\n      A: Lowering", "why B: B is a key"},
		{"missing rationale for a grid row", "        Unlikely: A yearly recurrence is the opposite of unlikely.\n", "", `question 3.1-005: no rationale for wrong row "Unlikely"`},
		{"order step without why", "        why: The owner, not security, accepts the risk.\n", "", "question 3.1-003: a step needs text and why"},
		{"all of the above", "      D: Accept the risk without recording the decision anywhere at all", "      D: All of the above", `"All of the above": no all/none of the above`},
		{"none of the above", "      E: Hide the risk from the board's reports", "      E: None of the above", `"None of the above": no all/none of the above`},
		{"lowercase not", "What should the security manager recommend?", "Which option should the security manager not recommend?", `the question says "not" in lowercase`},
		{"lowercase except", "Who should approve the risk objectives for the aligned register?", "Everyone should approve the objectives except whom?", `the question says "except" in lowercase`},
		{"short rationale", "B: Ignoring a risk is not a treatment; it is an unmanaged risk.", "B: Wrong.", "the rationale for option B is too short"},
		{"duplicate options", "      C: Transfer the whole risk to an insurer regardless of premium", "      C: Decline the control on cost grounds and look for cheaper treatments", "two options read the same"},
		{"scenario with one question", "      - id: \"3.1-008\"", "  - id: \"3.1-S02\"\n    case: >-\n      x\n    questions:\n      - id: \"3.1-008\"", "scenario set 3.1-S01: a set has 2 to 4 questions, not 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := goodFile(t)
			if !strings.Contains(good, tt.old) {
				t.Fatalf("the fixture does not contain %q", tt.old)
			}
			ps := lintFiles(t, map[string]string{"3-1.yaml": strings.Replace(good, tt.old, tt.new, 1), LedgerFile: goodLedger(t)})
			all := strings.Join(ps, "\n")
			if !strings.Contains(all, tt.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tt.want, all)
			}
			for _, p := range ps {
				if !strings.HasPrefix(p, "content/bank/") {
					t.Errorf("problem without a file: %q", p)
				}
			}
		})
	}
}

func TestLintCatchesLedgerViolations(t *testing.T) {
	good, ledger := goodFile(t), goodLedger(t)
	tests := []struct {
		name, yaml, ledger, want string
	}{
		{"a deleted question", strings.Replace(good, `id: "3.1-006"`, `id: "3.1-009"`, 1), ledger,
			"content/bank/ledger.txt:7: 3.1-006 was issued but is no longer in the bank: restore it with retired: true"},
		{"an id reused for another task", good, strings.Replace(ledger, "3.1-001 3.1.9", "3.1-001 3.1.1", 1),
			"question 3.1-001: the ledger issued this id for task 3.1.1"},
		{"a new id not in the ledger", good, strings.Replace(ledger, "3.1-008 3.1.2\n", "", 1),
			"content/bank/ledger.txt: 1 new ids are not in the ledger yet (3.1-008): run make bank-ledger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := strings.Join(lintFiles(t, map[string]string{"3-1.yaml": tt.yaml, LedgerFile: tt.ledger}), "\n")
			if !strings.Contains(all, tt.want) {
				t.Fatalf("want %q, got:\n%s", tt.want, all)
			}
		})
	}
}

func TestLintCatchesNearDuplicateStems(t *testing.T) {
	good := goodFile(t)
	copyStem := strings.Replace(good, "stem: Put the steps of handling a proposed risk acceptance in order.",
		"stem: >-\n      A control would cost 90,000 a year and cut the annualized loss expectancy of a risk from\n      150,000 to 100,000. Put the steps in order.", 1)
	all := strings.Join(lintFiles(t, map[string]string{"3-1.yaml": copyStem, LedgerFile: goodLedger(t)}), "\n")
	if !strings.Contains(all, "question 3.1-003: its stem is") || !strings.Contains(all, "the same as question 3.1-001's (content/bank/3-1.yaml:4)") {
		t.Fatalf("near-duplicate stems not reported:\n%s", all)
	}
}

// singles builds a bank file of n single questions whose keys follow the given letters, with the
// key option as long as the others unless longKey says otherwise.
func singles(keys string, longKey func(i int) bool) (string, string) {
	var b, l strings.Builder
	b.WriteString("subdomain: \"3.3\"\nquestions:\n")
	l.WriteString("# ledger\n")
	topics := strings.Fields("asset threat vendor budget audit policy incident backup identity network cloud privacy training metric license contract change patch access crypto model pipeline register")
	for i, k := range keys {
		id := "3.3-" + pad(i+1)
		opts := map[rune]string{'A': "Option alpha reads here", 'B': "Option bravo reads here", 'C': "Option charlie is here", 'D': "Option delta reads here"}
		if longKey != nil && longKey(i) {
			opts[k] = opts[k] + " with many more words"
		}
		b.WriteString("  - id: \"" + id + "\"\n    task: \"3.3.1\"\n    type: single\n    difficulty: 1\n")
		b.WriteString("    stem: Which factor matters most for the " + topics[i%len(topics)] + " risk in case number " + pad(i) + "?\n    options:\n")
		for _, letter := range "ABCD" {
			b.WriteString("      " + string(letter) + ": " + opts[letter] + "\n")
		}
		b.WriteString("    key: " + string(k) + "\n    explanation: The key is right because the case says so in plain words here today.\n    why:\n")
		for _, letter := range "ABCD" {
			if letter != k {
				b.WriteString("      " + string(letter) + ": This option misses the point of the case.\n")
			}
		}
		l.WriteString(id + " 3.3.1\n")
	}
	return b.String(), l.String()
}

func pad(n int) string {
	s := "000" + itoa(n)
	return s[len(s)-3:]
}

func TestLintChecksKeyBalanceOverTheBank(t *testing.T) {
	// 20 singles, keys evenly spread: clean.
	even, ledger := singles("ABCDABCDABCDABCDABCD", nil)
	if ps := lintFiles(t, map[string]string{"3-3.yaml": even, LedgerFile: ledger}); len(ps) > 0 {
		t.Fatalf("balanced keys: want no problems, got:\n%s", strings.Join(ps, "\n"))
	}
	// 20 singles, A is the key in 8 (40%) and D in 2 (10%).
	skewed, ledger := singles("AAAAAAAABBBBBCCCCCDD", nil)
	all := strings.Join(lintFiles(t, map[string]string{"3-3.yaml": skewed, LedgerFile: ledger}), "\n")
	for _, want := range []string{
		"content/bank: the key is A in 8 of 20 single questions (40%)",
		"content/bank: the key is D in 2 of 20 single questions (10%)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("want %q, got:\n%s", want, all)
		}
	}
	// The key is the strictly longest option in 8 of 20 (40%).
	long, ledger := singles("ABCDABCDABCDABCDABCD", func(i int) bool { return i < 8 })
	all = strings.Join(lintFiles(t, map[string]string{"3-3.yaml": long, LedgerFile: ledger}), "\n")
	if !strings.Contains(all, "content/bank: the key is the longest option in 8 of 20 single questions (40%)") {
		t.Errorf("longest-key bias not reported:\n%s", all)
	}
	// 7 of 20 (35%) is allowed.
	long, ledger = singles("ABCDABCDABCDABCDABCD", func(i int) bool { return i < 7 })
	if ps := lintFiles(t, map[string]string{"3-3.yaml": long, LedgerFile: ledger}); len(ps) > 0 {
		t.Errorf("35%% longest keys is within the rule, got:\n%s", strings.Join(ps, "\n"))
	}
}

func TestFileMustMatchItsSubdomain(t *testing.T) {
	all := strings.Join(lintFiles(t, map[string]string{"3-2.yaml": goodFile(t), LedgerFile: goodLedger(t)}), "\n")
	if !strings.Contains(all, `content/bank/3-2.yaml:2: subdomain must be "3.2", as the file name says`) {
		t.Errorf("got:\n%s", all)
	}
	all = strings.Join(lintFiles(t, map[string]string{"risk.yaml": goodFile(t)}), "\n")
	if !strings.Contains(all, "content/bank/risk.yaml:1: a question file is named after its sub-domain") {
		t.Errorf("got:\n%s", all)
	}
}

func TestOnlyLintsTheNamedFilesWithoutTheLedger(t *testing.T) {
	skewed, _ := singles("AAAAAAAABBBBBCCCCCDD", nil)
	src, err := Read(fstest.MapFS{
		"3-1.yaml": {Data: []byte(goodFile(t))},
		"3-3.yaml": {Data: []byte(skewed)},
	}, "content/bank")
	if err != nil {
		t.Fatal(err)
	}
	if ps := Lint(src.Only("3-1.yaml"), testOutline(t)); len(ps) != 0 {
		t.Errorf("3-1.yaml alone, no ledger: want no problems, got %v", ps)
	}
	ps := Lint(src.Only("3-3.yaml"), testOutline(t))
	if len(ps) == 0 || !strings.Contains(ps[0].String(), "the key is A in 8 of 20") {
		t.Errorf("3-3.yaml alone: want its key imbalance, got %v", ps)
	}
}
