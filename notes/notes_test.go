package notes

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/issmp-study/issmp/bank"
	"github.com/issmp-study/issmp/quiz"
)

func outline(t *testing.T) *quiz.Outline {
	t.Helper()
	o, err := bank.LoadOutline("../content/outline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

var words = strings.Repeat("word ", 160) + "\n"

func taskNote(front, body string) string {
	return "---\n" + front + "---\n" + body
}

const goodFront = `task: "3.1.9"
terms:
  - term: Annualized loss expectancy (ALE)
    definition: The expected yearly loss from a risk, e.g. SLE times ARO.
references:
  - NIST SP 800-30 Rev. 1
`

func goodBody() string {
	return "### Know and decide\n" + words + "\n### In practice\n" + words + "\n### Exam trap\n" + words + "\n"
}

func TestCheckFindsEachProblemInATaskNote(t *testing.T) {
	o := outline(t)
	tests := []struct {
		name, file, content, want string
	}{
		{"a good note", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()), ""},
		{"with the optional AI section", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()+"### AI angle\n"+words), ""},
		{"wrong folder", "domain-3/3-2/3-1-9.md", taskNote(goodFront, goodBody()), "belongs at domain-3/3-1/3-1-9.md"},
		{"unknown task", "domain-3/3-1/3-1-99.md", taskNote(strings.Replace(goodFront, "3.1.9", "3.1.99", 1), goodBody()), `task "3.1.99" is not in the outline`},
		{"short know-and-decide", "domain-3/3-1/3-1-9.md", taskNote(goodFront, strings.Replace(goodBody(), words, "too short", 1)), `"Know and decide" has 2 words, want at least 150`},
		{"sections out of order", "domain-3/3-1/3-1-9.md", taskNote(goodFront, "### In practice\n"+words+"### Know and decide\n"+words+"### Exam trap\n"+words), `section 1 is "In practice", want "Know and decide"`},
		{"missing exam trap", "domain-3/3-1/3-1-9.md", taskNote(goodFront, "### Know and decide\n"+words+"### In practice\n"+words), "missing sections"},
		{"an extra section", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()+"### AI angle\n"+words+"### More\n"+words), `unexpected section "More"`},
		{"text before the first heading", "domain-3/3-1/3-1-9.md", taskNote(goodFront, "Preamble.\n"+goodBody()), "text before the first ### heading"},
		{"a heading too high", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()+"## Aside\n"), `heading "Aside": use ###`},
		{"no terms", "domain-3/3-1/3-1-9.md", taskNote("task: \"3.1.9\"\nreferences: [x]\n", goodBody()), "at least one key term"},
		{"two-sentence definition", "domain-3/3-1/3-1-9.md", taskNote(strings.Replace(goodFront, "e.g. SLE times ARO.", "SLE times ARO. It is yearly.", 1), goodBody()), "should be one sentence"},
		{"definition without a full stop", "domain-3/3-1/3-1-9.md", taskNote(strings.Replace(goodFront, "e.g. SLE times ARO.", "SLE times ARO", 1), goodBody()), "should be one sentence"},
		{"no references", "domain-3/3-1/3-1-9.md", taskNote(strings.Replace(goodFront, "references:\n  - NIST SP 800-30 Rev. 1\n", "", 1), goodBody()), "at least one public framework"},
		{"unknown front matter field", "domain-3/3-1/3-1-9.md", taskNote(goodFront+"author: me\n", goodBody()), "field author not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Load(fstest.MapFS{tt.file: {Data: []byte(tt.content)}})
			var msgs []string
			if err != nil {
				msgs = append(msgs, err.Error())
			} else {
				for _, p := range set.Check(o, false) {
					msgs = append(msgs, p.String())
				}
			}
			all := strings.Join(msgs, "\n")
			if tt.want == "" {
				if all != "" {
					t.Fatalf("want no problems, got:\n%s", all)
				}
				return
			}
			if !strings.Contains(all, tt.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tt.want, all)
			}
			if !strings.Contains(all, tt.file+":") {
				t.Errorf("problems do not name the file %s:\n%s", tt.file, all)
			}
		})
	}
}

func TestCheckFindsTermsDefinedTwice(t *testing.T) {
	other := strings.Replace(goodFront, "3.1.9", "3.1.10", 1)
	other = strings.Replace(other, "Annualized loss expectancy (ALE)", "annualized loss expectancy (ale)", 1)
	set, err := Load(fstest.MapFS{
		"domain-3/3-1/3-1-9.md":  {Data: []byte(taskNote(goodFront, goodBody()))},
		"domain-3/3-1/3-1-10.md": {Data: []byte(taskNote(other, goodBody()))},
	})
	if err != nil {
		t.Fatal(err)
	}
	ps := set.Check(outline(t), false)
	if len(ps) != 1 || !strings.Contains(ps[0].Msg, "already defined in domain-3/3-1/3-1-10.md") {
		t.Errorf("got %v, want one duplicate-term problem", ps)
	}
}

func TestCheckWithCompleteReportsWhatIsMissing(t *testing.T) {
	set, err := Load(fstest.MapFS{"domain-3/3-1/3-1-9.md": {Data: []byte(taskNote(goodFront, goodBody()))}})
	if err != nil {
		t.Fatal(err)
	}
	o := outline(t)
	if ps := set.Check(o, false); len(ps) != 0 {
		t.Errorf("partial notes, not complete mode: got %v", ps)
	}
	all := ""
	for _, p := range set.Check(o, true) {
		all += p.String() + "\n"
	}
	for _, want := range []string{
		"domain-3/3-1/3-1-1.md:1: task 3.1.1 (Identifying risk management program objectives) has no note",
		"domain-3/3-1/_index.md:1: sub-domain 3.1 has no introduction",
		"domain-6/_index.md:1: domain 6 has no overview",
		"sub-domain 3.1 has 487 words of notes, want at least 800",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("complete check lacks %q", want)
		}
	}
}

func TestDomainOverviewNeedsItsSections(t *testing.T) {
	body := "## What this domain covers\n" + words + "## How the questions are framed\n" + words + "## AI security in this domain\n" + words
	set, err := Load(fstest.MapFS{"domain-3/_index.md": {Data: []byte("---\ndomain: \"3\"\n---\n" + body)}})
	if err != nil {
		t.Fatal(err)
	}
	if ps := set.Check(outline(t), false); len(ps) != 0 {
		t.Errorf("a good overview: %v", ps)
	}
	set, _ = Load(fstest.MapFS{"domain-3/_index.md": {Data: []byte("---\ndomain: \"3\"\n---\n## What this domain covers\n" + words)}})
	if ps := set.Check(outline(t), false); len(ps) == 0 || !strings.Contains(ps[0].Msg, "missing sections") {
		t.Errorf("an overview without its sections: %v", ps)
	}
}

func TestWordsAndSlug(t *testing.T) {
	if n := Words("A **bold** claim - with 3 parts, and (brackets)."); n != 8 {
		t.Errorf("Words: %d, want 8", n)
	}
	for in, want := range map[string]string{
		"Annualized loss expectancy (ALE)": "annualized-loss-expectancy-ale",
		"Goodhart's law":                   "goodharts-law",
		"MITRE ATT&CK":                     "mitre-attck",
		"Organizational Profile (CSF 2.0)": "organizational-profile-csf-20",
		"3-2-1 backup rule":                "3-2-1-backup-rule",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q (as Hugo's anchorize)", in, got, want)
		}
	}
}
