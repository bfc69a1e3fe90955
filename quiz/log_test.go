package quiz_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// randomHistory makes a plausible log on three devices: practice answers, a mock exam with
// answers, changed answers and flags, a submit, settings and sometimes a reset.
func randomHistory(t testing.TB, rng *rand.Rand, n int) []quiz.Event {
	devs := []*device{newDevice(t, "AAAAAAAA"), newDevice(t, "BBBBBBBB"), newDevice(t, "CCCCCCCC")}
	var out []quiz.Event
	at := t0
	var exam string
	for i := 0; i < n; i++ {
		at = at.Add(time.Duration(rng.IntN(120)) * time.Minute)
		d := devs[rng.IntN(len(devs))]
		switch k := rng.IntN(20); {
		case k < 12:
			out = append(out, d.answer(at, fmt.Sprintf("q%02d", rng.IntN(30)), rng.IntN(3) > 0))
		case k == 12:
			e := quiz.NewExamStart(d.ids.Next(at), quiz.ExamStartData{Items: []string{"q01", "q02", "q03", "q04"}, Seed: rng.Uint64(), Minutes: 180})
			exam = e.ID
			out = append(out, e)
		case k < 16 && exam != "":
			out = append(out, quiz.NewExamAnswer(d.ids.Next(at), quiz.ExamItemData{Exam: exam, Index: rng.IntN(4), Response: quiz.Response{rng.IntN(4)}, Correct: rng.IntN(2) == 0}))
		case k == 16 && exam != "":
			out = append(out, quiz.NewExamFlag(d.ids.Next(at), quiz.ExamItemData{Exam: exam, Index: rng.IntN(4), Flagged: rng.IntN(2) == 0}))
		case k == 17 && exam != "":
			out = append(out, quiz.NewExamSubmit(d.ids.Next(at), quiz.ExamSubmitData{Exam: exam, Reason: quiz.ByCandidate}))
		case k == 18:
			out = append(out, quiz.NewSetting(d.ids.Next(at), "goal", fmt.Sprint(rng.IntN(5))))
		case k == 19 && rng.IntN(8) == 0:
			// A reset of either kind: an old app's, or one that names what its device had seen
			// (here, a random part of the history so far).
			if rng.IntN(2) == 0 {
				out = append(out, legacyReset(t, d.ids.Next(at)))
			} else {
				out = append(out, quiz.NewReset(d.ids.Next(at), quiz.Seen(sample(rng, out))))
			}
		}
	}
	return out
}

// sample returns a random subset of events, in random order.
func sample(rng *rand.Rand, events []quiz.Event) []quiz.Event {
	var out []quiz.Event
	for _, e := range events {
		if rng.IntN(2) == 0 {
			out = append(out, e)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func ids(events []quiz.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func TestMergeIsCommutativeAssociativeAndIdempotent(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 42))
	for round := 0; round < 200; round++ {
		all := randomHistory(t, rng, 60)
		a := quiz.SortLog(sample(rng, all))
		b := quiz.SortLog(sample(rng, all))
		c := quiz.SortLog(sample(rng, all))
		if ab, ba := quiz.Merge(a, b), quiz.Merge(b, a); !reflect.DeepEqual(ids(ab), ids(ba)) {
			t.Fatalf("round %d: merge is not commutative", round)
		}
		left := quiz.Merge(quiz.Merge(a, b), c)
		right := quiz.Merge(a, quiz.Merge(b, c))
		if !reflect.DeepEqual(ids(left), ids(right)) {
			t.Fatalf("round %d: merge is not associative", round)
		}
		if aa := quiz.Merge(a, a); !reflect.DeepEqual(ids(aa), ids(a)) {
			t.Fatalf("round %d: merge is not idempotent", round)
		}
		// The union holds each event exactly once.
		u := quiz.Merge(quiz.Merge(a, b), c)
		seen := map[string]bool{}
		for _, e := range u {
			if seen[e.ID] {
				t.Fatalf("round %d: %s twice after merge", round, e.ID)
			}
			seen[e.ID] = true
		}
		for _, e := range append(append(append([]quiz.Event{}, a...), b...), c...) {
			if !seen[e.ID] {
				t.Fatalf("round %d: %s lost in merge", round, e.ID)
			}
		}
	}
}

// Two different events that claim one id (a corrupt copy) resolve the same way in any merge order.
func TestMergeResolvesConflictingCopiesTheSameEverywhere(t *testing.T) {
	d := newDevice(t, "AAAAAAAA")
	id := d.ids.Next(t0)
	x := quiz.NewPracticeAnswer(id, quiz.AnswerData{Question: "q1", Response: quiz.Response{0}, Correct: true})
	y := quiz.NewPracticeAnswer(id, quiz.AnswerData{Question: "q1", Response: quiz.Response{1}, Correct: false})
	xy := quiz.Merge([]quiz.Event{x}, []quiz.Event{y})
	yx := quiz.Merge([]quiz.Event{y}, []quiz.Event{x})
	sorted := quiz.SortLog([]quiz.Event{y, x})
	jx, _ := json.Marshal(xy)
	jy, _ := json.Marshal(yx)
	js, _ := json.Marshal(sorted)
	if len(xy) != 1 || string(jx) != string(jy) || string(jx) != string(js) {
		t.Errorf("conflicting copies resolved differently:\n%s\n%s\n%s", jx, jy, js)
	}
}

// summary is what the candidate sees of a state, for comparing folds.
func summary(s *quiz.State) string {
	out := fmt.Sprintf("practiced=%d settings=%v reviews=%d\n", s.Practiced, s.Settings, len(s.Reviews))
	var cards []string
	for id := range s.Cards {
		cards = append(cards, id)
	}
	sort.Strings(cards)
	for _, id := range cards {
		c := s.Cards[id]
		out += fmt.Sprintf("%s seen=%d right=%d due=%s stab=%.6f\n", id, c.Seen, c.Right, c.Due.Format(time.RFC3339Nano), c.Stability)
	}
	for _, x := range s.Exams {
		out += fmt.Sprintf("exam %s answers=%v flags=%v submitted=%v ended=%s\n", x.ID, x.Answers, x.Flags, x.Submitted, x.Ended)
	}
	return out
}

func TestFoldDoesNotDependOnArrivalOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for round := 0; round < 100; round++ {
		all := randomHistory(t, rng, 80)
		want := summary(quiz.Fold(quiz.SortLog(all), quiz.Rules{}))
		// The same events arriving in another order, in pieces, merged in as they come.
		shuffled := append([]quiz.Event(nil), all...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		var log []quiz.Event
		for len(shuffled) > 0 {
			k := 1 + rng.IntN(len(shuffled))
			log = quiz.Merge(log, quiz.SortLog(shuffled[:k]))
			shuffled = shuffled[k:]
		}
		if got := summary(quiz.Fold(log, quiz.Rules{})); got != want {
			t.Fatalf("round %d: fold depends on arrival order:\n%s\nvs\n%s", round, got, want)
		}
	}
}
