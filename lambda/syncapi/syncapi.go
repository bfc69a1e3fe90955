// Package syncapi is the sync service: one http.Handler with health, push and pull, over any
// syncstore.Store. The same handler runs behind AWS Lambda and in the local server. It stores only
// what the protocol lets it see (syncproto): an id, a token's hash, and sealed batches.
package syncapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
)

// Config is what the handler needs.
type Config struct {
	Store syncstore.Store
	Now   func() time.Time // the clock of the rate limiter
	Log   *slog.Logger     // one line per request; never a token
	// Rate limits requests per sync id: Burst at once, then PerMinute. Zero values take the
	// defaults (30 at once, 120 a minute).
	Burst     int
	PerMinute int
}

// Handler serves the sync API.
type Handler struct {
	store   syncstore.Store
	now     func() time.Time
	log     *slog.Logger
	limiter *limiter
	mux     *http.ServeMux
}

// New returns the handler. It answers under /api/ only.
func New(cfg Config) *Handler {
	if cfg.Burst == 0 {
		cfg.Burst = 30
	}
	if cfg.PerMinute == 0 {
		cfg.PerMinute = 120
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{
		store:   cfg.Store,
		now:     cfg.Now,
		log:     cfg.Log,
		limiter: newLimiter(cfg.Burst, cfg.PerMinute, 10000),
		mux:     http.NewServeMux(),
	}
	h.mux.HandleFunc("GET "+syncproto.PathHealth, h.health)
	h.mux.HandleFunc("POST "+syncproto.PathPush, h.push)
	h.mux.HandleFunc("POST "+syncproto.PathPull, h.pull)
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	rec.Header().Set("Cache-Control", "no-store")
	rec.Header().Set("X-Content-Type-Options", "nosniff")
	if _, pattern := h.mux.Handler(r); pattern == "" {
		h.unrouted(rec, r)
	} else {
		h.mux.ServeHTTP(rec, r)
	}
	// The path and status only: the token is in a header that is never logged, and the id is
	// shortened to what tells requests apart.
	h.log.Info("sync", "method", r.Method, "path", r.URL.Path, "status", rec.status,
		"code", rec.code, "log", rec.logID, "ms", h.now().Sub(start).Milliseconds())
}

// unrouted answers a path or method the API does not have, in JSON like every other error.
func (h *Handler) unrouted(w *recorder, r *http.Request) {
	switch r.URL.Path {
	case syncproto.PathHealth:
		w.Header().Set("Allow", "GET")
		h.fail(w, http.StatusMethodNotAllowed, syncproto.CodeBadMethod, "use GET for "+r.URL.Path)
	case syncproto.PathPush, syncproto.PathPull:
		w.Header().Set("Allow", "POST")
		h.fail(w, http.StatusMethodNotAllowed, syncproto.CodeBadMethod, "use POST for "+r.URL.Path)
	default:
		h.fail(w, http.StatusNotFound, syncproto.CodeNotFound, "there is no such API call: "+r.URL.Path)
	}
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "v": syncproto.Version})
}

// authorize checks the request's token against a log's registered hash in constant time.
// register says a push may register an unknown log with this token.
func (h *Handler) authorize(ctx context.Context, w *recorder, r *http.Request, id string, register bool) (known bool, ok bool) {
	token := r.Header.Get(syncproto.TokenHeader)
	if token == "" {
		h.fail(w, http.StatusUnauthorized, syncproto.CodeNoToken, "the request has no sync token: send it in the "+syncproto.TokenHeader+" header")
		return false, false
	}
	if !syncproto.ValidToken(token) {
		h.fail(w, http.StatusUnauthorized, syncproto.CodeBadToken, "the sync token is malformed: turn sync off and on again with your sync code")
		return false, false
	}
	given := HashToken(token)
	var stored []byte
	var err error
	if register {
		stored, err = h.store.Register(ctx, id, given)
		known = true
	} else {
		stored, known, err = h.store.TokenHash(ctx, id)
	}
	if err != nil {
		h.storeFailed(w, err)
		return false, false
	}
	if !known {
		return false, true
	}
	if subtle.ConstantTimeCompare(stored, given) != 1 {
		h.fail(w, http.StatusForbidden, syncproto.CodeBadToken, "this sync token does not match the sync id: check the sync code on your devices")
		return true, false
	}
	return true, true
}

