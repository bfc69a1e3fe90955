package bank

import (
	"fmt"
	"math"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/issmp-study/issmp/quiz"
)

// Cues are the surface features of an option that let a test-wise candidate who knows little of
// the subject find the key: features that keys carry more (or less) often than wrong options.
// On the exam they are edited out, so a bank that keeps them teaches the wrong habit and makes
// practice scores look better than the exam will be (docs/QUESTIONS.md, "Cues").

// The word lists behind the features. Each matches whole words, case-insensitively.
var (
	// bundling joins several actions or things in one option: "X and Y", "X as well as Y", a list.
	bundleWords = regexp.MustCompile(`(?i)\b(and|as well as|plus|along with|together with|both)\b|;`)
	// absolutes leave no room: a capable manager rarely does anything "always" or "at once".
	absoluteWords = regexp.MustCompile(`(?i)\b(never|always|only|every|everything|everyone|all|none|nothing|no one|at once|immediately|entirely|completely|whatever|regardless|solely|alone|any|whole)\b`)
	// hedges and balance: the reasonable-sounding tone.
	hedgeWords = regexp.MustCompile(`(?i)\b(may|might|could|where (appropriate|needed|possible|justified)|as (needed|appropriate)|if (needed|necessary|justified)|usually|generally|typically|consider\w*|likely|proportionate|balanced|reasonable|appropriate|relevant)\b`)
	// governance and collaboration: owners, stakeholders, approval, agreement, the record.
	governanceWords = regexp.MustCompile(`(?i)\b(owners?|ownership|stakeholders?|approv\w*|agree\w*|record\w*|document\w*|executives?|board|senior management|sponsors?|committees?|governance|accountab\w*|sign[- ]off|charter|mandate|consult\w*|align\w*|business|polic(y|ies)|appetite|authori[sz]\w*|escalat\w*|counsel|lawyers?|attorneys?|legal (advice|team|department|review)|steering|oversight|jointly|together)\b`)
	// dismissive wording marks an option as careless: doing without, putting off, going informal.
	dismissiveWords = regexp.MustCompile(`(?i)\b(without|ignor\w*|skip\w*|instead of|rather than|defer\w*|wait\w*|verbal\w*|informal\w*|postpon\w*|delay\w*|bypass\w*|no need|unless|just)\b`)
	// justifications say why the option is right: "because", "so that".
	justifyWords = regexp.MustCompile(`(?i)\b(because|so that|so the|so it|since|to ensure|ensuring|given that|in order to)\b`)
)

