package notes

import (
	"os"
	"testing"
)

// The real notes: complete, and every check passes. This is the guard `make test` runs.
func TestTheStudyNotesAreCompleteAndFollowTheGuide(t *testing.T) {
	set, err := Load(os.DirFS("../content/notes"))
	if err != nil {
		t.Fatal(err)
	}
	o := outline(t)
	for _, p := range set.Check(o, true) {
		t.Error(p)
	}
	data, err := os.ReadFile("../docs/NOTES.md")
	if err != nil {
		t.Fatal(err)
	}
	staples, err := ReadStaples(data)
	if err != nil {
		t.Fatalf("docs/NOTES.md: %v", err)
	}
	for _, p := range set.CheckStaples(staples, o, true) {
		t.Errorf("docs/NOTES.md:%d: %s", p.Line, p.Msg)
	}
	if len(set.Tasks) != o.TaskCount() {
		t.Errorf("%d task notes, want %d", len(set.Tasks), o.TaskCount())
	}
}
