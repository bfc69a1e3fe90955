// Command sweeper deletes the batches of expired sync logs, on AWS Lambda (provided.al2023,
// arm64). DynamoDB's TTL deletes a log's meta (item 0) some time after its "expires" passes; the
// table's stream (view type OLD_IMAGE) hands each deletion to this function, which deletes the
// log's batches 1..last with dynamostore's Sweep. Everything else in the stream (inserts,
// updates, batches, Take's counters) is ignored.
//
// A failed sweep fails the invocation, so Lambda retries the records; sweeping is idempotent,
// and a record that can never be swept (a malformed image) is logged and skipped instead of
// holding up its shard.
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/dynamostore"
	"github.com/issmp-study/issmp/syncproto"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	var seed [16]byte
	_, _ = rand.Read(seed[:])
	rng := mrand.New(mrand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
	store, err := dynamostore.FromEnv(context.Background(), rng, syncstore.DefaultLimits)
	if err != nil {
		log.Error("opening the sync table", "err", err)
		os.Exit(1)
	}
	lambda.Start(handler(store, log))
}

// sweeper deletes an expired log's batches: *dynamostore.Store.
type sweeper interface {
	Sweep(ctx context.Context, id string, last int64) error
}

// handler is the function the stream invokes.
func handler(s sweeper, log *slog.Logger) func(context.Context, events.DynamoDBEvent) error {
	return func(ctx context.Context, ev events.DynamoDBEvent) error {
		var failed []error
		for _, r := range ev.Records {
			id, last, ok, err := target(r)
			if err != nil {
				log.Error("skipped a stream record", "event", r.EventID, "err", err)
				continue
			}
			if !ok {
				continue
			}
			if err := s.Sweep(ctx, id, last); err != nil {
				log.Error("sweep failed", "log", short(id), "last", last, "err", err)
				failed = append(failed, err)
				continue
			}
			log.Info("swept", "log", short(id), "last", last)
		}
		return errors.Join(failed...)
	}
}

// target decides what a stream record asks of the sweeper: ok is true when it is the removal of
// a log's meta, whose batches 1..last are then to be deleted. A record that should be a meta's
// removal but cannot be read is an error, which never shows more than 8 characters of an id.
func target(r events.DynamoDBEventRecord) (id string, last int64, ok bool, err error) {
	if r.EventName != string(events.DynamoDBOperationTypeRemove) {
		return "", 0, false, nil
	}
	// The keys come with every stream view type; the old image only with OLD_IMAGE.
	keys := r.Change.Keys
	if keys == nil {
		keys = r.Change.OldImage
	}
	id, err = stringAttr(keys, dynamostore.AttrLog)
	if err != nil {
		return "", 0, false, err
	}
	if strings.HasPrefix(id, dynamostore.CounterPrefix) {
		return "", 0, false, nil // one of Take's counters
	}
	seq, err := intAttr(keys, dynamostore.AttrSeq)
	if err != nil {
		return "", 0, false, fmt.Errorf("log %s: %w", short(id), err)
	}
	if seq != 0 {
		return "", 0, false, nil // a batch: its log's meta brings the sweep
	}
	if !syncproto.ValidID(id) {
		return "", 0, false, fmt.Errorf("a meta removed under %q, which is not a log id", short(id))
	}
	if r.Change.OldImage == nil {
		return "", 0, false, fmt.Errorf("log %s: the removal has no old image (the stream's view type must be OLD_IMAGE)", short(id))
	}
	last, err = intAttr(r.Change.OldImage, dynamostore.AttrLast)
	if err != nil {
		return "", 0, false, fmt.Errorf("log %s: %w", short(id), err)
	}
	return id, last, true, nil
}

// stringAttr reads a string attribute; the SDK's accessors panic on another type.
func stringAttr(item map[string]events.DynamoDBAttributeValue, name string) (string, error) {
	v, ok := item[name]
	if !ok || v.DataType() != events.DataTypeString {
		return "", fmt.Errorf("no string %q in the record", name)
	}
	return v.String(), nil
}

// intAttr reads an integer attribute.
func intAttr(item map[string]events.DynamoDBAttributeValue, name string) (int64, error) {
	v, ok := item[name]
	if !ok || v.DataType() != events.DataTypeNumber {
		return 0, fmt.Errorf("no number %q in the record", name)
	}
	n, err := strconv.ParseInt(v.Number(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer: %w", name, err)
	}
	return n, nil
}

// short is as much of a log id as logs may show.
func short(id string) string { return id[:min(len(id), 8)] }
