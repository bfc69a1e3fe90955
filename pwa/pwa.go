// Package pwa finishes a built site for offline use: it fills in the service worker's list of
// files to precache and its version, a hash of every file's content, so that any change to the
// site makes a new version.
package pwa

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ServiceWorker is the service worker's file name, at the site's root.
const ServiceWorker = "sw.js"

// The placeholders the service worker's source holds (site/static/sw.js).
const (
	versionMark  = "'__VERSION__'"
	precacheMark = "__PRECACHE__"
)

// ErrNotATemplate is returned when sw.js has no placeholders (not built from site/static/sw.js, or
// already filled in).
var ErrNotATemplate = errors.New("pwa: sw.js has no __VERSION__ and __PRECACHE__ placeholders")

// Files lists the URLs of every file of a built site to precache, and a version that changes
// whenever any of their contents does. Pages are listed by their folder URL ("/domain-3/"), as
// browsers request them. Compressed copies (.br, .gz) and the service worker itself are left out.
func Files(fsys fs.FS) (urls []string, version string, err error) {
	type entry struct{ url, sum string }
	var entries []entry
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := path.Base(p)
		if p == ServiceWorker || strings.HasPrefix(base, ".") || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		url := "/" + p
		if base == "index.html" {
			url = strings.TrimSuffix(url, "index.html")
		}
		sum := sha256.Sum256(data)
		entries = append(entries, entry{url, hex.EncodeToString(sum[:])})
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("pwa: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].url < entries[j].url })
	h := sha256.New()
	for _, e := range entries {
		urls = append(urls, e.url)
		fmt.Fprintf(h, "%s\x00%s\n", e.url, e.sum)
	}
	return urls, hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Fill returns the service worker source with its placeholders replaced.
func Fill(source []byte, urls []string, version string) ([]byte, error) {
	if !bytes.Contains(source, []byte(versionMark)) || !bytes.Contains(source, []byte(precacheMark)) {
		return nil, ErrNotATemplate
	}
	list, err := json.Marshal(urls)
	if err != nil {
		return nil, err
	}
	out := bytes.Replace(source, []byte(versionMark), []byte("'"+version+"'"), 1)
	return bytes.Replace(out, []byte(precacheMark), list, 1), nil
}

// WriteServiceWorker fills in root/sw.js for the site under root and returns the version.
func WriteServiceWorker(root string) (version string, files int, err error) {
	file := filepath.Join(root, ServiceWorker)
	source, err := os.ReadFile(file)
	if err != nil {
		return "", 0, fmt.Errorf("pwa: %w", err)
	}
	urls, version, err := Files(os.DirFS(root))
	if err != nil {
		return "", 0, err
	}
	out, err := Fill(source, urls, version)
	if err != nil {
		return "", 0, err
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		return "", 0, fmt.Errorf("pwa: %w", err)
	}
	return version, len(urls), nil
}
