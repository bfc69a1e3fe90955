// Command serve serves the built site and the sync API on one local origin: `make serve` runs it
// after the build. Sync data lives in a bbolt file (-sync-db); the API is the same handler that
// runs on AWS Lambda.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/issmp-study/issmp/lambda/syncapi"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/static"
)

func main() {
	dir := flag.String("dir", "public", "folder holding the built site")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	syncDB := flag.String("sync-db", "build/sync.db", "file that keeps the sync service's data")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *dir, *addr, *syncDB, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// run serves dir and the sync API on addr until ctx ends, and tells the user where to point the
// browser.
func run(ctx context.Context, dir, addr, syncDB string, out io.Writer) error {
	site := os.DirFS(dir)
	if err := static.CheckSite(site); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Dir(syncDB), 0o755); err != nil {
		return fmt.Errorf("sync store: %w", err)
	}
	store, err := boltstore.Open(syncDB)
	if err != nil {
		return err
	}
	defer store.Close()
	mux := http.NewServeMux()
	mux.Handle("/api/", syncapi.New(syncapi.Config{
		Store: store,
		Now:   time.Now,
		Log:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}))
	mux.Handle("/", static.Handler(site))
	handler, err := static.WithSecurityHeaders(mux)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w (is another server using the port? try PORT=8081 make serve)", err)
	}
	srv := &http.Server{
		Handler:           handler,
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
