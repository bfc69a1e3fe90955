// Package syncapi is the sync service: one http.Handler with health, push and pull, over any
// syncstore.Store. The same handler runs behind AWS Lambda and in the local server. It stores only
// what the protocol lets it see (syncproto): an id, a token's hash, and sealed batches.
//
// When the store also keeps reports (syncstore.Reports), the handler takes candidates' reports of
// problems with questions too: anonymous, without a token, and limited per client address.
package syncapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
)

// Config is what the handler needs.
type Config struct {
	Store syncstore.Store
	Now   func() time.Time // the clock of the limits and of the logs' expiry
	Log   *slog.Logger     // one line per request; never a token, at most 8 characters of an id
	// ClientAddr says which address a request comes from: behind CloudFront the viewer's address
	// (a header CloudFront sets), locally the connection's. Nil takes the connection's.
	ClientAddr func(*http.Request) string
	Limits     Limits
}

// Limits are the handler's rate limits. Zero fields take the defaults (DefaultLimits).
type Limits struct {
	// Burst requests at once, then PerMinute, for one sync id; only requests that prove they
	// hold the id's token draw on it, so nobody else can use up an owner's allowance.
	Burst, PerMinute int
	// FailureBurst refused requests at once, then FailuresPerMinute, from one client address;
	// an address over it is refused before the store is read.
	FailureBurst, FailuresPerMinute int
	// NewLogsPerAddress and NewLogsPerDay bound the logs registered in a UTC day from one
	// address and in all: with the store's quota and expiry they bound what the service stores.
	NewLogsPerAddress, NewLogsPerDay int
	// ReportBurst reports at once, then ReportsPerHour, from one client address. A candidate
	// reports a question now and then; a flood from one address is refused before it is stored.
	ReportBurst, ReportsPerHour int
	// ReportsPerDay bounds the reports stored in a UTC day in all, counted in the store: reports
	// never expire, so this bounds what many addresses together can make the service keep.
	ReportsPerDay int
	// Tracked is how many ids, and how many addresses, each limiter keeps in memory.
	Tracked int
}

// DefaultLimits are the service's limits; docs/SYNC.md and docs/COST.md explain them.
var DefaultLimits = Limits{Burst: 30, PerMinute: 120, FailureBurst: 20, FailuresPerMinute: 6, NewLogsPerAddress: 5, NewLogsPerDay: 100,
	ReportBurst: 5, ReportsPerHour: 10, ReportsPerDay: 1000, Tracked: 10000}

// Handler serves the sync API.
type Handler struct {
	store    syncstore.Store
	now      func() time.Time
	log      *slog.Logger
	addr     func(*http.Request) string
	limits   Limits
	perID    *limiter
	failures *limiter
	// reports is the store's reports, nil when it keeps none (then /api/report is not found).
	reports        syncstore.Reports
	reportsPerAddr *limiter
	mux            *http.ServeMux
}

