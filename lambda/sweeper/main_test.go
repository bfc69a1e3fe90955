package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/issmp-study/issmp/internal/dynamolocal"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/dynamostore"
)

const logID = "0123456789abcdef0123456789abcdef"

// record is a stream record of eventName whose keys are log and seq, with an old image of keys
// plus extra.
func record(eventName, log string, seq string, extra map[string]events.DynamoDBAttributeValue) events.DynamoDBEventRecord {
	keys := map[string]events.DynamoDBAttributeValue{
		dynamostore.AttrLog: events.NewStringAttribute(log),
		dynamostore.AttrSeq: events.NewNumberAttribute(seq),
	}
	r := events.DynamoDBEventRecord{EventID: "e-" + eventName, EventName: eventName}
	r.Change.Keys = keys
	if eventName != "INSERT" {
		old := map[string]events.DynamoDBAttributeValue{}
		for k, v := range keys {
			old[k] = v
		}
		for k, v := range extra {
			old[k] = v
		}
		r.Change.OldImage = old
	}
	return r
}

func last(n string) map[string]events.DynamoDBAttributeValue {
	return map[string]events.DynamoDBAttributeValue{
		dynamostore.AttrLast:    events.NewNumberAttribute(n),
		"token":                 events.NewBinaryAttribute([]byte("hash")),
		dynamostore.AttrExpires: events.NewNumberAttribute("1900000000"),
	}
}

func TestTargetPicksOnlyTheRemovalOfALogsMeta(t *testing.T) {
	tests := []struct {
		name string
		r    events.DynamoDBEventRecord
		id   string
		last int64
	}{
		{"the TTL removing a log's meta", record("REMOVE", logID, "0", last("42")), logID, 42},
		{"the removal of a meta with no batches", record("REMOVE", logID, "0", last("0")), logID, 0},
		{"the removal of one of Take's counters", record("REMOVE", "~register/all/2026-12-07", "0", map[string]events.DynamoDBAttributeValue{"n": events.NewNumberAttribute("3")}), "", 0},
		{"the removal of a report", record("REMOVE", "~reports", "1922349213000123456", map[string]events.DynamoDBAttributeValue{"question": events.NewStringAttribute("3.1-019")}), "", 0},
		{"the insert of a report", record("INSERT", "~reports", "1922349213000123456", nil), "", 0},
		{"the removal of a batch", record("REMOVE", logID, "5", map[string]events.DynamoDBAttributeValue{"data": events.NewBinaryAttribute([]byte("x"))}), "", 0},
		{"the insert of a meta", record("INSERT", logID, "0", nil), "", 0},
		{"the update of a meta", record("MODIFY", logID, "0", last("41")), "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, last, ok, err := target(tc.r)
			if err != nil || ok != (tc.id != "") || id != tc.id || last != tc.last {
				t.Fatalf("target = %q, %d, ok %v, %v; want %q, %d", id, last, ok, err, tc.id, tc.last)
			}
		})
	}
}

func TestTargetRefusesAMalformedRemovalOfAMeta(t *testing.T) {
	noImage := record("REMOVE", logID, "0", nil)
	noImage.Change.OldImage = nil
	tests := []struct {
		name string
		r    events.DynamoDBEventRecord
	}{
		{"last is a string", record("REMOVE", logID, "0", map[string]events.DynamoDBAttributeValue{dynamostore.AttrLast: events.NewStringAttribute("42")})},
		{"last is missing", record("REMOVE", logID, "0", nil)},
		{"last is not an integer", record("REMOVE", logID, "0", last("4.5"))},
		{"the id is not a log id", record("REMOVE", strings.ToUpper(logID), "0", last("42"))},
		{"the log key is a number", func() events.DynamoDBEventRecord {
			r := record("REMOVE", logID, "0", last("42"))
			r.Change.Keys[dynamostore.AttrLog] = events.NewNumberAttribute("7")
			return r
		}()},
		{"there is no old image", noImage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, last, ok, err := target(tc.r)
			if err == nil || ok {
				t.Fatalf("target = %q, %d, ok %v, %v; want an error", id, last, ok, err)
			}
			if strings.Contains(err.Error(), logID[:9]) || strings.Contains(strings.ToLower(err.Error()), logID[:9]) {
				t.Fatalf("the error %q shows more than 8 characters of the id", err)
			}
		})
	}
}

// A record as Lambda delivers it from a stream of old images, after the TTL deleted a meta.
const ttlRemoval = `{"Records":[{
  "eventID":"c81e728d9d4c2f636f067f89cc14862c","eventName":"REMOVE","eventVersion":"1.1",
  "eventSource":"aws:dynamodb","awsRegion":"eu-west-1",
  "userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"},
  "dynamodb":{
    "ApproximateCreationDateTime":1900000100,
    "Keys":{"log":{"S":"0123456789abcdef0123456789abcdef"},"seq":{"N":"0"}},
    "OldImage":{"log":{"S":"0123456789abcdef0123456789abcdef"},"seq":{"N":"0"},
      "token":{"B":"aGFzaA=="},"last":{"N":"17"},"bytes":{"N":"2048"},"base":{"N":"0"},
      "epoch":{"S":"lq3k2x"},"expires":{"N":"1900000000"}},
    "SequenceNumber":"111","SizeBytes":120,"StreamViewType":"OLD_IMAGE"},
  "eventSourceARN":"arn:aws:dynamodb:eu-west-1:123456789012:table/sync/stream/2026-12-07T00:00:00.000"}]}`

func TestTargetReadsTheEventLambdaDelivers(t *testing.T) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal([]byte(ttlRemoval), &ev); err != nil {
		t.Fatal(err)
	}
	id, last, ok, err := target(ev.Records[0])
	if err != nil || !ok || id != logID || last != 17 {
		t.Fatalf("target = %q, %d, ok %v, %v; want the log, 17", id, last, ok, err)
	}
}

