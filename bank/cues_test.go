package bank

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
)

func TestOptionCuesReadTheFormOfAnOption(t *testing.T) {
	stem := contentWords("A vendor breach exposed customer records. What should the manager do FIRST?")
	for _, c := range []struct {
		text string
		want OptionCues
	}{
		{"Agree a charter with the executive team that sets objectives and scope", OptionCues{Bundle: true, Governance: true, Words: 12}},
		{"Shut down every vendor connection immediately", OptionCues{Absolute: true, Words: 6}},
		{"Where appropriate, consider a tabletop exercise", OptionCues{Hedge: true, Words: 6}},
		{"Patch the server, because the flaw is known", OptionCues{Justified: true, Words: 8}},
		{"Wait for the auditor's report before acting", OptionCues{Dismissive: true, Words: 7}},
		{"Notify customers, regulators, insurers", OptionCues{Bundle: true, Words: 4}},
	} {
		got := optionCues(stem, c.text)
		got.Overlap = 0
		if got != c.want {
			t.Errorf("%q: %+v, want %+v", c.text, got, c.want)
		}
	}
	if o := optionCues(stem, "Tell the vendor's customer team about the breach"); o.Overlap < 0.5 {
		t.Errorf("an option repeating the stem's words overlaps %.2f", o.Overlap)
	}
}

// singleBank writes n single items whose options the function gives (the key is option A..D in
// turn), with a ledger, as the files of a bank.
func singleBank(n int, options func(i int, key rune) map[rune]string) map[string]string {
	var b, l strings.Builder
	b.WriteString("subdomain: \"3.3\"\nquestions:\n")
	l.WriteString("# ledger\n")
	for i := 0; i < n; i++ {
		id := "3.3-" + pad(i+1)
		key := rune("ABCD"[i%4])
		opts := options(i, key)
		fmt.Fprintf(&b, "  - id: %q\n    task: \"3.3.1\"\n    type: single\n    difficulty: 1\n", id)
		fmt.Fprintf(&b, "    stem: In case %d of %d, which step comes first for the team on site %s?\n    options:\n", i, n, pad(i*7))
		for _, letter := range "ABCD" {
			fmt.Fprintf(&b, "      %c: %s\n", letter, opts[letter])
		}
		fmt.Fprintf(&b, "    key: %c\n    explanation: The key is right because the case says so in plain words here today.\n    why:\n", key)
		for _, letter := range "ABCD" {
			if letter != key {
				fmt.Fprintf(&b, "      %c: This option misses the point of the case.\n", letter)
			}
		}
		l.WriteString(id + " 3.3.1\n")
	}
	return map[string]string{"3-3.yaml": b.String(), LedgerFile: l.String()}
}

