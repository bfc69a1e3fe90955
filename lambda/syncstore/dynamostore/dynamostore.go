// Package dynamostore keeps sync logs in DynamoDB (aws-sdk-go-v2): the store behind the Lambda.
//
// One table, keyed by the log's id (partition key "log", a string) and a sequence number (sort
// key "seq", a number). Item 0 of a log, its meta, holds its token hash, its last sequence number,
// the bytes of its batches, its epoch and its expiry; items 1, 2, 3... hold its sealed batches. An
// append reads the meta and then, in one transaction, moves the last number on with a condition
// that it has not changed and puts the batches under the new numbers with a condition that they
// are free: two concurrent appends cannot both succeed with the same numbers, the loser retries,
// and no number is skipped.
//
// Expiry is DynamoDB's: the meta's "expires" is the table's TTL attribute, so DynamoDB deletes
// the meta some time after it passes. The table's stream then hands the deleted meta to the
// sweeper (lambda/sweeper), which calls Sweep to delete the log's batches. Until it has, the
// batches are orphans: a log registered again under the same id starts its numbering above them
// (the meta's "base") and never shows them.
//
// Take's counters live in the same table, under partition keys that start with "~" (never a log
// id) and seq 0, and expire by the same TTL attribute. The candidates' reports live there too,
// under the partition key ReportsPartition ("~reports") and a numeric sort key above 0, and never
// expire.
package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
)

// The table's attribute names. infra/ defines the same key schema, TTL attribute and stream; the
// sweeper reads AttrLog, AttrSeq and AttrLast from the stream's old images.
const (
	AttrLog  = "log"  // partition key (S): the log id, or CounterPrefix and Take's key
	AttrSeq  = "seq"  // sort key (N): 0 for a log's meta and for a counter, 1, 2, 3... for batches
	AttrLast = "last" // meta (N): the log's last sequence number
	// AttrExpires is the table's TTL attribute (N, Unix seconds), on metas and counters.
	AttrExpires = "expires"
	attrToken   = "token" // meta (B): the SHA-256 of the log's token
	attrBytes   = "bytes" // meta (N): the size of the log's batches
	attrEpoch   = "epoch" // meta (S): names this registration of the id
	attrBase    = "base"  // meta (N): the highest orphan batch when the log was registered
	attrData    = "data"  // batch (B): the sealed batch
	attrN       = "n"     // counter (N): uses taken
)

// CounterPrefix starts the partition key of Take's counters; a log id never starts with it.
const CounterPrefix = "~"

// legacyEpoch is the epoch of a log registered before logs had epochs.
const legacyEpoch = "0"

// maxAttempts bounds how many lost races an append retries before it gives up with ErrBusy. One
// candidate's few devices rarely race at all; the conformance suite's 20 writers do, hard.
const maxAttempts = 200

// Store is a DynamoDB table of sync logs.
type Store struct {
	db     *dynamodb.Client
	table  string
	limits syncstore.Limits
	mu     sync.Mutex
	rng    *rand.Rand // jitter between retries
}

var _ syncstore.Store = (*Store)(nil)

// New uses table through db, keeping limits; rng spaces out retries.
func New(db *dynamodb.Client, table string, rng *rand.Rand, limits syncstore.Limits) *Store {
	return &Store{db: db, table: table, rng: rng, limits: limits}
}

// FromEnv opens the table a Lambda function is given in TABLE_NAME, with the function's AWS
// configuration: what both of the stack's functions (the sync service and the sweeper) do first.
func FromEnv(ctx context.Context, rng *rand.Rand, limits syncstore.Limits) (*Store, error) {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		return nil, errors.New("TABLE_NAME is not set: the stack passes the DynamoDB table's name in it")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	return New(dynamodb.NewFromConfig(cfg), table, rng, limits), nil
}