// New returns the handler. It answers under /api/ only.
func New(cfg Config) *Handler {
	l, d := &cfg.Limits, DefaultLimits
	for _, f := range []struct {
		v   *int
		def int
	}{{&l.Burst, d.Burst}, {&l.PerMinute, d.PerMinute}, {&l.FailureBurst, d.FailureBurst},
		{&l.FailuresPerMinute, d.FailuresPerMinute}, {&l.NewLogsPerAddress, d.NewLogsPerAddress}, {&l.NewLogsPerDay, d.NewLogsPerDay},
		{&l.ReportBurst, d.ReportBurst}, {&l.ReportsPerHour, d.ReportsPerHour}, {&l.ReportsPerDay, d.ReportsPerDay}, {&l.Tracked, d.Tracked}} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.ClientAddr == nil {
		cfg.ClientAddr = RemoteAddr
	}
	h := &Handler{
		store:          cfg.Store,
		now:            cfg.Now,
		log:            cfg.Log,
		addr:           cfg.ClientAddr,
		limits:         *l,
		perID:          newLimiter(l.Burst, l.PerMinute, time.Minute, l.Tracked),
		failures:       newLimiter(l.FailureBurst, l.FailuresPerMinute, time.Minute, l.Tracked),
		reportsPerAddr: newLimiter(l.ReportBurst, l.ReportsPerHour, time.Hour, l.Tracked),
		mux:            http.NewServeMux(),
	}
	h.mux.HandleFunc("GET "+syncproto.PathHealth, h.health)
	h.mux.HandleFunc("POST "+syncproto.PathPush, h.push)
	h.mux.HandleFunc("POST "+syncproto.PathPull, h.pull)
	if reports, ok := cfg.Store.(syncstore.Reports); ok {
		h.reports = reports
		h.mux.HandleFunc("POST "+syncproto.PathReport, h.report)
	}
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK, client: clientKey(h.addr(r))}
	rec.Header().Set("Cache-Control", "no-store")
	rec.Header().Set("X-Content-Type-Options", "nosniff")
	if blocked, wait := h.failures.blocked(rec.client, start); blocked {
		h.tooMany(rec, wait, "too many refused sync requests came from your network")
	} else if _, pattern := h.mux.Handler(r); pattern == "" {
		h.unrouted(rec, r)
	} else {
		h.mux.ServeHTTP(rec, r)
	}
	// A refused request counts against its address (a 429 does not: it was not looked at).
	if rec.status >= 400 && rec.status < 500 && rec.status != http.StatusTooManyRequests {
		h.failures.allow(rec.client, start)
	}
	// The path and status only: the token is in a header that is never logged, and the id is
	// shortened to what tells requests apart. Of a report, only its question's id, once checked.
	attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status,
		"code", rec.code, "log", rec.logID, "ms", h.now().Sub(start).Milliseconds()}
	if rec.question != "" {
		attrs = append(attrs, "question", rec.question)
	}
	h.log.Info("sync", attrs...)
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
	case syncproto.PathReport:
		if h.reports == nil {
			h.fail(w, http.StatusNotFound, syncproto.CodeNotFound, "there is no such API call")
			return
		}
		w.Header().Set("Allow", "POST")
		h.fail(w, http.StatusMethodNotAllowed, syncproto.CodeBadMethod, "use POST for "+r.URL.Path)
	default:
		h.fail(w, http.StatusNotFound, syncproto.CodeNotFound, "there is no such API call")
	}
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "v": syncproto.Version})
}

// token returns the request's token, or answers why there is none.
func (h *Handler) token(w *recorder, r *http.Request) (string, bool) {
	token := r.Header.Get(syncproto.TokenHeader)
	if token == "" {
		h.fail(w, http.StatusUnauthorized, syncproto.CodeNoToken, "the request has no sync token: send it in the "+syncproto.TokenHeader+" header")
		return "", false
	}
	if !syncproto.ValidToken(token) {
		h.fail(w, http.StatusUnauthorized, syncproto.CodeBadToken, "the sync token is malformed: turn sync off and on again with your sync code")
		return "", false
	}
	return token, true
}

// owner checks the token against a log's registered hash in constant time, then draws on the
// id's rate limit: only a request that holds the token can use up the owner's allowance.
func (h *Handler) owner(w *recorder, id, token string, log syncstore.Log, now time.Time) bool {
	if subtle.ConstantTimeCompare(log.TokenHash, HashToken(token)) != 1 {
		h.fail(w, http.StatusForbidden, syncproto.CodeBadToken, "this sync token does not match the sync id: check the sync code on your devices")
		return false
	}
	if ok, wait := h.perID.allow(id, now); !ok {
		h.tooMany(w, wait, "too many sync requests for this sync code")
		return false
	}
	return true
}

