package notes

import (
	"fmt"
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
	return "### Know and decide\nAs NIST SP 800-30 says, " + words + "\n### In practice\n" + words + "\n### Exam trap\n" + words + "\n"
}

// withSection puts a section before the exam trap of goodBody.
func withSection(heading, text string) string {
	return strings.Replace(goodBody(), "### Exam trap\n", "### "+heading+"\n"+text+"\n### Exam trap\n", 1)
}

var worked = "A loss of 400,000 happens 0.6 times a year, so the expected yearly loss is 240,000. " + strings.Repeat("word ", 80)

func TestCheckFindsEachProblemInATaskNote(t *testing.T) {
	o := outline(t)
	tests := []struct {
		name, file, content, want string
	}{
		{"a good note", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()), ""},
		{"with the optional AI section", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()+"### AI angle\n"+words), ""},
		{"wrong folder", "domain-3/3-2/3-1-9.md", taskNote(goodFront, goodBody()), "belongs at domain-3/3-1/3-1-9.md"},
		{"unknown task", "domain-3/3-1/3-1-99.md", taskNote(strings.Replace(goodFront, "3.1.9", "3.1.99", 1), goodBody()), `task "3.1.99" is not in the outline`},
		{"short know-and-decide", "domain-3/3-1/3-1-9.md", taskNote(goodFront, strings.Replace(goodBody(), words, "too short", 1)), `"Know and decide" has 7 words, want at least 150`},
		{"sections out of order", "domain-3/3-1/3-1-9.md", taskNote(goodFront, "### In practice\n"+words+"### Know and decide\n"+words+"### Exam trap\n"+words), `section 1 is "In practice", want "Know and decide"`},
		{"missing exam trap", "domain-3/3-1/3-1-9.md", taskNote(goodFront, "### Know and decide\n"+words+"### In practice\n"+words), "missing sections"},
		{"an extra section", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()+"### AI angle\n"+words+"### More\n"+words), `unexpected section "More"`},
		{"text before the first heading", "domain-3/3-1/3-1-9.md", taskNote(goodFront, "Preamble.\n"+goodBody()), "text before the first ### heading"},
		{"a heading too high", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()+"## Aside\n"), `heading "Aside": use ###`},
		{"no terms", "domain-3/3-1/3-1-9.md", taskNote("task: \"3.1.9\"\nreferences: [x]\n", goodBody()), "at least one key term"},
		{"two-sentence definition", "domain-3/3-1/3-1-9.md", taskNote(strings.Replace(goodFront, "e.g. SLE times ARO.", "SLE times ARO. It is yearly.", 1), goodBody()), "should be one sentence"},
		{"definition without a full stop", "domain-3/3-1/3-1-9.md", taskNote(strings.Replace(goodFront, "e.g. SLE times ARO.", "SLE times ARO", 1), goodBody()), "should be one sentence"},
		{"no references", "domain-3/3-1/3-1-9.md", taskNote(strings.Replace(goodFront, "references:\n  - NIST SP 800-30 Rev. 1\n", "", 1), goodBody()), "at least one public framework"},
		{"with a worked example", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked)), ""},
		{"a worked example without numbers", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", words)), `section "Worked example" shows 0 numbers`},
		{"a worked example after the exam trap", "domain-3/3-1/3-1-9.md", taskNote(goodFront, goodBody()+"### Worked example\n"+worked), `section 4 is "Worked example"`},
		{"a reference the text never cites", "domain-3/3-1/3-1-9.md", taskNote(goodFront+"  - ISO/IEC 27005:2022, Guidance on managing information security risks\n", goodBody()), `reference "ISO/IEC 27005:2022, Guidance on managing information security risks" is not used in the text`},
		{"a reference cited by its number", "domain-3/3-1/3-1-9.md", taskNote(goodFront+"  - ISO/IEC 27005:2022, Guidance on managing information security risks\n", strings.Replace(goodBody(), "says, ", "and 27005 say, ", 1)), ""},
		{"a reference cited by its acronym", "domain-3/3-1/3-1-9.md", taskNote(goodFront+"  - General Data Protection Regulation (GDPR)\n", strings.Replace(goodBody(), "says, ", "and the GDPR say, ", 1)), ""},
		{"a task named as plain text", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked+" See 3.1.6.")), "task 3.1.6 is mentioned as plain text: link it as [3.1.6](/domain-3/3-1/#task-3-1-6)"},
		{"a task linked to its note", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked+" See [3.1.6](/domain-3/3-1/#task-3-1-6) and [task 1.10.2](/domain-1/1-10/#task-1-10-2).")), ""},
		{"a term linked to where it is taught", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked+" See [SLA](/domain-1/1-5/#task-1-5-1).")), ""},
		{"a term linked to no task", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked+" See [SLA](/domain-1/1-5/#task-1-5-9).")), `link "SLA" goes to /domain-1/1-5/#task-1-5-9, which is no task's note`},
		{"a link to the wrong task", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked+" See [3.1.6](/domain-3/3-1/#task-3-1-7).")), "link to task 3.1.6 goes to /domain-3/3-1/#task-3-1-7, want /domain-3/3-1/#task-3-1-6"},
		{"a version number that is no task", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked+" PCI DSS 4.0.1 and CSF 2.0.")), ""},
		{"British spelling", "domain-3/3-1/3-1-9.md", taskNote(goodFront, withSection("Worked example", worked+" Normal behaviour was analysed.")), `"behaviour" is British spelling`},
		{"British spelling in a term", "domain-3/3-1/3-1-9.md", taskNote(strings.Replace(goodFront, "Annualized loss", "Annualised loss", 1), goodBody()), `"Annualised" is British spelling`},
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
		"sub-domain 3.1 has 492 words of notes, want at least 800",
		`.:1: 0 task notes work a number through in a "Worked example" section, want at least 40`,
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

