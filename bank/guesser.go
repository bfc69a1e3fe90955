package bank

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strings"
)

// The cue-only guesser: a candidate who knows nothing of security and reads only the form of the
// options. It is a logistic model over the surface features of cues.go, fitted to the bank's own
// items and scored by cross-validation (each item is guessed by a model fitted without it), so it
// can learn what the bank's keys tend to look like but cannot memorize an item.

// guesserFolds is the number of cross-validation folds; an item's fold follows from its id.
const guesserFolds = 10

// GuesserLimit is how far above chance, in percentage points, the guesser may score per type.
var GuesserLimit = map[string]float64{"single": 8, "multi": 5, "region": 15}

// GuesserScore is the guesser's result on one item type.
type GuesserScore struct {
	Type   string  `json:"type"`
	Items  int     `json:"items"`
	Score  float64 `json:"score"`  // single, region: share of items it gets right; multi: share of its picks that are keys
	Chance float64 `json:"chance"` // the same for a blind guess
	Over   float64 `json:"over"`   // Score - Chance in percentage points
	Rank   int     `json:"rank"`   // single, region: where in its order of options the guesser looks for the key (1 = the most key-like)
	Limit  float64 `json:"limit"`
	OK     bool    `json:"ok"`
}

// optionVector is the features the guesser sees of option i, before centering on its item.
func optionVector(ci cueItem, i int) []float64 {
	o := ci.opts[i]
	text := ci.it.Choices[i].Text
	return []float64{
		yes(o.Bundle), yes(o.Absolute), yes(o.Hedge), yes(o.Governance), yes(o.Dismissive), yes(o.Justified),
		relativeLength(ci, i), yes(lengthRank(ci, i) == 1), yes(lengthRank(ci, i) == -1), o.Overlap,
		float64(parts(text)),
		float64(governanceCount(text)),
		float64(len(absoluteWords.FindAllString(text, -1))),
	}
}

// itemVectors returns the option vectors of an item, each minus the item's mean: the guesser
// compares options with their neighbours, as a test-wise reader does.
func itemVectors(ci cueItem) [][]float64 {
	vs := make([][]float64, len(ci.opts))
	for i := range ci.opts {
		vs[i] = optionVector(ci, i)
	}
	mean := make([]float64, len(vs[0]))
	for _, v := range vs {
		for k, x := range v {
			mean[k] += x / float64(len(vs))
		}
	}
	for _, v := range vs {
		for k := range v {
			v[k] -= mean[k]
		}
	}
	// How far each option stands from its item's middle, on the measured features: a key that is
	// always the most typical option is as much a cue as one that always stands out.
	for i := range vs {
		for _, k := range typicality {
			vs[i] = append(vs[i], math.Abs(vs[i][k]))
		}
	}
	return vs
}

// typicality are the entries of optionVector whose distance from the item's mean the guesser
// also sees: length, words shared with the stem, parts, governance words.
var typicality = []int{6, 9, 10, 11}

// logistic is a fitted model: the weights of the features, and a scale per feature.
type logistic struct{ w, scale []float64 }

// fit fits a logistic model of "this option is a key" by gradient descent, with a light L2
// penalty so that a rare feature cannot take a huge weight from a handful of items.
func fit(items []cueItem) logistic {
	var xs [][]float64
	var ys []float64
	for _, ci := range items {
		for i, v := range itemVectors(ci) {
			xs = append(xs, v)
			ys = append(ys, yes(ci.key[i]))
		}
	}
	if len(xs) == 0 {
		return logistic{}
	}
	n := len(xs[0])
	scale := make([]float64, n)
	for k := 0; k < n; k++ {
		var ss float64
		for _, x := range xs {
			ss += x[k] * x[k]
		}
		scale[k] = math.Sqrt(ss/float64(len(xs))) + 1e-9
	}
	w := make([]float64, n+1) // the last is the bias
	const rate, l2, rounds = 0.5, 0.01, 400
	grad := make([]float64, n+1)
	for r := 0; r < rounds; r++ {
		for k := range grad {
			grad[k] = 0
		}
		for j, x := range xs {
			z := w[n]
			for k := 0; k < n; k++ {
				z += w[k] * x[k] / scale[k]
			}
			e := 1/(1+math.Exp(-z)) - ys[j]
			for k := 0; k < n; k++ {
				grad[k] += e * x[k] / scale[k]
			}
			grad[n] += e
		}
		for k := range w {
			g := grad[k] / float64(len(xs))
			if k < n {
				g += l2 * w[k]
			}
			w[k] -= rate * g
		}
	}
	return logistic{w: w, scale: scale}
}

