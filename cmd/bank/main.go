// Command bank works on the question bank in content/bank:
//
//	go run ./cmd/bank lint [-targets] [-only 3-1.yaml,...]  check it; print file:line: message for each problem
//	go run ./cmd/bank stats             print its statistics as one JSON object
//	go run ./cmd/bank cues [-only FILES] list the items whose key stands out by form, then the cue balance and the cue-only guesser's score
//	go run ./cmd/bank compile -out DIR  write the bank the browser loads (DIR/bank.json)
//	go run ./cmd/bank ledger            add new ids to the ledger of issued ids
//	go run ./cmd/bank keys              add new questions' keys to the key baseline (never rewrites a line)
//	go run ./cmd/bank blind [-only FILES] [-ids FILE]  print questions for a blind second reader: no keys
//	go run ./cmd/bank blind-check [-only FILES] ANSWERS  check a second reader's answers against the keys
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/issmp-study/issmp/bank"
)

const usage = `usage: bank [-content DIR] lint [-targets] [-only FILES] | stats | cues [-only FILES] | compile -out DIR | ledger | keys | blind [-only FILES] [-ids FILE] | blind-check [-only FILES] ANSWERS`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	content := fs.String("content", "content", "the content folder (outline.yaml and bank/)")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	o, src, err := bank.Load(*content)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	switch cmd {
	case "lint":
		sub := flag.NewFlagSet("lint", flag.ContinueOnError)
		sub.SetOutput(stderr)
		targets := sub.Bool("targets", false, "also check the bank's size and mix against its targets")
		only := sub.String("only", "", "lint only these files, comma-separated (e.g. 3-1.yaml,3-3.yaml); the ledger is not checked")
		if err := sub.Parse(rest); err != nil {
			return 2
		}
		if *only != "" {
			src = src.Only(strings.Split(*only, ",")...)
		}
		ps := bank.Lint(src, o)
		for _, p := range ps {
			fmt.Fprintln(stdout, p)
		}
		var missed []string
		if *targets {
			missed = bank.BankTargets.Check(bank.Count(src, o), o)
			for _, m := range missed {
				fmt.Fprintf(stdout, "%s: target: %s\n", filepath.Join(*content, "bank"), m)
			}
		}
		if len(ps)+len(missed) > 0 {
			fmt.Fprintf(stderr, "bank: %d problems, %d targets missed\n", len(ps), len(missed))
			return 1
		}
		fmt.Fprintf(stderr, "bank: %d questions, %d scenario sets: no problems\n", len(src.Items), len(src.Scenarios))
		return 0
	case "stats":
		enc := json.NewEncoder(stdout)
		report := struct {
			bank.Stats
			Cues    []bank.CueBalance   `json:"cues"`
			Guesser []bank.GuesserScore `json:"cue_guesser"`
		}{bank.Count(src, o), bank.MeasureCues(src), bank.GuessByCues(src)}
		if err := enc.Encode(report); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		return 0
	case "cues":
		sub := flag.NewFlagSet("cues", flag.ContinueOnError)
		sub.SetOutput(stderr)
		only := sub.String("only", "", "only these files, comma-separated; the balance is then theirs, not the bank's")
		moves := sub.Bool("moves", false, "also list single items to move in the guesser's order so that keys sit as often at every place")
		hits := sub.Bool("hits", false, "also list the items whose key the cue-only guesser (fitted on the whole bank) picks out, and why")
		if err := sub.Parse(rest); err != nil {
			return 2
		}
		whole := src
		files := map[string]bool{}
		if *only != "" {
			src = src.Only(strings.Split(*only, ",")...)
			for _, f := range strings.Split(*only, ",") {
				files[f] = true
			}
		}
		for _, c := range bank.ItemCues(src) {
			fmt.Fprintln(stdout, c)
		}
		if *moves {
			for _, c := range bank.GuesserMoves(whole) {
				if len(files) == 0 || files[filepath.Base(c.File)] {
					fmt.Fprintln(stdout, c)
				}
			}
		}
		if *hits {
			for _, c := range bank.GuesserHits(whole) {
				if len(files) == 0 || files[filepath.Base(c.File)] {
					fmt.Fprintln(stdout, c)
				}
			}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(map[string]any{"balance": bank.MeasureCues(src), "guesser": bank.GuessByCues(src)}); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		return 0
	case "compile":
		sub := flag.NewFlagSet("compile", flag.ContinueOnError)
		sub.SetOutput(stderr)
		out := sub.String("out", "build/bank", "folder to write bank.json into")
		if err := sub.Parse(rest); err != nil {
			return 2
		}
		b, err := bank.WriteCompiled(*content, *out)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stderr, "bank: compiled %d questions into %s (version %s)\n", len(b.Questions), filepath.Join(*out, bank.BankFile), b.Version)
		return 0
	case "ledger":
		missing := src.Missing()
		if len(missing) == 0 {
			fmt.Fprintln(stderr, "bank: the ledger already holds every id")
			return 0
		}
		file := filepath.Join(*content, "bank", bank.LedgerFile)
		old, err := os.ReadFile(file)
		if err != nil && !os.IsNotExist(err) {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if err := os.WriteFile(file, bank.AppendLedger(old, missing), 0o644); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stderr, "bank: added %d ids to %s\n", len(missing), file)
		return 0
	case "keys":
		// Only questions not yet listed are appended: a changed key must be recorded in the
		// corrections log, not absorbed into the baseline.
		missing := src.MissingKeys()
		if len(missing) == 0 {
			fmt.Fprintln(stderr, "bank: the key baseline already holds every question")
			return 0
		}
		file := filepath.Join(*content, "bank", bank.KeysFile)
		old, err := os.ReadFile(file)
		if err != nil && !os.IsNotExist(err) {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if err := os.WriteFile(file, bank.AppendKeys(old, missing), 0o644); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stderr, "bank: added %d keys to %s\n", len(missing), file)
		return 0
	case "blind", "blind-check":
		sub := flag.NewFlagSet(cmd, flag.ContinueOnError)
		sub.SetOutput(stderr)
		only := sub.String("only", "", "only these files, comma-separated")
		ids := sub.String("ids", "", "blind: only the questions whose ids this file lists, one per line (new questions, say)")
		if err := sub.Parse(rest); err != nil {
			return 2
		}
		if *only != "" {
			src = src.Only(strings.Split(*only, ",")...)
		}
		if cmd == "blind" {
			return blindSheet(src, *ids, stdout, stderr)
		}
		if sub.NArg() != 1 {
			fmt.Fprintln(stderr, "usage: bank blind-check [-only FILES] ANSWERS (a file of \"id answer\" lines)")
			return 2
		}
		return blindCheck(src, sub.Arg(0), stdout, stderr)
	}
	fmt.Fprintln(stderr, usage)
	return 2
}

