package quiz_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The engine must stay pure: no browser, no HTTP, no AWS, in any build of it (native or WASM).
// On js/wasm the standard library itself reaches syscall/js (through time and syscall), so for
// syscall/js the rule is that no package outside the standard library imports it.
func TestTheEngineImportsNoBrowserHTTPOrAWS(t *testing.T) {
	for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}} {{join .Imports \",\"}}", ".")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list %v: %v\n%s", env, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		ours := 0
		for _, line := range lines {
			f := strings.Fields(line)
			path, standard := f[0], f[1] == "true"
			var imports []string
			if len(f) > 2 {
				imports = strings.Split(f[2], ",")
			}
			if path == "net/http" || strings.HasPrefix(path, "github.com/aws/") {
				t.Errorf("%v: the engine depends on %s", env, path)
			}
			if standard {
				continue
			}
			ours++
			for _, imp := range imports {
				if imp == "syscall/js" || imp == "net/http" || strings.HasPrefix(imp, "github.com/aws/") {
					t.Errorf("%v: %s imports %s", env, path, imp)
				}
			}
		}
		if ours < 2 || len(lines) < 20 {
			t.Fatalf("go list %v found %d packages, %d outside the standard library: is the check working?", env, len(lines), ours)
		}
	}
}
