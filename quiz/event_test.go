package quiz_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func TestEventIDsSortByTimeAndNameTheDevice(t *testing.T) {
	g, err := quiz.NewIDs("7QF3ZC9A", "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	at := t0
	for i := 0; i < 50; i++ {
		if i%10 == 0 {
			at = at.Add(-time.Second) // the clock steps back: ids must still increase
		} else if i%3 == 0 {
			at = at.Add(time.Millisecond)
		}
		ids = append(ids, g.Next(at))
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("ids of one device are not increasing: %v", ids)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("id %s issued twice", id)
		}
		seen[id] = true
		_, dev, _, err := quiz.ParseID(id)
		if err != nil || dev != "7QF3ZC9A" {
			t.Errorf("ParseID(%s) = %s, %v", id, dev, err)
		}
	}
	a, _ := quiz.NewIDs("AAAAAAAA", "")
	b, _ := quiz.NewIDs("BBBBBBBB", "")
	early, late := b.Next(t0), a.Next(t0.Add(time.Millisecond))
	if !(early < late) {
		t.Errorf("ids of different devices do not sort by time: %s !< %s", early, late)
	}
	if got := quiz.IDTime(early); !got.Equal(t0) {
		t.Errorf("IDTime = %v, want %v", got, t0)
	}
	// A restarted generator continues after the last id the device wrote.
	again, err := quiz.NewIDs("7QF3ZC9A", ids[len(ids)-1])
	if err != nil {
		t.Fatal(err)
	}
	if next := again.Next(t0.Add(-time.Hour)); next <= ids[len(ids)-1] {
		t.Errorf("after a restart, %s does not follow %s", next, ids[len(ids)-1])
	}
	if _, err := quiz.NewIDs("bad id", ""); err == nil {
		t.Error("a bad device id was accepted")
	}
	if d := quiz.NewDeviceID(rand.New(rand.NewPCG(1, 1))); !quiz.ValidDeviceID(d) {
		t.Errorf("NewDeviceID made %q", d)
	}
}

func sampleEvents(t testing.TB) []quiz.Event {
	d := newDevice(t, "7QF3ZC9A")
	start := quiz.NewExamStart(d.ids.Next(t0), quiz.ExamStartData{Items: []string{"a", "b"}, Seed: 1<<63 + 5, Minutes: 180, Bank: "v1"})
	return []quiz.Event{
		quiz.NewPracticeAnswer(d.ids.Next(t0), quiz.AnswerData{Question: "3.1-001", Response: quiz.Response{2}, Correct: true, Session: "s1", Millis: 1200}),
		start,
		quiz.NewExamAnswer(d.ids.Next(t0), quiz.ExamItemData{Exam: start.ID, Index: 1, Response: quiz.Response{0, -1, 2}, Correct: false}),
		quiz.NewExamFlag(d.ids.Next(t0), quiz.ExamItemData{Exam: start.ID, Index: 0, Flagged: true}),
		quiz.NewExamSubmit(d.ids.Next(t0), quiz.ExamSubmitData{Exam: start.ID, Reason: quiz.ByClock}),
		quiz.NewSetting(d.ids.Next(t0), "theme", "dark"),
		quiz.NewReset(d.ids.Next(t0)),
	}
}

func TestEventsRoundTripThroughJSON(t *testing.T) {
	for _, e := range sampleEvents(t) {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := quiz.DecodeEvent(data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", e.Type, err, data)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(data) {
			t.Errorf("%s: round trip changed the event:\n%s\n%s", e.Type, data, again)
		}
		if !reflect.DeepEqual(quiz.Fold([]quiz.Event{back}).Events, 1) {
			t.Errorf("%s did not fold", e.Type)
		}
	}
}

func TestDecodeEventRefusesWhatItCannotTrust(t *testing.T) {
	good := `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"practice.answer","data":{"q":"3.1-001","r":[2],"ok":true}}`
	if _, err := quiz.DecodeEvent([]byte(good)); err != nil {
		t.Fatalf("a good event was refused: %v", err)
	}
	tests := []struct {
		name, json string
		want       error
	}{
		{"not JSON", `{"v":1,`, quiz.ErrBadEvent},
		{"newer version", strings.Replace(good, `"v":1`, `"v":2`, 1), quiz.ErrNewerVersion},
		{"no version", strings.Replace(good, `"v":1,`, ``, 1), quiz.ErrBadEvent},
		{"bad id", strings.Replace(good, "01JDQ3X7K2-7QF3ZC9A-0000", "1-2-3", 1), quiz.ErrBadEvent},
		{"id with a letter outside base32", strings.Replace(good, "01JDQ3X7K2", "01JDQ3X7KU", 1), quiz.ErrBadEvent},
		{"id in lower case", strings.Replace(good, "01JDQ3X7K2", "01jdq3x7k2", 1), quiz.ErrBadEvent},
		{"unknown type", strings.Replace(good, "practice.answer", "practice.cheat", 1), quiz.ErrBadEvent},
		{"unknown field", strings.Replace(good, `"ok":true`, `"ok":true,"extra":1`, 1), quiz.ErrBadEvent},
		{"no question", strings.Replace(good, `"q":"3.1-001",`, ``, 1), quiz.ErrBadEvent},
		{"response index out of range", strings.Replace(good, `"r":[2]`, `"r":[9999]`, 1), quiz.ErrBadEvent},
		{"trailing data", good + `{}`, quiz.ErrBadEvent},
		{"exam item for a bad exam id", `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.flag","data":{"exam":"x","i":0,"on":true}}`, quiz.ErrBadEvent},
		{"submit with a bad reason", `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.submit","data":{"exam":"01JDQ3X7K2-7QF3ZC9A-0000","reason":"bored"}}`, quiz.ErrBadEvent},
		{"exam without items", `{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.start","data":{"items":[],"seed":"1","minutes":180}}`, quiz.ErrBadEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := quiz.DecodeEvent([]byte(tt.json)); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzDecodeEvent feeds arbitrary bytes to the decoder: it must return an error or an event that
// encodes back to a decodable event, and never panic.
func FuzzDecodeEvent(f *testing.F) {
	for _, e := range sampleEvents(f) {
		data, _ := json.Marshal(e)
		f.Add(data)
	}
	f.Add([]byte(`{"v":1,"id":"01JDQ3X7K2-7QF3ZC9A-0000","type":"exam.answer","data":{"exam":"01JDQ3X7K2-7QF3ZC9A-0000","i":3,"r":[0]}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"v":1e400}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := quiz.DecodeEvent(data)
		if err != nil {
			return
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("a decoded event does not encode: %v", err)
		}
		if _, err := quiz.DecodeEvent(out); err != nil {
			t.Fatalf("a decoded event does not decode again: %v\n%s", err, out)
		}
		quiz.Fold([]quiz.Event{e})
	})
}
