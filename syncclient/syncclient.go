// Package syncclient is the device's side of sync, in pure Go: it pulls the log's sealed batches
// after its cursor, opens them and merges their events, then seals and pushes the events the
// server does not have yet. Merge is set union, so a retried push or a re-pulled batch changes
// nothing. The browser supplies the HTTP transport (fetch) and the storage; tests supply the real
// handler over net/http.
package syncclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/syncproto"
)

// Transport sends one POST with a JSON body and a bearer token, and returns the status and body.
// An error means the request did not get an answer (offline, DNS, connection reset).
type Transport interface {
	Post(ctx context.Context, path, token string, body []byte) (status int, resp []byte, err error)
}

// Values is where the client keeps its state on the device (store.Store's named values).
type Values interface {
	Get(ctx context.Context, key string) (string, bool, error)
	Put(ctx context.Context, key, value string) error
}

// Progress is the device's log as the app holds it. Merge stores new events durably before it
// returns.
type Progress interface {
	Log() []quiz.Event
	Merge(events []quiz.Event) (int, error)
}

// Keys of the values the client keeps.
const (
	KeyCode   = "sync-code"   // the sync code; empty when sync is off
	KeyCursor = "sync-cursor" // the last sequence number pulled
	KeyKnown  = "sync-known"  // ids of the events the server holds, one per line
	KeyLast   = "sync-last"   // when the last sync round succeeded (RFC 3339)
	KeyEpoch  = "sync-epoch"  // the epoch of the log the cursor and the known ids are about
	// KeyLegacy is the cursor into the log under the code's legacy id (syncproto.Keys), which
	// apps before protocol 1.1 wrote to, or "retired" once the server holds no such log.
	KeyLegacy = "sync-legacy"
	// KeyIDs is "2" once the cursor and known ids are about the log under Keys.ID. A device
	// whose state predates it moves its cursor to KeyLegacy on Open.
	KeyIDs = "sync-ids"
)

// retired is KeyLegacy's value once there is no legacy log to read.
const retired = "retired"

// Client syncs one device's log under one sync code.
type Client struct {
	Code   syncproto.Code
	keys   syncproto.Keys
	sealer syncproto.Sealer
	t      Transport
	v      Values
	random io.Reader

	round sync.Mutex // one round at a time; held across the round's requests

	mu       sync.Mutex // guards the fields below; never held across a request or a storage call
	cursor   int64
	known    map[string]bool
	epoch    string
	legacy   string // KeyLegacy: a cursor, or retired
	last     time.Time
	rejected int
}

