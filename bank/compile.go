package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/issmp-study/issmp/quiz"
)

// BankFile is the name of the compiled bank inside the output folder. The site build fingerprints
// it when it publishes it.
const BankFile = "bank.json"

// Load reads the outline, the question bank and the corrections log under a content folder
// (content/outline.yaml, content/bank/ and content/corrections.yaml).
func Load(contentDir string) (*quiz.Outline, *Source, error) {
	o, err := LoadOutline(filepath.Join(contentDir, "outline.yaml"))
	if err != nil {
		return nil, nil, err
	}
	dir := filepath.Join(contentDir, "bank")
	src, err := Read(os.DirFS(dir), filepath.ToSlash(dir))
	if err != nil {
		return nil, nil, err
	}
	if src.Corrections, err = ReadCorrections(filepath.ToSlash(filepath.Join(contentDir, CorrectionsFile))); err != nil {
		return nil, nil, err
	}
	return o, src, nil
}

// ErrProblems is returned by Compile when the linter found problems.
var ErrProblems = errors.New("the question bank has problems: run make bank-lint")

// Compile turns a lint-clean source into the bank the browser loads: every question in file order
// (retired ones too, so that past answers can still be shown) with their corrections, the scenario
// sets and the outline, with a hash of that content as the version. Options stay in the order written.
func Compile(src *Source, o *quiz.Outline) (*quiz.Bank, error) {
	if ps := Lint(src, o); len(ps) > 0 {
		return nil, fmt.Errorf("%w (%d problems, the first: %s)", ErrProblems, len(ps), ps[0])
	}
	b := &quiz.Bank{Outline: *o, Questions: make([]quiz.Question, 0, len(src.Items)), Scenarios: make([]quiz.Scenario, 0, len(src.Scenarios))}
	for _, it := range src.Items {
		q := it.Question
		q.Corrections = src.Corrections.For(q.ID)
		b.Questions = append(b.Questions, q)
	}
	for _, s := range src.Scenarios {
		b.Scenarios = append(b.Scenarios, s.Scenario)
	}
	body, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	sum := sha256.Sum256(body)
	b.Version = hex.EncodeToString(sum[:10])
	return b, nil
}

// WriteCompiled compiles the bank under contentDir into outDir/bank.json and returns it.
func WriteCompiled(contentDir, outDir string) (*quiz.Bank, error) {
	o, src, err := Load(contentDir)
	if err != nil {
		return nil, err
	}
	b, err := Compile(src, o)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	// Write then rename, so a reader never sees half a bank.
	tmp := filepath.Join(outDir, "."+BankFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(outDir, BankFile)); err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	return b, nil
}
