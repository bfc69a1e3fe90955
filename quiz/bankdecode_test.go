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
