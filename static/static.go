// Package static serves the built site (Hugo's public/ folder) with the headers a browser needs:
// the right content types, long caching for fingerprinted files, revalidation for everything else,
// and the site's own 404 page.
package static

import (
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// Cache policies. Fingerprinted files never change under their name, so browsers may keep them for
// a year; every other file (HTML above all) must be revalidated so a new build shows at once.
const (
	CacheImmutable  = "public, max-age=31536000, immutable"
	CacheRevalidate = "no-cache"
	notFoundPage    = "404.html"
	directoryIndex  = "index.html"
)

// fingerprinted matches names such as main.3f2a…9c.css that Hugo's fingerprint (sha256, hex) made.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{16,}\.[a-z0-9]+$`)

// contentTypes are the content types of every kind of file the site publishes (and of the other
// text types Precompress handles), so that they do not depend on the host: Go's built-in MIME table
// lacks .webmanifest and .ico, and a host without /etc/mime.types adds nothing to it. Read-only;
// other extensions fall back to mime.TypeByExtension. The package never changes the process-wide
// MIME table, which every other package in the binary shares.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".json":        "application/json",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/vnd.microsoft.icon",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "text/xml; charset=utf-8",
}

// contentType returns the Content-Type for a published file name, or "" if its type is unknown.
func contentType(name string) string {
	ext := path.Ext(name)
	if typ, ok := contentTypes[strings.ToLower(ext)]; ok {
		return typ
	}
	return mime.TypeByExtension(ext)
}

// Handler serves the files of fsys. A path ending in "/" serves that folder's index.html; a folder
// asked for without the slash is redirected to it; anything missing gets 404.html with status 404.
func Handler(fsys fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Only GET and HEAD are allowed here.", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, directoryIndex)
		}
		if name == "" {
			name = directoryIndex
		}
		info, err := fs.Stat(fsys, name)
		if err == nil && info.IsDir() {
			if _, err := fs.Stat(fsys, path.Join(name, directoryIndex)); err == nil {
				// Built from the cleaned name, never the raw path: "/%2Fpractice" is the path
				// "//practice", and "//practice/" in Location is another host. name has no
				// leading slash, so the target starts with exactly one, and escaping turns a
				// backslash (which browsers read as "/") into %5C.
				target := url.URL{Path: "/" + name + "/", RawQuery: r.URL.RawQuery}
				http.Redirect(w, r, target.String(), http.StatusMovedPermanently)
				return
			}
			err = fs.ErrNotExist
		}
		if err != nil {
			notFound(w, r, fsys)
			return
		}
		serveFile(w, r, fsys, name, http.StatusOK)
	})
}

func notFound(w http.ResponseWriter, r *http.Request, fsys fs.FS) {
	if _, err := fs.Stat(fsys, notFoundPage); err != nil {
		http.Error(w, "Not found.", http.StatusNotFound)
		return
	}
	serveFile(w, r, fsys, notFoundPage, http.StatusNotFound)
}

func serveFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string, status int) {
	f, err := fsys.Open(name)
	if err != nil {
		http.Error(w, "The file could not be read.", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		http.Error(w, "The file could not be read.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	if typ := contentType(name); typ != "" {
		h.Set("Content-Type", typ)
	}
	h.Set("Cache-Control", CachePolicy(name))
	h.Set("X-Content-Type-Options", "nosniff")
	if compressible[path.Ext(name)] {
		h.Add("Vary", "Accept-Encoding")
	}
	if file, encoding := variant(fsys, r, name); file != "" {
		if cf, err := fsys.Open(file); err == nil {
			defer cf.Close()
			if ci, err := cf.Stat(); err == nil {
				f, info = cf, ci
				h.Set("Content-Encoding", encoding)
			}
		}
	}
	if status != http.StatusOK {
		// ServeContent always answers 200; an error page needs its own status.
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_, _ = io.Copy(w, f)
		}
		return
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		http.Error(w, "The file could not be read.", http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, name, info.ModTime(), rs)
}

// CachePolicy returns the Cache-Control value for a published file name.
func CachePolicy(name string) string {
	if fingerprinted.MatchString(path.Base(name)) {
		return CacheImmutable
	}
	return CacheRevalidate
}

// ErrNoSite is returned by CheckSite when the folder holds no built site.
var ErrNoSite = errors.New("no index.html: build the site first (make build)")

// CheckSite reports whether fsys looks like a built site, so a server can refuse to start with a
// clear message instead of answering every request with 404.
func CheckSite(fsys fs.FS) error {
	if _, err := fs.Stat(fsys, directoryIndex); err != nil {
		return ErrNoSite
	}
	return nil
}
