// Command notescheck checks the study notes in content/notes against the outline and the content
// guide, printing each problem as file:line: message. With -complete, missing notes are problems
// too (this is what `make test` enforces).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/issmp-study/issmp/bank"
	"github.com/issmp-study/issmp/notes"
)

func main() {
	dir := flag.String("dir", "content/notes", "folder holding the notes")
	outline := flag.String("outline", "content/outline.yaml", "the outline data file")
	complete := flag.Bool("complete", false, "report tasks, sub-domains and domains without notes")
	staplesFile := flag.String("staples", "docs/NOTES.md", "the guide whose \"## Staples\" section lists each sub-domain's staples")
	flag.Parse()
	o, err := bank.LoadOutline(*outline)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Files that do not parse are reported, and the rest are still checked.
	set, loadErr := notes.Load(os.DirFS(*dir))
	if set == nil {
		fmt.Fprintln(os.Stderr, loadErr)
		os.Exit(1)
	}
	if loadErr != nil {
		for _, line := range strings.Split(loadErr.Error(), "\n") {
			fmt.Println(filepath.Join(*dir, line))
		}
	}
	problems := set.Check(o, *complete)
	for _, p := range problems {
		fmt.Println(filepath.Join(*dir, p.String()))
	}
	data, err := os.ReadFile(*staplesFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	staples, err := notes.ReadStaples(data)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", *staplesFile, err)
		os.Exit(1)
	}
	for _, p := range set.CheckStaples(staples, o, *complete) {
		p.File = *staplesFile
		fmt.Println(p.String())
		problems = append(problems, p)
	}
	if len(problems) > 0 || loadErr != nil {
		fmt.Fprintf(os.Stderr, "%d problems in the notes\n", len(problems))
		os.Exit(1)
	}
	fmt.Printf("notes: %d task notes, %d introductions, %d domain overviews, %d staples: no problems\n", len(set.Tasks), len(set.Subdomains), len(set.Domains), len(staples))
}
