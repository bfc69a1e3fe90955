package quiz_test

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/issmp-study/issmp/quiz"
)

func isPerm(p []int, n int) bool {
	s := append([]int(nil), p...)
	sort.Ints(s)
	for i, v := range s {
		if v != i {
			return false
		}
	}
	return len(p) == n
}

func TestShuffleIsDeterministicForASeed(t *testing.T) {
	for _, q := range []*quiz.Question{single, multi, order, match} {
		a := quiz.Shuffle(q, rand.New(rand.NewPCG(7, 9)))
		b := quiz.Shuffle(q, rand.New(rand.NewPCG(7, 9)))
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: same seed, layouts %+v and %+v", q.ID, a, b)
		}
	}
}

func TestShuffleMovesOptionsAndKeepsMeaning(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	firstSeen := map[int]int{}
	for i := 0; i < 400; i++ {
		l := quiz.Shuffle(single, rng)
		if !isPerm(l.Choices, 4) {
			t.Fatalf("not a permutation: %v", l.Choices)
		}
		firstSeen[l.Choices[0]]++
		o := quiz.Shuffle(order, rng)
		if !isPerm(o.Choices, 4) || reflect.DeepEqual(o.Choices, []int{0, 1, 2, 3}) {
			t.Fatalf("an order question must start shuffled, never solved: %v", o.Choices)
		}
		m := quiz.Shuffle(match, rng)
		if !isPerm(m.Items, 3) || !isPerm(m.Matches, 4) {
			t.Fatalf("match layout: %+v", m)
		}
	}
	for opt := 0; opt < 4; opt++ {
		if n := firstSeen[opt]; n < 60 || n > 140 {
			t.Errorf("option %d shown first %d times of 400: not shuffled evenly", opt, n)
		}
	}
	// Hotspots keep their figure: no shuffling.
	if l := quiz.Shuffle(grid, rng); l.Choices != nil || l.Items != nil {
		t.Errorf("grid shuffled: %+v", l)
	}
	if l := quiz.Shuffle(region, rng); l.Choices != nil {
		t.Errorf("regions shuffled: %+v", l)
	}
}