// fakeSweeper records its sweeps and fails those of the ids in fail.
type fakeSweeper struct {
	swept []string
	fail  map[string]bool
}

func (f *fakeSweeper) Sweep(_ context.Context, id string, last int64) error {
	f.swept = append(f.swept, fmt.Sprintf("%s..%d", id[:4], last))
	if f.fail[id] {
		return errors.New("throttled")
	}
	return nil
}

func TestHandlerSweepsEachRemovedMetaSkipsTheMalformedAndFailsWhenASweepFails(t *testing.T) {
	other := strings.Repeat("f", 32)
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{
		record("REMOVE", logID, "0", last("3")),
		record("REMOVE", logID, "0", map[string]events.DynamoDBAttributeValue{dynamostore.AttrLast: events.NewStringAttribute("x")}),
		record("REMOVE", "~register/all", "0", nil),
		record("REMOVE", other, "0", last("9")),
	}}
	var out bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&out, nil))

	f := &fakeSweeper{}
	if err := handler(f, log)(t.Context(), ev); err != nil {
		t.Fatalf("handler: %v", err)
	}
	if fmt.Sprint(f.swept) != "[0123..3 ffff..9]" {
		t.Fatalf("swept %v; want both logs, the malformed record and the counter skipped", f.swept)
	}
	if !strings.Contains(out.String(), `"msg":"skipped a stream record"`) || !strings.Contains(out.String(), `"log":"01234567"`) {
		t.Fatalf("the log does not report the skip and the sweeps:\n%s", out.String())
	}

	f = &fakeSweeper{fail: map[string]bool{logID: true}}
	if err := handler(f, log)(t.Context(), ev); err == nil {
		t.Fatal("a failed sweep did not fail the invocation, so Lambda would not retry it")
	}
	if len(f.swept) != 2 {
		t.Fatalf("swept %v; want the other log swept despite the failure", f.swept)
	}
	if strings.Contains(out.String(), logID[:9]) || strings.Contains(out.String(), other[:9]) {
		t.Fatalf("the log shows more than 8 characters of an id:\n%s", out.String())
	}
}

// streamImage is an item as the stream shows it.
func streamImage(t *testing.T, item map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	t.Helper()
	out := map[string]events.DynamoDBAttributeValue{}
	for k, v := range item {
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			out[k] = events.NewStringAttribute(v.Value)
		case *types.AttributeValueMemberN:
			out[k] = events.NewNumberAttribute(v.Value)
		case *types.AttributeValueMemberB:
			out[k] = events.NewBinaryAttribute(v.Value)
		default:
			t.Fatalf("attribute %s of type %T", k, v)
		}
	}
	return out
}

func TestHandlerDeletesAnExpiredLogsBatchesOnDynamoDBLocal(t *testing.T) {
	endpoint := dynamolocal.Start(t)
	db := dynamodb.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
	ctx := t.Context()
	if err := dynamostore.CreateTable(ctx, db, "sync"); err != nil {
		t.Fatal(err)
	}
	store := dynamostore.New(db, "sync", rand.New(rand.NewPCG(1, 2)), syncstore.DefaultLimits)
	now := time.Date(2031, 3, 14, 9, 26, 53, 0, time.UTC)
	expired, alive := logID, strings.Repeat("a", 32)
	for _, id := range []string{expired, alive} {
		if _, err := store.Register(ctx, id, []byte("hash"), now); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := store.Append(ctx, id, [][]byte{[]byte("one"), []byte("two")}, now); err != nil {
				t.Fatal(err)
			}
		}
	}

	// DynamoDB's TTL deletes the meta, and the stream carries its old image.
	old, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:    aws.String("sync"),
		Key:          map[string]types.AttributeValue{dynamostore.AttrLog: &types.AttributeValueMemberS{Value: expired}, dynamostore.AttrSeq: &types.AttributeValueMemberN{Value: "0"}},
		ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := events.DynamoDBEventRecord{EventID: "1", EventName: "REMOVE"}
	r.Change.OldImage = streamImage(t, old.Attributes)
	r.Change.Keys = map[string]events.DynamoDBAttributeValue{
		dynamostore.AttrLog: r.Change.OldImage[dynamostore.AttrLog],
		dynamostore.AttrSeq: r.Change.OldImage[dynamostore.AttrSeq],
	}
	var out bytes.Buffer
	if err := handler(store, slog.New(slog.NewJSONHandler(&out, nil)))(ctx, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{r}}); err != nil {
		t.Fatalf("handler: %v\n%s", err, out.String())
	}

	left, err := db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String("sync"),
		KeyConditionExpression:    aws.String("#log = :id"),
		ExpressionAttributeNames:  map[string]string{"#log": dynamostore.AttrLog},
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": &types.AttributeValueMemberS{Value: expired}},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil || len(left.Items) != 0 {
		t.Fatalf("the expired log still holds %d items (%v)", len(left.Items), err)
	}
	got, _, err := store.After(ctx, alive, 0, 50, 1<<20)
	if err != nil || len(got) != 6 {
		t.Fatalf("the other log holds %d batches, %v; want its 6", len(got), err)
	}
	if l, ok, err := store.Lookup(ctx, alive, now); err != nil || !ok || l.Bytes != 18 {
		t.Fatalf("the other log = %+v, ok %v, %v; want it whole", l, ok, err)
	}
	if !strings.Contains(out.String(), `"msg":"swept","log":"01234567","last":6`) {
		t.Fatalf("the log does not report the sweep:\n%s", out.String())
	}
}
