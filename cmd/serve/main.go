// Command serve serves the built site on the local machine: `make serve` runs it after the build.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/issmp-study/issmp/static"
)

func main() {
	dir := flag.String("dir", "public", "folder holding the built site")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *dir, *addr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// run serves dir on addr until ctx ends, and tells the user where to point the browser.
func run(ctx context.Context, dir, addr string, out io.Writer) error {
	site := os.DirFS(dir)
	if err := static.CheckSite(site); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w (is another server using the port? try PORT=8081 make serve)", err)
	}
	srv := &http.Server{
		Handler:           static.Handler(site),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(os.Stderr, "serve: ", 0),
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(out, "ISSMP Study is running at http://%s/ (Ctrl+C stops it)\n", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
