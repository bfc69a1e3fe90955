package bank

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/issmp-study/issmp/quiz"
)

func readGood(t *testing.T, yamlText string) *Source {
	t.Helper()
	src, err := Read(fstest.MapFS{
		"3-1.yaml": {Data: []byte(yamlText)},
		LedgerFile: {Data: []byte(goodLedger(t))},
		KeysFile:   {Data: []byte(goodKeys(t))},
	}, "content/bank")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestCompileKeepsWrittenOrderAndIndexesKeys(t *testing.T) {
	o := testOutline(t)
	b, err := Compile(readGood(t, goodFile(t)), o)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]quiz.Question{}
	for _, q := range b.Questions {
		byID[q.ID] = q
	}
	if got := len(b.Questions); got != 8 {
		t.Fatalf("%d questions compiled, want 8", got)
	}
	tests := []struct {
		id   string
		key  []int
		typ  quiz.ItemType
		text string // the first choice's text, as written
	}{
		{"3.1-001", []int{1}, quiz.Single, "Implement the control, because it lowers the annualized loss"},
		{"3.1-002", []int{0, 2}, quiz.Multi, "Transfer the risk through a contract or insurance"},
		{"3.1-003", nil, quiz.Order, "Document the risk, its rating and the proposed acceptance"},
		{"3.1-005", []int{0, 2}, quiz.Hotspot, ""},
		{"3.1-006", []int{2}, quiz.Hotspot, "Discovery scans"},
	}
	for _, tt := range tests {
		q := byID[tt.id]
		if q.Type != tt.typ || !reflect.DeepEqual(q.Key, tt.key) {
			t.Errorf("%s: type %s key %v, want %s %v", tt.id, q.Type, q.Key, tt.typ, tt.key)
		}
		if tt.text != "" && q.Choices[0].Text != tt.text {
			t.Errorf("%s: first choice %q, want %q as written", tt.id, q.Choices[0].Text, tt.text)
		}
	}
	if q := byID["3.1-001"]; q.Choices[0].Why == "" || q.Choices[1].Why != "" {
		t.Errorf("3.1-001: rationales belong to wrong options only: %+v", q.Choices)
	}
	if q := byID["3.1-004"]; len(q.Pairs) != 3 || q.Pairs[1].Match != "Avoid" || len(q.Extra) != 1 || !q.AI {
		t.Errorf("3.1-004: %+v", q)
	}
	if q := byID["3.1-005"]; q.Grid == nil || q.Grid.Rows[1].Why == "" || q.Grid.Rows[0].Why != "" {
		t.Errorf("3.1-005 grid: %+v", q.Grid)
	}
	if len(b.Scenarios) != 1 || !reflect.DeepEqual(b.Scenarios[0].Questions, []string{"3.1-007", "3.1-008"}) {
		t.Errorf("scenarios: %+v", b.Scenarios)
	}
	if byID["3.1-007"].Scenario != "3.1-S01" || byID["3.1-001"].Scenario != "" {
		t.Error("scenario questions must carry their set's id, and only they")
	}
	if len(b.Outline.Domains) != 6 {
		t.Error("the compiled bank carries the outline")
	}
}

func TestCompileVersionIsAContentHash(t *testing.T) {
	o := testOutline(t)
	a, err := Compile(readGood(t, goodFile(t)), o)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Compile(readGood(t, goodFile(t)), o)
	edited, err := Compile(readGood(t, strings.Replace(goodFile(t), "Who should approve", "Who must approve", 1)), o)
	if err != nil {
		t.Fatal(err)
	}
	if a.Version == "" || a.Version != again.Version {
		t.Errorf("same content, versions %q and %q", a.Version, again.Version)
	}
	if a.Version == edited.Version {
		t.Errorf("an edit did not change the version %q", a.Version)
	}
}

func TestCompileRefusesABankWithProblems(t *testing.T) {
	_, err := Compile(readGood(t, strings.Replace(goodFile(t), "key: B\n    explanation: >-\n      The control", "key: Z\n    explanation: >-\n      The control", 1)), testOutline(t))
	if !errors.Is(err, ErrProblems) || !strings.Contains(err.Error(), "3-1.yaml") {
		t.Errorf("got %v, want ErrProblems naming the file", err)
	}
}

func TestWriteCompiledWritesTheBankJSON(t *testing.T) {
	content := t.TempDir()
	if err := os.MkdirAll(filepath.Join(content, "bank"), 0o755); err != nil {
		t.Fatal(err)
	}
	for src, dst := range map[string]string{outlinePath: "outline.yaml", "testdata/good/3-1.yaml": "bank/3-1.yaml", "testdata/good/ledger.txt": "bank/ledger.txt", "testdata/good/keys.txt": "bank/keys.txt"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(content, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Load reads the corrections log beside the bank folder.
	log := "- id: \"3.1-006\"\n  date: 2026-12-01\n  change: options\n  what: Region D is the disposal queue.\n  why: It was named like region A.\n"
	if err := os.WriteFile(filepath.Join(content, CorrectionsFile), []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "bank")
	b, err := WriteCompiled(content, out)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, BankFile))
	if err != nil {
		t.Fatal(err)
	}
	var back quiz.Bank
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Version != b.Version || len(back.Questions) != len(b.Questions) {
		t.Errorf("written bank differs: version %q vs %q", back.Version, b.Version)
	}
	for _, q := range back.Questions {
		if want := q.ID == "3.1-006"; (len(q.Corrections) == 1) != want {
			t.Errorf("%s: corrections %+v", q.ID, q.Corrections)
		}
	}
	// Questions never corrected carry no field for it, so the log costs them no bytes.
	if n := strings.Count(string(data), `"corrections"`); n != 1 {
		t.Errorf("the written bank has %d corrections fields, want 1", n)
	}
}

