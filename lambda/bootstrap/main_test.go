package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdaurl"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/issmp-study/issmp/internal/dynamolocal"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/lambda/syncstore/dynamostore"
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

// On Lambda the store is DynamoDB's, which keeps reports: a report through the function URL is
// stored, under the viewer's address's limit, and its comment stays out of the function's log.
func TestAReportThroughTheFunctionURLIsStoredInDynamoDB(t *testing.T) {
	endpoint := dynamolocal.Start(t)
	db := dynamodb.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
	if err := dynamostore.CreateTable(t.Context(), db, "sync"); err != nil {
		t.Fatal(err)
	}
	s := dynamostore.New(db, "sync", rand.New(rand.NewPCG(1, 2)), syncstore.DefaultLimits)
	var logs strings.Builder
	invoke := lambdaurl.Wrap(handler(s, slog.New(slog.NewJSONHandler(&logs, nil))))
	body := `{"v":1,"question":"3.1-019","bank":"2026.12.1","answer":"B","reason":"two_right","comment":"B and D both work"}`
	req := &events.LambdaFunctionURLRequest{
		RawPath: syncproto.PathReport,
		Headers: map[string]string{"content-type": "application/json", "cloudfront-viewer-address": "198.51.100.7:46532"},
		Body:    base64.StdEncoding.EncodeToString([]byte(body)), IsBase64Encoded: true,
	}
	req.RequestContext.HTTP.Method = "POST"
	req.RequestContext.DomainName = "example.lambda-url.eu-west-1.on.aws"
	res, err := invoke(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	var answer syncproto.ReportResponse
	if res.StatusCode != 200 || json.Unmarshal(out, &answer) != nil || answer.ID == "" {
		t.Fatalf("report through the function URL = %d %s", res.StatusCode, out)
	}
	got, err := s.ListReports(t.Context())
	if err != nil || len(got) != 1 || got[0].ID != answer.ID || got[0].Comment != "B and D both work" || got[0].Reason != syncproto.ReasonTwoRight {
		t.Fatalf("DynamoDB holds %+v, %v; want the report %s", got, err, answer.ID)
	}
	if !strings.Contains(logs.String(), `"question":"3.1-019"`) || strings.Contains(logs.String(), "both work") || strings.Contains(logs.String(), "198.51.100.7") {
		t.Errorf("the function's log should name the question alone:\n%s", logs.String())
	}
}