// register makes the log a push names, if the id belongs to the token and today's allowances
// for new logs, from this address and in all, are not spent.
func (h *Handler) register(ctx context.Context, w *recorder, id, token string, now time.Time) (syncstore.Log, bool) {
	if IDForToken(token) != id {
		h.fail(w, http.StatusBadRequest, syncproto.CodeIDMismatch, "this sync id does not belong to its token (an older version of the app made it): reload the page to update the app, then sync again")
		return syncstore.Log{}, false
	}
	if ok, wait := h.perID.allow(id, now); !ok {
		h.tooMany(w, wait, "too many sync requests for this sync code")
		return syncstore.Log{}, false
	}
	day := now.UTC().Format(time.DateOnly)
	expires := now.UTC().Truncate(24 * time.Hour).Add(48 * time.Hour)
	for _, a := range []struct {
		key   string
		limit int
	}{{"register/address/" + w.client + "/" + day, h.limits.NewLogsPerAddress}, {"register/all/" + day, h.limits.NewLogsPerDay}} {
		ok, err := h.store.Take(ctx, a.key, a.limit, expires, now)
		if err != nil {
			h.storeFailed(w, err)
			return syncstore.Log{}, false
		}
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(expires.Add(-24*time.Hour).Sub(now).Seconds())+1))
			h.fail(w, http.StatusTooManyRequests, syncproto.CodeRegistrationLimited, "the sync server takes only a few new sync codes a day, and today's are used up: your progress is saved on this device and will sync tomorrow")
			return syncstore.Log{}, false
		}
	}
	log, err := h.store.Register(ctx, id, HashToken(token), now)
	if err != nil {
		h.storeFailed(w, err)
		return syncstore.Log{}, false
	}
	// Only the token's holder can name this id, but two of their devices may race to register.
	if subtle.ConstantTimeCompare(log.TokenHash, HashToken(token)) != 1 {
		h.fail(w, http.StatusForbidden, syncproto.CodeBadToken, "this sync token does not match the sync id: check the sync code on your devices")
		return syncstore.Log{}, false
	}
	return log, true
}

func (h *Handler) push(rw http.ResponseWriter, r *http.Request) {
	w := rw.(*recorder)
	if !h.jsonBody(w, r, syncproto.MaxBodyBytes, "the request is larger than the limit: send fewer batches at a time") {
		return
	}
	req, err := syncproto.DecodePush(r.Body)
	if err != nil {
		h.refused(w, err)
		return
	}
	w.logID = short(req.ID)
	token, ok := h.token(w, r)
	if !ok {
		return
	}
	ctx, now := r.Context(), h.now()
	log, known, err := h.store.Lookup(ctx, req.ID, now)
	if err != nil {
		h.storeFailed(w, err)
		return
	}
	if known {
		ok = h.owner(w, req.ID, token, log, now)
	} else {
		log, ok = h.register(ctx, w, req.ID, token, now)
	}
	if !ok {
		return
	}
	first, err := h.store.Append(ctx, req.ID, req.Batches, now)
	if err != nil {
		h.storeFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, syncproto.PushResponse{V: syncproto.Version, First: first, Last: first + int64(len(req.Batches)) - 1, Epoch: log.Epoch})
}

func (h *Handler) pull(rw http.ResponseWriter, r *http.Request) {
	w := rw.(*recorder)
	if !h.jsonBody(w, r, syncproto.MaxBodyBytes, "the request is larger than the limit: send fewer batches at a time") {
		return
	}
	req, err := syncproto.DecodePull(r.Body)
	if err != nil {
		h.refused(w, err)
		return
	}
	w.logID = short(req.ID)
	token, ok := h.token(w, r)
	if !ok {
		return
	}
	ctx, now := r.Context(), h.now()
	log, known, err := h.store.Lookup(ctx, req.ID, now)
	if err != nil {
		h.storeFailed(w, err)
		return
	}
	resp := syncproto.PullResponse{V: syncproto.Version, Batches: []syncproto.Batch{}}
	if !known {
		// Nothing to hide: the id is unknown whoever asks. An id that is not the token's own is
		// an old app's (asked once, to move its log) or a probe, and counts as a refusal.
		if IDForToken(token) != req.ID {
			h.failures.allow(w.client, now)
		}
		resp.Unknown = true
		writeJSON(w, http.StatusOK, resp)
		return
	}
	if !h.owner(w, req.ID, token, log, now) {
		return
	}
	resp.Epoch = log.Epoch
	resp.Batches, resp.More, err = h.store.After(ctx, req.ID, req.After, req.Limit, syncproto.MaxPullBytes)
	if err != nil {
		h.storeFailed(w, err)
		return
	}
	if resp.Batches == nil {
		resp.Batches = []syncproto.Batch{}
	}
	writeJSON(w, http.StatusOK, resp)
}

