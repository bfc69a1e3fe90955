package quiz_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
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

// legacyReset makes a progress.reset as apps before event version 2 wrote it: with no record of
// what the device had seen, so it clears every event placed before it.
func legacyReset(t testing.TB, id string) quiz.Event {
	t.Helper()
	e, err := quiz.DecodeEvent([]byte(`{"v":1,"id":"` + id + `","type":"progress.reset","data":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// realBank is the bank compiled from ../content, loaded once for the tests that need questions of
// every type (loading it takes about half a second).
var realBank struct {
	once sync.Once
	cat  *quiz.Catalog
	err  error
}

func realCatalog(t testing.TB) *quiz.Catalog {
	t.Helper()
	realBank.once.Do(func() {
		o, src, err := bank.Load("../content")
		if err != nil {
			realBank.err = err
			return
		}
		b, err := bank.Compile(src, o)
		if err != nil {
			realBank.err = err
			return
		}
		realBank.cat, realBank.err = quiz.NewCatalog(b)
	})
	if realBank.err != nil {
		t.Fatal(realBank.err)
	}
	return realBank.cat
}

// firstOfType returns the first live question of the catalog of type typ (grid: a hotspot on a
// grid when true, on a figure when false).
func firstOfType(t testing.TB, c *quiz.Catalog, typ quiz.ItemType, grid bool) *quiz.Question {
	t.Helper()
	for _, id := range c.Live {
		if q := c.Questions[id]; q.Type == typ && (typ != quiz.Hotspot || (q.Grid != nil) == grid) {
			return q
		}
	}
	t.Fatalf("the bank has no live %s question", typ)
	return nil
}

// validResponse draws a response that fits the question, right or wrong.
func validResponse(q *quiz.Question, rng *rand.Rand) quiz.Response {
	switch {
	case q.Type == quiz.Multi:
		var r quiz.Response
		for _, i := range rng.Perm(len(q.Choices))[:1+rng.IntN(len(q.Choices))] {
			r = append(r, i)
		}
		return r
	case q.Type == quiz.Order:
		return quiz.Response(rng.Perm(len(q.Choices)))
	case q.Type == quiz.Match:
		perm := rng.Perm(len(q.Pairs) + len(q.Extra))
		r := quiz.Response(perm[:len(q.Pairs)])
		if rng.IntN(4) == 0 {
			r[rng.IntN(len(r))] = -1 // an item left unmatched
		}
		return r
	case q.Type == quiz.Hotspot && q.Grid != nil:
		return quiz.Response{rng.IntN(len(q.Grid.Rows)), rng.IntN(len(q.Grid.Cols))}
	}
	return quiz.Response{rng.IntN(len(q.Choices))}
}

// digest prints every exported field of a state, maps in key order and pointers followed, so that
// two states compare as strings and a difference shows where they part.
func digest(s *quiz.State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "events=%d last=%s practiced=%d pending=%d settings=%v\n", s.Events, s.Last, s.Practiced, s.Pending, s.Settings)
	for _, u := range s.Unusable {
		fmt.Fprintf(&b, "unusable %s: %s\n", u.ID, u.Reason)
	}
	var qs []string
	for id := range s.Cards {
		qs = append(qs, id)
	}
	sort.Strings(qs)
	for _, id := range qs {
		fmt.Fprintf(&b, "card %s %+v\n", id, *s.Cards[id])
	}
	for _, r := range s.Reviews {
		fmt.Fprintf(&b, "review %+v\n", r)
	}
	for _, x := range s.Exams {
		fmt.Fprintf(&b, "exam %+v\n", *x)
	}
	return b.String()
}
