// Package arch holds the test that keeps the arrows of DESIGN.md pointing one way: the adapters
// (wasm/, lambda/) never import each other, the sync protocol needs only the standard library, and
// the browser's module carries neither HTTP nor Go's cryptography.
package arch

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/issmp-study/issmp"

func deps(t *testing.T, env []string, pkgs ...string) map[string]bool {
	t.Helper()
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", pkgs, err, out)
	}
	set := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		set[p] = true
	}
	if len(set) < 10 {
		t.Fatalf("go list %v found only %d packages: is the check working?", pkgs, len(set))
	}
	return set
}

func TestTheAdaptersNeverImportEachOther(t *testing.T) {
	server := deps(t, nil, "./lambda/...", "./cmd/serve")
	for p := range server {
		if strings.HasPrefix(p, module+"/wasm") || strings.HasPrefix(p, module+"/store") || p == module+"/syncclient" {
			t.Errorf("the server side depends on %s", p)
		}
	}
	if !server[module+"/syncproto"] {
		t.Error("the server does not use syncproto: is the check looking at the right packages?")
	}
	browser := deps(t, []string{"GOOS=js", "GOARCH=wasm"}, "./wasm")
	for p := range browser {
		switch {
		case strings.HasPrefix(p, module+"/lambda"), strings.HasPrefix(p, module+"/cmd"):
			t.Errorf("the browser module depends on %s", p)
		case p == "net/http", strings.HasPrefix(p, "github.com/aws/"):
			t.Errorf("the browser module carries %s", p)
		case p == "crypto/aes", p == "crypto/hkdf", p == module+"/syncproto/stdcrypto":
			t.Errorf("the browser module carries %s: it encrypts with Web Crypto (wasm/webcrypto)", p)
		}
	}
	if !browser[module+"/syncclient"] {
		t.Error("the browser module does not use syncclient: is the check looking at the right package?")
	}
}

func TestTheSyncProtocolNeedsOnlyTheStandardLibrary(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./syncproto")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != module+"/syncproto" {
			t.Errorf("syncproto depends on %s", p)
		}
	}
}
