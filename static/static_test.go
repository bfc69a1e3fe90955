package static

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
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