func TestCountAndTargets(t *testing.T) {
	o := testOutline(t)
	s := Count(readGood(t, goodFile(t)), o)
	want := map[string]int{"single": 3, "multi": 1, "order": 1, "match": 1, "hotspot": 2}
	if !reflect.DeepEqual(s.ByType, want) {
		t.Errorf("by type %v, want %v", s.ByType, want)
	}
	if s.Questions != 8 || s.ByDomain["3"] != 8 || s.ByDomain["1"] != 0 || s.AI != 1 || s.ScenarioSets != 1 || s.TasksCovered != 7 || s.Tasks != 134 {
		t.Errorf("stats %+v", s)
	}
	missed := strings.Join(BankTargets.Check(s, o), "\n")
	for _, want := range []string{
		"8 live questions, want at least 400",
		"tasks have fewer than 2 questions",
		"domain 1 has 0 live questions, want at least 78 (26 items in each of 3 mock exams without a repeat)",
		"1 scenario sets, want at least 10",
		"domain 2 has 0 AI-tagged questions",
		"domain 3 holds 100.0% of the live questions, want its exam weight of 20% within 2 points",
		"domain 1 holds 0.0% of the live questions, want its exam weight of 21% within 2 points",
	} {
		if !strings.Contains(missed, want) {
			t.Errorf("targets: want %q in:\n%s", want, missed)
		}
	}
	retired := strings.Replace(goodFile(t), "    task: \"3.1.9\"\n", "    task: \"3.1.9\"\n    retired: true\n", 1)
	if s := Count(readGood(t, retired), o); s.Questions != 7 || s.Retired != 1 {
		t.Errorf("a retired question still counts as live: %+v", s)
	}
}

func TestDomainTargetsSpreadAIAsTheQuestionsAreSpread(t *testing.T) {
	o := testOutline(t)
	d3 := o.Domains[2]
	// Four sub-domains of 10 questions each; the domain has 10 AI-tagged questions, so each
	// sub-domain may hold at most 1.5 x 25% x 10 + 1 = 4 of them.
	for _, tc := range []struct {
		ai31 int
		want string
	}{
		{ai31: 4, want: ""},
		{ai31: 5, want: "sub-domain 3.1 holds 5 of the domain's 10 AI-tagged questions, want at most 4 (1.5 times its 25% of the questions)"},
	} {
		rest := (10 - tc.ai31) / 3
		ai := map[string]int{"3.1": tc.ai31, "3.2": rest, "3.3": rest, "3.4": 10 - tc.ai31 - 2*rest}
		s := Stats{Domains: map[string]*DomainStats{"3": {Questions: 40, AI: 10, AIBySub: ai,
			PerSubdomain: map[string]int{"3.1": 10, "3.2": 10, "3.3": 10, "3.4": 10}}}}
		got := strings.Join(DomainTargets{MaxAIOverShare: 1.5}.Check(d3, s), "\n")
		if got != tc.want {
			t.Errorf("3.1 with %d AI questions: got %q, want %q", tc.ai31, got, tc.want)
		}
	}
}

func TestDomainTargetsNameEveryShortfallOfAPlanDomain(t *testing.T) {
	o := testOutline(t)
	s := Count(readGood(t, goodFile(t)), o)
	d3 := o.Domains[2]
	missed := strings.Join(planDomain(300).Check(d3, s), "\n")
	for _, want := range []string{
		"8 live questions, want at least 300",
		"sub-domain 3.2 has no scenario set",
		"sub-domain 3.4 has no AI-tagged question",
		"23 tasks have fewer than 6 questions: 3.1.1 (0),",
		"1 tasks have more than 2 times their sub-domain's average: 3.1.8 (2, sub-domain average 0.7)",
		"1 AI-tagged questions of 8, want at least 14%",
		"0 questions of 8 at difficulty 3, want at least 25%",
	} {
		if !strings.Contains(missed, want) {
			t.Errorf("want %q in:\n%s", want, missed)
		}
	}
	// The file's mix of types and its set meet the plan's shares; a domain that meets every
	// target gets no message.
	for _, unwanted := range []string{"multi", "hotspot", "scenario sets, want"} {
		if strings.Contains(missed, unwanted) {
			t.Errorf("%q reported, though the file meets it:\n%s", unwanted, missed)
		}
	}
	if got := (DomainTargets{MinQuestions: 8, MinEachAdvanced: 0.05, MinAdvanced: 0.25, MinHard: 0}).Check(d3, s); got != nil {
		t.Errorf("a domain meeting its targets got %q", got)
	}
	bt := BankTargets
	bt.Domains = map[string]DomainTargets{"3": planDomain(300)}
	all := bt.Check(s, o)
	if !strings.Contains(strings.Join(all, "\n"), "domain 3: 8 live questions, want at least 300") {
		t.Errorf("the bank's targets do not name the domain's shortfall:\n%s", strings.Join(all, "\n"))
	}
}

// The bank itself meets its targets (make bank-lint prints the same), so that make test fails
// when a change leaves a domain short of its plan.
func TestTheBankMeetsItsTargets(t *testing.T) {
	o, src, err := Load("../content")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range BankTargets.Check(Count(src, o), o) {
		t.Errorf("target missed: %s", m)
	}
}
