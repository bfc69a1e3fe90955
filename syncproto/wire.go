package syncproto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Version is the protocol version this code speaks; every request carries it.
const Version = 1

// TokenHeader carries the auth token. Not Authorization: CloudFront's origin access control signs
// the request to the Lambda function URL in that header.
const TokenHeader = "X-Sync-Token"

// The API's paths, all under one origin with the site.
const (
	PathHealth = "/api/health"
	PathPush   = "/api/sync/push"
	PathPull   = "/api/sync/pull"
	// PathReport takes a candidate's report of a problem with a question (ReportRequest).
	PathReport = "/api/report"
)

// Limits of the protocol. A sealed batch stays well under DynamoDB's 400 KB item limit, so the
// client splits what it has to send into batches of at most MaxBatchBytes; a push carries a few
// batches, and its body stays under MaxBodyBytes even in base64.
const (
	MaxBatchBytes     = 128 << 10
	MaxBatchesPerPush = 5
	MaxBodyBytes      = 1 << 20
	MaxPullLimit      = 50
	// MaxPullBytes bounds a pull response's batch bytes (before base64): four full batches. A
	// page this size keeps an abuser's repeated pulls cheap (docs/COST.md), and a device joining
	// a full 16 MiB log still gets it in 32 pulls.
	MaxPullBytes = 512 << 10
)

// PushRequest stores sealed batches as the log's next sequence numbers.
type PushRequest struct {
	V       int      `json:"v"`
	ID      string   `json:"id"`
	Batches [][]byte `json:"-"` // sealed; base64 on the wire
}

type wirePush struct {
	V       int      `json:"v"`
	ID      string   `json:"id"`
	Batches []string `json:"batches"`
}

// MarshalJSON writes the request with its batches in standard base64.
func (p PushRequest) MarshalJSON() ([]byte, error) {
	w := wirePush{V: p.V, ID: p.ID, Batches: make([]string, len(p.Batches))}
	for i, b := range p.Batches {
		w.Batches[i] = base64.StdEncoding.EncodeToString(b)
	}
	return json.Marshal(w)
}

// PushResponse says which sequence numbers the batches got, First to Last in request order.
type PushResponse struct {
	V     int    `json:"v"`
	First int64  `json:"first"`
	Last  int64  `json:"last"`
	Epoch string `json:"epoch,omitempty"` // the log's epoch (PullResponse)
}

// PullRequest asks for the batches after a cursor (the last sequence number already held; 0 for
// all of them), at most Limit of them.
type PullRequest struct {
	V     int    `json:"v"`
	ID    string `json:"id"`
	After int64  `json:"after"`
	Limit int    `json:"limit,omitempty"`
}

// PullResponse returns batches in sequence order; More says another pull would return more.
type PullResponse struct {
	V       int     `json:"v"`
	Batches []Batch `json:"batches"`
	More    bool    `json:"more"`
	// Epoch names this registration of the log. A log that expired and was registered again
	// has a new epoch and numbers from the start: a device that sees a new epoch drops its
	// cursor and pulls and pushes everything again.
	Epoch string `json:"epoch,omitempty"`
	// Unknown says the server holds no log under this id (never registered, or expired).
	Unknown bool `json:"unknown,omitempty"`
}

// Batch is one stored batch and its sequence number. Data is base64 on the wire (as encoding/json
// writes a byte slice).
type Batch struct {
	Seq  int64  `json:"seq"`
	Data []byte `json:"data"`
}

// ErrorResponse is the body of every 4xx and 5xx answer: a sentence for the user, and a code for
// the client.
type ErrorResponse struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// Error codes of ErrorResponse.
const (
	CodeBadJSON      = "bad_json"
	CodeBadVersion   = "unsupported_version"
	CodeBadRequest   = "bad_request"
	CodeBadBase64    = "bad_base64"
	CodeTooLarge     = "too_large"
	CodeNoToken      = "missing_token"
	CodeBadToken     = "bad_token"
	CodeRateLimited  = "rate_limited"
	CodeNotFound     = "not_found"
	CodeBadMethod    = "method_not_allowed"
	CodeUnavailable  = "unavailable"
	CodeInternal     = "internal"
	CodeUnsupported  = "unsupported_media_type"
	CodeBodyRequired = "body_required"
	// CodeIDMismatch: a push would register an id that does not belong to its token.
	CodeIDMismatch = "id_mismatch"
	// CodeLogFull: the log holds as many bytes as the server keeps for one log.
	CodeLogFull = "log_full"
	// CodeRegistrationLimited: too many new logs today, from this address or in all.
	CodeRegistrationLimited = "registration_limited"
	// CodeCorrupt: the server's copy of the log is damaged; nothing was written.
	CodeCorrupt = "corrupt"
)

