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
	if len(set.Tasks) != o.TaskCount() {
		t.Errorf("%d task notes, want %d", len(set.Tasks), o.TaskCount())
	}
}