// readFiles reads a bank made of the given files. Without a key baseline among them, the bank's
// own keys are its baseline, as after go run ./cmd/bank keys: the tests of other rules need not
// write one (the corrections tests give theirs).
func readFiles(t *testing.T, files map[string]string) *Source {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	src, err := Read(fsys, "content/bank")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files[KeysFile]; !ok {
		if src.Keys, err = ParseKeys(src.Keys.File, AppendKeys(nil, src.MissingKeys())); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// Options alike in form: each item draws its four options from the same pool of shapes, so no
// shape marks the key.
func alike(seed uint64) func(int, rune) map[rune]string {
	rng := rand.New(rand.NewPCG(seed, 1))
	shapes := []string{
		"Review the %s plan with the owner and record it",
		"Test the %s controls at the site",
		"Replace the %s tooling every quarter",
		"Brief the %s team, because time is short",
		"Ask the board to approve the %s budget",
		"Map the %s assets first",
	}
	topics := strings.Fields("backup vendor access network incident cloud identity payroll audit privacy model patch")
	return func(i int, key rune) map[rune]string {
		out := map[rune]string{}
		for j, letter := range "ABCD" {
			out[letter] = fmt.Sprintf(shapes[rng.IntN(len(shapes))], topics[(i+j)%len(topics)]) + " " + pad(i*4+j)
		}
		return out
	}
}

// The key alone bundles and speaks of owners; the wrong options are extreme or justify themselves.
func cued(i int, key rune) map[rune]string {
	out := map[rune]string{}
	wrong := []string{"Replace every %s tool at once", "Patch the %s servers, because attackers move fast", "Skip the %s review this year"}
	topic := strings.Fields("backup vendor access network incident cloud identity payroll")[i%8]
	w := 0
	for _, letter := range "ABCD" {
		if letter == key {
			out[letter] = fmt.Sprintf("Agree the %s plan with its owner and record the decision %s", topic, pad(i))
			continue
		}
		out[letter] = fmt.Sprintf(wrong[w], topic) + " " + pad(i*4+w)
		w++
	}
	return out
}

func TestLintFailsWhenKeysDifferInFormFromWrongOptions(t *testing.T) {
	o := testOutline(t)
	var clean []string
	for _, p := range Lint(readFiles(t, singleBank(80, alike(1))), o) {
		clean = append(clean, p.String())
	}
	if len(clean) > 0 {
		t.Fatalf("options alike in form: want no problems, got:\n%s", strings.Join(clean, "\n"))
	}
	var all []string
	for _, p := range Lint(readFiles(t, singleBank(80, cued)), o) {
		all = append(all, p.String())
	}
	got := strings.Join(all, "\n")
	for _, want := range []string{
		"cue: over 80 single items, bundling",
		"cue: over 80 single items, absolutes",
		"cue: over 80 single items, governance and collaboration",
		"cue: over 80 single items, a justification",
		"cue: over 80 single items, dismissive wording",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in:\n%s", want, got)
		}
	}
	// A few items are not enough to judge the cue balance.
	for _, p := range Lint(readFiles(t, singleBank(20, cued)), o) {
		if strings.Contains(p.String(), "cue:") {
			t.Errorf("20 items: the cue balance should not be judged yet, got %s", p)
		}
	}
}

func TestItemCuesNameWhatGivesTheKeyAway(t *testing.T) {
	cues := ItemCues(readFiles(t, singleBank(4, cued)))
	if len(cues) != 4 {
		t.Fatalf("%d items flagged, want 4: %v", len(cues), cues)
	}
	for _, want := range []string{"only the key has bundling", "only the key has governance words", "content/bank/3-3.yaml:3: question 3.3-001:"} {
		if !strings.Contains(cues[0].String(), want) {
			t.Errorf("want %q in %s", want, cues[0])
		}
	}
	if cues := ItemCues(readFiles(t, singleBank(8, func(i int, key rune) map[rune]string {
		return map[rune]string{'A': "Map the assets " + pad(i), 'B': "Test the backups " + pad(i), 'C': "Brief the staff " + pad(i), 'D': "Audit the vendor " + pad(i)}
	}))); len(cues) != 0 {
		t.Errorf("options alike: %v", cues)
	}
}

func TestTheGuesserFindsCuedKeysAndNotOthers(t *testing.T) {
	for _, c := range []struct {
		name     string
		options  func(int, rune) map[rune]string
		min, max float64
	}{
		{"keys that carry cues", cued, 90, 100},
		{"keys always the second most complete option", secondMostComplete, 90, 100},
		{"options alike in form", alike(3), 10, 40},
	} {
		g := GuessByCues(readFiles(t, singleBank(120, c.options)))[0]
		if g.Type != "single" || g.Items != 120 || g.Chance != 25 {
			t.Fatalf("%s: %+v", c.name, g)
		}
		if g.Score < c.min || g.Score > c.max {
			t.Errorf("%s: the guesser scores %.1f%%, want %.0f-%.0f%%", c.name, g.Score, c.min, c.max)
		}
	}
}

func TestAGridStemMustNotNameARowOrColumn(t *testing.T) {
	file := strings.Replace(goodFile(t), "A payment outage of this kind", "A likely payment outage of this kind", 1)
	if !strings.Contains(file, "A likely payment") {
		t.Skip("the fixture's grid stem changed; update this test")
	}
	got := strings.Join(lintFiles(t, map[string]string{"3-1.yaml": file, LedgerFile: goodLedger(t)}), "\n")
	if !strings.Contains(got, `the stem names the grid's "Likely"`) {
		t.Errorf("a stem naming a row label was not reported:\n%s", got)
	}
}

// The bank itself: a reader who knows nothing of the subject and reads only the form of the
// options does not do much better than a blind guess.
func TestACueOnlyGuesserBarelyBeatsChanceOnTheBank(t *testing.T) {
	_, src, err := Load("../content")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range GuessByCues(src) {
		if g.Type == "region" {
			continue // too few items for a fair figure; the balance bounds cover them
		}
		t.Logf("%s: %d items, the guesser %.1f%% against chance %.1f%%", g.Type, g.Items, g.Score, g.Chance)
		if !g.OK {
			t.Errorf("on %s items a cue-only guesser scores %.1f%%, %.1f points above chance (%.1f%%); the limit is %.0f. `go run ./cmd/bank cues` lists the items whose key stands out",
				g.Type, g.Score, g.Over, g.Chance, g.Limit)
		}
	}
}

func TestEveryGuesserFeatureHasAName(t *testing.T) {
	ci := cueItems(readFiles(t, singleBank(4, alike(5))))["single"][0]
	if n := len(itemVectors(ci)[0]); n != len(guesserFeatures) {
		t.Errorf("the guesser sees %d features and names %d", n, len(guesserFeatures))
	}
}

// The options join none to three parts and the key always joins two: never the most complete
// option, never the least. A bank tuned against the guesser ends up like this.
func secondMostComplete(i int, key rune) map[rune]string {
	shapes := []string{"Map the %s assets %s", "Map the %s assets and test them %s", "Map the %s assets, test them and brief the staff %s", "Map the %s assets, test them, brief the staff and report %s"}
	topic := strings.Fields("backup vendor access network incident cloud identity payroll")[i%8]
	out := map[rune]string{}
	others := []int{0, 1, 3}
	for _, letter := range "ABCD" {
		n := 2
		if letter != key {
			n, others = others[(i)%len(others)], append(others[:(i)%len(others)], others[(i)%len(others)+1:]...)
		}
		out[letter] = fmt.Sprintf(shapes[n], topic, pad(i*4+int(letter-'A')))
	}
	return out
}