func (m logistic) score(v []float64) float64 {
	if m.w == nil {
		return 0
	}
	n := len(m.scale)
	z := m.w[n]
	for k := 0; k < n; k++ {
		z += m.w[k] * v[k] / m.scale[k]
	}
	return z
}

func fold(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % guesserFolds)
}

// guesserFeatures name the entries of itemVectors, for reports.
var guesserFeatures = []string{"bundling", "absolutes", "hedges", "governance words", "dismissive words", "a justification",
	"length", "being longest", "being shortest", "words shared with the stem", "parts (and, commas)", "governance words (count)", "absolutes (count)",
	"length (distance from the middle)", "stem words (distance from the middle)", "parts (distance from the middle)", "governance words (distance from the middle)"}

// ranked is one item as a model fitted without it sees it: its options from most to least
// key-like, and the model's weights on each option's features.
type ranked struct {
	ci    cueItem
	order []int
	m     logistic
	vs    [][]float64
}

// outOfFold ranks the options of every item with the model fitted on the other folds.
func outOfFold(all []cueItem) []ranked {
	var out []ranked
	for f := 0; f < guesserFolds; f++ {
		var train []cueItem
		for _, ci := range all {
			if fold(ci.it.ID) != f {
				train = append(train, ci)
			}
		}
		m := fit(train)
		for _, ci := range all {
			if fold(ci.it.ID) != f {
				continue
			}
			vs := itemVectors(ci)
			order := make([]int, len(vs))
			for i := range order {
				order[i] = i
			}
			// Ties go to the earlier option: the guesser sees no position (keys are spread evenly
			// over positions), so this is a blind pick among equals.
			sort.SliceStable(order, func(a, b int) bool { return m.score(vs[order[a]]) > m.score(vs[order[b]]) })
			out = append(out, ranked{ci: ci, order: order, m: m, vs: vs})
		}
	}
	return out
}

// keyRank is where the (single) key sits in an item's order, 0 for the most key-like option.
func (r ranked) keyRank() int {
	for pos, i := range r.order {
		if r.ci.key[i] {
			return pos
		}
	}
	return -1
}

// favouredRank is the place in the model's order where the keys of the items outside fold f sit
// most often: a guesser that learns "the key is usually the option that looks second most
// key-like" is as much a cue-reader as one that takes the most key-like option.
func favouredRank(rs []ranked, f int) int {
	count := map[int]int{}
	best := 0
	for _, r := range rs {
		if f >= 0 && fold(r.ci.it.ID) == f {
			continue
		}
		count[r.keyRank()]++
	}
	for rank, n := range count {
		if n > count[best] || (n == count[best] && rank < best) {
			best = rank
		}
	}
	return best
}

