// Package reportq is the device's outbox of problem reports: a candidate reports a question (the
// key looks wrong, a typo...), the report waits in the device's named values (IndexedDB in the
// browser) and is sent to POST /api/report, in the order written, whenever the network lets it.
// A report carries the question's id, the bank's version, the candidate's answer as text, a
// reason and an optional comment: nothing that identifies the person or the device.
//
// It is pure Go: the browser supplies the storage and the transport (fetch), tests supply an
// httptest server.
package reportq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/issmp-study/issmp/syncproto"
)

// Transport sends one POST with a JSON body and returns the status and body; an error means no
// answer (offline, DNS, a connection refused). It has syncclient.Transport's shape, so the
// browser's fetch transport serves both; reports pass no token (""), and no token header is sent.
type Transport interface {
	Post(ctx context.Context, path, token string, body []byte) (status int, resp []byte, err error)
}

// Values is where the outbox lives on the device: store.Store's named values, the same interface
// as syncclient.Values.
type Values interface {
	Get(ctx context.Context, key string) (string, bool, error)
	Put(ctx context.Context, key, value string) error
}

// Key is the named value that holds the outbox (JSON).
const Key = "report-outbox"

// Check tidies a report (the comment trimmed, the answer cut to syncproto.MaxReportAnswer characters, v set)
// and says in a sentence what is wrong with it, if anything.
func Check(r syncproto.ReportRequest) (syncproto.ReportRequest, error) {
	r.V = syncproto.Version
	r.Question = strings.TrimSpace(r.Question)
	r.Comment = strings.TrimSpace(r.Comment)
	if utf8.RuneCountInString(r.Answer) > syncproto.MaxReportAnswer {
		r.Answer = string([]rune(r.Answer)[:syncproto.MaxReportAnswer-1]) + "…"
	}
	switch {
	case r.Question == "":
		return r, errors.New("the report names no question")
	case r.Bank == "":
		return r, errors.New("the report names no version of the question bank")
	case !r.Reason.Valid():
		return r, errors.New("choose what is wrong with the question")
	case utf8.RuneCountInString(r.Comment) > syncproto.MaxReportComment:
		return r, fmt.Errorf("the comment is longer than %d characters: shorten it", syncproto.MaxReportComment)
	case !utf8.ValidString(r.Comment) || !utf8.ValidString(r.Answer):
		return r, errors.New("the comment is not valid text")
	}
	return r, nil
}

// Status is where one report stands.
type Status int

// The statuses of a report.
const (
	Unknown Status = iota // not a report of this outbox
	Waiting               // stored on the device, not yet accepted
	Sent                  // the server accepted it (200)
	Refused               // the server refused it for good (a 4xx other than 429): dropped
)

// Item is a report waiting in the outbox, under a number of its own that never leaves the device.
type Item struct {
	N      int64                   `json:"n"`
	Report syncproto.ReportRequest `json:"report"`
}

// Refusal is a report the server refused for good, kept to tell the candidate.
type Refusal struct {
	N        int64  `json:"n"`
	Question string `json:"question"`
	Why      string `json:"why"` // a sentence
	Code     string `json:"code,omitempty"`
}

// keptRefusals is how many refusals the outbox remembers (their count is kept in full).
const keptRefusals = 20

// saved is the outbox as stored.
type saved struct {
	Next     int64     `json:"next"`
	Items    []Item    `json:"items"`
	Refused  int       `json:"refused,omitempty"` // how many reports the server refused, ever
	Refusals []Refusal `json:"refusals,omitempty"`
}

// Outbox holds the reports waiting to be sent. Its methods are safe to call from several
// goroutines; those that take a context wait for storage or the network, so the browser calls
// them from goroutines, never from a listener.
type Outbox struct {
	v Values

	flushing sync.Mutex // one Flush at a time
	saving   sync.Mutex // one save at a time, each writing the state as it is when it starts

	mu        sync.Mutex // guards the fields below; never held across storage or the network
	s         saved
	notBefore time.Time // after a 429 or a 5xx, no request before this
}

// Open reads the outbox kept in v. A value that cannot be read is an error: starting afresh
// would lose the reports waiting in it.
func Open(ctx context.Context, v Values) (*Outbox, error) {
	o := &Outbox{v: v, s: saved{Next: 1}}
	s, ok, err := v.Get(ctx, Key)
	if err != nil {
		return nil, fmt.Errorf("the reports waiting to be sent could not be read: %w", err)
	}
	if ok && s != "" {
		var st saved
		if err := json.Unmarshal([]byte(s), &st); err != nil {
			return nil, fmt.Errorf("the reports waiting to be sent are damaged (%v)", err)
		}
		if st.Next < 1 {
			st.Next = 1
		}
		for _, it := range st.Items {
			if it.N >= st.Next {
				st.Next = it.N + 1
			}
		}
		o.s = st
	}
	return o, nil
}

// ErrNotSaved is wrapped by Add's error when the report is held in memory but storage refused it:
// it is sent while the page stays open, and lost if it closes first.
var ErrNotSaved = errors.New("this device did not store the report")

// Add checks a report and puts it at the end of the outbox; it returns the report's number on the
// device. If storage fails, the report still waits in memory and the error wraps ErrNotSaved.
func (o *Outbox) Add(ctx context.Context, r syncproto.ReportRequest) (int64, error) {
	r, err := Check(r)
	if err != nil {
		return 0, err
	}
	o.mu.Lock()
	n := o.s.Next
	o.s.Next++
	o.s.Items = append(o.s.Items, Item{N: n, Report: r})
	o.mu.Unlock()
	if err := o.save(ctx); err != nil {
		return n, fmt.Errorf("%w (%v): it will be sent only if this page stays open until it goes", ErrNotSaved, err)
	}
	return n, nil
}

