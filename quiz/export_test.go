package quiz_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

func TestExportRoundTripsTheLog(t *testing.T) {
	log := quiz.SortLog(sampleEvents(t))
	data, err := quiz.MarshalExport(log, "7QF3ZC9A", t0)
	if err != nil {
		t.Fatal(err)
	}
	back, skipped, err := quiz.ParseExport(data)
	if err != nil || skipped != 0 || len(back) != len(log) {
		t.Fatalf("round trip: %d events, %d skipped, %v", len(back), skipped, err)
	}
	if summary(quiz.Fold(back, quiz.Rules{})) != summary(quiz.Fold(log, quiz.Rules{})) {
		t.Error("the imported log folds to another state")
	}
	empty, _ := quiz.MarshalExport(nil, "", t0)
	if evs, _, err := quiz.ParseExport(empty); err != nil || len(evs) != 0 {
		t.Errorf("an empty export: %v %v", evs, err)
	}
}

func TestParseExportRefusesGarbageClearly(t *testing.T) {
	good, _ := quiz.MarshalExport(quiz.SortLog(sampleEvents(t)), "7QF3ZC9A", t0)
	tests := []struct {
		name string
		data string
		want error
	}{
		{"not JSON", "PK\x03\x04 a zip file", quiz.ErrNotAnExport},
		{"some other JSON", `{"hello":"world"}`, quiz.ErrNotAnExport},
		{"empty", ``, quiz.ErrNotAnExport},
		{"damaged event list", `{"format":"issmp-progress","version":1,"events":{"a":1}}`, quiz.ErrNotAnExport},
		{"newer file", strings.Replace(string(good), fmt.Sprintf(`"version": %d`, quiz.EventVersion), fmt.Sprintf(`"version": %d`, quiz.EventVersion+1), 1), quiz.ErrNewerVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := quiz.ParseExport([]byte(tt.data)); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	// One damaged event is skipped and counted; the rest import.
	damaged := strings.Replace(string(good), `"type": "settings.set"`, `"type": "settings.sabotage"`, 1)
	damaged = strings.Replace(damaged, `"type":"settings.set"`, `"type":"settings.sabotage"`, 1)
	evs, skipped, err := quiz.ParseExport([]byte(damaged))
	if err != nil || skipped != 1 || len(evs) != len(sampleEvents(t))-1 {
		t.Errorf("a damaged event: %d events, %d skipped, %v", len(evs), skipped, err)
	}
}

func TestSummarizeDigestsMasteryPerTask(t *testing.T) {
	c := catalog(t, synthBank(t, 300, 0, 41))
	d := newDevice(t, "AAAAAAAA")
	q := c.Live[0]
	s := quiz.Fold(quiz.SortLog([]quiz.Event{d.answer(t0, q, true), d.answer(t0.Add(time.Minute), c.Live[1], false)}), quiz.Rules{})
	sum := quiz.Summarize(c, s, t0.Add(2*24*time.Hour))
	if len(sum.Tasks) != 134 || sum.Answers != 2 || sum.Due < 1 {
		t.Errorf("summary: %d tasks, %d answers, %d due", len(sum.Tasks), sum.Answers, sum.Due)
	}
	task := c.Places[q].Task.ID
	if ts := sum.Tasks[task]; ts.Answers < 1 || ts.Mastery <= 0 || ts.Mastery > 100 {
		t.Errorf("task %s: %+v", task, ts)
	}
}