// RequestError is a request the server refuses, with the code and sentence to answer.
type RequestError struct {
	Code string
	Msg  string
}

func (e *RequestError) Error() string { return e.Msg }

func refuse(code, format string, args ...any) error {
	return &RequestError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// decodeStrict decodes exactly one JSON object with no unknown fields from at most MaxBodyBytes.
func decodeStrict(r io.Reader, v any) error {
	return decodeStrictN(r, v, MaxBodyBytes, "send fewer batches at a time")
}

// decodeStrictN is decodeStrict from at most limit bytes; tooLarge says what to do about a body
// over it.
func decodeStrictN(r io.Reader, v any, limit int, tooLarge string) error {
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return refuse(CodeBadRequest, "the request body could not be read: %v", err)
	}
	if len(data) > limit {
		return refuse(CodeTooLarge, "the request is larger than %d bytes: %s", limit, tooLarge)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return refuse(CodeBodyRequired, "the request has no body: send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return refuse(CodeBadJSON, "the request is not valid JSON for this call: %v", err)
	}
	if dec.More() {
		return refuse(CodeBadJSON, "the request holds more than one JSON value")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return refuse(CodeBadJSON, "the request has data after its JSON object")
	}
	return nil
}

func checkHeader(v int, id string) error {
	if v != Version {
		return refuse(CodeBadVersion, "protocol version %d is not supported; this server speaks version %d: reload the app to update it", v, Version)
	}
	if !ValidID(id) {
		return refuse(CodeBadRequest, "the sync id must be 32 lowercase hex characters")
	}
	return nil
}

// DecodePush reads and checks a push request. Every refusal is a *RequestError.
func DecodePush(r io.Reader) (PushRequest, error) {
	var w wirePush
	if err := decodeStrict(r, &w); err != nil {
		return PushRequest{}, err
	}
	if err := checkHeader(w.V, w.ID); err != nil {
		return PushRequest{}, err
	}
	if len(w.Batches) == 0 {
		return PushRequest{}, refuse(CodeBadRequest, "a push needs at least one batch")
	}
	if len(w.Batches) > MaxBatchesPerPush {
		return PushRequest{}, refuse(CodeTooLarge, "a push may carry at most %d batches; this one has %d", MaxBatchesPerPush, len(w.Batches))
	}
	p := PushRequest{V: w.V, ID: w.ID, Batches: make([][]byte, len(w.Batches))}
	for i, s := range w.Batches {
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return PushRequest{}, refuse(CodeBadBase64, "batch %d is not valid standard base64", i+1)
		}
		if len(b) < SealOverhead {
			return PushRequest{}, refuse(CodeBadRequest, "batch %d is too short to be a sealed batch", i+1)
		}
		if len(b) > MaxBatchBytes {
			return PushRequest{}, refuse(CodeTooLarge, "batch %d is %d bytes; the limit is %d: split it", i+1, len(b), MaxBatchBytes)
		}
		p.Batches[i] = b
	}
	return p, nil
}

// DecodePull reads and checks a pull request, filling in the default limit.
func DecodePull(r io.Reader) (PullRequest, error) {
	var p PullRequest
	if err := decodeStrict(r, &p); err != nil {
		return PullRequest{}, err
	}
	if err := checkHeader(p.V, p.ID); err != nil {
		return PullRequest{}, err
	}
	if p.After < 0 {
		return PullRequest{}, refuse(CodeBadRequest, "after must be 0 or a sequence number already received")
	}
	if p.Limit < 0 || p.Limit > MaxPullLimit {
		return PullRequest{}, refuse(CodeBadRequest, "limit must be between 1 and %d", MaxPullLimit)
	}
	if p.Limit == 0 {
		p.Limit = MaxPullLimit
	}
	return p, nil
}
