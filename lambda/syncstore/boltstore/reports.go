package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
	bolt "go.etcd.io/bbolt"
)

var _ syncstore.Reports = (*Store)(nil)

// reportsBucket maps each report's number (syncstore.ReportNumber, 8 bytes big-endian, so the
// bucket is in time order) to the report in JSON (storedReport).
var reportsBucket = []byte("reports")

// storedReport is a report's value. Times are Unix nanoseconds; handled is 0 until handled.
type storedReport struct {
	At       int64  `json:"at"`
	Question string `json:"question"`
	Bank     string `json:"bank"`
	Answer   string `json:"answer"`
	Reason   string `json:"reason"`
	Comment  string `json:"comment"`
	Handled  int64  `json:"handled,omitempty"`
}

func decodeReport(k, v []byte) (syncstore.Report, error) {
	var s storedReport
	if len(k) != 8 || json.Unmarshal(v, &s) != nil {
		return syncstore.Report{}, fmt.Errorf("report %x does not decode: %w", k, syncstore.ErrCorrupt)
	}
	r := syncstore.Report{
		ID: syncstore.ReportID(int64(binary.BigEndian.Uint64(k))), At: time.Unix(0, s.At).UTC(),
		Question: s.Question, Bank: s.Bank, Answer: s.Answer, Reason: syncproto.Reason(s.Reason), Comment: s.Comment,
	}
	if s.Handled != 0 {
		r.Handled = time.Unix(0, s.Handled).UTC()
	}
	return r, nil
}

// AddReport implements syncstore.Reports: the first free number of r.At's millisecond. Write
// transactions run one at a time, so two adds never take the same number.
func (s *Store) AddReport(_ context.Context, r syncstore.Report) (string, error) {
	v, err := json.Marshal(storedReport{At: r.At.UnixNano(), Question: r.Question, Bank: r.Bank, Answer: r.Answer, Reason: string(r.Reason), Comment: r.Comment})
	if err != nil {
		return "", fmt.Errorf("boltstore: add a report: %w", err)
	}
	var id string
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(reportsBucket)
		for n := int64(0); n < syncstore.ReportIDs; n++ {
			num, err := syncstore.ReportNumber(r.At, n)
			if err != nil {
				return err
			}
			if k := seqKey(num); b.Get(k) == nil {
				id = syncstore.ReportID(num)
				return b.Put(k, v)
			}
		}
		return fmt.Errorf("%d reports in one millisecond: %w", syncstore.ReportIDs, syncstore.ErrBusy)
	})
	if err != nil {
		return "", fmt.Errorf("boltstore: add a report: %w", err)
	}
	return id, nil
}

// ListReports implements syncstore.Reports.
func (s *Store) ListReports(context.Context) ([]syncstore.Report, error) {
	var out []syncstore.Report
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(reportsBucket).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			r, err := decodeReport(k, v)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: list reports: %w", err)
	}
	return out, nil
}

// HandleReport implements syncstore.Reports.
func (s *Store) HandleReport(_ context.Context, id string, at time.Time) error {
	num, ok := syncstore.ParseReportID(id)
	if !ok {
		return fmt.Errorf("boltstore: report %q: %w", id, syncstore.ErrNoReport)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(reportsBucket)
		k := seqKey(num)
		v := b.Get(k)
		if v == nil {
			return syncstore.ErrNoReport
		}
		var r storedReport
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("it does not decode: %w", errors.Join(syncstore.ErrCorrupt, err))
		}
		r.Handled = at.UnixNano()
		v, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
	if err != nil {
		return fmt.Errorf("boltstore: handle report %s: %w", id, err)
	}
	return nil
}