// CreateTable creates the table as infra/ defines it (on-demand billing, a stream of old images,
// TTL on AttrExpires), for tests and local runs, and waits until it is active. DynamoDB Local
// accepts both settings; the tests delete expired metas themselves, as the TTL would.
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
		StreamSpecification: &types.StreamSpecification{
			StreamEnabled:  aws.Bool(true),
			StreamViewType: types.StreamViewTypeOldImage,
		},
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
	_, err = db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(AttrExpires),
			Enabled:       aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("dynamostore: time to live on table %s: %w", table, err)
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

// short is as much of a log id as errors and logs may show.
func short(id string) string { return id[:min(len(id), 8)] }

// checkID refuses what is not a log id, which keeps logs apart from Take's counters and lets the
// sweeper tell a log's meta by its id.
func checkID(id string) error {
	if !syncproto.ValidID(id) {
		return fmt.Errorf("dynamostore: %q is not a log id", short(id))
	}
	return nil
}

// unixCeil is t in whole seconds, rounded up so that nothing expires early.
func unixCeil(t time.Time) int64 {
	s := t.Unix()
	if t.After(time.Unix(s, 0)) {
		s++
	}
	return s
}

// meta is a log's item 0.
type meta struct {
	token                   []byte
	epoch                   string // "" on a meta written before logs had epochs
	last, bytes, base       int64
	expires                 int64 // Unix seconds; 0 on a meta written before logs expired
	hasEpoch, hasExpiration bool
}

func (m meta) log() syncstore.Log {
	return syncstore.Log{TokenHash: m.token, Epoch: m.epoch, Bytes: m.bytes, Expires: time.Unix(m.expires, 0).UTC()}
}

// decodeMeta reads a meta item. token and last are required; bytes, base, epoch and expires are
// missing from metas written before they existed. An attribute of the wrong type is ErrCorrupt.
func decodeMeta(item map[string]types.AttributeValue) (meta, error) {
	var m meta
	var err error
	token, ok := item[attrToken].(*types.AttributeValueMemberB)
	if !ok {
		return meta{}, fmt.Errorf("the meta's %s is not binary: %w", attrToken, syncstore.ErrCorrupt)
	}
	m.token = token.Value
	if m.last, _, err = number(item, AttrLast, true); err != nil {
		return meta{}, err
	}
	if m.bytes, _, err = number(item, attrBytes, false); err != nil {
		return meta{}, err
	}
	if m.base, _, err = number(item, attrBase, false); err != nil {
		return meta{}, err
	}
	if m.expires, m.hasExpiration, err = number(item, AttrExpires, false); err != nil {
		return meta{}, err
	}
	if v, ok := item[attrEpoch]; ok {
		s, isString := v.(*types.AttributeValueMemberS)
		if !isString {
			return meta{}, fmt.Errorf("the meta's %s is not a string: %w", attrEpoch, syncstore.ErrCorrupt)
		}
		m.epoch, m.hasEpoch = s.Value, true
	}
	return m, nil
}

// number reads an integer attribute; a missing one is 0, or ErrCorrupt when required.
func number(item map[string]types.AttributeValue, name string, required bool) (n int64, present bool, err error) {
	v, ok := item[name]
	if !ok {
		if required {
			return 0, false, fmt.Errorf("the item has no %s: %w", name, syncstore.ErrCorrupt)
		}
		return 0, false, nil
	}
	a, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return 0, false, fmt.Errorf("the item's %s is not a number: %w", name, syncstore.ErrCorrupt)
	}
	n, err = strconv.ParseInt(a.Value, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("the item's %s is not an integer: %w", name, errors.Join(syncstore.ErrCorrupt, err))
	}
	return n, true, nil
}

// readMeta reads a log's meta, consistently; ok is false when it has none.
func (s *Store) readMeta(ctx context.Context, id string) (m meta, ok bool, err error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key(id, 0),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return meta{}, false, err
	}
	if out.Item == nil {
		return meta{}, false, nil
	}
	m, err = decodeMeta(out.Item)
	return m, err == nil, err
}

