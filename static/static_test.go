package static

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

var site = fstest.MapFS{
	"index.html":                           {Data: []byte("<h1>home</h1>")},
	"404.html":                             {Data: []byte("<h1>lost</h1>")},
	"domain-3/index.html":                  {Data: []byte("<h1>risk</h1>")},
	"css/main.0123456789abcdef0123.css":    {Data: []byte("body{}")},
	"favicon.svg":                          {Data: []byte("<svg/>")},
	"quiz.0123456789abcdef0123456789.wasm": {Data: []byte("\x00asm")},
	"empty/readme.txt":                     {Data: []byte("x")},
}

func TestHandlerServesTheSite(t *testing.T) {
	tests := []struct {
		name, method, path string
		status             int
		body, typ, cache   string
		location           string
	}{
		{"home", "GET", "/", 200, "home", "text/html; charset=utf-8", CacheRevalidate, ""},
		{"section index", "GET", "/domain-3/", 200, "risk", "text/html; charset=utf-8", CacheRevalidate, ""},
		{"folder without slash redirects", "GET", "/domain-3", 301, "", "", "", "/domain-3/"},
		{"fingerprinted css is immutable", "GET", "/css/main.0123456789abcdef0123.css", 200, "body{}", "text/css; charset=utf-8", CacheImmutable, ""},
		{"wasm type", "GET", "/quiz.0123456789abcdef0123456789.wasm", 200, "\x00asm", "application/wasm", CacheImmutable, ""},
		{"svg revalidates", "GET", "/favicon.svg", 200, "<svg/>", "image/svg+xml", CacheRevalidate, ""},
		{"missing page gets the 404 page", "GET", "/nowhere/", 404, "lost", "text/html; charset=utf-8", CacheRevalidate, ""},
		{"folder without index is not found", "GET", "/empty/", 404, "lost", "", "", ""},
		{"traversal stays inside", "GET", "/../../etc/passwd", 404, "lost", "", "", ""},
		{"head has no body", "HEAD", "/", 200, "", "text/html; charset=utf-8", "", ""},
		{"post is refused", "POST", "/", 405, "Only GET and HEAD", "", "", ""},
	}
	h := Handler(site)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.body != "" && !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("body %q does not contain %q", rec.Body.String(), tt.body)
			}
			if tt.method == "HEAD" && rec.Body.Len() != 0 {
				t.Errorf("HEAD answered with a body")
			}
			if tt.typ != "" && rec.Header().Get("Content-Type") != tt.typ {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), tt.typ)
			}
			if tt.cache != "" && rec.Header().Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control %q, want %q", rec.Header().Get("Cache-Control"), tt.cache)
			}
			if tt.location != "" && rec.Header().Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", rec.Header().Get("Location"), tt.location)
			}
		})
	}
}

// TestHandlerRedirectsAFolderOnlyWithinTheSite asks for folders by paths that decode or clean to
// something starting "//" (or to what a browser reads as "//": a backslash, or a tab it strips),
// and checks that the redirect to folder/ names the site's own path, never another host. The site
// holds a folder for each, so that every request reaches the redirect.
func TestHandlerRedirectsAFolderOnlyWithinTheSite(t *testing.T) {
	fsys := fstest.MapFS{
		"index.html":                 {Data: []byte("<h1>home</h1>")},
		"practice/index.html":        {Data: []byte("<h1>practice</h1>")},
		"evil.example/index.html":    {Data: []byte("x")},
		"evil.example/x/index.html":  {Data: []byte("x")},
		"evil/index.html":            {Data: []byte("x")},
		`\evil.example/index.html`:   {Data: []byte("x")},
		"\t/evil.example/index.html": {Data: []byte("x")},
	}
	tests := []struct {
		name, path, location string
	}{
		{"encoded slash", "/%2Fpractice", "/practice/"},
		{"encoded slash keeps the query", "/%2Fpractice?next=%2F%2Fevil", "/practice/?next=%2F%2Fevil"},
		{"two encoded slashes", "/%2F%2Fevil.example", "/evil.example/"},
		{"three slashes", "///evil.example", "/evil.example/"},
		{"double slash with a folder below", "//evil.example/x", "/evil.example/x/"},
		{"dot then encoded slash", "/./%2fevil", "/evil/"},
		{"backslash", `/\evil.example`, "/%5Cevil.example/"},
		{"encoded backslash", "/%5Cevil.example", "/%5Cevil.example/"},
		{"encoded slash then backslash", "/%2F%5Cevil.example", "/%5Cevil.example/"},
		{"encoded tab, which a browser strips", "/%09/evil.example", "/%09/evil.example/"},
	}
	// A browser drops tabs and newlines from a URL and reads a backslash as a slash.
	browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/")
	h := Handler(fsys)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			loc := rec.Header().Get("Location")
			if rec.Code != http.StatusMovedPermanently {
				t.Fatalf("status %d, want 301 (Location %q)", rec.Code, loc)
			}
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
				t.Errorf("Location %q does not start with exactly one slash", loc)
			}
			if b := browser.Replace(loc); strings.HasPrefix(b, "//") {
				t.Errorf("Location %q reads as %q in a browser: another host", loc, b)
			}
			if u, err := url.Parse(loc); err != nil || u.Scheme != "" || u.Host != "" {
				t.Errorf("Location %q names a host or does not parse: %+v %v", loc, u, err)
			}
			if loc != tt.location {
				t.Errorf("Location %q, want %q", loc, tt.location)
			}
		})
	}
}