// GuesserHits lists the single and region items whose key sits where the cue-only guesser looks
// for it (fitted without the item), with the features on which the key differs most from its
// item's other options in the model's eyes: the items to rewrite first when the guesser beats
// chance.
func GuesserHits(src *Source) []ItemCue {
	var out []ItemCue
	items := cueItems(src)
	for _, typ := range []string{"single", "region"} {
		rs := outOfFold(items[typ])
		rank := favouredRank(rs, -1)
		for _, r := range rs {
			if len(r.ci.key) != 1 || r.keyRank() != rank {
				continue
			}
			key := r.order[rank]
			type push struct {
				name string
				by   float64
			}
			var pushes []push
			for k := range r.m.scale {
				var others float64
				for i := range r.vs {
					if i != key {
						others += r.vs[i][k]
					}
				}
				others /= float64(len(r.vs) - 1)
				by := r.m.w[k] * (r.vs[key][k] - others) / r.m.scale[k]
				if math.Abs(by) > 0.05 {
					pushes = append(pushes, push{guesserFeatures[k], by})
				}
			}
			sort.Slice(pushes, func(a, b int) bool { return math.Abs(pushes[a].by) > math.Abs(pushes[b].by) })
			var why []string
			for _, p := range pushes {
				why = append(why, fmt.Sprintf("%s %+.2f", p.name, p.by))
			}
			where := "the most key-like option"
			if rank > 0 {
				where = fmt.Sprintf("the option it ranks %d of %d", rank+1, len(r.order))
			}
			out = append(out, ItemCue{File: r.ci.it.File, Line: r.ci.it.Line, ID: r.ci.it.ID,
				Cues: []string{fmt.Sprintf("the cue-only guesser finds the key as %s, where keys sit most often; the key against the other options: %s", where, strings.Join(why, ", "))}})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// GuessByCues scores the cue-only guesser on each item type by cross-validation. For single and
// region items it picks the option at the place in its order where, on the other folds, keys sat
// most often (usually the most key-like option; in a bank tuned against the model, perhaps the
// second); for multi items it picks the options it finds most key-like.
func GuessByCues(src *Source) []GuesserScore {
	items := cueItems(src)
	var out []GuesserScore
	for _, typ := range []string{"single", "multi", "region"} {
		all := items[typ]
		gs := GuesserScore{Type: typ, Items: len(all), Limit: GuesserLimit[typ]}
		if len(all) == 0 {
			out = append(out, gs)
			continue
		}
		rs := outOfFold(all)
		var score, chance float64
		for _, r := range rs {
			k := len(r.ci.key)
			hits := 0
			if k == 1 {
				if r.keyRank() == favouredRank(rs, fold(r.ci.it.ID)) {
					hits = 1
				}
			} else {
				for _, i := range r.order[:k] {
					if r.ci.key[i] {
						hits++
					}
				}
			}
			score += float64(hits) / float64(k)
			chance += float64(k) / float64(len(r.order))
		}
		gs.Rank = favouredRank(rs, -1) + 1
		gs.Score = round2(100 * score / float64(len(all)))
		gs.Chance = round2(100 * chance / float64(len(all)))
		gs.Over = round2(gs.Score - gs.Chance)
		gs.OK = gs.Over <= gs.Limit
		out = append(out, gs)
	}
	return out
}

// GuesserMoves proposes, for a bank whose single-item keys crowd one place in the guesser's
// order, the fewest items to move so that keys sit as often at every place: items whose key is
// second, nearest behind the first option, to move up; items whose key is second from last,
// nearest above the last option, to move down. With each it says which option to overtake or fall
// behind, and what the guesser takes for key-like at present.
func GuesserMoves(src *Source) []ItemCue {
	rs := outOfFold(cueItems(src)["single"])
	if len(rs) == 0 {
		return nil
	}
	count := map[int]int{}
	for _, r := range rs {
		count[r.keyRank()]++
	}
	target := len(rs) / 4
	type cand struct {
		r   ranked
		gap float64
	}
	var up, down []cand
	for _, r := range rs {
		if len(r.order) != 4 {
			continue
		}
		s := func(pos int) float64 { return r.m.score(r.vs[r.order[pos]]) }
		switch r.keyRank() {
		case 1:
			up = append(up, cand{r, s(0) - s(1)})
		case 2:
			down = append(down, cand{r, s(2) - s(3)})
		}
	}
	sort.Slice(up, func(i, j int) bool { return up[i].gap < up[j].gap })
	sort.Slice(down, func(i, j int) bool { return down[i].gap < down[j].gap })
	var out []ItemCue
	add := func(cs []cand, n int, text func(r ranked) string) {
		for i := 0; i < n && i < len(cs); i++ {
			r := cs[i].r
			out = append(out, ItemCue{File: r.ci.it.File, Line: r.ci.it.Line, ID: r.ci.it.ID, Cues: []string{text(r) + "; key-like to the guesser now: " + keyLike(r.m)}})
		}
	}
	add(up, target-count[0], func(r ranked) string {
		return fmt.Sprintf("move up: the guesser ranks the key second, just behind %c; make the key look a little more like an answer than %c, or %c a little less", letters[r.order[0]], letters[r.order[0]], letters[r.order[0]])
	})
	add(down, target-count[3], func(r ranked) string {
		return fmt.Sprintf("move down: the guesser ranks the key third, just above %c; make the key look a little less like an answer than %c, or %c a little more", letters[r.order[3]], letters[r.order[3]], letters[r.order[3]])
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// keyLike names the features that weigh most in a fitted model, with their direction.
func keyLike(m logistic) string {
	idx := make([]int, len(m.scale))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(m.w[idx[a]]) > math.Abs(m.w[idx[b]]) })
	var parts []string
	for _, k := range idx[:min(5, len(idx))] {
		dir := "more"
		if m.w[k] < 0 {
			dir = "less"
		}
		parts = append(parts, fmt.Sprintf("%s %s (%+.2f)", dir, guesserFeatures[k], m.w[k]))
	}
	return strings.Join(parts, ", ")
}
