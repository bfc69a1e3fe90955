// Tests of the published site: Hugo's real output, built into a temporary folder and read back.
package site_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/issmp-study/issmp/bank"
	"github.com/issmp-study/issmp/notes"
	"github.com/issmp-study/issmp/quiz"
	"golang.org/x/net/html"
)

// The site is built once per test binary, on first use, and removed when the tests end.
var (
	buildOnce  sync.Once
	publicDir  string
	buildError error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if publicDir != "" {
		os.RemoveAll(publicDir)
	}
	os.Exit(code)
}

// builtSite returns the folder holding the built site. It reads Hugo's inputs first: Hugo reads
// them in a child process, which go test's result cache cannot see, and reading them here (after
// m.Run has started the cache's file log) makes any change to them invalidate a cached result.
func builtSite(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildError = readInputs(".", "../content", "../wasm", "../store", "../go.mod", "../go.sum"); buildError != nil {
			return
		}
		publicDir, buildError = os.MkdirTemp("", "issmp-public-")
		if buildError == nil {
			buildError = BuildSite(publicDir)
		}
	})
	if buildError != nil {
		t.Fatal(buildError)
	}
	return publicDir
}

func readInputs(roots ...string) error {
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "resources" || d.Name() == "public") {
				return filepath.SkipDir
			}
			if !d.IsDir() {
				_, err = os.ReadFile(p)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("reading the site's inputs: %w", err)
		}
	}
	return nil
}

// BuildSite builds the site exactly as `make build` does, into dest: it compiles the question bank
// into build/bank and the engine into build/wasm, then runs the pinned Hugo.
func BuildSite(dest string) error {
	if _, err := bank.WriteCompiled("../content", "../build/bank"); err != nil {
		return err
	}
	if err := os.MkdirAll("../build/wasm", 0o755); err != nil {
		return err
	}
	wasm := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", "../build/wasm/quiz.wasm", "../wasm")
	wasm.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := wasm.CombinedOutput(); err != nil {
		return fmt.Errorf("building the engine: %v\n%s", err, out)
	}
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	execJS, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	if err := os.WriteFile("../build/wasm/wasm_exec.js", execJS, 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "tool", "hugo", "--source", ".", "--destination", dest,
		"--panicOnWarning", "--quiet")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("hugo build failed: %v\n%s", err, out)
	}
	return nil
}