// TestHandlerSendsTheContentTypeOfEveryKindOfFileTheSitePublishes serves one file of each kind the
// built site holds (Hugo's pages and fingerprinted assets, site/static, the compiled bank, the
// engine) through the real handler, so a type that no longer comes out right fails here whatever
// the host's MIME tables say.
func TestHandlerSendsTheContentTypeOfEveryKindOfFileTheSitePublishes(t *testing.T) {
	const fp = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	fsys := fstest.MapFS{
		"index.html":                   {Data: []byte("<h1>home</h1>")},
		"404.html":                     {Data: []byte("<h1>lost</h1>")},
		"css/main." + fp + ".css":      {Data: []byte("body{}")},
		"js/offline." + fp + ".js":     {Data: []byte("1")},
		"sw.js":                        {Data: []byte("self")},
		"bank/bank." + fp + ".json":    {Data: []byte("{}")},
		"bank/bank." + fp + ".json.br": {Data: []byte("BROTLI")},
		"wasm/quiz." + fp + ".wasm":    {Data: []byte("\x00asm")},
		"wasm/quiz." + fp + ".wasm.gz": {Data: []byte("GZIP")},
		"manifest.webmanifest":         {Data: []byte("{}")},
		"favicon.svg":                  {Data: []byte("<svg/>")},
		"favicon.ico":                  {Data: []byte("\x00\x00\x01\x00")},
		"icons/icon-192.png":           {Data: []byte("\x89PNG")},
		"robots.txt":                   {Data: []byte("User-agent: *")},
		"sitemap.xml":                  {Data: []byte("<urlset/>")},
		"OLD.WEBMANIFEST":              {Data: []byte("{}")},
	}
	tests := []struct {
		name, path, accept, want string
	}{
		{"page", "/", "", "text/html; charset=utf-8"},
		{"404 page", "/nowhere", "", "text/html; charset=utf-8"},
		{"stylesheet", "/css/main." + fp + ".css", "", "text/css; charset=utf-8"},
		{"script", "/js/offline." + fp + ".js", "", "text/javascript; charset=utf-8"},
		{"service worker", "/sw.js", "", "text/javascript; charset=utf-8"},
		{"question bank", "/bank/bank." + fp + ".json", "", "application/json"},
		{"question bank, brotli copy", "/bank/bank." + fp + ".json", "br", "application/json"},
		{"engine", "/wasm/quiz." + fp + ".wasm", "", "application/wasm"},
		{"engine, gzip copy", "/wasm/quiz." + fp + ".wasm", "gzip", "application/wasm"},
		{"web app manifest", "/manifest.webmanifest", "", "application/manifest+json"},
		{"upper-case extension", "/OLD.WEBMANIFEST", "", "application/manifest+json"},
		{"svg icon", "/favicon.svg", "", "image/svg+xml"},
		{"favicon", "/favicon.ico", "", "image/vnd.microsoft.icon"},
		{"png icon", "/icons/icon-192.png", "", "image/png"},
		{"text", "/robots.txt", "", "text/plain; charset=utf-8"},
		{"xml", "/sitemap.xml", "", "text/xml; charset=utf-8"},
	}
	h := Handler(fsys)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if got := rec.Header().Get("Content-Type"); got != tt.want {
				t.Errorf("Content-Type %q, want %q", got, tt.want)
			}
			// The type comes from the package's own table, so a host without it serves it too.
			if ext := strings.ToLower(path.Ext(tt.path)); ext != "" && contentTypes[ext] != tt.want {
				t.Errorf("the table gives %s %q, want %q", ext, contentTypes[ext], tt.want)
			}
			if tt.accept != "" && rec.Header().Get("Content-Encoding") != tt.accept {
				t.Errorf("the %s copy was not served (Content-Encoding %q)", tt.accept, rec.Header().Get("Content-Encoding"))
			}
		})
	}
	// Every file type the build compresses has its own content type, not the host's.
	for ext := range compressible {
		if contentTypes[ext] == "" {
			t.Errorf("compressible %s has no content type of its own", ext)
		}
	}
}