func TestStaplesAreReadFromTheGuideAndCheckedAgainstTheirSubdomain(t *testing.T) {
	guide := "# Notes\n\n## Staples\n\n### 3.1\n- Annualized loss expectancy | ALE\n- Exposure factor | EF\n\n### 9.9\n- Nothing\n\n## After\n- not a staple\n"
	staples, err := ReadStaples([]byte(guide))
	if err != nil {
		t.Fatal(err)
	}
	if len(staples) != 3 || staples[0].Subdomain != "3.1" || len(staples[0].Forms) != 2 || staples[0].Forms[1] != "ALE" || staples[0].Line != 6 {
		t.Fatalf("staples %+v", staples)
	}
	set, err := Load(fstest.MapFS{"domain-3/3-1/3-1-9.md": {Data: []byte(taskNote(goodFront, goodBody()))}})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, p := range set.CheckStaples(staples, outline(t), false) {
		msgs = append(msgs, fmt.Sprintf("%d: %s", p.Line, p.Msg))
	}
	want := []string{
		`7: sub-domain 3.1 does not teach the staple "Exposure factor" or "EF": cover it in one of its notes`,
		"10: sub-domain 9.9 is not in the outline",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	all := ""
	for _, p := range set.CheckStaples(staples, outline(t), true) {
		all += p.Msg + "\n"
	}
	if !strings.Contains(all, "sub-domain 3.1 lists 2 staples, want at least 8") || !strings.Contains(all, "sub-domain 6.5 lists 0 staples") {
		t.Errorf("complete mode does not ask for enough staples:\n%s", all)
	}
	// The whole word counts, not a part of another: "EF" is not found in "before".
	if mentions("the risk before controls", []string{"EF"}) || !mentions("an ef of 0.3", []string{"EF"}) {
		t.Error("a staple's form must match as a whole word")
	}
	for _, bad := range []string{"## Staples\n- A staple\n", "## Staples\n### Risk\n- A\n", "# Nothing here\n"} {
		if _, err := ReadStaples([]byte(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestReferenceFormsAreTheWaysTextCitesAReference(t *testing.T) {
	for ref, want := range map[string][]string{
		"NIST SP 800-30 Rev. 1, Guide for Conducting Risk Assessments":         {"NIST SP 800-30 Rev. 1", "NIST SP 800-30", "800-30"},
		"AICPA Trust Services Criteria (with revised points of focus, 2022)":   {"AICPA Trust Services Criteria (with revised points of focus, 2022)", "AICPA Trust Services Criteria"},
		"PCAOB AS 2201, An Audit of Internal Control Over Financial Reporting": {"PCAOB AS 2201", "2201"},
		"NIST AI RMF 1.0 (NIST AI 100-1)":                                      {"NIST AI RMF 1.0 (NIST AI 100-1)", "NIST AI RMF 1.0", "NIST AI RMF", "NIST AI 100-1", "100-1"},
		"Sarbanes-Oxley Act of 2002, Section 406":                              {"Sarbanes-Oxley Act of 2002", "Sarbanes-Oxley Act"},
		"Digital Millennium Copyright Act of 1998 (United States)":             {"Digital Millennium Copyright Act of 1998 (United States)", "Digital Millennium Copyright Act of 1998", "Digital Millennium Copyright Act"},
		"The IIA's Three Lines Model (2020)":                                   {"The IIA's Three Lines Model (2020)", "The IIA's Three Lines Model", "IIA's Three Lines Model"},
	} {
		if got := referenceForms(ref); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q: forms %q, want %q", ref, got, want)
		}
	}
}

func TestDiagramsFollowTheThemeFitAPhoneAndAreTold(t *testing.T) {
	good := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200"><rect class="d-box" x="1" y="1" width="100" height="40"/><text class="d-text" x="10" y="25">Identify</text></svg>`
	told := strings.Repeat("The figure shows a box. ", 6)
	note := func(code string) string {
		return taskNote(goodFront, withSection("Worked example", worked+"\n\n"+code+"\n"))
	}
	code := `{{< diagram src="cycle" title="The risk cycle" >}}` + told + `{{< /diagram >}}`
	tests := []struct{ name, svg, note, want string }{
		{"a good diagram", good, note(code), ""},
		{"no file", "", note(code), `diagram "cycle": no domain-3/3-1/cycle.svg beside the note`},
		{"too wide", strings.Replace(good, "0 0 320 200", "0 0 640 400", 1), note(code), "is 640 units wide, want at most 340"},
		{"a color of its own", strings.Replace(good, `class="d-box"`, `fill="#ffffff"`, 1), note(code), `holds "fill=\"#ffffff\""`},
		{"a class the site does not style", strings.Replace(good, "d-box", "box", 1), note(code), `uses the class "box"`},
		{"text without a class", strings.Replace(good, `<text class="d-text"`, `<text`, 1), note(code), "a <text> without a class"},
		{"a fixed size", strings.Replace(good, `viewBox=`, `width="640" viewBox=`, 1), note(code), "has a width or height"},
		{"a short text alternative", good, note(strings.Replace(code, told, "A cycle.", 1)), "its text alternative has 2 words, want at least 25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"domain-3/3-1/3-1-9.md": {Data: []byte(tt.note)}}
			if tt.svg != "" {
				fsys["domain-3/3-1/cycle.svg"] = &fstest.MapFile{Data: []byte(tt.svg)}
			}
			set, err := Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, p := range set.Check(outline(t), false) {
				msgs = append(msgs, p.String())
			}
			all := strings.Join(msgs, "\n")
			if tt.want == "" && all != "" || !strings.Contains(all, tt.want) {
				t.Errorf("want %q, got:\n%s", tt.want, all)
			}
		})
	}
	set, _ := Load(fstest.MapFS{"domain-3/3-1/3-1-9.md": {Data: []byte(taskNote(goodFront, goodBody()))}})
	all := ""
	for _, p := range set.Check(outline(t), true) {
		all += p.String() + "\n"
	}
	if !strings.Contains(all, "domain-3/3-1/_index.md:1: sub-domain 3.1 has 0 diagrams, want at least 1") {
		t.Errorf("complete mode does not ask for a diagram in every sub-domain:\n%s", all)
	}
}
