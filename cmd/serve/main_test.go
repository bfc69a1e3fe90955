package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/syncclient/nethttp"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/syncproto/stdcrypto"
)

// patience is how long a test waits for something that should happen at once, or after a short
// test timeout: far longer than needed, so a slow machine does not fail the test, and far shorter
// than forever, which is what the server used to take.
const patience = 5 * time.Second

// testLimits are short enough that a timeout test takes a fraction of a second.
func testLimits() limits {
	return limits{
		ReadHeader:     200 * time.Millisecond,
		Read:           200 * time.Millisecond,
		Write:          2 * time.Second,
		Idle:           200 * time.Millisecond,
		MaxHeaderBytes: 4 << 10,
		MaxConns:       64,
	}
}

// startServer runs the server on a free port over a one-page site, stops it when the test ends,
// and returns its host:port.
func startServer(t *testing.T, lim limits) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>ISSMP</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, dir, "127.0.0.1:0", filepath.Join(dir, "sync.db"), lim, pw) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server did not stop cleanly: %v", err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`).FindStringSubmatch(line)
	if addr == nil {
		t.Fatalf("no URL in %q", line)
	}
	return addr[1]
}

// dial opens a raw TCP connection that the test closes when it ends.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, patience)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// get sends a keep-alive GET / on conn and reads the whole response.
func get(t *testing.T, conn net.Conn, r *bufio.Reader) *http.Response {
	t.Helper()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(patience))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// waitClosed fails the test unless the server closes conn within patience. Whatever the server
// answered before closing is read and ignored.
func waitClosed(t *testing.T, conn net.Conn, r io.Reader) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(patience))
	_, err := io.Copy(io.Discard, r)
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		t.Fatalf("the server still holds the connection after %v", patience)
	}
	// io.Copy returns nil at EOF; a reset also means the server closed it.
}

