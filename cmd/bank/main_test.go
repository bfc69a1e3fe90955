package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// content makes a content folder holding the real outline and the given bank files.
func content(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	outline, err := os.ReadFile("../../content/outline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "bank"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "outline.yaml"), outline, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "bank", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLintStatsCompileAndLedger(t *testing.T) {
	dir := content(t, map[string]string{"3-1.yaml": "../../bank/testdata/good/3-1.yaml"})
	var out, errb bytes.Buffer

	// Without a ledger, lint reports the new ids, and ledger adds them.
	if code := run([]string{"-content", dir, "lint"}, &out, &errb); code != 1 || !strings.Contains(out.String(), "9 new ids are not in the ledger yet") {
		t.Fatalf("lint without a ledger: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"-content", dir, "ledger"}, &out, &errb); code != 0 {
		t.Fatalf("ledger: exit %d: %s", code, errb.String())
	}
	ledger, _ := os.ReadFile(filepath.Join(dir, "bank", "ledger.txt"))
	if !strings.Contains(string(ledger), "3.1-001 3.1.9\n") || !strings.Contains(string(ledger), "3.1-S01 3.1\n") {
		t.Fatalf("ledger:\n%s", ledger)
	}
	// Without a key baseline, lint asks for one, and keys writes it.
	if code := run([]string{"-content", dir, "lint"}, &out, &errb); code != 1 || !strings.Contains(out.String(), "8 questions have no key baseline yet") {
		t.Fatalf("lint without a key baseline: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"-content", dir, "keys"}, &out, &errb); code != 0 {
		t.Fatalf("keys: exit %d: %s", code, errb.String())
	}
	keys, _ := os.ReadFile(filepath.Join(dir, "bank", "keys.txt"))
	if !strings.Contains(string(keys), "3.1-001 B\n") || !strings.Contains(string(keys), "3.1-005 [1,3]\n") {
		t.Fatalf("keys:\n%s", keys)
	}
	if code := run([]string{"-content", dir, "lint"}, &out, &errb); code != 0 {
		t.Fatalf("lint after ledger and keys: exit %d\n%s", code, out.String())
	}
	// A changed baseline line is left alone: keys only appends.
	edited := strings.Replace(string(keys), "3.1-001 B\n", "3.1-001 A\n", 1)
	if err := os.WriteFile(filepath.Join(dir, "bank", "keys.txt"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"-content", dir, "keys"}, &out, &errb); code != 0 {
		t.Fatalf("keys again: exit %d: %s", code, errb.String())
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "bank", "keys.txt")); string(again) != edited {
		t.Fatalf("keys rewrote the baseline:\n%s", again)
	}
	if code := run([]string{"-content", dir, "lint"}, &out, &errb); code != 1 || !strings.Contains(out.String(), "question 3.1-001: its key changed") {
		t.Fatalf("lint with a changed key: exit %d\n%s", code, out.String())
	}
	if err := os.WriteFile(filepath.Join(dir, "bank", "keys.txt"), keys, 0o644); err != nil {
		t.Fatal(err)
	}
	// With -targets, a small bank misses its targets.
	if code := run([]string{"-content", dir, "lint", "-targets"}, &out, &errb); code != 1 || !strings.Contains(out.String(), "target: 8 live questions, want at least 400") {
		t.Fatalf("lint -targets: exit %d\n%s", code, out.String())
	}

	out.Reset()
	if code := run([]string{"-content", dir, "stats"}, &out, &errb); code != 0 {
		t.Fatalf("stats: exit %d", code)
	}
	var stats map[string]any
	if err := json.Unmarshal(out.Bytes(), &stats); err != nil {
		t.Fatalf("stats is not one JSON object: %v\n%s", err, out.String())
	}
	for _, key := range []string{"questions", "by_domain", "by_type", "tasks_covered", "ai", "scenario_sets"} {
		if _, ok := stats[key]; !ok {
			t.Errorf("stats lacks %q: %s", key, out.String())
		}
	}
	if stats["questions"].(float64) != 8 {
		t.Errorf("stats questions = %v", stats["questions"])
	}

	build := filepath.Join(t.TempDir(), "bank")
	if code := run([]string{"-content", dir, "compile", "-out", build}, &out, &errb); code != 0 {
		t.Fatalf("compile: exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(build, "bank.json")); err != nil {
		t.Error(err)
	}
}

func TestUsageErrors(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage:") {
		t.Errorf("no command: exit %d, %q", code, errb.String())
	}
	if code := run([]string{"-content", "/nonexistent", "lint"}, &out, &errb); code != 1 {
		t.Errorf("missing content folder: exit %d", code)
	}
}
