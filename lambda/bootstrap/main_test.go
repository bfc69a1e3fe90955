package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdaurl"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/syncproto/stdcrypto"
)

// The function URL's event reaches the same handler: a push arrives base64-encoded, as Lambda
// sends a body, and the answer comes back with its status and JSON.
func TestFunctionURLEventsReachTheSyncHandler(t *testing.T) {
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "sync.db"), syncstore.DefaultLimits, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var logs strings.Builder
	invoke := lambdaurl.Wrap(handler(s, slog.New(slog.NewJSONHandler(&logs, nil))))
	k, _, _ := stdcrypto.Derive(syncproto.Code{4, 5, 6})
	body, _ := json.Marshal(syncproto.PushRequest{V: 1, ID: k.ID, Batches: [][]byte{make([]byte, 40)}})
	req := &events.LambdaFunctionURLRequest{
		RawPath:         syncproto.PathPush,
		Headers:         map[string]string{"x-sync-token": k.Token, "content-type": "application/json"},
		Body:            base64.StdEncoding.EncodeToString(body),
		IsBase64Encoded: true,
	}
	req.RequestContext.HTTP.Method = "POST"
	req.RequestContext.DomainName = "example.lambda-url.eu-west-1.on.aws"
	res, err := invoke(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(out), `"first":1`) {
		t.Fatalf("push through the function URL = %d %s", res.StatusCode, out)
	}
	if !strings.HasPrefix(res.Headers["Content-Type"], "application/json") {
		t.Errorf("Content-Type %q", res.Headers["Content-Type"])
	}
	req.RawPath, req.Body, req.IsBase64Encoded = "/api/nothing", "", false
	res, _ = invoke(t.Context(), req)
	out, _ = io.ReadAll(res.Body)
	if res.StatusCode != 404 || !json.Valid(out) {
		t.Errorf("unknown path = %d %s", res.StatusCode, out)
	}
	if strings.Contains(logs.String(), k.Token) {
		t.Error("the token reached the function's log")
	}
}