func TestHandlerServesByteRanges(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Range", "bytes=0-3")
	rec := httptest.NewRecorder()
	Handler(site).ServeHTTP(rec, req)
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "<h1>" {
		t.Errorf("range request: %d %q", rec.Code, rec.Body.String())
	}
}

func TestCheckSiteRefusesAnEmptyFolder(t *testing.T) {
	if err := CheckSite(fstest.MapFS{}); err != ErrNoSite {
		t.Errorf("got %v, want ErrNoSite", err)
	}
	if err := CheckSite(site); err != nil {
		t.Errorf("a built site was refused: %v", err)
	}
}

func TestHandlerServesPrecompressedVariants(t *testing.T) {
	fsys := fstest.MapFS{
		"index.html":                          {Data: []byte("<h1>plain</h1>")},
		"index.html.br":                       {Data: []byte("BROTLI")},
		"index.html.gz":                       {Data: []byte("GZIP")},
		"quiz.0123456789abcdef0123.wasm":      {Data: []byte("wasm")},
		"quiz.0123456789abcdef0123.wasm.gz":   {Data: []byte("wasm-gz")},
		"favicon.0123456789abcdef0123.png":    {Data: []byte("png")},
		"favicon.0123456789abcdef0123.png.br": {Data: []byte("never served")},
	}
	tests := []struct {
		path, accept, body, encoding string
	}{
		{"/", "gzip, deflate, br", "BROTLI", "br"},
		{"/", "gzip", "GZIP", "gzip"},
		{"/", "br;q=0, gzip;q=0.5", "GZIP", "gzip"},
		{"/", "", "<h1>plain</h1>", ""},
		{"/quiz.0123456789abcdef0123.wasm", "br, gzip", "wasm-gz", "gzip"},
		{"/favicon.0123456789abcdef0123.png", "br", "png", ""},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", tt.path, nil)
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		rec := httptest.NewRecorder()
		Handler(fsys).ServeHTTP(rec, req)
		if rec.Body.String() != tt.body || rec.Header().Get("Content-Encoding") != tt.encoding {
			t.Errorf("%s with %q: body %q encoding %q, want %q %q", tt.path, tt.accept, rec.Body.String(), rec.Header().Get("Content-Encoding"), tt.body, tt.encoding)
		}
		if tt.path == "/quiz.0123456789abcdef0123.wasm" && rec.Header().Get("Content-Type") != "application/wasm" {
			t.Errorf("compressed wasm served as %q", rec.Header().Get("Content-Type"))
		}
		if tt.path == "/" && rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("no Vary: Accept-Encoding on a compressible file")
		}
	}
}

func TestPrecompressWritesSmallerCopies(t *testing.T) {
	dir := t.TempDir()
	big := []byte(strings.Repeat("<p>ISSMP study notes</p>\n", 200))
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", big)
	write("tiny.css", []byte("a{}"))
	write("photo.png", big)
	n, err := Precompress(dir)
	if err != nil || n != 1 {
		t.Fatalf("Precompress: %d files, %v", n, err)
	}
	for _, name := range []string{"index.html.br", "index.html.gz"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.Size() >= int64(len(big)) {
			t.Errorf("%s: %v (size %v)", name, err, info)
		}
	}
	for _, name := range []string{"tiny.css.br", "photo.png.br"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s should not exist", name)
		}
	}
	// The brotli copy decodes to the original.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "br")
	Handler(os.DirFS(dir)).ServeHTTP(rec, req)
	plain, err := io.ReadAll(brotli.NewReader(rec.Body))
	if err != nil || string(plain) != string(big) {
		t.Errorf("brotli copy does not decode to the page: %v", err)
	}
}

func TestSecurityHeadersAreStrictAndSentOnEveryResponse(t *testing.T) {
	hs, err := SecurityHeaders()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range hs {
		got[h.Name] = h.Value
	}
	csp := got["Content-Security-Policy"]
	for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'", "style-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the CSP lacks %q: %s", want, csp)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("the CSP allows inline or eval'd script: %s", csp)
	}
	for _, name := range []string{"Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy"} {
		if got[name] == "" {
			t.Errorf("no %s header", name)
		}
	}
	h, err := WithSecurityHeaders(http.NotFoundHandler())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/nothing", nil))
	if rec.Header().Get("Content-Security-Policy") != csp {
		t.Error("a 404 went out without the CSP")
	}
}