func TestServePrintsTheURLAndServesTheSite(t *testing.T) {
	url := "http://" + startServer(t, defaultLimits()) + "/"
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "ISSMP") {
		t.Errorf("GET /: %d %q", resp.StatusCode, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'wasm-unsafe-eval'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("GET / has Content-Security-Policy %q", csp)
	}
	resp, err = http.Get(url + "api/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok":true`) {
		t.Errorf("GET /api/health on the same origin: %d %q", resp.StatusCode, body)
	}
}

func TestServeRefusesAFolderWithoutASite(t *testing.T) {
	err := run(context.Background(), t.TempDir(), "127.0.0.1:0", filepath.Join(t.TempDir(), "sync.db"), defaultLimits(), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("got %v, want an error that says to run make build", err)
	}
}

func TestServeRefusesALimitLeftAtZeroWhichNetHTTPWouldTakeAsNoLimit(t *testing.T) {
	if err := defaultLimits().check(); err != nil {
		t.Fatalf("the default limits are refused: %v", err)
	}
	// Cancelled, so that a server which wrongly starts stops at once and the test fails, not hangs.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, unset := range map[string]func(*limits){
		"read header": func(l *limits) { l.ReadHeader = 0 },
		"read":        func(l *limits) { l.Read = 0 },
		"write":       func(l *limits) { l.Write = 0 },
		"idle":        func(l *limits) { l.Idle = 0 },
		"header size": func(l *limits) { l.MaxHeaderBytes = 0 },
		"connections": func(l *limits) { l.MaxConns = 0 },
	} {
		lim := defaultLimits()
		unset(&lim)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := run(ctx, dir, "127.0.0.1:0", filepath.Join(dir, "sync.db"), lim, io.Discard); err == nil || !strings.Contains(err.Error(), "limits") {
			t.Errorf("%s left at zero: got %v, want the limits refused", name, err)
		}
	}
}

func TestServeDisconnectsAClientThatNeverFinishesItsRequestBody(t *testing.T) {
	tests := []struct {
		name string
		body func(conn net.Conn, stop <-chan struct{})
	}{
		{"stalls after the headers", func(net.Conn, <-chan struct{}) {}},
		// A byte every 50 ms beats any per-read deadline: only a deadline on the whole request
		// ends it.
		{"trickles a byte at a time", func(conn net.Conn, stop <-chan struct{}) {
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}},
	}
	addr := startServer(t, testLimits())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := dial(t, addr)
			// The sync API reads the body of a push, as a real handler would.
			fmt.Fprintf(conn, "POST /api/sync/push HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
			stop := make(chan struct{})
			defer close(stop)
			go tt.body(conn, stop)
			waitClosed(t, conn, conn)
		})
	}
}

func TestServeClosesAnIdleKeepAliveConnection(t *testing.T) {
	addr := startServer(t, testLimits())
	conn := dial(t, addr)
	r := bufio.NewReader(conn)
	if resp := get(t, conn, r); resp.StatusCode != 200 || resp.Close {
		t.Fatalf("GET /: status %d, close %v; want 200 on a connection kept alive", resp.StatusCode, resp.Close)
	}
	waitClosed(t, conn, r)
}

func TestServeHoldsAConnectionOverTheCapUntilAnotherClosesAndStaysUp(t *testing.T) {
	const limit = 3
	lim := testLimits()
	lim.MaxConns = limit
	lim.Idle = time.Minute // the connections at the cap must not time out during the test
	addr := startServer(t, lim)

	conns := make([]net.Conn, limit)
	readers := make([]*bufio.Reader, limit)
	for i := range conns {
		conns[i] = dial(t, addr)
		readers[i] = bufio.NewReader(conns[i])
		if resp := get(t, conns[i], readers[i]); resp.StatusCode != 200 {
			t.Fatalf("connection %d: status %d", i+1, resp.StatusCode)
		}
	}

	// The kernel completes the handshake, but the server does not take the connection.
	over := dial(t, addr)
	overR := bufio.NewReader(over)
	if _, err := io.WriteString(over, "GET / HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	over.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := overR.Peek(1); err == nil {
		t.Fatalf("connection %d was served while %d were open", limit+1, limit)
	} else if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Fatalf("connection %d was dropped instead of kept waiting: %v", limit+1, err)
	}

	// The connections at the cap are still served.
	if resp := get(t, conns[1], readers[1]); resp.StatusCode != 200 {
		t.Fatalf("a connection at the cap: status %d", resp.StatusCode)
	}

	conns[0].Close()
	over.SetReadDeadline(time.Now().Add(patience))
	resp, err := http.ReadResponse(overR, nil)
	if err != nil {
		t.Fatalf("connection %d was not served once another closed: %v", limit+1, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("connection %d: status %d", limit+1, resp.StatusCode)
	}

	// Once the clients go, the server takes new ones as before.
	for _, c := range append(conns[1:], over) {
		c.Close()
	}
	client := &http.Client{Timeout: patience}
	resp, err = client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("the server did not stay up: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("after the crowd: status %d", resp.StatusCode)
	}
}

// The attack test wrote 2.2 GiB into 128 new sync logs from one address with no 429. The local
// server keeps the sync service's allowance: five new logs a day from one address.
func TestServeTakesOnlyAFewNewSyncLogsADayFromOneAddress(t *testing.T) {
	addr := startServer(t, defaultLimits())
	var got []int
	for i := range 7 {
		k, _, err := stdcrypto.Derive(syncproto.Code{byte(i), 42})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(syncproto.PushRequest{V: syncproto.Version, ID: k.ID, Batches: [][]byte{make([]byte, 1024)}})
		status, _, err := (&nethttp.Transport{Base: "http://" + addr}).Post(t.Context(), syncproto.PathPush, k.Token, body)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, status)
	}
	if fmt.Sprint(got) != "[200 200 200 200 200 429 429]" {
		t.Fatalf("seven new logs from one address answered %v; want five taken, then 429", got)
	}
}

// The local server takes reports (its bbolt store keeps them) over real HTTP, without a token,
// and refuses a flood from one address.
func TestServeTakesReportsAndLimitsThemPerAddress(t *testing.T) {
	addr := startServer(t, defaultLimits())
	body := `{"v":1,"question":"3.1-019","bank":"2026.12.1","answer":"B","reason":"typo","comment":"teh"}`
	var got []int
	for range 6 {
		resp, err := http.Post("http://"+addr+syncproto.PathReport, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out syncproto.ReportResponse
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode == 200 && (err != nil || out.V != 1 || out.ID == "") {
			t.Fatalf("a stored report answered %+v, %v; want its id", out, err)
		}
		got = append(got, resp.StatusCode)
	}
	if fmt.Sprint(got) != "[200 200 200 200 200 429]" {
		t.Fatalf("six reports from one address answered %v; want five taken, then 429", got)
	}
}
