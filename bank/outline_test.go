package bank

import (
	"strings"
	"testing"
)

const outlinePath = "../content/outline.yaml"

func TestOutlineMatchesThePublishedExam(t *testing.T) {
	o, err := LoadOutline(outlinePath)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(o.Domains); got != 6 {
		t.Errorf("domains: got %d, want 6", got)
	}
	subs := 0
	for _, d := range o.Domains {
		subs += len(d.SubDomains)
	}
	if subs != 30 {
		t.Errorf("sub-domains: got %d, want 30", subs)
	}
	if got := o.TaskCount(); got != 134 {
		t.Errorf("tasks: got %d, want 134", got)
	}
	wantWeights := map[string]int{"1": 21, "2": 15, "3": 20, "4": 18, "5": 12, "6": 14}
	for _, d := range o.Domains {
		if d.Weight != wantWeights[d.ID] {
			t.Errorf("domain %s weight: got %d, want %d", d.ID, d.Weight, wantWeights[d.ID])
		}
		if len(d.AI.Topics) == 0 || d.AI.Summary == "" {
			t.Errorf("domain %s: no AI-security topics", d.ID)
		}
	}
	e := o.Exam
	if e.Items != 125 || e.Minutes != 180 || e.PassingScore != 700 || e.MaxScore != 1000 {
		t.Errorf("exam facts: got %+v", e)
	}
	if !strings.Contains(e.ItemFormat, "advanced item types") {
		t.Errorf("item format %q does not mention advanced item types", e.ItemFormat)
	}
	idx := o.Index()
	if len(idx) != 134 {
		t.Errorf("index holds %d tasks, want 134 unique ids", len(idx))
	}
	if p, ok := idx["3.1.9"]; !ok || p.Task.Text != "Conducting Cost-benefit analysis (CBA) of risk treatment options" {
		t.Errorf("task 3.1.9: got %+v", p.Task)
	}
}

// The wording of every task must match the published outline exactly.
func TestOutlineTaskWordingMatchesReference(t *testing.T) {
	o, err := LoadOutline(outlinePath)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := readReferenceTasks("../../shared/reference/issmp-exam-outline.txt")
	if err != nil {
		t.Skipf("reference outline not available here: %v", err)
	}
	for _, d := range o.Domains {
		for _, s := range d.SubDomains {
			if ref.subdomains[s.ID] != s.Name {
				t.Errorf("sub-domain %s: %q, reference says %q", s.ID, s.Name, ref.subdomains[s.ID])
			}
			for _, task := range s.Tasks {
				if ref.tasks[task.ID] != task.Text {
					t.Errorf("task %s: %q, reference says %q", task.ID, task.Text, ref.tasks[task.ID])
				}
			}
		}
	}
	if len(ref.tasks) != o.TaskCount() {
		t.Errorf("reference has %d tasks, data has %d", len(ref.tasks), o.TaskCount())
	}
}

func TestOutlineValidationReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"weights", outlineYAML(60, "1.1", "1.1.1", "1.1.2"), "sum to 60"},
		{"duplicate task", outlineYAML(100, "1.1", "1.1.1", "1.1.1"), `task "1.1.1": duplicate id`},
		{"misplaced task", outlineYAML(100, "1.1", "1.1.1", "2.1.1"), `task "2.1.1": id does not start`},
		{"misplaced sub-domain", outlineYAML(100, "2.1", "2.1.1", "2.1.2"), `sub-domain "2.1": id does not start`},
		{"unknown field", outlineYAML(100, "1.1", "1.1.1", "1.1.2") + "extra: 1\n", "field extra not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOutline("test.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "test.yaml") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	if _, err := ParseOutline("ok.yaml", []byte(outlineYAML(100, "1.1", "1.1.1", "1.1.2"))); err != nil {
		t.Errorf("a valid outline was rejected: %v", err)
	}
}

func outlineYAML(weight int, sub, task1, task2 string) string {
	return strings.NewReplacer("WEIGHT", itoa(weight), "SUB", sub, "T1", task1, "T2", task2).Replace(`exam:
  name: X
  items: 10
  minutes: 10
  passing_score: 700
  max_score: 1000
domains:
  - id: "1"
    name: One
    weight: WEIGHT
    subdomains:
      - id: "SUB"
        name: Sub
        short: S
        tasks:
          - id: "T1"
            text: First
          - id: "T2"
            text: Second
`)
}