func loadOutline(t *testing.T) *quiz.Outline {
	t.Helper()
	o, err := bank.LoadOutline("../content/outline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// page is one parsed HTML file of the built site.
type page struct {
	file string // path inside public/, e.g. "domain-3/3-1/index.html"
	doc  *html.Node
	ids  map[string]*html.Node
}

func readPage(t *testing.T, file string) *page {
	t.Helper()
	f, err := os.Open(filepath.Join(builtSite(t), filepath.FromSlash(file)))
	if err != nil {
		t.Fatalf("page missing from the build: %v", err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	p := &page{file: file, doc: doc, ids: map[string]*html.Node{}}
	walk(doc, func(n *html.Node) {
		if id := attr(n, "id"); id != "" {
			if _, dup := p.ids[id]; dup {
				t.Errorf("%s: id %q is used twice", file, id)
			}
			p.ids[id] = n
		}
	})
	return p
}

func allPages(t *testing.T) []*page {
	t.Helper()
	var pages []*page
	err := filepath.WalkDir(builtSite(t), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(publicDir, p)
		pages = append(pages, readPage(t, filepath.ToSlash(rel)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) string {
	if n.Type != html.ElementNode {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

// text is the node's text content with white space collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	walk(n, func(c *html.Node) {
		if match(c) {
			out = append(out, c)
		}
	})
	return out
}

func element(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func domainFile(d quiz.Domain) string { return "domain-" + d.ID + "/index.html" }

func subdomainFile(d quiz.Domain, s quiz.SubDomain) string {
	return "domain-" + d.ID + "/" + strings.ReplaceAll(s.ID, ".", "-") + "/index.html"
}

func TestEveryStudyRouteIsBuilt(t *testing.T) {
	o := loadOutline(t)
	for _, file := range []string{"index.html", "exam/index.html", "404.html"} {
		readPage(t, file)
	}
	for _, d := range o.Domains {
		dp := readPage(t, domainFile(d))
		if h1 := find(dp.doc, element("h1")); len(h1) != 1 || text(h1[0]) != d.Name {
			t.Errorf("%s: want one h1 %q", dp.file, d.Name)
		}
		body := text(dp.doc)
		for _, s := range d.SubDomains {
			if !strings.Contains(body, s.Name) {
				t.Errorf("%s does not list sub-domain %s", dp.file, s.ID)
			}
			readPage(t, subdomainFile(d, s))
		}
		for _, topic := range d.AI.Topics {
			if !strings.Contains(body, topic) {
				t.Errorf("%s lacks AI topic %q", dp.file, topic)
			}
		}
	}
}

func TestEveryTaskStatementAppearsOnItsSubdomainPage(t *testing.T) {
	o := loadOutline(t)
	n := 0
	for _, d := range o.Domains {
		for _, s := range d.SubDomains {
			p := readPage(t, subdomainFile(d, s))
			for _, task := range s.Tasks {
				anchor := "task-" + strings.ReplaceAll(task.ID, ".", "-")
				el, ok := p.ids[anchor]
				if !ok {
					t.Errorf("%s: no element with id %q for task %s", p.file, anchor, task.ID)
					continue
				}
				if got := text(el); !strings.Contains(got, task.Text) {
					t.Errorf("%s#%s: text %q does not hold the task statement %q", p.file, anchor, got, task.Text)
				}
				n++
			}
		}
	}
	if n != o.TaskCount() {
		t.Errorf("found %d task statements, want %d", n, o.TaskCount())
	}
}

// Every internal link, stylesheet, script and image must resolve to a published file, and a link's
// #fragment to an element on the target page. Nothing may load from another host.
func TestNoBrokenInternalLinksAndNoThirdPartyRequests(t *testing.T) {
	pages := allPages(t)
	byFile := map[string]*page{}
	for _, p := range pages {
		byFile[p.file] = p
	}
	refs := map[string]string{"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src", "use": "href"}
	checked := 0
	for _, p := range pages {
		walk(p.doc, func(n *html.Node) {
			key, ok := refs[n.Data]
			if n.Type != html.ElementNode || !ok {
				return
			}
			ref := attr(n, key)
			if ref == "" {
				return
			}
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad URL %q: %v", p.file, ref, err)
				return
			}
			if u.Scheme != "" || u.Host != "" {
				if n.Data != "a" {
					t.Errorf("%s: <%s> loads %q from another host", p.file, n.Data, ref)
				}
				return
			}
			base := &url.URL{Path: "/" + p.file}
			target := base.ResolveReference(u)
			file, ok := resolve(target.Path)
			if !ok {
				t.Errorf("%s: <%s %s=%q> points at nothing", p.file, n.Data, key, ref)
				return
			}
			checked++
			if u.Fragment == "" {
				return
			}
			tp := byFile[file]
			if tp == nil {
				t.Errorf("%s: fragment link %q into a non-HTML file", p.file, ref)
				return
			}
			if _, ok := tp.ids[u.Fragment]; !ok {
				t.Errorf("%s: link %q: no id %q on %s", p.file, ref, u.Fragment, file)
			}
		})
	}
	if checked < 500 {
		t.Errorf("only %d internal references checked: is the link walk broken?", checked)
	}
}

// resolve maps a URL path to the published file the local server would answer it with.
func resolve(urlPath string) (string, bool) {
	name := strings.TrimPrefix(path.Clean(urlPath), "/")
	candidates := []string{name, path.Join(name, "index.html")}
	if strings.HasSuffix(urlPath, "/") || name == "." || name == "" {
		candidates = []string{path.Join(name, "index.html")}
	}
	for _, c := range candidates {
		if info, err := os.Stat(filepath.Join(publicDir, filepath.FromSlash(c))); err == nil && !info.IsDir() {
			return c, true
		}
	}
	return "", false
}

func TestNavigationOnEveryStudyPage(t *testing.T) {
	o := loadOutline(t)
	var flat []string
	for _, d := range o.Domains {
		for _, s := range d.SubDomains {
			flat = append(flat, subdomainFile(d, s))
		}
	}
	for i, file := range flat {
		p := readPage(t, file)
		toc := p.ids["outline"]
		if toc == nil || len(find(toc, element("a"))) != len(o.Domains)+len(flat) || len(find(toc, element("details"))) != len(o.Domains) {
			t.Errorf("%s: the outline navigation does not link every domain and sub-domain", file)
		}
		crumbs := find(p.doc, func(n *html.Node) bool { return attr(n, "aria-label") == "Breadcrumb" })
		if len(crumbs) != 1 || len(find(crumbs[0], element("li"))) != 3 {
			t.Errorf("%s: want breadcrumbs Home › Domain › sub-domain", file)
		}
		prev := find(p.doc, func(n *html.Node) bool { return attr(n, "rel") == "prev" })
		next := find(p.doc, func(n *html.Node) bool { return attr(n, "rel") == "next" })
		wantPrev, wantNext := i > 0, i < len(flat)-1
		if (len(prev) == 1) != wantPrev || (len(next) == 1) != wantNext {
			t.Fatalf("%s: prev %d next %d links", file, len(prev), len(next))
		}
		if wantPrev && attr(prev[0], "href") != "/"+strings.TrimSuffix(flat[i-1], "index.html") {
			t.Errorf("%s: previous link %q, want %s", file, attr(prev[0], "href"), flat[i-1])
		}
		if wantNext && attr(next[0], "href") != "/"+strings.TrimSuffix(flat[i+1], "index.html") {
			t.Errorf("%s: next link %q, want %s", file, attr(next[0], "href"), flat[i+1])
		}
		if cur := find(toc, func(n *html.Node) bool { return attr(n, "aria-current") == "page" }); len(cur) != 1 {
			t.Errorf("%s: the outline marks %d links as the current page, want 1", file, len(cur))
		}
	}
}

func TestHomePageShowsExamFactsAndWeightsChart(t *testing.T) {
	o := loadOutline(t)
	p := readPage(t, "index.html")
	body := text(p.doc)
	for _, want := range []string{
		strconv.Itoa(o.Exam.Items), strconv.Itoa(o.Exam.Minutes) + " minutes",
		fmt.Sprintf("%d of %d", o.Exam.PassingScore, o.Exam.MaxScore), o.Exam.ItemFormat,
		"What the ISSMP is", "How to use this site",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	svgs := find(p.doc, element("svg"))
	if len(svgs) != 1 {
		t.Fatalf("home page has %d SVG charts, want 1", len(svgs))
	}
	bars := find(svgs[0], func(n *html.Node) bool { return n.Data == "rect" && hasClass(n, "bar") })
	if len(bars) != len(o.Domains) {
		t.Fatalf("chart has %d bars, want %d", len(bars), len(o.Domains))
	}
	// Bar lengths must be proportional to the weights.
	ratio := 0.0
	for i, b := range bars {
		w, err := strconv.ParseFloat(attr(b, "width"), 64)
		if err != nil {
			t.Fatalf("bar %d width %q: %v", i, attr(b, "width"), err)
		}
		r := w / float64(o.Domains[i].Weight)
		if i > 0 && (r-ratio > 0.01 || ratio-r > 0.01) {
			t.Errorf("bar %d: width %.1f is not proportional to weight %d", i, w, o.Domains[i].Weight)
		}
		ratio = r
	}
	if label := attr(svgs[0], "aria-label"); !strings.Contains(label, "Risk Management: 20%") {
		t.Errorf("chart's accessible name %q does not read out the weights", label)
	}
}

func TestExamPageSplitsItemsByWeight(t *testing.T) {
	o := loadOutline(t)
	p := readPage(t, "exam/index.html")
	cells := find(p.doc, func(n *html.Node) bool { return attr(n, "data-domain") != "" })
	if len(cells) != len(o.Domains) {
		t.Fatalf("exam page shows item counts for %d domains, want %d", len(cells), len(o.Domains))
	}
	want := map[string]int{"1": 26, "2": 19, "3": 25, "4": 23, "5": 15, "6": 17}
	sum := 0
	for _, c := range cells {
		n, err := strconv.Atoi(text(c))
		if err != nil {
			t.Fatalf("item count %q: %v", text(c), err)
		}
		sum += n
		if id := attr(c, "data-domain"); n != want[id] {
			t.Errorf("domain %s: %d items, want %d", id, n, want[id])
		}
	}
	if sum != o.Exam.Items {
		t.Errorf("item counts sum to %d, want %d", sum, o.Exam.Items)
	}
}

func TestPagesAreWellFormedForReadersAndSearch(t *testing.T) {
	for _, p := range allPages(t) {
		htmlEl := find(p.doc, element("html"))
		if len(htmlEl) != 1 || attr(htmlEl[0], "lang") != "en" {
			t.Errorf("%s: <html> needs lang=en", p.file)
		}
		if titles := find(p.doc, element("title")); len(titles) != 1 || text(titles[0]) == "" {
			t.Errorf("%s: needs one non-empty <title>", p.file)
		}
		if h1 := find(p.doc, element("h1")); len(h1) != 1 {
			t.Errorf("%s: has %d h1 elements, want 1", p.file, len(h1))
		}
		if len(find(p.doc, element("main"))) != 1 {
			t.Errorf("%s: needs one <main>", p.file)
		}
		// Study pages carry no engine: at most the small scripts that register the service worker
		// and add mastery figures, deferred, none needed to read the page.
		if !appPage(p) {
			for _, s := range find(p.doc, element("script")) {
				src := attr(s, "src")
				if !(strings.HasPrefix(src, "/js/mastery.") || strings.HasPrefix(src, "/js/offline.")) || !hasAttr(s, "defer") {
					t.Errorf("%s: a study page loads script %q", p.file, src)
				}
			}
			if attr(find(p.doc, element("body"))[0], "data-wasm") != "" {
				t.Errorf("%s: a study page refers to the engine", p.file)
			}
		}
	}
}

func TestTheSitePublishesTheCompiledBank(t *testing.T) {
	dir := builtSite(t)
	files, err := filepath.Glob(filepath.Join(dir, "bank", "bank.*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("want one fingerprinted bank in bank/, got %v (%v)", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if !strings.Contains(filepath.Base(files[0]), hex.EncodeToString(sum[:])) {
		t.Errorf("%s: the name does not carry the file's hash", files[0])
	}
	var published quiz.Bank
	if err := json.Unmarshal(data, &published); err != nil {
		t.Fatal(err)
	}
	o, src, err := bank.Load("../content")
	if err != nil {
		t.Fatal(err)
	}
	want, err := bank.Compile(src, o)
	if err != nil {
		t.Fatal(err)
	}
	if published.Version != want.Version || len(published.Questions) != len(want.Questions) {
		t.Errorf("published bank version %s with %d questions, the content compiles to %s with %d",
			published.Version, len(published.Questions), want.Version, len(want.Questions))
	}
}

// appPage reports whether a page is one of the app's (practice, mock exam, progress, settings).
func appPage(p *page) bool {
	body := find(p.doc, element("body"))
	return len(body) == 1 && attr(body[0], "data-page") != ""
}

func TestAppPagesLoadTheEngineAndShowTheirFrameAtOnce(t *testing.T) {
	for _, tt := range []struct{ file, page string }{
		{"practice/index.html", "practice"}, {"mock-exam/index.html", "mock-exam"},
		{"dashboard/index.html", "dashboard"}, {"settings/index.html", "settings"},
	} {
		p := readPage(t, tt.file)
		body := find(p.doc, element("body"))[0]
		if attr(body, "data-page") != tt.page {
			t.Errorf("%s: data-page %q", tt.file, attr(body, "data-page"))
		}
		for _, key := range []string{"data-wasm", "data-bank"} {
			if _, ok := resolve(attr(body, key)); !ok {
				t.Errorf("%s: %s=%q is not published", tt.file, key, attr(body, key))
			}
		}
		if !strings.Contains(attr(body, "data-wasm"), ".wasm") {
			t.Errorf("%s: data-wasm %q", tt.file, attr(body, "data-wasm"))
		}
		status := p.ids["app-status"]
		if status == nil || attr(status, "role") != "status" || !strings.Contains(text(status), "Loading") {
			t.Errorf("%s: no loading status shown while the engine starts", tt.file)
		}
		if len(find(p.doc, element("noscript"))) == 0 {
			t.Errorf("%s: nothing tells a reader without JavaScript what is going on", tt.file)
		}
		var srcs []string
		for _, s := range find(p.doc, element("script")) {
			srcs = append(srcs, attr(s, "src"))
			if attr(s, "integrity") == "" {
				t.Errorf("%s: script %s without integrity", tt.file, attr(s, "src"))
			}
		}
		if len(srcs) != 3 || !strings.Contains(srcs[0], "offline") || !strings.Contains(srcs[1], "wasm_exec") || !strings.Contains(srcs[2], "loader") {
			t.Errorf("%s: scripts %v, want offline, wasm_exec, then the loader", tt.file, srcs)
		}
	}
	// Study pages link to practice of their sub-domain, domain and tasks.
	p := readPage(t, "domain-3/3-1/index.html")
	found := false
	for _, a := range find(p.doc, element("a")) {
		if attr(a, "href") == "/practice/?scope=subdomain:3.1" {
			found = true
		}
	}
	if !found {
		t.Error("the 3.1 page has no link to practice the sub-domain")
	}
}

func TestStudyNotesRenderOnTheirPagesAndTheGlossaryHasEveryTerm(t *testing.T) {
	o := loadOutline(t)
	set, err := notes.Load(os.DirFS("../content/notes"))
	if err != nil {
		t.Fatal(err)
	}
	terms := 0
	for _, d := range o.Domains {
		dp := readPage(t, domainFile(d))
		for _, h := range notes.DomainLayout {
			if !strings.Contains(text(dp.doc), h.Heading) {
				t.Errorf("%s: the overview section %q is missing", dp.file, h.Heading)
			}
		}
		for _, s := range d.SubDomains {
			p := readPage(t, subdomainFile(d, s))
			// Its figures are drawn inline (so that they take the page's colors), each told in words.
			figs := find(p.doc, func(n *html.Node) bool { return hasClass(n, "diagram-art") })
			if len(figs) == 0 {
				t.Errorf("%s: no figure drawn", p.file)
			}
			for _, f := range figs {
				svg := find(f, element("svg"))
				desc := attr(f, "aria-describedby")
				if len(svg) != 1 || attr(f, "role") != "img" || attr(f, "aria-label") == "" || p.ids[desc] == nil || len(strings.Fields(text(p.ids[desc]))) < notes.MinDiagramWords {
					t.Errorf("%s: a figure is not an inline SVG with a name and its description in words", p.file)
				}
			}
			for _, task := range s.Tasks {
				n := set.Tasks[task.ID]
				if n == nil {
					continue // the notes test reports it
				}
				terms += len(n.Terms)
				anchor := "task-" + strings.ReplaceAll(task.ID, ".", "-")
				sec := p.ids[anchor]
				if sec == nil || sec.Data != "section" {
					t.Errorf("%s: task %s has no section of notes", p.file, task.ID)
					continue
				}
				want := []string{"Key terms", "References"}
				for _, l := range notes.TaskLayout {
					if !l.Optional {
						want = append(want, l.Heading)
					}
				}
				for _, h := range want {
					if _, ok := p.ids[anchor+"-"+strings.ReplaceAll(strings.ToLower(h), " ", "-")]; !ok {
						t.Errorf("%s: task %s lacks the %q heading", p.file, task.ID, h)
					}
				}
				for _, term := range n.Terms {
					if _, ok := p.ids["term-"+notes.Slug(term.Term)]; !ok {
						t.Errorf("%s: term %q has no anchor", p.file, term.Term)
					}
				}
			}
		}
	}
	g := readPage(t, "glossary/index.html")
	dts := find(g.doc, element("dt"))
	if len(dts) != terms || terms < 134 {
		t.Errorf("the glossary lists %d terms, the notes define %d", len(dts), terms)
	}
	// Every entry links to where it is taught (the link test checks the anchors exist).
	if links := find(g.doc, func(n *html.Node) bool { return hasClass(n, "taught") }); len(links) != terms {
		t.Errorf("%d glossary entries link to their task, want %d", len(links), terms)
	}
}

// buildWithCorrections builds the site again, with the real configuration and layouts but the
// given corrections log in place of content/corrections.yaml, and returns the output folder. The
// configuration is copied with every mount made absolute, so the copy builds from anywhere.
func buildWithCorrections(t *testing.T, log string) string {
	t.Helper()
	builtSite(t) // the compiled bank and engine the mounts point at
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	conf, err := os.ReadFile("hugo.toml")
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := filepath.Abs(log)
	if err != nil {
		t.Fatal(err)
	}
	swapped := false
	mount := regexp.MustCompile(`(?m)^source = "([^"]+)"$`)
	conf = mount.ReplaceAllFunc(conf, func(line []byte) []byte {
		src := mount.FindSubmatch(line)[1]
		abs := filepath.Join(here, string(src))
		if string(src) == "../content/corrections.yaml" {
			abs, swapped = fixture, true
		}
		return []byte(fmt.Sprintf("source = %q", filepath.ToSlash(abs)))
	})
	if !swapped {
		t.Fatal("hugo.toml does not mount ../content/corrections.yaml")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), conf, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	cmd := exec.Command("go", "tool", "hugo", "--source", dir, "--destination", out, "--panicOnWarning", "--quiet")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hugo build with %s failed: %v\n%s", log, err, msg)
	}
	return out
}

func TestTheCorrectionsPageListsEachEntryNewestFirstWithAnAnchorPerQuestion(t *testing.T) {
	fixture, err := os.ReadFile("testdata/corrections.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ps := bank.ParseCorrections("testdata/corrections.yaml", fixture).Problems; len(ps) > 0 {
		t.Fatalf("the sample log is not written as the real one must be: %v", ps)
	}
	out := buildWithCorrections(t, "testdata/corrections.yaml")
	f, err := os.Open(filepath.Join(out, "corrections", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	articles := find(doc, element("article"))
	var got []string
	for _, a := range articles {
		got = append(got, attr(a, "id")+" | "+text(a))
	}
	// Of two entries of one day, the one written later comes first. A question's older entries
	// carry no anchor: ids are unique, and the feedback's link lands on the newest.
	want := []string{
		"2.3-004 | Question 2.3-004, 5 December 2026 What changed (options): Option D no longer repeats the stem's words. Why: The repetition pointed at it.",
		"3.1-001 | Question 3.1-001, 5 December 2026 What changed (explanation): The explanation works out the annual saving. Why: It left the arithmetic to the reader.",
		" | Question 2.3-004, 1 December 2026 What changed (key, explanation): The key is now C, and the explanation says why B comes too late. Why: A reader showed that B misses the 72-hour notice.",
		" | Question 3.1-001, 20 November 2026 What changed (stem): The stem gives the control's yearly cost. Why: Without it the question had no single best answer.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the corrections page lists:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if times := find(doc, element("time")); len(times) != 4 || attr(times[2], "datetime") != "2026-12-01" {
		t.Errorf("want each date in a <time datetime>, got %d", len(times))
	}
	if strings.Contains(text(doc), "No question has been corrected yet") {
		t.Error("a page with corrections says there are none")
	}
}

func TestTheRealCorrectionsPageShowsTheLogOrSaysItIsEmpty(t *testing.T) {
	log, err := bank.ReadCorrections("../content/corrections.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := readPage(t, "corrections/index.html")
	articles := find(p.doc, element("article"))
	if len(articles) != len(log.Entries) {
		t.Errorf("the page lists %d corrections, the log holds %d", len(articles), len(log.Entries))
	}
	empty := strings.Contains(text(p.doc), "No question has been corrected yet") && strings.Contains(text(p.doc), "Report a problem")
	if empty != (len(log.Entries) == 0) {
		t.Errorf("with %d corrections, the page says there are none: %v", len(log.Entries), empty)
	}
	// The footer of every page links to it.
	home := readPage(t, "index.html")
	linked := false
	for _, a := range find(home.doc, element("a")) {
		linked = linked || attr(a, "href") == "/corrections/"
	}
	if !linked {
		t.Error("the home page does not link to /corrections/")
	}
}