// save writes the outbox as it stands. Saves run one at a time and each takes the state when it
// starts, so the last one written is the newest.
func (o *Outbox) save(ctx context.Context) error {
	o.saving.Lock()
	defer o.saving.Unlock()
	o.mu.Lock()
	data, err := json.Marshal(o.s)
	o.mu.Unlock()
	if err != nil {
		return err
	}
	return o.v.Put(ctx, Key, string(data))
}

// Pending counts the reports waiting to be sent.
func (o *Outbox) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.s.Items)
}

// Status says where the report numbered n stands.
func (o *Outbox) Status(n int64) Status {
	o.mu.Lock()
	defer o.mu.Unlock()
	if n <= 0 || n >= o.s.Next {
		return Unknown
	}
	for _, it := range o.s.Items {
		if it.N == n {
			return Waiting
		}
	}
	for _, f := range o.s.Refusals {
		if f.N == n {
			return Refused
		}
	}
	return Sent
}

// Refusal returns why the report numbered n was refused, if it was and is still remembered.
func (o *Outbox) Refusal(n int64) (Refusal, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, f := range o.s.Refusals {
		if f.N == n {
			return f, true
		}
	}
	return Refusal{}, false
}

// Refused is how many reports the server has refused on this device, and the latest refusal.
func (o *Outbox) Refused() (int, Refusal) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var last Refusal
	if k := len(o.s.Refusals); k > 0 {
		last = o.s.Refusals[k-1]
	}
	return o.s.Refused, last
}

// Kind sorts why a Flush stopped.
type Kind int

// The kinds of Error.
const (
	Offline     Kind = iota + 1 // no answer: it retries when the network returns
	RateLimited                 // 429: it retries later
	Server                      // 5xx: it retries later
	Local                       // this device's storage failed
)

// Error says why a Flush stopped with reports still waiting, in a sentence for the candidate.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Result says what a Flush did.
type Result struct {
	Sent    int // accepted by the server
	Refused int // refused for good, and dropped
	Waiting int // still in the outbox
}

// retryAfter is how long the outbox waits after a 429 or a 5xx before it asks again.
const retryAfter = time.Minute

// Flush sends the waiting reports in order, one request each: a report the server accepts (200)
// leaves the outbox; one it refuses for good (another 4xx) is dropped and remembered as refused;
// on no answer, a 429 or a 5xx, Flush stops and keeps it and those after it for the next Flush,
// which after a 429 or a 5xx sends nothing for a minute. Reports added while it runs are sent
// by it too. One Flush runs at a time; a second waits for the first.
func (o *Outbox) Flush(ctx context.Context, t Transport, now time.Time) (Result, error) {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	var res Result
	var last int64 // the number of the last report tried
	var stop error
	for stop == nil {
		o.mu.Lock()
		var it Item
		found := false
		for _, x := range o.s.Items {
			if x.N > last {
				it, found = x, true
				break
			}
		}
		wait := now.Before(o.notBefore)
		o.mu.Unlock()
		if !found {
			break
		}
		if wait {
			stop = &Error{Kind: RateLimited, Msg: "the report server asked this device to wait: the report will be sent in a minute or two"}
			break
		}
		last = it.N
		body, err := json.Marshal(it.Report)
		if err != nil {
			return res, err // a syncproto.ReportRequest always encodes
		}
		status, resp, err := t.Post(ctx, syncproto.PathReport, "", body)
		var e syncproto.ErrorResponse
		if err == nil && status != 200 {
			_ = json.Unmarshal(resp, &e)
		}
		switch {
		case err != nil:
			stop = &Error{Kind: Offline, Msg: "offline: the report is saved on this device and will be sent when you are back online"}
		case status == 200:
			o.drop(it.N, nil)
			res.Sent++
			if err := o.save(ctx); err != nil {
				stop = &Error{Kind: Local, Msg: "a report was sent, but this device could not note it (" + err.Error() + "): it may be sent again"}
			}
		case status == 429:
			o.hold(now)
			stop = &Error{Kind: RateLimited, Msg: "the report server asked this device to slow down: the report will be sent in a minute or two"}
		case status >= 400 && status < 500:
			why := strings.TrimSpace(e.Error)
			if why == "" {
				why = fmt.Sprintf("the server refused the report (HTTP %d)", status)
			}
			o.drop(it.N, &Refusal{N: it.N, Question: it.Report.Question, Why: why, Code: e.Code})
			res.Refused++
			if err := o.save(ctx); err != nil {
				stop = &Error{Kind: Local, Msg: "this device could not update its reports (" + err.Error() + ")"}
			}
		default: // 5xx, or a status that makes no sense
			o.hold(now)
			stop = &Error{Kind: Server, Msg: "the report server is unavailable right now: the report is saved on this device and will be sent later"}
		}
	}
	res.Waiting = o.Pending()
	return res, stop
}

// drop takes report n out of the outbox, remembering a refusal if there is one.
func (o *Outbox) drop(n int64, refusal *Refusal) {
	o.mu.Lock()
	defer o.mu.Unlock()
	kept := o.s.Items[:0]
	for _, it := range o.s.Items {
		if it.N != n {
			kept = append(kept, it)
		}
	}
	o.s.Items = kept
	if refusal != nil {
		o.s.Refused++
		o.s.Refusals = append(o.s.Refusals, *refusal)
		if k := len(o.s.Refusals); k > keptRefusals {
			o.s.Refusals = append([]Refusal(nil), o.s.Refusals[k-keptRefusals:]...)
		}
	}
}

// hold stops requests for a while after the server said to.
func (o *Outbox) hold(now time.Time) {
	o.mu.Lock()
	o.notBefore = now.Add(retryAfter)
	o.mu.Unlock()
}
