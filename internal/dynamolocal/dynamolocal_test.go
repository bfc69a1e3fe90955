package dynamolocal

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTB records the Fatal (or Skip) that stops start, instead of failing the test, and ends the
// calling goroutine as the real ones do. Everything else goes to the real test.
type fakeTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fakeTB) Fatal(args ...any)                 { f.stop(fmt.Sprint(args...)) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.stop(fmt.Sprintf(format, args...)) }
func (f *fakeTB) FailNow()                          { f.stop("FailNow") }
func (f *fakeTB) Skip(args ...any)                  { f.stop("skip: " + fmt.Sprint(args...)) }
func (f *fakeTB) Skipf(format string, args ...any)  { f.stop("skip: " + fmt.Sprintf(format, args...)) }
func (f *fakeTB) SkipNow()                          { f.stop("SkipNow") }

func (f *fakeTB) stop(msg string) {
	f.mu.Lock()
	f.msg = msg
	f.mu.Unlock()
	runtime.Goexit()
}

// startExpectingFatal runs start in its own goroutine (Fatalf ends it) and returns the message
// it failed with; it fails the test if start returns an endpoint instead.
func startExpectingFatal(t *testing.T, l launcher) string {
	t.Helper()
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	var endpoint string
	began := time.Now()
	go func() {
		defer close(done)
		endpoint = start(f, l)
	}()
	// Only a safety net against a hang: start's own timeout is 60 s.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("start neither failed nor returned within 30 s")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.msg == "" {
		t.Fatalf("start returned %q, want a Fatal", endpoint)
	}
	t.Logf("start failed after %s with: %s", time.Since(began).Round(time.Millisecond), f.msg)
	return f.msg
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s is not on the PATH: %v", name, err)
		}
		t.Skipf("%s is not on the PATH: %v", name, err)
	}
	return path
}

// A Java that dies at start-up must be reported at once, with its exit status and output, and
// not retried: before, start waited the whole timeout, as nothing called Wait.
func TestStartReportsJavaExitingAtOnce(t *testing.T) {
	java := lookPath(t, "java")
	for _, tc := range []struct {
		name string
		args []string
		want string // in Java's output
	}{
		{"bad JVM flag", []string{"-XX:+NoSuchFlagForThisTest", "-version"}, "Unrecognized VM option"},
		{"missing jar", []string{"-jar", filepath.Join(t.TempDir(), "missing.jar")}, "Unable to access jarfile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := 0
			msg := startExpectingFatal(t, launcher{
				java: java,
				dir:  t.TempDir(),
				args: func(int) []string { runs++; return tc.args },
				port: freePort,
			})
			for _, want := range []string{"exited during start-up", "exit status 1", tc.want} {
				if !strings.Contains(msg, want) {
					t.Errorf("the failure does not say %q:\n%s", want, msg)
				}
			}
			if runs != 1 {
				t.Errorf("Java ran %d times, want 1: only a taken port is worth a retry", runs)
			}
		})
	}
}

// A port that stays taken ends in a failure after a bounded number of attempts.
func TestStartGivesUpAfterBoundedAttempts(t *testing.T) {
	sh := lookPath(t, "sh")
	runs := 0
	msg := startExpectingFatal(t, launcher{
		java: sh,
		dir:  t.TempDir(),
		args: func(int) []string {
			runs++
			return []string{"-c", `echo "Caused by: java.net.BindException: Address already in use" >&2; exit 1`}
		},
		port: freePort,
	})
	if runs != attempts {
		t.Errorf("Java ran %d times, want %d", runs, attempts)
	}
	if want := fmt.Sprintf("attempt %d of %d", attempts, attempts); !strings.Contains(msg, want) || !strings.Contains(msg, "BindException") {
		t.Errorf("the failure does not say %q with Java's output:\n%s", want, msg)
	}
}

// A port taken by a listener between choosing and binding it: Java fails to bind, and start
// must neither return the squatter's address (which answers a dial) nor give up.
func TestStartRetriesWhenPortIsTaken(t *testing.T) {
	l := jarLauncher(t)
	squatter, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	taken := squatter.Addr().(*net.TCPAddr).Port
	picks := 0
	l.port = func() (int, error) {
		picks++
		if picks == 1 {
			return taken, nil
		}
		return freePort()
	}
	endpoint := start(t, l)
	if picks < 2 {
		t.Errorf("start chose %d port(s), want a retry after port %d", picks, taken)
	}
	if endpoint == fmt.Sprintf("http://127.0.0.1:%d", taken) {
		t.Fatalf("start returned the squatter's address %s", endpoint)
	}
	requireDynamoDB(t, endpoint)
}

func TestStartInParallel(t *testing.T) {
	var mu sync.Mutex
	var endpoints []string
	t.Run("group", func(t *testing.T) { // returns once both parallel subtests have ended
		for i := range 2 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				endpoint := Start(t)
				requireDynamoDB(t, endpoint)
				mu.Lock()
				endpoints = append(endpoints, endpoint)
				mu.Unlock()
			})
		}
	})
	if len(endpoints) == 2 && endpoints[0] == endpoints[1] {
		t.Errorf("both Starts returned %s, want two servers", endpoints[0])
	}
}

// requireDynamoDB checks that endpoint answers as DynamoDB does to an unsigned request.
func requireDynamoDB(t *testing.T, endpoint string) {
	t.Helper()
	if _, err := url.Parse(endpoint); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", endpoint, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "com.amazonaws.dynamodb") {
		t.Fatalf("%s does not answer as DynamoDB: %s %s", endpoint, resp.Status, body)
	}
}