// Open returns the client for the code stored on the device, or nil when sync is off.
func Open(ctx context.Context, v Values, t Transport, derive syncproto.Deriver, random io.Reader) (*Client, error) {
	s, ok, err := v.Get(ctx, KeyCode)
	if err != nil {
		return nil, fmt.Errorf("sync settings could not be read: %w", err)
	}
	if !ok || s == "" {
		return nil, nil
	}
	code, err := syncproto.ParseCode(s)
	if err != nil {
		return nil, fmt.Errorf("the stored sync code is damaged (%w): turn sync on again with the code from another device", err)
	}
	c, err := newClient(code, v, t, derive, random)
	if err != nil {
		return nil, err
	}
	// A value that cannot be read stops here: starting over from a cursor of 0 would pull the
	// whole log again and push everything the server already holds.
	get := func(key string) (string, error) {
		s, _, err := v.Get(ctx, key)
		if err != nil {
			return "", fmt.Errorf("the sync state could not be read (%w): reload the page; if this keeps happening, turn sync off and on again", err)
		}
		return s, nil
	}
	cursor, err := get(KeyCursor)
	if err != nil {
		return nil, err
	}
	known, err := get(KeyKnown)
	if err != nil {
		return nil, err
	}
	last, err := get(KeyLast)
	if err != nil {
		return nil, err
	}
	if c.epoch, err = get(KeyEpoch); err != nil {
		return nil, err
	}
	if c.legacy, err = get(KeyLegacy); err != nil {
		return nil, err
	}
	ids, err := get(KeyIDs)
	if err != nil {
		return nil, err
	}
	if cursor != "" {
		if c.cursor, err = strconv.ParseInt(cursor, 10, 64); err != nil || c.cursor < 0 {
			return nil, fmt.Errorf("the stored sync state is damaged (cursor %.20q): turn sync off, then on again with the same code", cursor)
		}
	}
	if known != "" {
		for _, id := range strings.Split(known, "\n") {
			c.known[id] = true
		}
	}
	if last != "" {
		c.last, _ = time.Parse(time.RFC3339, last) // only shown ("synced 5 minutes ago"): a bad one reads as never
	}
	if ids != "2" {
		// The state is about the log under the legacy id: read that log on from its cursor, and
		// start the log under the new id from nothing, so everything is pushed to it.
		c.legacy = strconv.FormatInt(c.cursor, 10)
		c.cursor, c.known, c.epoch = 0, map[string]bool{}, ""
		if err := c.save(ctx, func() {}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func newClient(code syncproto.Code, v Values, t Transport, derive syncproto.Deriver, random io.Reader) (*Client, error) {
	keys, sealer, err := derive(code)
	if err != nil {
		return nil, fmt.Errorf("the sync keys could not be made (%w): reload the page and try again", err)
	}
	return &Client{Code: code, keys: keys, sealer: sealer, t: t, v: v, random: random, known: map[string]bool{}}, nil
}

// Enable turns sync on with a code (new, or from another device), starting from nothing known:
// the next round pulls everything and pushes everything.
func Enable(ctx context.Context, v Values, t Transport, derive syncproto.Deriver, code syncproto.Code, random io.Reader) (*Client, error) {
	c, err := newClient(code, v, t, derive, random)
	if err != nil {
		return nil, err
	}
	c.legacy = "0"
	for _, kv := range [][2]string{{KeyCursor, "0"}, {KeyKnown, ""}, {KeyLast, ""}, {KeyEpoch, ""}, {KeyLegacy, "0"}, {KeyIDs, "2"}, {KeyCode, code.String()}} {
		if err := v.Put(ctx, kv[0], kv[1]); err != nil {
			return nil, fmt.Errorf("sync could not be turned on (%w): nothing changed on the server", err)
		}
	}
	return c, nil
}

// Disable turns sync off on this device. Progress stays here and on the server.
func Disable(ctx context.Context, v Values) error {
	if err := v.Put(ctx, KeyCode, ""); err != nil {
		return fmt.Errorf("sync could not be turned off: %w", err)
	}
	return nil
}

// Pending counts the events of the log the server does not hold yet. It does not wait for a
// round that is under way.
func (c *Client) Pending(p Progress) int {
	log := p.Log()
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range log {
		if !c.known[e.ID] {
			n++
		}
	}
	return n
}

// LastSync is when the last round succeeded; zero if never. It does not wait for a round that is
// under way.
func (c *Client) LastSync() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Result says what a round did.
type Result struct {
	Pulled   int // new events merged from other devices
	Pushed   int // events sent
	Rejected int // batches that failed their integrity check, skipped, ever
}

// Sync runs one round: pull, then push. It stops at the first error, keeping what it did before.
// Rounds run one at a time; Sync waits for the network and storage, so call it from a goroutine.
func (c *Client) Sync(ctx context.Context, p Progress, now time.Time) (Result, error) {
	c.round.Lock()
	defer c.round.Unlock()
	var res Result
	pulled, err := c.pullLegacy(ctx, p)
	res.Pulled = pulled
	if err == nil {
		pulled, err = c.pull(ctx, p)
		res.Pulled += pulled
	}
	if err == nil {
		res.Pushed, err = c.push(ctx, p)
	}
	c.mu.Lock()
	res.Rejected = c.rejected
	if err == nil {
		c.last = now
	}
	c.mu.Unlock()
	if err != nil {
		return res, err
	}
	_ = c.v.Put(ctx, KeyLast, now.UTC().Format(time.RFC3339))
	if res.Rejected > 0 {
		return res, &Error{Kind: Tampered, Msg: fmt.Sprintf("%d synced batches failed their integrity check (altered, or written with another sync code) and were not merged; your progress here is intact. If this keeps happening, turn sync off and start a new sync code.", res.Rejected)}
	}
	return res, nil
}

// pullLegacy reads on in the log under the code's legacy id, which devices running apps from
// before protocol 1.1 may still write to. Its events are merged, and pushed to the log under the
// new id like any others. Once the server holds no legacy log, none can appear again (the
// server registers no id it cannot check), and the device stops asking.
func (c *Client) pullLegacy(ctx context.Context, p Progress) (int, error) {
	c.mu.Lock()
	legacy := c.legacy
	c.mu.Unlock()
	if legacy == retired {
		return 0, nil
	}
	cursor, _ := strconv.ParseInt(legacy, 10, 64)
	merged, next, resp, err := c.pullLog(ctx, p, c.keys.LegacyID, cursor, false, "")
	var e *Error
	if errors.As(err, &e) && e.Kind == Auth {
		// Someone else registered the legacy id first (nothing stopped that before protocol
		// 1.1): it was never this code's log.
		resp.Unknown, err = true, nil
	}
	if err != nil {
		return merged, err
	}
	if resp.Unknown || next != cursor {
		err = c.save(ctx, func() {
			c.legacy = strconv.FormatInt(next, 10)
			if resp.Unknown {
				c.legacy = retired
			}
		})
	}
	return merged, err
}

// pull reads the log after the cursor. A log the server no longer holds (expired), or holds
// under a new epoch (expired and made again), starts this device over: it pulls from the start
// and pushes everything, so nothing it holds is lost with the server's copy.
func (c *Client) pull(ctx context.Context, p Progress) (int, error) {
	c.mu.Lock()
	cursor, epoch, knows := c.cursor, c.epoch, len(c.known) > 0
	c.mu.Unlock()
	merged := 0
	for attempt := 0; attempt < 2; attempt++ {
		n, _, resp, err := c.pullLog(ctx, p, c.keys.ID, cursor, true, epoch)
		merged += n
		if err != nil {
			return merged, err
		}
		switch {
		case resp.Unknown:
			if cursor > 0 || knows || epoch != "" {
				return merged, c.save(ctx, c.forget)
			}
			return merged, nil
		case resp.Epoch == "" || resp.Epoch == epoch:
			return merged, nil
		case epoch == "" && cursor == 0:
			return merged, c.save(ctx, func() { c.epoch = resp.Epoch })
		}
		// A new epoch: what the cursor and the known ids say is about a log that is gone.
		if err := c.save(ctx, func() { c.forget(); c.epoch = resp.Epoch }); err != nil {
			return merged, err
		}
		cursor, epoch, knows = 0, resp.Epoch, false
	}
	return merged, nil
}

// forget drops what the device knew of the server's log. Call it under save.
func (c *Client) forget() {
	c.cursor, c.known, c.epoch = 0, map[string]bool{}, ""
}

// pullLog pulls the log id after cursor until the server has no more, merges what opens, and
// returns the last sequence number seen and the last answer. When markKnown, the pulled events
// count as held by the server and the client's cursor moves; otherwise the caller keeps the
// cursor. With markKnown it stops at an answer of another epoch than the one given.
func (c *Client) pullLog(ctx context.Context, p Progress, id string, cursor int64, markKnown bool, epoch string) (int, int64, syncproto.PullResponse, error) {
	merged := 0
	for page := 0; page < 10000; page++ {
		body, _ := json.Marshal(syncproto.PullRequest{V: syncproto.Version, ID: id, After: cursor})
		var resp syncproto.PullResponse
		if err := c.call(ctx, syncproto.PathPull, body, &resp); err != nil {
			return merged, cursor, resp, err
		}
		if markKnown && resp.Epoch != "" && resp.Epoch != epoch {
			if epoch != "" || cursor > 0 {
				// The cursor is about another epoch of the log: the caller starts over.
				return merged, cursor, resp, nil
			}
			epoch = resp.Epoch // the first pull of this log
		}
		var events []quiz.Event
		next, rejected := cursor, 0
		for _, b := range resp.Batches {
			if b.Seq <= next {
				return merged, cursor, resp, &Error{Kind: Protocol, Msg: "the sync server sent batches out of order; nothing from them was merged. Try again later."}
			}
			next = b.Seq
			plain, err := c.sealer.Open(b.Data)
			if err != nil {
				rejected++ // never merged; local data is untouched
				continue
			}
			evs, err := Unpack(plain)
			if err != nil {
				if errors.Is(err, quiz.ErrNewerVersion) {
					return merged, cursor, resp, &Error{Kind: Protocol, Msg: "another device synced with a newer version of the app: reload this page to update, then sync again"}
				}
				rejected++
				continue
			}
			events = append(events, evs...)
		}
		if len(events) > 0 {
			n, err := p.Merge(events)
			if err != nil {
				return merged, cursor, resp, &Error{Kind: Local, Msg: err.Error()}
			}
			merged += n
		}
		c.mu.Lock()
		c.rejected += rejected
		if markKnown {
			for _, e := range events {
				c.known[e.ID] = true
			}
		}
		c.mu.Unlock()
		if next != cursor {
			cursor = next
			if markKnown {
				if err := c.save(ctx, func() { c.cursor = next }); err != nil {
					return merged, cursor, resp, err
				}
			}
		}
		if !resp.More || len(resp.Batches) == 0 {
			return merged, cursor, resp, nil
		}
	}
	return merged, cursor, syncproto.PullResponse{}, &Error{Kind: Protocol, Msg: "the sync server keeps sending more batches; try again later"}
}

func (c *Client) push(ctx context.Context, p Progress) (int, error) {
	log := p.Log()
	var pending []quiz.Event
	c.mu.Lock()
	for _, e := range log {
		if !c.known[e.ID] {
			pending = append(pending, e)
		}
	}
	c.mu.Unlock()
	if len(pending) == 0 {
		return 0, nil
	}
	plains, groups, err := Pack(pending, syncproto.MaxBatchBytes-syncproto.SealOverhead)
	if err != nil {
		return 0, &Error{Kind: Local, Msg: err.Error()}
	}
	pushed := 0
	for start := 0; start < len(plains); start += syncproto.MaxBatchesPerPush {
		end := min(start+syncproto.MaxBatchesPerPush, len(plains))
		req := syncproto.PushRequest{V: syncproto.Version, ID: c.keys.ID}
		for _, plain := range plains[start:end] {
			sealed, err := c.sealer.Seal(syncproto.Pad(plain), c.random)
			if err != nil {
				return pushed, &Error{Kind: Local, Msg: err.Error()}
			}
			req.Batches = append(req.Batches, sealed)
		}
		body, err := json.Marshal(req)
		if err != nil {
			return pushed, &Error{Kind: Local, Msg: err.Error()}
		}
		var resp syncproto.PushResponse
		if err := c.call(ctx, syncproto.PathPush, body, &resp); err != nil {
			return pushed, err
		}
		err = c.save(ctx, func() {
			if resp.Epoch != "" && resp.Epoch != c.epoch {
				if c.epoch != "" || c.cursor > 0 {
					// The log expired and was made again since this round's pull: start over
					// next round, pushing everything to the new log.
					c.forget()
					return
				}
				c.epoch = resp.Epoch // this push registered the log
			}
			for _, g := range groups[start:end] {
				for _, e := range g {
					c.known[e.ID] = true
					pushed++
				}
			}
			// Our own batches need not come back on the next pull, unless another device's came first.
			if resp.First == c.cursor+1 {
				c.cursor = resp.Last
			}
		})
		if err != nil {
			return pushed, err
		}
	}
	return pushed, nil
}

// save applies change to the client's state, then persists the cursor and the known ids. A
// crash before it only repeats work next round.
func (c *Client) save(ctx context.Context, change func()) error {
	c.mu.Lock()
	change()
	ids := make([]string, 0, len(c.known))
	for id := range c.known {
		ids = append(ids, id)
	}
	cursor, epoch, legacy := c.cursor, c.epoch, c.legacy
	c.mu.Unlock()
	sort.Strings(ids)
	// The cursor goes last: if a crash stops this halfway, the next round repeats work rather
	// than skip it.
	for _, kv := range [][2]string{{KeyKnown, strings.Join(ids, "\n")}, {KeyEpoch, epoch}, {KeyLegacy, legacy}, {KeyIDs, "2"}, {KeyCursor, strconv.FormatInt(cursor, 10)}} {
		if err := c.v.Put(ctx, kv[0], kv[1]); err != nil {
			return &Error{Kind: Local, Msg: "the sync state could not be saved: " + err.Error()}
		}
	}
	return nil
}

// call POSTs one request and decodes the answer or turns it into an Error for the user.
func (c *Client) call(ctx context.Context, path string, body []byte, out any) error {
	status, resp, err := c.t.Post(ctx, path, c.keys.Token, body)
	if err != nil {
		return &Error{Kind: Offline, Msg: "offline: your progress is saved on this device and will sync when you are back online"}
	}
	if status == 200 {
		if err := json.Unmarshal(resp, out); err != nil {
			return &Error{Kind: Protocol, Msg: "the sync server's answer could not be read; try again later"}
		}
		return nil
	}
	var e syncproto.ErrorResponse
	_ = json.Unmarshal(resp, &e)
	switch {
	case e.Code == syncproto.CodeRegistrationLimited:
		return &Error{Kind: RateLimited, Msg: "the sync server takes only a few new sync codes a day, and today's are used up: your progress is saved on this device and will sync tomorrow", Code: e.Code}
	case e.Code == syncproto.CodeLogFull:
		return &Error{Kind: Full, Msg: "your synced progress has filled the space the server keeps for one sync code: turn sync off, then on with a new code, and enter that code on your other devices (your progress moves across in full)", Code: e.Code}
	case e.Code == syncproto.CodeCorrupt:
		return &Error{Kind: Server, Msg: "the sync server's copy of your progress is damaged, so it stored nothing: your progress on this device is safe. If this lasts a day, turn sync off, then on with a new code", Code: e.Code}
	case status == 429:
		return &Error{Kind: RateLimited, Msg: "the sync server asked this device to slow down: it will try again in a minute", Code: e.Code}
	case status == 401 || status == 403:
		return &Error{Kind: Auth, Msg: "the sync server refused this sync code: turn sync off, then on again with the code shown on your other device", Code: e.Code}
	case e.Code == syncproto.CodeBadVersion:
		return &Error{Kind: Protocol, Msg: "the sync server speaks a newer protocol: reload the page to update the app", Code: e.Code}
	case status >= 500 || status == 0:
		return &Error{Kind: Server, Msg: "the sync server is unavailable right now; your progress is safe here and will sync later", Code: e.Code}
	case e.Error != "":
		return &Error{Kind: Protocol, Msg: "the sync server refused a request: " + e.Error, Code: e.Code}
	default:
		return &Error{Kind: Server, Msg: fmt.Sprintf("the sync server answered with HTTP %d; your progress is safe here and will sync later", status)}
	}
}

// Kind sorts sync errors by what the user can do about them.
type Kind int

// The kinds of Error.
const (
	Offline     Kind = iota + 1 // no answer: nothing to do, it retries
	RateLimited                 // it retries later
	Server                      // the service failed: it retries later
	Auth                        // the code is not accepted: set it again
	Protocol                    // versions disagree or the answer is broken
	Tampered                    // a batch did not open: skipped, local data intact
	Local                       // this device's storage failed
	Full                        // the log holds all the server keeps for one code: a new code
)

// Error is a sync failure with a sentence for the user.
type Error struct {
	Kind Kind
	Msg  string
	Code string // the server's error code, if any
}

func (e *Error) Error() string { return e.Msg }

// Pack encodes events into batch plaintexts of at most limit bytes each, in log order, and says
// which events went into each.
func Pack(events []quiz.Event, limit int) (plains [][]byte, groups [][]quiz.Event, err error) {
	const head, tail = `{"v":1,"events":[`, `]}`
	var buf bytes.Buffer
	var group []quiz.Event
	flush := func() {
		if len(group) == 0 {
			return
		}
		buf.WriteString(tail)
		plains = append(plains, bytes.Clone(buf.Bytes()))
		groups = append(groups, group)
		buf.Reset()
		group = nil
	}
	for _, e := range events {
		data, err := json.Marshal(e)
		if err != nil {
			return nil, nil, fmt.Errorf("sync: encoding event %s: %w", e.ID, err)
		}
		if len(head)+len(data)+len(tail) > limit {
			return nil, nil, fmt.Errorf("sync: event %s is %d bytes, over the batch limit", e.ID, len(data))
		}
		if len(group) > 0 && buf.Len()+1+len(data)+len(tail) > limit {
			flush()
		}
		if len(group) == 0 {
			buf.WriteString(head)
		} else {
			buf.WriteByte(',')
		}
		buf.Write(data)
		group = append(group, e)
	}
	flush()
	return plains, groups, nil
}

// Unpack decodes a batch plaintext. Events that do not decode are skipped; a batch of a newer
// version is an error wrapping quiz.ErrNewerVersion.
func Unpack(plain []byte) ([]quiz.Event, error) {
	var b struct {
		V      int               `json:"v"`
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(plain, &b); err != nil {
		return nil, fmt.Errorf("sync: a batch is not valid JSON: %w", err)
	}
	if b.V > 1 {
		return nil, fmt.Errorf("sync: a batch was %w", quiz.ErrNewerVersion)
	}
	out := make([]quiz.Event, 0, len(b.Events))
	for _, raw := range b.Events {
		e, err := quiz.DecodeEvent(raw)
		if errors.Is(err, quiz.ErrNewerVersion) {
			return nil, fmt.Errorf("sync: an event was %w", quiz.ErrNewerVersion)
		}
		if err == nil {
			out = append(out, e)
		}
	}
	return out, nil
}
