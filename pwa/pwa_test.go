package pwa

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func site() fstest.MapFS {
	return fstest.MapFS{
		"index.html":             {Data: []byte("home")},
		"404.html":               {Data: []byte("lost")},
		"domain-3/index.html":    {Data: []byte("risk")},
		"domain-3/index.html.br": {Data: []byte("x")},
		"wasm/quiz.abc.wasm":     {Data: []byte("\x00asm")},
		"wasm/quiz.abc.wasm.gz":  {Data: []byte("x")},
		"sw.js":                  {Data: []byte("const VERSION = '__VERSION__'; const PRECACHE = __PRECACHE__;")},
		"manifest.webmanifest":   {Data: []byte("{}")},
		".hidden":                {Data: []byte("x")},
		"icons/icon-192.png":     {Data: []byte("png")},
	}
}

func TestFilesListsEveryPageAndAssetOnce(t *testing.T) {
	urls, version, err := Files(site())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/", "/404.html", "/domain-3/", "/icons/icon-192.png", "/manifest.webmanifest", "/wasm/quiz.abc.wasm"}
	if !reflect.DeepEqual(urls, want) {
		t.Errorf("urls %v, want %v", urls, want)
	}
	if len(version) != 16 {
		t.Errorf("version %q", version)
	}
}

func TestVersionChangesWithAnyContentAndOnlyThen(t *testing.T) {
	_, v1, _ := Files(site())
	_, v2, _ := Files(site())
	changed := site()
	changed["domain-3/index.html"] = &fstest.MapFile{Data: []byte("risk, revised")}
	_, v3, _ := Files(changed)
	compressedOnly := site()
	compressedOnly["domain-3/index.html.br"] = &fstest.MapFile{Data: []byte("other")}
	_, v4, _ := Files(compressedOnly)
	if v1 != v2 || v1 == v3 || v1 != v4 {
		t.Errorf("versions: same %s %s, page changed %s, compressed copy changed %s", v1, v2, v3, v4)
	}
}

func TestWriteServiceWorkerFillsThePlaceholdersOnce(t *testing.T) {
	dir := t.TempDir()
	for name, f := range site() {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	version, n, err := WriteServiceWorker(dir)
	if err != nil || n != 6 {
		t.Fatalf("WriteServiceWorker: %d files, %v", n, err)
	}
	sw, _ := os.ReadFile(filepath.Join(dir, "sw.js"))
	if !strings.Contains(string(sw), "'"+version+"'") || !strings.Contains(string(sw), `["/","/404.html","/domain-3/"`) {
		t.Errorf("sw.js: %s", sw)
	}
	if _, _, err := WriteServiceWorker(dir); !errors.Is(err, ErrNotATemplate) {
		t.Errorf("a second fill: %v, want ErrNotATemplate", err)
	}
}
