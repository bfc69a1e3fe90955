package notes

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/issmp-study/issmp/quiz"
)

// MinStaples is how many staples every sub-domain lists at least.
const MinStaples = 8

// A Staple is a term, formula, law, standard or model that a candidate should expect in a
// sub-domain, with the forms under which a note may teach it ("Single loss expectancy", "SLE").
type Staple struct {
	Subdomain string
	Forms     []string
	Line      int // in the staples list
}

var stapleHeading = regexp.MustCompile(`^###\s+(\d+\.\d+)\b`)

// ReadStaples reads the staples list: the "## Staples" section of docs/NOTES.md, in which each
// "### 3.3" heading is followed by lines "- Single loss expectancy | SLE".
func ReadStaples(data []byte) ([]Staple, error) {
	var out []Staple
	in, sub := false, ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "## "):
			in, sub = line == "## Staples", ""
		case !in:
		case strings.HasPrefix(line, "### "):
			m := stapleHeading.FindStringSubmatch(line)
			if m == nil {
				return nil, fmt.Errorf("line %d: a staples heading is \"### \" and a sub-domain number, such as \"### 3.3\"", n)
			}
			sub = m[1]
		case strings.HasPrefix(line, "- "):
			if sub == "" {
				return nil, fmt.Errorf("line %d: a staple before any \"### \" sub-domain heading", n)
			}
			var forms []string
			for _, f := range strings.Split(line[2:], "|") {
				if f = strings.Join(strings.Fields(f), " "); f != "" {
					forms = append(forms, f)
				}
			}
			if len(forms) == 0 {
				return nil, fmt.Errorf("line %d: an empty staple", n)
			}
			out = append(out, Staple{Subdomain: sub, Forms: forms, Line: n})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no \"## Staples\" section with staples")
	}
	return out, sc.Err()
}

// CheckStaples returns, located in the staples list, every staple that its sub-domain's notes do
// not mention in any of its forms (case aside, as whole words), and staples filed under a
// sub-domain the outline does not have. With complete set, a sub-domain listing fewer than
// MinStaples is a problem too.
func (s *Set) CheckStaples(staples []Staple, o *quiz.Outline, complete bool) []Problem {
	var ps []Problem
	text := map[string]string{}
	for _, d := range o.Domains {
		for _, sd := range d.SubDomains {
			var b strings.Builder
			if n, ok := s.Subdomains[sd.ID]; ok {
				b.WriteString(n.Body)
			}
			for _, t := range sd.Tasks {
				if n, ok := s.Tasks[t.ID]; ok {
					b.WriteString("\n" + n.Body)
					for _, term := range n.Terms {
						b.WriteString("\n" + term.Term + "\n" + term.Definition)
					}
				}
			}
			text[sd.ID] = strings.ToLower(strings.Join(strings.Fields(b.String()), " "))
		}
	}
	count := map[string]int{}
	for _, st := range staples {
		t, ok := text[st.Subdomain]
		if !ok {
			ps = append(ps, Problem{"", st.Line, fmt.Sprintf("sub-domain %s is not in the outline", st.Subdomain)})
			continue
		}
		count[st.Subdomain]++
		if !mentions(t, st.Forms) {
			ps = append(ps, Problem{"", st.Line, fmt.Sprintf("sub-domain %s does not teach the staple %s: cover it in one of its notes", st.Subdomain, strings.Join(quoteAll(st.Forms), " or "))})
		}
	}
	if complete {
		for _, d := range o.Domains {
			for _, sd := range d.SubDomains {
				if count[sd.ID] < MinStaples {
					ps = append(ps, Problem{"", 1, fmt.Sprintf("sub-domain %s lists %d staples, want at least %d", sd.ID, count[sd.ID], MinStaples)})
				}
			}
		}
	}
	return ps
}

// mentions says whether lower-cased text holds any of the forms as whole words.
func mentions(text string, forms []string) bool {
	for _, f := range forms {
		f = strings.ToLower(f)
		for i := 0; ; {
			j := strings.Index(text[i:], f)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(f)
			if !wordByte(text, start-1) && !wordByte(text, end) {
				return true
			}
			i = start + 1
		}
	}
	return false
}

// wordByte says whether text[i] continues a word (outside the text, nothing does).
func wordByte(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	c := text[i]
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}