// highest is the highest batch number a log's partition holds, 0 when it holds none.
func (s *Store) highest(ctx context.Context, id string) (int64, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("#log = :id AND #seq > :zero"),
		ExpressionAttributeNames:  map[string]string{"#log": AttrLog, "#seq": AttrSeq},
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(id), ":zero": num(0)},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(1),
		ConsistentRead:            aws.Bool(true),
		ProjectionExpression:      aws.String("#seq"),
	})
	if err != nil || len(out.Items) == 0 {
		return 0, err
	}
	n, _, err := number(out.Items[0], AttrSeq, true)
	return n, err
}

// Register implements syncstore.Store. Batches left by an expired log that the sweeper has not
// deleted yet stay below the new log's base: its numbering starts above them.
func (s *Store) Register(ctx context.Context, id string, tokenHash []byte, now time.Time) (syncstore.Log, error) {
	if err := checkID(id); err != nil {
		return syncstore.Log{}, err
	}
	base, err := s.highest(ctx, id)
	if err != nil {
		return syncstore.Log{}, fmt.Errorf("dynamostore: register %s: %w", short(id), err)
	}
	m := meta{
		token:   tokenHash,
		epoch:   strconv.FormatInt(now.UnixNano(), 36),
		last:    base,
		base:    base,
		expires: unixCeil(now.Add(s.limits.Idle)),
	}
	item := key(id, 0)
	item[attrToken] = &types.AttributeValueMemberB{Value: tokenHash}
	item[AttrLast] = num(m.last)
	item[attrBytes] = num(0)
	item[attrBase] = num(m.base)
	item[attrEpoch] = str(m.epoch)
	item[AttrExpires] = num(m.expires)
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(s.table),
		Item:                     item,
		ConditionExpression:      aws.String("attribute_not_exists(#log)"),
		ExpressionAttributeNames: map[string]string{"#log": AttrLog},
	})
	var exists *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return m.log(), nil
	case errors.As(err, &exists):
		log, ok, err := s.Lookup(ctx, id, now)
		if err != nil {
			return syncstore.Log{}, err
		}
		if !ok {
			return syncstore.Log{}, fmt.Errorf("dynamostore: register %s: the log vanished while registering", short(id))
		}
		return log, nil
	default:
		return syncstore.Log{}, fmt.Errorf("dynamostore: register %s: %w", short(id), err)
	}
}

// Lookup implements syncstore.Store. A log past its expiry is reported until DynamoDB's TTL
// deletes its meta. A meta written before logs expired gets an expiry and an epoch here, so that
// old logs expire too.
func (s *Store) Lookup(ctx context.Context, id string, now time.Time) (syncstore.Log, bool, error) {
	if err := checkID(id); err != nil {
		return syncstore.Log{}, false, err
	}
	m, ok, err := s.readMeta(ctx, id)
	if err != nil {
		return syncstore.Log{}, false, fmt.Errorf("dynamostore: look up %s: %w", short(id), err)
	}
	if !ok || (m.hasEpoch && m.hasExpiration) {
		return m.log(), ok, nil
	}
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.table),
		Key:                      key(id, 0),
		UpdateExpression:         aws.String("SET #exp = if_not_exists(#exp, :exp), #epoch = if_not_exists(#epoch, :epoch)"),
		ConditionExpression:      aws.String("attribute_exists(#log)"),
		ExpressionAttributeNames: map[string]string{"#exp": AttrExpires, "#epoch": attrEpoch, "#log": AttrLog},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":exp": num(unixCeil(now.Add(s.limits.Idle))), ":epoch": str(legacyEpoch),
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	var gone *types.ConditionalCheckFailedException
	if errors.As(err, &gone) {
		return syncstore.Log{}, false, nil
	}
	if err != nil {
		return syncstore.Log{}, false, fmt.Errorf("dynamostore: give %s an expiry: %w", short(id), err)
	}
	if m, err = decodeMeta(out.Attributes); err != nil {
		return syncstore.Log{}, false, fmt.Errorf("dynamostore: look up %s: %w", short(id), err)
	}
	return m.log(), true, nil
}

