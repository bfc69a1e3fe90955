package bank

import (
	"strings"
	"testing"

	"github.com/issmp-study/issmp/quiz"
)

func TestBlindSheetShowsNoKeyExplanationOrRationale(t *testing.T) {
	src := readGood(t, goodFile(t))
	var b strings.Builder
	if err := BlindSheet(&b, src, nil); err != nil {
		t.Fatal(err)
	}
	sheet := b.String()
	for _, it := range src.Items {
		if !strings.Contains(sheet, "## "+it.ID+" ") {
			t.Errorf("%s is missing from the sheet", it.ID)
		}
		if strings.Contains(sheet, it.Explanation[:30]) {
			t.Errorf("the sheet shows %s's explanation", it.ID)
		}
		for _, c := range it.Choices {
			if c.Why != "" && strings.Contains(sheet, c.Why) {
				t.Errorf("the sheet shows a rationale of %s: %q", it.ID, c.Why)
			}
		}
		for _, p := range it.Pairs {
			if strings.Contains(sheet, p.Why) {
				t.Errorf("the sheet shows a pair's rationale of %s: %q", it.ID, p.Why)
			}
		}
	}
	// The key's letters name the key's options as the sheet shows them, whatever the order drawn.
	for _, it := range src.Items {
		if it.Type != "multi" && it.Type != "single" {
			continue
		}
		key := strings.Fields(sheetAnswer(&it.Question, blindLayout(&it.Question), quiz.KeyResponse(&it.Question)))
		for _, k := range it.Key {
			found := false
			for _, l := range key {
				found = found || strings.Contains(sheet, "  "+l+". "+it.Choices[k].Text+"\n")
			}
			if !found {
				t.Errorf("%s: the sheet shows the key option %q under none of the key's letters %v", it.ID, it.Choices[k].Text, key)
			}
		}
	}
	if !strings.Contains(sheet, "=== Case 3.1-S01") {
		t.Errorf("the scenario's case is not on the sheet:\n%s", sheet)
	}
}

func TestCheckBlindAgreesOnlyWithTheKeyInTheSheetsTerms(t *testing.T) {
	src := readGood(t, goodFile(t))
	var right, wrong strings.Builder
	for _, it := range src.Items {
		key := sheetAnswer(&it.Question, blindLayout(&it.Question), quiz.KeyResponse(&it.Question))
		right.WriteString(it.ID + " " + key + "\n")
		wrong.WriteString(it.ID + " " + otherAnswer(t, it, key) + "\n")
	}
	got, err := CheckBlind(src, strings.NewReader("# reader 1\n\n"+right.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(src.Items) {
		t.Fatalf("%d results for %d answers", len(got), len(src.Items))
	}
	for _, r := range got {
		if !r.Agrees || r.Err != nil {
			t.Errorf("%s: the key %q written in the sheet's terms does not agree (%v)", r.Item.ID, r.Answer, r.Err)
		}
	}
	got, err = CheckBlind(src, strings.NewReader(wrong.String()))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		if r.Agrees {
			t.Errorf("%s: the wrong answer %q agrees with the key %q", r.Item.ID, r.Answer, r.Key)
		}
	}
	for _, bad := range []string{"3.1-001 E", "3.1-001", "3.1-003 1 2 9"} {
		got, err := CheckBlind(src, strings.NewReader(bad))
		if err != nil || len(got) != 1 || got[0].Err == nil || got[0].Agrees {
			t.Errorf("%q: results %+v, error %v; want one result that could not be read", bad, got, err)
		}
	}
	if _, err := CheckBlind(src, strings.NewReader("9.9-001 A")); err == nil {
		t.Error("an unknown id was accepted")
	}
}

func TestCheckBlindReadsGridLabelsThatHoldASlash(t *testing.T) {
	file := strings.NewReplacer("rows: [Likely, Possible, Unlikely]", "rows: [Likely/often, Possible, Unlikely]",
		"key: {row: Likely, col: Major}", "key: {row: Likely/often, col: Major}").Replace(goodFile(t))
	src := readGood(t, file)
	var grid string
	for _, it := range src.Items {
		if it.Grid != nil {
			grid = it.ID
		}
	}
	for answer, agrees := range map[string]bool{"Likely/often / Major": true, "likely/often/major": true, "Possible / Major": false} {
		got, err := CheckBlind(src, strings.NewReader(grid+" "+answer))
		if err != nil || len(got) != 1 || got[0].Err != nil || got[0].Agrees != agrees {
			t.Errorf("%q: results %+v, error %v; want one result that agrees %v", answer, got, err, agrees)
		}
	}
}

// otherAnswer is a well-formed answer that differs from key.
func otherAnswer(t *testing.T, it *Item, key string) string {
	t.Helper()
	switch f := strings.Fields(key); {
	case it.Grid != nil:
		row, col, _ := strings.Cut(key, " / ")
		for _, r := range it.Grid.Rows {
			if r.Text != row {
				return r.Text + " / " + col
			}
		}
	case len(f) > 1 && (it.Pairs != nil || it.Type == "order"):
		f[0], f[1] = f[1], f[0]
		if it.Pairs != nil { // swap the matches of the first two items
			f[0], f[1] = f[1][:1]+f[0][1:], f[0][:1]+f[1][1:]
		}
		return strings.Join(f, " ")
	case len(f) == 1:
		if f[0] == "A" {
			return "B"
		}
		return "A"
	default:
		return f[0]
	}
	t.Fatalf("%s: no other answer to %q", it.ID, key)
	return ""
}
