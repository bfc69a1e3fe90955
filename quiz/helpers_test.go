package quiz_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/issmp-study/issmp/bank"
	"github.com/issmp-study/issmp/quiz"
)

func outline(t testing.TB) *quiz.Outline {
	t.Helper()
	o, err := bank.LoadOutline("../content/outline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// synthBank makes a bank of n live single questions on the real outline, spread over the tasks in
// proportion to the domain weights, plus sets scenario sets of three questions each (counted in n).
func synthBank(t testing.TB, n, sets int, seed uint64) *quiz.Bank {
	t.Helper()
	o := outline(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	b := &quiz.Bank{Version: "synthetic", Outline: *o}
	var tasksByDomain [][]string
	for _, d := range o.Domains {
		var ts []string
		for _, s := range d.SubDomains {
			for _, task := range s.Tasks {
				ts = append(ts, task.ID)
			}
		}
		tasksByDomain = append(tasksByDomain, ts)
	}
	pickDomain := func() int {
		x := rng.IntN(100)
		for i, d := range o.Domains {
			if x < d.Weight {
				return i
			}
			x -= d.Weight
		}
		return len(o.Domains) - 1
	}
	single := func(id, task string) quiz.Question {
		return quiz.Question{ID: id, Task: task, Type: quiz.Single, Difficulty: 2, Stem: "Stem " + id,
			Choices: []quiz.Choice{{Text: "a"}, {Text: "b", Why: "x"}, {Text: "c", Why: "x"}, {Text: "d", Why: "x"}},
			Key:     []int{rng.IntN(4)}, Explanation: "because"}
	}
	k := 0
	for s := 0; s < sets; s++ {
		d := pickDomain()
		task := tasksByDomain[d][rng.IntN(len(tasksByDomain[d]))]
		set := quiz.Scenario{ID: fmt.Sprintf("S%03d", s), Case: "A case."}
		for j := 0; j < 3; j++ {
			q := single(fmt.Sprintf("q%04d", k), task)
			q.Scenario = set.ID
			b.Questions = append(b.Questions, q)
			set.Questions = append(set.Questions, q.ID)
			k++
		}
		b.Scenarios = append(b.Scenarios, set)
	}
	for k < n {
		d := pickDomain()
		b.Questions = append(b.Questions, single(fmt.Sprintf("q%04d", k), tasksByDomain[d][rng.IntN(len(tasksByDomain[d]))]))
		k++
	}
	return b
}

func catalog(t testing.TB, b *quiz.Bank) *quiz.Catalog {
	t.Helper()
	c, err := quiz.NewCatalog(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// device makes events for one device, with ids from its own generator.
type device struct {
	ids *quiz.IDs
}

func newDevice(t testing.TB, name string) *device {
	t.Helper()
	g, err := quiz.NewIDs(name, "")
	if err != nil {
		t.Fatal(err)
	}
	return &device{ids: g}
}

func (d *device) answer(at time.Time, q string, ok bool) quiz.Event {
	r := quiz.Response{0}
	if !ok {
		r = quiz.Response{1}
	}
	return quiz.NewPracticeAnswer(d.ids.Next(at), quiz.AnswerData{Question: q, Response: r, Correct: ok})
}