// Append implements syncstore.Store.
func (s *Store) Append(ctx context.Context, id string, batches [][]byte, now time.Time) (int64, error) {
	if err := checkID(id); err != nil {
		return 0, err
	}
	size := int64(0)
	for _, data := range batches {
		if len(data) > syncstore.MaxItemBytes {
			return 0, syncstore.ErrTooLarge
		}
		size += int64(len(data))
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		m, ok, err := s.readMeta(ctx, id)
		if err != nil {
			return 0, fmt.Errorf("dynamostore: append to %s: %w", short(id), err)
		}
		if !ok {
			return 0, fmt.Errorf("dynamostore: append to %s: %w", short(id), syncstore.ErrUnknown)
		}
		if m.bytes+size > s.limits.LogBytes {
			return 0, fmt.Errorf("dynamostore: append to %s: %d bytes stored, %d more: %w", short(id), m.bytes, size, syncstore.ErrQuota)
		}
		first := m.last + 1
		_, err = s.db.TransactWriteItems(ctx, s.appendItems(id, m, batches, size, now))
		if err == nil {
			return first, nil
		}
		switch classify(err) {
		case numberTaken:
			// The counter was right yet a number above it is taken; unless the counter has
			// moved since (the reasons may not say which condition DynamoDB checked first), the
			// log is damaged, and retrying would only fail again.
			cur, ok, rerr := s.readMeta(ctx, id)
			if rerr == nil && ok && cur.last == m.last {
				return 0, fmt.Errorf("dynamostore: append to %s: batch %d or after exists above the counter: %w", short(id), first, syncstore.ErrCorrupt)
			}
		case lostRace:
		default:
			return 0, fmt.Errorf("dynamostore: append to %s: %w", short(id), err)
		}
		if err := s.pause(ctx, attempt); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("dynamostore: append to %s: %w", short(id), syncstore.ErrBusy)
}

// appendItems is the transaction of an append onto m: move the counter on if it is unchanged,
// and put each batch under a number that must be free.
func (s *Store) appendItems(id string, m meta, batches [][]byte, size int64, now time.Time) *dynamodb.TransactWriteItemsInput {
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName:        aws.String(s.table),
		Key:              key(id, 0),
		UpdateExpression: aws.String("SET #last = :next, #bytes = :bytes, #exp = :exp, #epoch = if_not_exists(#epoch, :epoch)"),
		// bytes and the counter only move together, so an unchanged counter means unchanged bytes.
		ConditionExpression: aws.String("#last = :last"),
		ExpressionAttributeNames: map[string]string{
			"#last": AttrLast, "#bytes": attrBytes, "#exp": AttrExpires, "#epoch": attrEpoch,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":last":  num(m.last),
			":next":  num(m.last + int64(len(batches))),
			":bytes": num(m.bytes + size),
			":exp":   num(unixCeil(now.Add(s.limits.Idle))),
			":epoch": str(legacyEpoch),
		},
	}}}
	for i, data := range batches {
		it := key(id, m.last+1+int64(i))
		it[attrData] = &types.AttributeValueMemberB{Value: data}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName:                aws.String(s.table),
			Item:                     it,
			ConditionExpression:      aws.String("attribute_not_exists(#log)"),
			ExpressionAttributeNames: map[string]string{"#log": AttrLog},
		}})
	}
	return &dynamodb.TransactWriteItemsInput{TransactItems: items}
}

// outcome is why an append's transaction failed.
type outcome int

const (
	otherFailure outcome = iota
	lostRace             // another writer moved the counter, or conflicted: retry
	numberTaken          // the counter's condition held, a batch's did not: damage
)