func (h *Handler) push(rw http.ResponseWriter, r *http.Request) {
	w := rw.(*recorder)
	if !jsonBody(w, r, h) {
		return
	}
	req, err := syncproto.DecodePush(r.Body)
	if err != nil {
		h.refused(w, err)
		return
	}
	w.logID = req.ID[:8]
	if !h.allow(w, req.ID) {
		return
	}
	if _, ok := h.authorize(r.Context(), w, r, req.ID, true); !ok {
		return
	}
	first, err := h.store.Append(r.Context(), req.ID, req.Batches)
	if err != nil {
		h.storeFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, syncproto.PushResponse{V: syncproto.Version, First: first, Last: first + int64(len(req.Batches)) - 1})
}

func (h *Handler) pull(rw http.ResponseWriter, r *http.Request) {
	w := rw.(*recorder)
	if !jsonBody(w, r, h) {
		return
	}
	req, err := syncproto.DecodePull(r.Body)
	if err != nil {
		h.refused(w, err)
		return
	}
	w.logID = req.ID[:8]
	if !h.allow(w, req.ID) {
		return
	}
	known, ok := h.authorize(r.Context(), w, r, req.ID, false)
	if !ok {
		return
	}
	resp := syncproto.PullResponse{V: syncproto.Version, Batches: []syncproto.Batch{}}
	if known {
		resp.Batches, resp.More, err = h.store.After(r.Context(), req.ID, req.After, req.Limit, syncproto.MaxPullBytes)
		if err != nil {
			h.storeFailed(w, err)
			return
		}
		if resp.Batches == nil {
			resp.Batches = []syncproto.Batch{}
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// HashToken is what the server keeps of a token: its SHA-256. A copy of the table does not let
// anyone write to a log.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// jsonBody refuses a request whose declared type is not JSON, or whose body is too large.
func jsonBody(w *recorder, r *http.Request, h *Handler) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		h.fail(w, http.StatusUnsupportedMediaType, syncproto.CodeUnsupported, "send the request as application/json")
		return false
	}
	if r.ContentLength > syncproto.MaxBodyBytes {
		h.fail(w, http.StatusRequestEntityTooLarge, syncproto.CodeTooLarge, "the request is larger than the limit: send fewer batches at a time")
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, syncproto.MaxBodyBytes+1)
	return true
}

func (h *Handler) allow(w *recorder, id string) bool {
	ok, wait := h.limiter.allow(id, h.now())
	if !ok {
		secs := int(wait/time.Second) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.fail(w, http.StatusTooManyRequests, syncproto.CodeRateLimited, "too many sync requests for this sync code: the app will try again in "+strconv.Itoa(secs)+" seconds")
		return false
	}
	return true
}

func (h *Handler) refused(w *recorder, err error) {
	var re *syncproto.RequestError
	if !errors.As(err, &re) {
		h.fail(w, http.StatusBadRequest, syncproto.CodeBadRequest, "the request could not be read")
		return
	}
	status := http.StatusBadRequest
	if re.Code == syncproto.CodeTooLarge {
		status = http.StatusRequestEntityTooLarge
	}
	h.fail(w, status, re.Code, re.Msg)
}

func (h *Handler) storeFailed(w *recorder, err error) {
	switch {
	case errors.Is(err, syncstore.ErrTooLarge):
		h.fail(w, http.StatusRequestEntityTooLarge, syncproto.CodeTooLarge, "a batch is larger than the server stores: split it")
	case errors.Is(err, syncstore.ErrBusy), errors.Is(err, context.DeadlineExceeded):
		w.Header().Set("Retry-After", "2")
		h.fail(w, http.StatusServiceUnavailable, syncproto.CodeUnavailable, "the sync server is busy: the app will try again shortly")
	default:
		h.log.Error("sync store", "err", err)
		h.fail(w, http.StatusInternalServerError, syncproto.CodeInternal, "the sync server failed to store or read your data: the app will try again later")
	}
}

func (h *Handler) fail(w *recorder, status int, code, msg string) {
	w.code = code
	writeJSON(w, status, syncproto.ErrorResponse{Error: msg, Code: code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// recorder remembers what the log line needs.
type recorder struct {
	http.ResponseWriter
	status int
	code   string
	logID  string
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
