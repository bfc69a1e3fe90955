package notes

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	// refNumber is a standard's number: 800-30, 27005, 42001, 3227.
	refNumber = regexp.MustCompile(`\b\d{3,5}(-\d+[A-Z]?)?\b`)
	// refEdition is the edition part of a name, which the text need not repeat.
	refEdition = regexp.MustCompile(`(\s+Rev\.\s*\d+|:(19|20)\d{2}|\s+\((19|20)\d{2}\)|(\s+of)?\s+(19|20)\d{2})$`)
	// refBracket is a part in brackets, and refVersion a trailing version: "NIST AI RMF 1.0".
	refBracket    = regexp.MustCompile(`\([^)]*\)`)
	refVersion    = regexp.MustCompile(`\s+(v|Version\s+)?\d+(\.\d+)+$`)
	refNumberOnly = regexp.MustCompile(`^[\d\s.,-]+$`)
	// places are bracketed qualifiers that name no law.
	places = map[string]bool{"United States": true, "United Kingdom": true, "US": true, "UK": true, "EU": true, "European Union": true}
	// refAcronym is an acronym in brackets: "General Data Protection Regulation (GDPR)".
	refAcronym = regexp.MustCompile(`\(([A-Z][A-Za-z0-9-]{1,})\)`)
)

// referenceForms are the ways a note's text may cite a reference: its name (the part before the
// first comma), that name without its edition, its acronym and its number.
func referenceForms(ref string) []string {
	name := ref
	depth := 0
	for i, r := range ref { // the name ends at the first comma outside brackets
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == ',' && depth == 0:
			name = ref[:i]
		}
		if len(name) < len(ref) {
			break
		}
	}
	name = strings.TrimSpace(name)
	forms := []string{name}
	add := func(f string) {
		f = strings.TrimSpace(f)
		for _, g := range forms {
			if strings.EqualFold(g, f) {
				return
			}
		}
		if f != "" {
			forms = append(forms, f)
		}
	}
	add(refEdition.ReplaceAllString(name, ""))
	bare := strings.Join(strings.Fields(refBracket.ReplaceAllString(name, "")), " ")
	add(bare)
	add(refEdition.ReplaceAllString(bare, ""))
	add(refVersion.ReplaceAllString(bare, ""))
	add(strings.TrimPrefix(bare, "The "))
	for _, m := range refBracket.FindAllString(name, -1) {
		// A short name in brackets ("Budapest Convention", "FCD 1"), but not a place.
		inner := strings.Trim(m, "()")
		if n := len(strings.Fields(inner)); n >= 1 && n <= 3 && !places[inner] && !refNumberOnly.MatchString(inner) {
			add(inner)
		}
	}
	for _, m := range refAcronym.FindAllStringSubmatch(name, -1) {
		add(m[1])
	}
	for _, m := range refNumber.FindAllString(name, -1) {
		if len(m) == 4 && (strings.HasPrefix(m, "19") || strings.HasPrefix(m, "20")) && !strings.Contains(m, "-") {
			continue // a year, not a standard's number
		}
		add(m)
	}
	return forms
}

// referenceUsed says whether the body cites the reference in one of its forms.
func referenceUsed(ref, body string) bool {
	text := strings.ToLower(strings.Join(strings.Fields(body), " ")) // a name may wrap across lines
	for _, f := range referenceForms(ref) {
		if strings.Contains(text, strings.ToLower(f)) {
			return true
		}
	}
	return false
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