// classify tells a lost race from damage and from other failures. The transaction's first item
// is the counter's update, the rest are the batches' puts.
func classify(err error) outcome {
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		counterFailed, putFailed := false, false
		for i, r := range canceled.CancellationReasons {
			switch c := aws.ToString(r.Code); c {
			case "", "None", "TransactionConflict":
			case "ConditionalCheckFailed":
				if i == 0 {
					counterFailed = true
				} else {
					putFailed = true
				}
			default:
				return otherFailure
			}
		}
		if putFailed && !counterFailed {
			return numberTaken
		}
		return lostRace
	}
	var conflict *types.TransactionConflictException
	if errors.As(err, &conflict) {
		return lostRace
	}
	return otherFailure
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

// After implements syncstore.Store. It shows only the batches between the meta's base and its
// last number: below the base are an expired log's orphans, and a batch above the last number
// was never given by an append, so it is damage.
func (s *Store) After(ctx context.Context, id string, after int64, limit, maxBytes int) ([]syncproto.Batch, bool, error) {
	if err := checkID(id); err != nil {
		return nil, false, err
	}
	m, ok, err := s.readMeta(ctx, id)
	if err != nil {
		return nil, false, fmt.Errorf("dynamostore: read %s: %w", short(id), err)
	}
	if !ok {
		return nil, false, nil
	}
	last, reread := m.last, false
	var out []syncproto.Batch
	size := 0
	var start map[string]types.AttributeValue
	for {
		res, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    aws.String("#log = :id AND #seq > :after"),
			ExpressionAttributeNames:  map[string]string{"#log": AttrLog, "#seq": AttrSeq},
			ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(id), ":after": num(max(after, m.base, 0))},
			ConsistentRead:            aws.Bool(true),
			Limit:                     aws.Int32(int32(limit - len(out) + 1)),
			ExclusiveStartKey:         start,
		})
		if err != nil {
			return nil, false, fmt.Errorf("dynamostore: read %s: %w", short(id), err)
		}
		for _, it := range res.Items {
			data, isBinary := it[attrData].(*types.AttributeValueMemberB)
			if len(out) == limit || (len(out) > 0 && isBinary && size+len(data.Value) > maxBytes) {
				return out, true, nil
			}
			seq, _, err := number(it, AttrSeq, true)
			if err != nil {
				return nil, false, fmt.Errorf("dynamostore: read %s: %w", short(id), err)
			}
			if seq > last && !reread {
				// An append may have committed since the meta was read: read it once more.
				if cur, ok, err := s.readMeta(ctx, id); err == nil && ok {
					last = cur.last
				}
				reread = true
			}
			if seq > last {
				return nil, false, fmt.Errorf("dynamostore: read %s: batch %d is past the counter %d: %w", short(id), seq, last, syncstore.ErrCorrupt)
			}
			if !isBinary {
				return nil, false, fmt.Errorf("dynamostore: read %s: batch %d's %s is not binary: %w", short(id), seq, attrData, syncstore.ErrCorrupt)
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

// Take implements syncstore.Store: one conditional update counts a use unless the allowance is
// spent, so concurrent takes never pass the limit. An allowance past its expiry (which the TTL
// has not deleted yet) is started afresh by a put that only one of racing takes wins.
func (s *Store) Take(ctx context.Context, key string, limit int, expires, now time.Time) (bool, error) {
	if limit <= 0 {
		return false, nil
	}
	k := map[string]types.AttributeValue{AttrLog: str(CounterPrefix + key), AttrSeq: num(0)}
	names := map[string]string{"#n": attrN, "#exp": AttrExpires}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                aws.String(s.table),
			Key:                      k,
			UpdateExpression:         aws.String("SET #n = if_not_exists(#n, :zero) + :one, #exp = :exp"),
			ConditionExpression:      aws.String("attribute_not_exists(#n) OR (#n < :limit AND #exp >= :now)"),
			ExpressionAttributeNames: names,
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":zero": num(0), ":one": num(1), ":limit": num(int64(limit)),
				":exp": num(unixCeil(expires)), ":now": num(now.Unix()),
			},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		if err == nil {
			return true, nil
		}
		var failed *types.ConditionalCheckFailedException
		if !errors.As(err, &failed) {
			return false, fmt.Errorf("dynamostore: take: %w", err)
		}
		ends, _, err := number(failed.Item, AttrExpires, false)
		if err != nil {
			return false, fmt.Errorf("dynamostore: take: %w", err)
		}
		if ends >= now.Unix() {
			return false, nil // spent
		}
		item := map[string]types.AttributeValue{AttrLog: k[AttrLog], AttrSeq: k[AttrSeq], attrN: num(1), AttrExpires: num(unixCeil(expires))}
		_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName:                 aws.String(s.table),
			Item:                      item,
			ConditionExpression:       aws.String("#exp < :now"),
			ExpressionAttributeNames:  map[string]string{"#exp": AttrExpires},
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": num(now.Unix())},
		})
		if err == nil {
			return true, nil
		}
		if !errors.As(err, &failed) {
			return false, fmt.Errorf("dynamostore: take: %w", err)
		}
		// Another take started it afresh first: count against the fresh allowance.
	}
	return false, fmt.Errorf("dynamostore: take: %w", syncstore.ErrBusy)
}