// IDForToken is the log id that belongs to a token (syncproto.IDInput).
func IDForToken(token string) string {
	sum := sha256.Sum256(syncproto.IDInput(token))
	return syncproto.IDFromSum(sum[:])
}

// short is what logs and error messages show of an id.
func short(id string) string { return id[:min(len(id), 8)] }

// HashToken is what the server keeps of a token: its SHA-256. A copy of the table does not let
// anyone write to a log.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// jsonBody refuses a request whose declared type is not JSON, or whose declared length is over
// limit (tooLarge says so), and stops reading its body past limit.
func (h *Handler) jsonBody(w *recorder, r *http.Request, limit int64, tooLarge string) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		h.fail(w, http.StatusUnsupportedMediaType, syncproto.CodeUnsupported, "send the request as application/json")
		return false
	}
	if r.ContentLength > limit {
		h.fail(w, http.StatusRequestEntityTooLarge, syncproto.CodeTooLarge, tooLarge)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1)
	return true
}

// tooMany answers 429 with when to try again.
func (h *Handler) tooMany(w *recorder, wait time.Duration, why string) {
	secs := int(wait/time.Second) + 1
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	h.fail(w, http.StatusTooManyRequests, syncproto.CodeRateLimited, why+": the app will try again in "+strconv.Itoa(secs)+" seconds")
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
	case errors.Is(err, syncstore.ErrQuota):
		h.fail(w, http.StatusRequestEntityTooLarge, syncproto.CodeLogFull, "your synced progress has filled the space the server keeps for one sync code: turn sync off, then on with a new code, and enter that code on your other devices (your progress moves across in full)")
	case errors.Is(err, syncstore.ErrUnknown):
		w.Header().Set("Retry-After", "2")
		h.fail(w, http.StatusServiceUnavailable, syncproto.CodeUnavailable, "the sync server was tidying this sync code's storage: the app will try again shortly")
	case errors.Is(err, syncstore.ErrCorrupt):
		h.log.Error("sync store", "log", w.logID, "err", err)
		h.fail(w, http.StatusInternalServerError, syncproto.CodeCorrupt, "the sync server's copy of this progress is damaged, so it stored nothing: your progress on this device is safe; sync will resume once the server is repaired")
	case errors.Is(err, syncstore.ErrTooLarge):
		h.fail(w, http.StatusRequestEntityTooLarge, syncproto.CodeTooLarge, "a batch is larger than the server stores: split it")
	case errors.Is(err, syncstore.ErrBusy), errors.Is(err, context.DeadlineExceeded):
		w.Header().Set("Retry-After", "2")
		h.fail(w, http.StatusServiceUnavailable, syncproto.CodeUnavailable, "the sync server is busy: the app will try again shortly")
	default:
		h.log.Error("sync store", "log", w.logID, "err", err)
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
	status   int
	code     string
	logID    string
	question string // a report's question id, once checked: all a report's log line shows of it
	client   string // clientKey of the request's address
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// RemoteAddr is the address of the connection a request came on: the client, when nothing
// stands between.
func RemoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ViewerAddr is the viewer's address as CloudFront tells the origin in CloudFront-Viewer-Address
// ("ip:port"); CloudFront sets the header itself, and the function answers only CloudFront.
func ViewerAddr(r *http.Request) string {
	v := r.Header.Get("CloudFront-Viewer-Address")
	if i := strings.LastIndexByte(v, ':'); i > 0 {
		return v[:i]
	}
	return RemoteAddr(r)
}

// clientKey names an address for the limits: an IPv6 address by its /64, which one subscriber
// usually holds whole, and the name is a hash, so the store's counters hold no address.
func clientKey(addr string) string {
	if ip, err := netip.ParseAddr(strings.Trim(addr, "[]")); err == nil {
		ip = ip.Unmap()
		if ip.Is6() {
			p, _ := ip.Prefix(64)
			addr = p.String()
		} else {
			addr = ip.String()
		}
	}
	sum := sha256.Sum256([]byte("issmp-sync-client " + addr))
	return hex.EncodeToString(sum[:12])
}
