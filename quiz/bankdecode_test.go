package quiz_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/issmp-study/issmp/quiz"
)

func TestDecodeBankReadsWhatUnmarshalReadsPausingAfterEachQuestion(t *testing.T) {
	b := synthBank(t, 120, 6, 1)
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var want quiz.Bank
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	pauses := 0
	got, err := quiz.DecodeBank(strings.NewReader(string(data)), func() { pauses++ })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Error("DecodeBank and json.Unmarshal read different banks")
	}
	if pauses != len(want.Questions) {
		t.Errorf("paused %d times for %d questions", pauses, len(want.Questions))
	}
}

func TestDecodeBankRefusesADamagedFile(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"questions":[{"id":1}]}`, `{"version":"x"`, `{"questions":{}}`} {
		if _, err := quiz.DecodeBank(strings.NewReader(in), nil); err == nil {
			t.Errorf("DecodeBank(%q) accepted it", in)
		}
	}
	b, err := quiz.DecodeBank(strings.NewReader(`{"version":"v","future":{"x":1},"questions":[],"scenarios":[]}`), nil)
	if err != nil || b.Version != "v" {
		t.Errorf("a field from a newer compiler: %v", err)
	}
}

func TestDecodeBankReadsEachQuestionsCorrectionsAndLeavesOthersWithout(t *testing.T) {
	in := `{"version":"v","questions":[` +
		`{"id":"3.1-001","type":"single","stem":"s","explanation":"e","corrections":[{"date":"2026-12-07","what":"The key is now B."},{"date":"2026-11-30","what":"The stem names the regulator."}]},` +
		`{"id":"3.1-002","type":"single","stem":"s","explanation":"e"}],"scenarios":[]}`
	b, err := quiz.DecodeBank(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []quiz.Correction{{Date: "2026-12-07", What: "The key is now B."}, {Date: "2026-11-30", What: "The stem names the regulator."}}
	if len(b.Questions) != 2 || !reflect.DeepEqual(b.Questions[0].Corrections, want) {
		t.Fatalf("corrections decoded as %+v, want %+v", b.Questions, want)
	}
	if b.Questions[1].Corrections != nil {
		t.Errorf("a question without corrections decoded some: %+v", b.Questions[1].Corrections)
	}
	// Encoding an uncorrected question adds nothing to it.
	data, err := json.Marshal(b.Questions[1])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "corrections") {
		t.Errorf("an uncorrected question encodes a corrections field: %s", data)
	}
}
