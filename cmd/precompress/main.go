// Command precompress writes brotli and gzip copies of the built site's text and WebAssembly
// files, which the local server then serves to browsers that accept them.
package main

import (
	"fmt"
	"os"

	"github.com/issmp-study/issmp/static"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress DIR")
		os.Exit(2)
	}
	n, err := static.Precompress(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("precompressed %d files in %s\n", n, os.Args[1])
}
