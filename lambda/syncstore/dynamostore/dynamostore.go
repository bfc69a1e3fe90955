// Package dynamostore keeps sync logs in DynamoDB (aws-sdk-go-v2): the store behind the Lambda.
//
// One table, keyed by the log's id (partition key "log", a string) and a sequence number (sort
// key "seq", a number). Item 0 of a log holds its token hash and its last sequence number; items
// 1, 2, 3... hold its sealed batches. An append reads the last number and then, in one
// transaction, moves it on with a condition that it has not changed and puts the batches under
// the new numbers with a condition that they are free: two concurrent appends cannot both
// succeed with the same numbers, the loser retries, and no number is skipped.
package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
)

// The table's attribute names. infra/ defines the same key schema.
const (
	AttrLog   = "log"
	AttrSeq   = "seq"
	attrToken = "token"
	attrLast  = "last"
	attrData  = "data"
)

// maxAttempts bounds how many lost races an append retries before it gives up with ErrBusy. One
// candidate's few devices rarely race at all; the conformance suite's 20 writers do, hard.
const maxAttempts = 200

// Store is a DynamoDB table of sync logs.
type Store struct {
	db    *dynamodb.Client
	table string
	mu    sync.Mutex
	rng   *rand.Rand // jitter between retries
}

var _ syncstore.Store = (*Store)(nil)

// New uses table through db; rng spaces out retries.
func New(db *dynamodb.Client, table string, rng *rand.Rand) *Store {
	return &Store{db: db, table: table, rng: rng}
}

// CreateTable creates the table as infra/ defines it (on-demand billing), for tests and local runs,
// and waits until it is active.
func CreateTable(ctx context.Context, db *dynamodb.Client, table string) error {
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(AttrLog), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(AttrSeq), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(AttrLog), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(AttrSeq), KeyType: types.KeyTypeRange},
		},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		return fmt.Errorf("dynamostore: create table %s: %w", table, err)
	}
	w := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, time.Minute); err != nil {
		return fmt.Errorf("dynamostore: table %s did not become active: %w", table, err)
	}
	return nil
}

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func key(id string, seq int64) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrLog: str(id), AttrSeq: num(seq)}
}

// Register implements syncstore.Store.
func (s *Store) Register(ctx context.Context, id string, tokenHash []byte) ([]byte, error) {
	item := key(id, 0)
	item[attrToken] = &types.AttributeValueMemberB{Value: tokenHash}
	item[attrLast] = num(0)
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(s.table),
		Item:                     item,
		ConditionExpression:      aws.String("attribute_not_exists(#log)"),
		ExpressionAttributeNames: map[string]string{"#log": AttrLog},
	})
	var exists *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return tokenHash, nil
	case errors.As(err, &exists):
		hash, ok, err := s.TokenHash(ctx, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("dynamostore: register %s: the log vanished while registering", id)
		}
		return hash, nil
	default:
		return nil, fmt.Errorf("dynamostore: register %s: %w", id, err)
	}
}

// meta reads one attribute of a log's item 0 (by a placeholder name: many words are reserved).
func (s *Store) meta(ctx context.Context, id string, attr string) (map[string]types.AttributeValue, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:                aws.String(s.table),
		Key:                      key(id, 0),
		ConsistentRead:           aws.Bool(true),
		ProjectionExpression:     aws.String("#a"),
		ExpressionAttributeNames: map[string]string{"#a": attr},
	})
	if err != nil {
		return nil, fmt.Errorf("dynamostore: read %s: %w", id, err)
	}
	return out.Item, nil
}

// TokenHash implements syncstore.Store.
func (s *Store) TokenHash(ctx context.Context, id string) ([]byte, bool, error) {
	item, err := s.meta(ctx, id, attrToken)
	if err != nil || item == nil {
		return nil, false, err
	}
	b, ok := item[attrToken].(*types.AttributeValueMemberB)
	if !ok {
		return nil, false, fmt.Errorf("dynamostore: %s: its token attribute is damaged", id)
	}
	return b.Value, true, nil
}

