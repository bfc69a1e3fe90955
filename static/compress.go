package static

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// compressible lists the file types worth compressing; images other than SVG are compressed
// already.
var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".json": true, ".wasm": true, ".svg": true,
	".webmanifest": true, ".txt": true, ".xml": true,
}

// minCompress is the size below which compression is not worth a second request path.
const minCompress = 512

// encodings are the precompressed variants, in order of preference.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// Precompress writes a brotli (.br) and a gzip (.gz) copy beside every compressible file under
// root, at the best compression (the site is built once and served many times). It returns the
// number of files compressed.
func Precompress(root string) (int, error) {
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[filepath.Ext(p)] {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil || len(data) < minCompress {
			return err
		}
		var br, gz bytes.Buffer
		bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
		gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		for _, w := range []interface {
			Write([]byte) (int, error)
			Close() error
		}{bw, gw} {
			if _, err := w.Write(data); err != nil {
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
		}
		for ext, b := range map[string][]byte{".br": br.Bytes(), ".gz": gz.Bytes()} {
			if len(b) >= len(data) {
				continue // no gain: serve the file as it is
			}
			if err := os.WriteFile(p+ext, b, 0o644); err != nil {
				return err
			}
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("precompress: %w", err)
	}
	return n, nil
}

// accepts reports whether the request's Accept-Encoding allows the encoding (q > 0).
func accepts(r *http.Request, encoding string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), encoding) {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			v, err := strconv.ParseFloat(q, 64)
			return err == nil && v > 0
		}
		return true
	}
	return false
}

// variant returns the precompressed file to serve for name, and its encoding, or "" when the
// plain file is to be served.
func variant(fsys fs.FS, r *http.Request, name string) (string, string) {
	if !compressible[path.Ext(name)] {
		return "", ""
	}
	for _, e := range encodings {
		if !accepts(r, e.name) {
			continue
		}
		if info, err := fs.Stat(fsys, name+e.ext); err == nil && !info.IsDir() {
			return name + e.ext, e.name
		}
	}
	return "", ""
}