func blindSheet(src *bank.Source, idsFile string, stdout, stderr io.Writer) int {
	var keep func(string) bool
	if idsFile != "" {
		data, err := os.ReadFile(idsFile)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		want := map[string]bool{}
		for _, id := range strings.Fields(string(data)) {
			want[id] = true
		}
		keep = func(id string) bool { return want[id] }
	}
	if err := bank.BlindSheet(stdout, src, keep); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// blindCheck prints every answer that differs from its key, with what the writer's explanation
// says, so that the disagreement can be settled; then the counts. It fails when any differs.
func blindCheck(src *bank.Source, answersFile string, stdout, stderr io.Writer) int {
	f, err := os.Open(answersFile)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer f.Close()
	results, err := bank.CheckBlind(src, f)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	agree := 0
	for _, r := range results {
		if r.Agrees {
			agree++
			continue
		}
		fmt.Fprintf(stdout, "%s:%d: %s: reader %q, key %q", r.Item.File, r.Item.Line, r.Item.ID, r.Answer, r.Key)
		if r.Err != nil {
			fmt.Fprintf(stdout, " (%v)", r.Err)
		}
		fmt.Fprintf(stdout, "\n    explanation: %s\n", r.Item.Explanation)
	}
	fmt.Fprintf(stderr, "bank: %d answers read, %d agree with the key, %d differ\n", len(results), agree, len(results)-agree)
	if agree < len(results) {
		return 1
	}
	return 0
}
