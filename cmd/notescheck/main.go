// Command notescheck checks the study notes in content/notes against the outline and the content
// guide, printing each problem as file:line: message. With -complete, missing notes are problems
// too (this is what `make test` enforces).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/issmp-study/issmp/bank"
	"github.com/issmp-study/issmp/notes"
)

func main() {
	dir := flag.String("dir", "content/notes", "folder holding the notes")
	outline := flag.String("outline", "content/outline.yaml", "the outline data file")
	complete := flag.Bool("complete", false, "report tasks, sub-domains and domains without notes")
	flag.Parse()
	o, err := bank.LoadOutline(*outline)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	set, err := notes.Load(os.DirFS(*dir))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	problems := set.Check(o, *complete)
	for _, p := range problems {
		fmt.Println(filepath.Join(*dir, p.String()))
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "%d problems in the notes\n", len(problems))
		os.Exit(1)
	}
	fmt.Printf("notes: %d task notes, %d introductions, %d domain overviews: no problems\n", len(set.Tasks), len(set.Subdomains), len(set.Domains))
}
