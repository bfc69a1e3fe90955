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
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/static"
	"golang.org/x/net/netutil"
)

// limits bound what one client, or many, can hold of the server. An attack test held 1.2 GB with
// 1,000 connections that sent headers and then trickled the body, and kept 300 idle keep-alive
// connections open for good: every connection now has a deadline for each phase, and only so many
// may be open at once. A zero duration would mean "no limit" to net/http, so run refuses one.
type limits struct {
	ReadHeader     time.Duration // to send the request line and headers
	Read           time.Duration // to send the whole request, body included
	Write          time.Duration // from the end of the headers to the end of the response
	Idle           time.Duration // a keep-alive connection may wait this long for its next request
	MaxHeaderBytes int           // request line and headers
	MaxConns       int           // connections open at once; more wait in the kernel's backlog
	// NewSyncLogs, when not zero, replaces the sync service's allowance of new logs per client
	// address and per day: a benchmark registers thousands from one address.
	NewSyncLogs int
}

// defaultLimits are generous for the one user this local server has, yet bound an attacker.
// The largest request is a sync push (at most 1 MiB) and the largest responses are the engine and
// the question bank (a few MB), each of which takes milliseconds on this machine, so 30 s to read
// and 60 s to write never cut a real client short. A browser reopens a closed keep-alive connection
// without fuss, so a minute of idling is enough. Headers get 64 KiB, not net/http's 1 MiB, because
// a browser sends a few KiB at most (cookies ignore ports, so other local apps' cookies for
// 127.0.0.1 come too). A browser opens at most 6 connections to an origin and `make bench` 50, so
// 512 at once is far beyond real use while bounding memory to tens of MB.
func defaultLimits() limits {
	return limits{
		ReadHeader:     10 * time.Second,
		Read:           30 * time.Second,
		Write:          60 * time.Second,
		Idle:           60 * time.Second,
		MaxHeaderBytes: 64 << 10,
		MaxConns:       512,
	}
}

// check refuses a limit that is unset, since net/http would take zero as no limit at all.
func (l limits) check() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read header", l.ReadHeader}, {"read", l.Read}, {"write", l.Write}, {"idle", l.Idle}} {
		if d.v <= 0 {
			return fmt.Errorf("limits: the %s timeout is %v; it must be positive", d.name, d.v)
		}
	}
	if l.MaxHeaderBytes <= 0 || l.MaxConns <= 0 {
		return fmt.Errorf("limits: max header bytes %d and max connections %d must be positive", l.MaxHeaderBytes, l.MaxConns)
	}
	return nil
}

func main() {
	dir := flag.String("dir", "public", "folder holding the built site")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	syncDB := flag.String("sync-db", "build/sync.db", "file that keeps the sync service's data")
	newLogs := flag.Int("new-sync-logs", 0, "new sync logs allowed per client address and per day (0 keeps the service's limits; benchmarks raise it)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lim := defaultLimits()
	lim.NewSyncLogs = *newLogs
	if err := run(ctx, *dir, *addr, *syncDB, lim, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// run serves dir and the sync API on addr, within lim, until ctx ends, and tells the user where to
// point the browser.
func run(ctx context.Context, dir, addr, syncDB string, lim limits, out io.Writer) error {
	if err := lim.check(); err != nil {
		return err
	}
	site := os.DirFS(dir)
	if err := static.CheckSite(site); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Dir(syncDB), 0o755); err != nil {
		return fmt.Errorf("sync store: %w", err)
	}
	store, err := boltstore.Open(syncDB, syncstore.DefaultLimits, time.Now())
	if err != nil {
		return err
	}
	defer store.Close()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	go sweep(ctx, store, logger)
	mux := http.NewServeMux()
	mux.Handle("/api/", syncapi.New(syncapi.Config{Store: store, Now: time.Now, Log: logger,
		Limits: syncapi.Limits{NewLogsPerAddress: lim.NewSyncLogs, NewLogsPerDay: lim.NewSyncLogs}}))
	mux.Handle("/", static.Handler(site))
	handler, err := static.WithSecurityHeaders(mux)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w (is another server using the port? try PORT=8081 make serve)", err)
	}
	// Past MaxConns, Accept waits for a connection to close rather than failing, so the server
	// stays up and a client over the cap is served late, not refused.
	ln = netutil.LimitListener(ln, lim.MaxConns)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.Idle,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
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

// sweep deletes expired sync logs now and every hour until ctx ends: the rule DynamoDB's TTL and
// the sweeper function keep on AWS.
func sweep(ctx context.Context, store *boltstore.Store, logger *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if _, err := store.Sweep(time.Now()); err != nil && ctx.Err() == nil {
			logger.Error("sweeping expired sync logs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
