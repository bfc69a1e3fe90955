package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
)

var _ syncstore.Reports = (*Store)(nil)

// ReportsPartition is the partition key of the candidates' reports, one item each, under their
// number (syncstore.ReportNumber) as the sort key. Its "~" keeps it apart from log ids, so the
// sweeper's filter never matches it; reports have no "expires", so TTL never deletes them. Take's
// counters share the prefix but sit at seq 0, which no report has.
const ReportsPartition = CounterPrefix + "reports"

// A report item's attributes besides its key. Times are Unix nanoseconds; "answer" and
// "comment" are left out when empty, and "handled" until the report is handled.
const (
	attrAt       = "at"
	attrQuestion = "question"
	attrBank     = "bank"
	attrAnswer   = "answer"
	attrReason   = "reason"
	attrComment  = "comment"
	attrHandled  = "handled"
)

// AddReport implements syncstore.Reports: one conditional put under a random free number of
// r.At's millisecond; racing adds that drew the same number try another.
func (s *Store) AddReport(ctx context.Context, r syncstore.Report) (string, error) {
	item := map[string]types.AttributeValue{
		AttrLog:      str(ReportsPartition),
		attrAt:       num(r.At.UnixNano()),
		attrQuestion: str(r.Question),
		attrBank:     str(r.Bank),
		attrReason:   str(string(r.Reason)),
	}
	if r.Answer != "" {
		item[attrAnswer] = str(r.Answer)
	}
	if r.Comment != "" {
		item[attrComment] = str(r.Comment)
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		s.mu.Lock()
		n := s.rng.Int64N(syncstore.ReportIDs)
		s.mu.Unlock()
		number, err := syncstore.ReportNumber(r.At, n)
		if err != nil {
			return "", fmt.Errorf("dynamostore: add a report: %w", err)
		}
		item[AttrSeq] = num(number)
		_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName:                aws.String(s.table),
			Item:                     item,
			ConditionExpression:      aws.String("attribute_not_exists(#log)"),
			ExpressionAttributeNames: map[string]string{"#log": AttrLog},
		})
		var taken *types.ConditionalCheckFailedException
		switch {
		case err == nil:
			return syncstore.ReportID(number), nil
		case !errors.As(err, &taken):
			return "", fmt.Errorf("dynamostore: add a report: %w", err)
		}
	}
	return "", fmt.Errorf("dynamostore: add a report: %w", syncstore.ErrBusy)
}

// ListReports implements syncstore.Reports: the partition's items above seq 0, newest first.
func (s *Store) ListReports(ctx context.Context) ([]syncstore.Report, error) {
	var out []syncstore.Report
	var start map[string]types.AttributeValue
	for {
		res, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    aws.String("#log = :reports AND #seq > :zero"),
			ExpressionAttributeNames:  map[string]string{"#log": AttrLog, "#seq": AttrSeq},
			ExpressionAttributeValues: map[string]types.AttributeValue{":reports": str(ReportsPartition), ":zero": num(0)},
			ScanIndexForward:          aws.Bool(false),
			ConsistentRead:            aws.Bool(true),
			ExclusiveStartKey:         start,
		})
		if err != nil {
			return nil, fmt.Errorf("dynamostore: list reports: %w", err)
		}
		for _, it := range res.Items {
			r, err := decodeReport(it)
			if err != nil {
				return nil, fmt.Errorf("dynamostore: list reports: %w", err)
			}
			out = append(out, r)
		}
		if res.LastEvaluatedKey == nil {
			return out, nil
		}
		start = res.LastEvaluatedKey
	}
}

// decodeReport reads a report item; an attribute of the wrong type, or a missing one that every
// report has, is ErrCorrupt.
func decodeReport(item map[string]types.AttributeValue) (syncstore.Report, error) {
	seq, _, err := number(item, AttrSeq, true)
	if err != nil {
		return syncstore.Report{}, err
	}
	r := syncstore.Report{ID: syncstore.ReportID(seq)}
	at, _, err := number(item, attrAt, true)
	if err != nil {
		return syncstore.Report{}, fmt.Errorf("report %s: %w", r.ID, err)
	}
	r.At = time.Unix(0, at).UTC()
	handled, ok, err := number(item, attrHandled, false)
	if err != nil {
		return syncstore.Report{}, fmt.Errorf("report %s: %w", r.ID, err)
	}
	if ok {
		r.Handled = time.Unix(0, handled).UTC()
	}
	var reason string
	for _, f := range []struct {
		name     string
		to       *string
		required bool
	}{{attrQuestion, &r.Question, true}, {attrBank, &r.Bank, true}, {attrReason, &reason, true}, {attrAnswer, &r.Answer, false}, {attrComment, &r.Comment, false}} {
		v, ok := item[f.name]
		if !ok && !f.required {
			continue
		}
		sv, isString := v.(*types.AttributeValueMemberS)
		if !isString {
			return syncstore.Report{}, fmt.Errorf("report %s: its %s is not a string: %w", r.ID, f.name, syncstore.ErrCorrupt)
		}
		*f.to = sv.Value
	}
	r.Reason = syncproto.Reason(reason)
	return r, nil
}

// HandleReport implements syncstore.Reports: a conditional update, so an unknown id makes no item.
func (s *Store) HandleReport(ctx context.Context, id string, at time.Time) error {
	number, ok := syncstore.ParseReportID(id)
	if !ok {
		return fmt.Errorf("dynamostore: report %q: %w", id, syncstore.ErrNoReport)
	}
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       key(ReportsPartition, number),
		UpdateExpression:          aws.String("SET #handled = :at"),
		ConditionExpression:       aws.String("attribute_exists(#log)"),
		ExpressionAttributeNames:  map[string]string{"#handled": attrHandled, "#log": AttrLog},
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": num(at.UnixNano())},
	})
	var missing *types.ConditionalCheckFailedException
	if errors.As(err, &missing) {
		return fmt.Errorf("dynamostore: report %s: %w", id, syncstore.ErrNoReport)
	}
	if err != nil {
		return fmt.Errorf("dynamostore: handle report %s: %w", id, err)
	}
	return nil
}