// Append implements syncstore.Store.
func (s *Store) Append(ctx context.Context, id string, batches [][]byte) (int64, error) {
	for _, data := range batches {
		if len(data) > syncstore.MaxItemBytes {
			return 0, syncstore.ErrTooLarge
		}
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		item, err := s.meta(ctx, id, attrLast)
		if err != nil {
			return 0, err
		}
		if item == nil {
			return 0, fmt.Errorf("dynamostore: append to %s: %w", id, syncstore.ErrUnknown)
		}
		n, ok := item[attrLast].(*types.AttributeValueMemberN)
		if !ok {
			return 0, fmt.Errorf("dynamostore: %s: its last attribute is damaged", id)
		}
		last, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("dynamostore: %s: its last attribute is damaged: %w", id, err)
		}
		first := last + 1
		items := []types.TransactWriteItem{{Update: &types.Update{
			TableName:                 aws.String(s.table),
			Key:                       key(id, 0),
			UpdateExpression:          aws.String("SET #last = :next"),
			ConditionExpression:       aws.String("#last = :last"),
			ExpressionAttributeNames:  map[string]string{"#last": attrLast},
			ExpressionAttributeValues: map[string]types.AttributeValue{":last": num(last), ":next": num(last + int64(len(batches)))},
		}}}
		for i, data := range batches {
			it := key(id, first+int64(i))
			it[attrData] = &types.AttributeValueMemberB{Value: data}
			items = append(items, types.TransactWriteItem{Put: &types.Put{
				TableName:                aws.String(s.table),
				Item:                     it,
				ConditionExpression:      aws.String("attribute_not_exists(#log)"),
				ExpressionAttributeNames: map[string]string{"#log": AttrLog},
			}})
		}
		_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return first, nil
		}
		if !lostRace(err) {
			return 0, fmt.Errorf("dynamostore: append to %s: %w", id, err)
		}
		if err := s.pause(ctx, attempt); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("dynamostore: append to %s: %w", id, syncstore.ErrBusy)
}

// lostRace reports whether a transaction failed because another writer got there first.
func lostRace(err error) bool {
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		for _, r := range canceled.CancellationReasons {
			if c := aws.ToString(r.Code); c != "" && c != "None" && c != "ConditionalCheckFailed" && c != "TransactionConflict" {
				return false
			}
		}
		return true
	}
	var conflict *types.TransactionConflictException
	return errors.As(err, &conflict)
}

// pause waits a random, growing time before a retry, so racing writers spread out.
func (s *Store) pause(ctx context.Context, attempt int) error {
	s.mu.Lock()
	d := time.Duration(s.rng.Int64N(int64(time.Millisecond) * int64(min(2+attempt, 50))))
	s.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// After implements syncstore.Store.
func (s *Store) After(ctx context.Context, id string, after int64, limit, maxBytes int) ([]syncproto.Batch, bool, error) {
	var out []syncproto.Batch
	size := 0
	var start map[string]types.AttributeValue
	for {
		res, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    aws.String("#log = :id AND #seq > :after"),
			ExpressionAttributeNames:  map[string]string{"#log": AttrLog, "#seq": AttrSeq},
			ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(id), ":after": num(max(after, 0))},
			ConsistentRead:            aws.Bool(true),
			Limit:                     aws.Int32(int32(limit - len(out) + 1)),
			ExclusiveStartKey:         start,
		})
		if err != nil {
			return nil, false, fmt.Errorf("dynamostore: read %s: %w", id, err)
		}
		for _, it := range res.Items {
			seqAttr, ok1 := it[AttrSeq].(*types.AttributeValueMemberN)
			data, ok2 := it[attrData].(*types.AttributeValueMemberB)
			if !ok1 || !ok2 {
				return nil, false, fmt.Errorf("dynamostore: %s: a batch item is damaged", id)
			}
			if len(out) == limit || (len(out) > 0 && size+len(data.Value) > maxBytes) {
				return out, true, nil
			}
			seq, err := strconv.ParseInt(seqAttr.Value, 10, 64)
			if err != nil {
				return nil, false, fmt.Errorf("dynamostore: %s: a batch number is damaged: %w", id, err)
			}
			out = append(out, syncproto.Batch{Seq: seq, Data: data.Value})
			size += len(data.Value)
		}
		if res.LastEvaluatedKey == nil {
			return out, false, nil
		}
		start = res.LastEvaluatedKey
	}
}