// stopWords are left out when comparing an option's words with the stem's.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the a an and or of to in on for with by from at as is are be was were it its this that
		these those which who whom what when where how than then so such not no into onto over under about
		their them they his her our your you we he she has have had do does did can could should would may
		might will shall must each any all both other more most less least first next before after`) {
		stopWords[w] = true
	}
}

// OptionCues are the surface features of one option.
type OptionCues struct {
	Bundle, Absolute, Hedge, Governance, Dismissive, Justified bool
	Words                                                      int
	Overlap                                                    float64 // share of its content words that the stem (and case) also use
}

// optionCues measures an option's text against the stem (with any scenario case) it answers.
func optionCues(stemWords map[string]bool, text string) OptionCues {
	c := OptionCues{
		Bundle:     bundleWords.MatchString(text) || strings.Count(text, ",") >= 2,
		Absolute:   absoluteWords.MatchString(text),
		Hedge:      hedgeWords.MatchString(text),
		Governance: governanceWords.MatchString(text),
		Dismissive: dismissiveWords.MatchString(text),
		Justified:  justifyWords.MatchString(text),
		Words:      words(text),
	}
	content := contentWords(text)
	shared := 0
	for w := range content {
		if stemWords[w] {
			shared++
		}
	}
	if len(content) > 0 {
		c.Overlap = float64(shared) / float64(len(content))
	}
	return c
}

// contentWords returns the words of s that carry meaning, folded to a crude stem so that "risk"
// and "risks", "approve" and "approved" meet.
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(f) < 3 || stopWords[f] {
			continue
		}
		out[crudeStem(f)] = true
	}
	return out
}

func crudeStem(w string) string {
	for _, suf := range []string{"ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// cueItem is one live item with options, measured: the cues of every option and which are keys.
type cueItem struct {
	it   *Item
	opts []OptionCues
	key  map[int]bool
}

// cueType names the item types whose options are compared: single, multi, and hotspots that
// pick a region of a figure (which read like single options).
func cueType(q *quiz.Question) string {
	switch {
	case q.Type == quiz.Single:
		return "single"
	case q.Type == quiz.Multi:
		return "multi"
	case q.Type == quiz.Hotspot && q.Grid == nil:
		return "region"
	}
	return ""
}

// cueItems measures every live item of the types compared.
func cueItems(src *Source) map[string][]cueItem {
	cases := map[string]string{}
	for _, s := range src.Scenarios {
		cases[s.ID] = s.Case
	}
	out := map[string][]cueItem{}
	for _, it := range src.Items {
		typ := cueType(&it.Question)
		if it.Retired || typ == "" || len(it.Choices) < 2 || len(it.Key) == 0 {
			continue
		}
		stem := contentWords(it.Stem + " " + cases[it.Scenario] + " " + it.Figure)
		ci := cueItem{it: it, key: map[int]bool{}}
		for _, k := range it.Key {
			ci.key[k] = true
		}
		for _, c := range it.Choices {
			ci.opts = append(ci.opts, optionCues(stem, c.Text))
		}
		out[typ] = append(out[typ], ci)
	}
	return out
}

// A cueFeature is one surface feature, read from an option in the context of its item.
type cueFeature struct {
	name string
	// value is the feature of option i of the item: 0 or 1 for a yes/no feature.
	value func(ci cueItem, i int) float64
	// limit is the largest allowed difference between keys and wrong options: in percentage
	// points of options for a yes/no feature, in the unit of the feature otherwise.
	limit map[string]float64
	unit  string
}

func yes(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// lengthRank is 1 when the option is strictly the longest of its item, -1 when strictly the
// shortest, 0 otherwise.
func lengthRank(ci cueItem, i int) float64 {
	longest, shortest := true, true
	for j, o := range ci.opts {
		if j == i {
			continue
		}
		if o.Words >= ci.opts[i].Words {
			longest = false
		}
		if o.Words <= ci.opts[i].Words {
			shortest = false
		}
	}
	switch {
	case longest:
		return 1
	case shortest:
		return -1
	}
	return 0
}

// parts counts the pieces an option joins: its conjunctions and commas.
func parts(text string) int {
	return len(bundleWords.FindAllString(text, -1)) + strings.Count(text, ",")
}

// mostOf is 1 when the option strictly leads every other option of its item by count.
func mostOf(ci cueItem, i int, count func(string) int) float64 {
	mine := count(ci.it.Choices[i].Text)
	for j := range ci.opts {
		if j != i && count(ci.it.Choices[j].Text) >= mine {
			return 0
		}
	}
	return 1
}

// beyondMean is the option's count less the mean count of its item's options.
func beyondMean(ci cueItem, i int, count func(string) int) float64 {
	sum := 0
	for _, c := range ci.it.Choices {
		sum += count(c.Text)
	}
	return float64(count(ci.it.Choices[i].Text)) - float64(sum)/float64(len(ci.it.Choices))
}

// distanceFromMiddle is how far an option stands from its item's middle in length, words shared
// with the stem and parts, each in units of its typical spread.
func distanceFromMiddle(ci cueItem, i int) float64 {
	return math.Abs(relativeLength(ci, i)-1)/0.15 + math.Abs(overlapBeyondMean(ci, i))/0.1 + math.Abs(beyondMean(ci, i, parts))/0.6
}

// mostTypical is 1 when the option stands strictly nearest its item's middle: a key that always
// does is the "pick the middle-of-the-road option" cue.
func mostTypical(ci cueItem, i int) float64 {
	mine := distanceFromMiddle(ci, i)
	for j := range ci.opts {
		if j != i && distanceFromMiddle(ci, j) <= mine {
			return 0
		}
	}
	return 1
}

// overlapBeyondMean is the option's share of stem words less its item's mean.
func overlapBeyondMean(ci cueItem, i int) float64 {
	sum := 0.0
	for _, o := range ci.opts {
		sum += o.Overlap
	}
	return ci.opts[i].Overlap - sum/float64(len(ci.opts))
}

func governanceCount(text string) int { return len(governanceWords.FindAllString(text, -1)) }

// relativeLength is the option's length against the mean of its item's options.
func relativeLength(ci cueItem, i int) float64 {
	sum := 0
	for _, o := range ci.opts {
		sum += o.Words
	}
	if sum == 0 {
		return 1
	}
	return float64(ci.opts[i].Words) * float64(len(ci.opts)) / float64(sum)
}

// Bounds: what a professionally edited bank keeps. Keys and wrong options of single items differ
// by at most 10 points in any yes/no feature (with about 300 items, sampling alone moves such a
// difference by about 3 points); multi items have fewer options, so 15. Lengths within 10% and
// overlap with the stem within 8 points.
var cueFeatures = []cueFeature{
	{name: "bundling (\"X and Y\", a list)", value: func(ci cueItem, i int) float64 { return yes(ci.opts[i].Bundle) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "absolutes (never, only, every, at once...)", value: func(ci cueItem, i int) float64 { return yes(ci.opts[i].Absolute) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "hedges and balance (may, where appropriate...)", value: func(ci cueItem, i int) float64 { return yes(ci.opts[i].Hedge) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "governance and collaboration (owner, approve, agree, record...)", value: func(ci cueItem, i int) float64 { return yes(ci.opts[i].Governance) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "dismissive wording (without, skip, wait, verbally...)", value: func(ci cueItem, i int) float64 { return yes(ci.opts[i].Dismissive) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "a justification (because, so that...)", value: func(ci cueItem, i int) float64 { return yes(ci.opts[i].Justified) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "strictly the most parts (and, commas)", value: func(ci cueItem, i int) float64 { return mostOf(ci, i, parts) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "strictly the most governance words", value: func(ci cueItem, i int) float64 { return mostOf(ci, i, governanceCount) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "parts (and, commas) beyond its item's mean", value: func(ci cueItem, i int) float64 { return beyondMean(ci, i, parts) }, limit: map[string]float64{"single": 0.25, "multi": 0.35, "region": 0.5}, unit: "count"},
	{name: "governance words beyond its item's mean", value: func(ci cueItem, i int) float64 { return beyondMean(ci, i, governanceCount) }, limit: map[string]float64{"single": 0.25, "multi": 0.35, "region": 0.5}, unit: "count"},
	{name: "length: distance from its item's middle", value: func(ci cueItem, i int) float64 { return math.Abs(relativeLength(ci, i) - 1) }, limit: map[string]float64{"single": 0.04, "multi": 0.06, "region": 0.1}, unit: "ratio"},
	{name: "stem words: distance from its item's middle", value: func(ci cueItem, i int) float64 { return math.Abs(overlapBeyondMean(ci, i)) }, limit: map[string]float64{"single": 0.03, "multi": 0.05, "region": 0.08}, unit: "share"},
	{name: "parts: distance from its item's middle", value: func(ci cueItem, i int) float64 { return math.Abs(beyondMean(ci, i, parts)) }, limit: map[string]float64{"single": 0.15, "multi": 0.25, "region": 0.4}, unit: "count"},
	{name: "the most typical option (nearest its item's middle in length, stem words and parts)", value: mostTypical, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "strictly the longest", value: func(ci cueItem, i int) float64 { return yes(lengthRank(ci, i) == 1) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "strictly the shortest", value: func(ci cueItem, i int) float64 { return yes(lengthRank(ci, i) == -1) }, limit: map[string]float64{"single": 10, "multi": 15, "region": 20}, unit: "pp"},
	{name: "length against its item's mean", value: relativeLength, limit: map[string]float64{"single": 0.10, "multi": 0.15, "region": 0.20}, unit: "ratio"},
	{name: "words shared with the stem", value: func(ci cueItem, i int) float64 { return ci.opts[i].Overlap }, limit: map[string]float64{"single": 0.08, "multi": 0.12, "region": 0.15}, unit: "share"},
}

// cueMinItems is how many items of a type the balance needs before its bounds apply: below it,
// chance alone moves the rates too far.
var cueMinItems = map[string]int{"single": 50, "multi": 15, "region": 12}

// FeatureBalance compares one feature among keys and among wrong options.
type FeatureBalance struct {
	Feature string  `json:"feature"`
	Keys    float64 `json:"keys"`  // mean among keys (a share for yes/no features)
	Wrong   float64 `json:"wrong"` // mean among wrong options
	Diff    float64 `json:"diff"`  // Keys - Wrong, in percentage points for yes/no features
	Limit   float64 `json:"limit"` // the largest |Diff| allowed
	Unit    string  `json:"unit"`
	OK      bool    `json:"ok"`
}

// CueBalance is the balance of every feature over one item type.
type CueBalance struct {
	Type     string           `json:"type"`
	Items    int              `json:"items"`
	Checked  bool             `json:"checked"` // enough items for the bounds to apply
	Features []FeatureBalance `json:"features"`
}

// MeasureCues compares keys with wrong options, feature by feature, over each item type.
func MeasureCues(src *Source) []CueBalance {
	items := cueItems(src)
	var out []CueBalance
	for _, typ := range []string{"single", "multi", "region"} {
		cb := CueBalance{Type: typ, Items: len(items[typ]), Checked: len(items[typ]) >= cueMinItems[typ]}
		for _, f := range cueFeatures {
			var ks, ws float64
			var kn, wn int
			for _, ci := range items[typ] {
				for i := range ci.opts {
					if ci.key[i] {
						ks += f.value(ci, i)
						kn++
					} else {
						ws += f.value(ci, i)
						wn++
					}
				}
			}
			fb := FeatureBalance{Feature: f.name, Limit: f.limit[typ], Unit: f.unit}
			if kn > 0 && wn > 0 {
				fb.Keys, fb.Wrong = ks/float64(kn), ws/float64(wn)
			}
			scale := 1.0
			if f.unit == "pp" {
				scale = 100
			}
			fb.Diff = round2(scale * (fb.Keys - fb.Wrong))
			fb.Keys, fb.Wrong = round2(scale*fb.Keys), round2(scale*fb.Wrong)
			fb.OK = math.Abs(fb.Diff) <= fb.Limit
			cb.Features = append(cb.Features, fb)
		}
		out = append(out, cb)
	}
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// cueBalance reports every feature out of bounds, for the types with enough items.
func (l *linter) cueBalance() {
	if l.src.partial {
		return // a part of the bank says nothing about the balance of the whole
	}
	where := dirOf(l.src)
	for _, cb := range MeasureCues(l.src) {
		if !cb.Checked {
			continue
		}
		for _, f := range cb.Features {
			if !f.OK {
				l.at(where, 0, "cue: over %d %s items, %s: keys %v, wrong options %v (%s), a difference of %v; keep it within %v. `go run ./cmd/bank cues` lists the items that carry it",
					cb.Items, cb.Type, f.Feature, f.Keys, f.Wrong, f.Unit, f.Diff, f.Limit)
			}
		}
	}
}

// ItemCue says how one item gives its key away by form.
type ItemCue struct {
	File, ID string
	Line     int
	Cues     []string
}

// ItemCues lists the live items whose key stands out from every wrong option by a surface
// feature: the key alone bundles, alone speaks of owners or approval, alone lacks an absolute, is
// longest by a clear margin, alone repeats the stem. A writer reads the options without the stem
// and rewrites the wrong ones (or the key) until none stands out.
func ItemCues(src *Source) []ItemCue {
	var out []ItemCue
	for _, typ := range []string{"single", "multi", "region"} {
		for _, ci := range cueItems(src)[typ] {
			var cues []string
			flag := func(name string, get func(OptionCues) bool) {
				keysHave, keysLack, wrongHave, wrongLack := 0, 0, 0, 0
				for i, o := range ci.opts {
					switch {
					case ci.key[i] && get(o):
						keysHave++
					case ci.key[i]:
						keysLack++
					case get(o):
						wrongHave++
					default:
						wrongLack++
					}
				}
				if keysLack == 0 && wrongHave == 0 {
					cues = append(cues, "only the key has "+name)
				}
				if keysHave == 0 && wrongLack == 0 {
					cues = append(cues, "only the key lacks "+name)
				}
			}
			flag("bundling", func(o OptionCues) bool { return o.Bundle })
			flag("absolutes", func(o OptionCues) bool { return o.Absolute })
			flag("hedging", func(o OptionCues) bool { return o.Hedge })
			flag("governance words", func(o OptionCues) bool { return o.Governance })
			flag("dismissive words", func(o OptionCues) bool { return o.Dismissive })
			flag("a justification", func(o OptionCues) bool { return o.Justified })
			// Length and stem overlap: a key that leads every wrong option by a clear margin.
			lead := func(get func(i int) float64, margin float64) bool {
				lowKey, highWrong := math.Inf(1), math.Inf(-1)
				for i := range ci.opts {
					if ci.key[i] {
						lowKey = math.Min(lowKey, get(i))
					} else {
						highWrong = math.Max(highWrong, get(i))
					}
				}
				return lowKey > highWrong*margin
			}
			if len(ci.key) == 1 {
				for i := range ci.opts {
					if !ci.key[i] {
						continue
					}
					if mostOf(ci, i, parts) == 1 && parts(ci.it.Choices[i].Text) >= 2 {
						cues = append(cues, "the key joins the most parts (and, commas)")
					}
					if mostOf(ci, i, governanceCount) == 1 && governanceCount(ci.it.Choices[i].Text) >= 2 {
						cues = append(cues, "the key has the most governance words")
					}
				}
			}
			if lead(func(i int) float64 { return float64(ci.opts[i].Words) }, 1.2) {
				cues = append(cues, "the key is the longest by 20% or more")
			}
			if lead(func(i int) float64 { return ci.opts[i].Overlap + 0.01 }, 1.5) && ci.maxKeyOverlap() >= 0.2 {
				cues = append(cues, "the key shares the most words with the stem")
			}
			if len(cues) > 0 {
				out = append(out, ItemCue{File: ci.it.File, Line: ci.it.Line, ID: ci.it.ID, Cues: cues})
			}
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

func (ci cueItem) maxKeyOverlap() float64 {
	m := 0.0
	for i, o := range ci.opts {
		if ci.key[i] {
			m = math.Max(m, o.Overlap)
		}
	}
	return m
}

// gridLabelInStem reports a grid hotspot whose stem names one of its rows or columns, so the cell
// is found by reading labels rather than by judgement.
func gridLabelInStem(q *quiz.Question, caseText string) string {
	if q.Grid == nil {
		return ""
	}
	text := " " + normalize(q.Stem+" "+caseText) + " "
	for _, set := range [][]quiz.Choice{q.Grid.Rows, q.Grid.Cols} {
		for _, c := range set {
			if l := normalize(c.Text); l != "" && strings.Contains(text, " "+l+" ") {
				return c.Text
			}
		}
	}
	return ""
}

func normalize(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

func dirOf(src *Source) string { return path.Dir(src.Ledger.File) }

// String renders an item's cues as a lint-like line.
func (c ItemCue) String() string {
	return fmt.Sprintf("%s:%d: question %s: %s", c.File, c.Line, c.ID, strings.Join(c.Cues, "; "))
}