// sweepPage is how many batch keys Sweep reads at a time: four BatchWriteItem calls' worth.
const sweepPage = 100

// Sweep deletes the batches 1..last of a log whose meta is gone: the sweeper calls it with the
// last number of the meta DynamoDB's TTL deleted. If the id has been registered again since, it
// deletes only what lies at or below the new meta's base, which the new log never shows or
// reuses. It reads the meta again before each page, so a registration during a sweep is seen. It
// is safe to run twice.
func (s *Store) Sweep(ctx context.Context, id string, last int64) error {
	if err := checkID(id); err != nil {
		return err
	}
	for {
		bound := last
		m, ok, err := s.readMeta(ctx, id)
		if err != nil {
			return fmt.Errorf("dynamostore: sweep %s: %w", short(id), err)
		}
		if ok {
			bound = min(last, m.base)
		}
		if bound <= 0 {
			return nil
		}
		res, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    aws.String("#log = :id AND #seq BETWEEN :one AND :bound"),
			ExpressionAttributeNames:  map[string]string{"#log": AttrLog, "#seq": AttrSeq},
			ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(id), ":one": num(1), ":bound": num(bound)},
			ProjectionExpression:      aws.String("#log, #seq"),
			ConsistentRead:            aws.Bool(true),
			Limit:                     aws.Int32(sweepPage),
		})
		if err != nil {
			return fmt.Errorf("dynamostore: sweep %s: %w", short(id), err)
		}
		if len(res.Items) == 0 {
			return nil
		}
		for i := 0; i < len(res.Items); i += 25 {
			if err := s.deleteAll(ctx, res.Items[i:min(i+25, len(res.Items))]); err != nil {
				return fmt.Errorf("dynamostore: sweep %s: %w", short(id), err)
			}
		}
	}
}

// deleteAll deletes up to 25 items by their keys, retrying what DynamoDB leaves unprocessed.
func (s *Store) deleteAll(ctx context.Context, keys []map[string]types.AttributeValue) error {
	reqs := make([]types.WriteRequest, len(keys))
	for i, k := range keys {
		reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
	}
	for attempt := 0; ; attempt++ {
		out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{s.table: reqs},
		})
		if err != nil {
			return err
		}
		reqs = out.UnprocessedItems[s.table]
		if len(reqs) == 0 {
			return nil
		}
		if attempt == maxAttempts {
			return fmt.Errorf("%d deletes stayed unprocessed: %w", len(reqs), syncstore.ErrBusy)
		}
		if err := s.pause(ctx, attempt); err != nil {
			return err
		}
	}
}
