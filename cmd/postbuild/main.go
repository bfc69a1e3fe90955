// Command postbuild finishes the site Hugo built: it fills in the service worker (the files to
// keep offline and the build's version), then writes brotli and gzip copies for the local server.
package main

import (
	"fmt"
	"os"

	"github.com/issmp-study/issmp/pwa"
	"github.com/issmp-study/issmp/static"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: postbuild DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	version, files, err := pwa.WriteServiceWorker(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n, err := static.Precompress(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("postbuild: service worker %s precaches %d files; precompressed %d files\n", version, files, n)
}
