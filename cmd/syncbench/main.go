// Command syncbench measures the sync service through a running server (make serve, or the
// server `make bench` starts):
//
//	syncbench -url URL roundtrip [-events 10000]   push N events from one device, pull them on another
//	syncbench -url URL seed [-logs 10000] -lua F   register logs, write a wrk script that pulls them
//
// roundtrip prints one JSON object of timings. The client is the app's own (syncclient) with Go's
// cryptography; the browser's Web Crypto is not part of the figure.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/syncclient"
	"github.com/issmp-study/issmp/syncclient/nethttp"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/syncproto/stdcrypto"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "the server")
	flag.Parse()
	var err error
	switch flag.Arg(0) {
	case "roundtrip":
		fs := flag.NewFlagSet("roundtrip", flag.ExitOnError)
		n := fs.Int("events", 10000, "events to push and pull")
		_ = fs.Parse(flag.Args()[1:])
		err = roundtrip(*url, *n, os.Stdout)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ExitOnError)
		logs := fs.Int("logs", 10000, "logs to register, one batch each")
		lua := fs.String("lua", "", "the wrk script to write")
		_ = fs.Parse(flag.Args()[1:])
		err = seed(*url, *logs, *lua)
	default:
		err = fmt.Errorf("usage: syncbench -url URL roundtrip [-events N] | seed [-logs N] -lua FILE")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "syncbench:", err)
		os.Exit(1)
	}
}

// memory is one device: its log and named values.
type memory struct {
	mu     sync.Mutex
	log    []quiz.Event
	values map[string]string
}

func (m *memory) Log() []quiz.Event { return m.log }
func (m *memory) Merge(evs []quiz.Event) (int, error) {
	before := len(m.log)
	m.log = quiz.Merge(m.log, quiz.SortLog(evs))
	return len(m.log) - before, nil
}
func (m *memory) Get(_ context.Context, k string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[k]
	return v, ok, nil
}
func (m *memory) Put(_ context.Context, k, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.values[k] = v
	return nil
}

func roundtrip(url string, n int, out io.Writer) error {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	ids, err := quiz.NewIDs(quiz.NewDeviceID(rng), "")
	if err != nil {
		return err
	}
	a := &memory{values: map[string]string{}}
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		a.log = append(a.log, quiz.NewPracticeAnswer(ids.Next(t0.Add(time.Duration(i)*time.Second)), quiz.AnswerData{
			Question: fmt.Sprintf("%d.%d-%03d", 1+i%6, 1+i%4, 1+i%40), Response: quiz.Response{i % 4}, Correct: i%3 != 0, Millis: int64(20000 + i%9000),
		}))
	}
	code, err := syncproto.NewCode(rand.NewChaCha8([32]byte{byte(rng.Uint64())}))
	if err != nil {
		return err
	}
	t := &nethttp.Transport{Base: url}
	random := rand.NewChaCha8([32]byte{byte(rng.Uint64()), 1})
	ca, err := syncclient.Enable(context.Background(), a, t, stdcrypto.Derive, code, random)
	if err != nil {
		return err
	}
	start := time.Now()
	resA, err := ca.Sync(context.Background(), a, time.Now())
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	push := time.Since(start)
	b := &memory{values: map[string]string{}}
	cb, err := syncclient.Enable(context.Background(), b, t, stdcrypto.Derive, code, random)
	if err != nil {
		return err
	}
	start = time.Now()
	resB, err := cb.Sync(context.Background(), b, time.Now())
	if err != nil {
		return fmt.Errorf("pull: %w", err)
	}
	pull := time.Since(start)
	if resA.Pushed != n || resB.Pulled != n {
		return fmt.Errorf("pushed %d, pulled %d; want %d each", resA.Pushed, resB.Pulled, n)
	}
	plains, _, _ := syncclient.Pack(a.log, syncproto.MaxBatchBytes-syncproto.SealOverhead)
	size := 0
	for _, p := range plains {
		size += len(p) + syncproto.SealOverhead
	}
	return json.NewEncoder(out).Encode(map[string]any{
		"events": n, "batches": len(plains), "bytes": size,
		"push_ms": push.Milliseconds(), "pull_ms": pull.Milliseconds(),
	})
}

// seed registers logs with one small batch each and writes a wrk script whose requests pull them
// in turn, so no log exceeds the per-id rate limit.
func seed(url string, logs int, lua string) error {
	if lua == "" {
		return fmt.Errorf("seed needs -lua FILE")
	}
	var b strings.Builder
	b.WriteString("-- Written by syncbench seed: pulls of registered sync logs, in turn.\nlocal logs = {\n")
	client := &http.Client{Timeout: 10 * time.Second}
	body := make([]byte, 200)
	for i := range logs {
		var c syncproto.Code
		c[0], c[1], c[2] = byte(i), byte(i>>8), byte(i>>16)
		k, s, err := stdcrypto.Derive(c)
		if err != nil {
			return err
		}
		sealed, err := s.Seal(body, rand.NewChaCha8([32]byte{byte(i)}))
		if err != nil {
			return err
		}
		req, _ := json.Marshal(syncproto.PushRequest{V: syncproto.Version, ID: k.ID, Batches: [][]byte{sealed}})
		status, resp, err := (&nethttp.Transport{Base: url, Client: client}).Post(context.Background(), syncproto.PathPush, k.Token, req)
		if err != nil || status != 200 {
			return fmt.Errorf("registering log %d: %d %s %v", i, status, resp, err)
		}
		fmt.Fprintf(&b, "  {%q, %q},\n", k.ID, k.Token)
	}
	b.WriteString(`}
local requests = {}
local i = 0
init = function(args)
  for n, log in ipairs(logs) do
    requests[n] = wrk.format("POST", "/api/sync/pull",
      { ["Content-Type"] = "application/json", ["X-Sync-Token"] = log[2] },
      '{"v":1,"id":"' .. log[1] .. '","after":0}')
  end
  i = math.random(#requests)
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`)
	return os.WriteFile(lua, []byte(b.String()), 0o644)
}
