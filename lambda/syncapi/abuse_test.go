package syncapi

import (
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/boltstore"
	"github.com/issmp-study/issmp/syncproto"
	bolt "go.etcd.io/bbolt"
)

// The cases of the attack test against the sync service (issue "The sync service on the open
// internet"): each failed on the code before it.

func batchOf(size int) string {
	return base64.StdEncoding.EncodeToString(make([]byte, size))
}

func TestAPushOverTheLogsQuotaIsRefusedAndStoresNothing(t *testing.T) {
	f := newFixture(t, Config{}, syncstore.Limits{LogBytes: 300 << 10, Idle: 24 * time.Hour})
	k := f.keys
	if res, body := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, batchOf(128<<10), batchOf(128<<10))); res.StatusCode != 200 {
		t.Fatalf("push within the quota = %d %v", res.StatusCode, body)
	}
	res, body := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, batchOf(64<<10)))
	if res.StatusCode != 413 || body["code"] != syncproto.CodeLogFull || !strings.Contains(body["error"].(string), "new code") {
		t.Fatalf("push over the quota = %d %v; want 413 %s with what to do", res.StatusCode, body, syncproto.CodeLogFull)
	}
	if n := f.stored(t, k.ID); n != 2 {
		t.Errorf("the log holds %d batches; want the 2 within the quota", n)
	}
	if res, _ := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, batchOf(40<<10))); res.StatusCode != 200 {
		t.Errorf("a push that still fits = %d; want 200", res.StatusCode)
	}
}

func TestNewLogsAreLimitedPerAddressAndInAllPerDay(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{NewLogsPerAddress: 2, NewLogsPerDay: 4}})
	register := func(addr string, n byte) (int, string) {
		k := keysFor(t, n)
		res, body := f.doFrom(addr, "POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(1)))
		code, _ := body["code"].(string)
		return res.StatusCode, code
	}
	for n := byte(10); n < 12; n++ {
		if status, code := register("198.51.100.7", n); status != 200 {
			t.Fatalf("new log %d from one address = %d %s", n, status, code)
		}
	}
	if status, code := register("198.51.100.7", 12); status != 429 || code != syncproto.CodeRegistrationLimited {
		t.Fatalf("third new log from one address = %d %s; want 429 %s", status, code, syncproto.CodeRegistrationLimited)
	}
	// An IPv6 subscriber holds a whole /64: its addresses share one allowance.
	for i, want := range []int{200, 200, 429} {
		if status, _ := register(fmt.Sprintf("2001:db8:1:2::%d", i+1), byte(20+i)); status != want {
			t.Fatalf("new log %d from one IPv6 /64 = %d; want %d", i+1, status, want)
		}
	}
	if status, code := register("203.0.113.5", 30); status != 429 || code != syncproto.CodeRegistrationLimited {
		t.Fatalf("a fifth new log in a day (the limit is 4) = %d %s; want 429", status, code)
	}
	if n := f.stored(t, keysFor(t, 12).ID); n != 0 {
		t.Errorf("a refused registration stored %d batches", n)
	}
	// A log that exists is not a new one: its owner goes on pushing.
	if status, _ := register("198.51.100.7", 10); status != 200 {
		t.Errorf("a push to an existing log from a spent address = %d; want 200", status)
	}
	f.clock.add(24 * time.Hour)
	if status, code := register("198.51.100.7", 12); status != 200 {
		t.Errorf("the next day, a new log = %d %s; want 200", status, code)
	}
}

func TestRequestsWithoutTheTokenCannotUseUpTheOwnersAllowance(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{Burst: 5, PerMinute: 5}})
	k, other := f.keys, keysFor(t, 2)
	if res, _ := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(1))); res.StatusCode != 200 {
		t.Fatal("setup push failed")
	}
	for i := range 40 {
		addr := fmt.Sprintf("203.0.113.%d", i) // spread, so no address is over its own limit
		f.doFrom(addr, "POST", syncproto.PathPull, "", pullJSON(k.ID, 0, 1))
		f.doFrom(addr, "POST", syncproto.PathPull, other.Token, pullJSON(k.ID, 0, 1))
	}
	if res, body := f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 0, 1)); res.StatusCode != 200 {
		t.Fatalf("the owner's pull after 80 requests without its token = %d %v; want 200", res.StatusCode, body)
	}
}

func TestRefusedRequestsAreLimitedPerAddressBeforeTheStoreIsRead(t *testing.T) {
	f := newFixture(t, Config{Limits: Limits{FailureBurst: 3, FailuresPerMinute: 6}})
	k, other := f.keys, keysFor(t, 2)
	if res, _ := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(1))); res.StatusCode != 200 {
		t.Fatal("setup push failed")
	}
	for range 3 {
		if res, _ := f.doFrom("203.0.113.9", "POST", syncproto.PathPull, other.Token, pullJSON(k.ID, 0, 1)); res.StatusCode != 403 {
			t.Fatalf("wrong token = %d; want 403", res.StatusCode)
		}
	}
	res, body := f.doFrom("203.0.113.9", "POST", syncproto.PathPull, other.Token, pullJSON(k.ID, 0, 1))
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth refused request from one address = %d %v; want 429 with Retry-After", res.StatusCode, body)
	}
	if res, _ := f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 0, 1)); res.StatusCode != 200 {
		t.Errorf("the owner, from another address = %d; want 200", res.StatusCode)
	}
	f.clock.add(10 * time.Second)
	if res, _ := f.doFrom("203.0.113.9", "POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 0, 1)); res.StatusCode != 200 {
		t.Errorf("after the address's bucket refilled = %d; want 200", res.StatusCode)
	}
}

func TestNobodyCanRegisterAnotherCodesID(t *testing.T) {
	f := newFixture(t, Config{})
	victim, squatter := f.keys, keysFor(t, 7)
	// The victim's device asks before its first push, so the id is seen on the wire.
	f.do("POST", syncproto.PathPull, victim.Token, pullJSON(victim.ID, 0, 10))
	res, body := f.do("POST", syncproto.PathPush, squatter.Token, pushJSON(victim.ID, sealed(6)))
	if res.StatusCode != 400 || body["code"] != syncproto.CodeIDMismatch {
		t.Fatalf("a push of someone else's id = %d %v; want 400 %s", res.StatusCode, body, syncproto.CodeIDMismatch)
	}
	if _, ok, _ := f.store.Lookup(t.Context(), victim.ID, f.clock.now()); ok {
		t.Fatal("the squatter's push registered the id")
	}
	if res, body := f.do("POST", syncproto.PathPush, victim.Token, pushJSON(victim.ID, sealed(1))); res.StatusCode != 200 {
		t.Fatalf("the owner's first push = %d %v; want 200", res.StatusCode, body)
	}
	// The legacy id (apps before protocol 1.1) cannot be registered by anyone now.
	res, body = f.do("POST", syncproto.PathPush, victim.Token, pushJSON(victim.LegacyID, sealed(1)))
	if res.StatusCode != 400 || body["code"] != syncproto.CodeIDMismatch {
		t.Fatalf("a push registering a legacy id = %d %v; want 400 %s", res.StatusCode, body, syncproto.CodeIDMismatch)
	}
}

func TestALogRegisteredUnderALegacyIDKeepsWorking(t *testing.T) {
	f := newFixture(t, Config{})
	k := f.keys
	if _, err := f.store.Register(t.Context(), k.LegacyID, HashToken(k.Token), f.clock.now()); err != nil {
		t.Fatal(err)
	}
	if res, body := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.LegacyID, sealed(1))); res.StatusCode != 200 {
		t.Fatalf("push to a legacy log = %d %v", res.StatusCode, body)
	}
	res, body := f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.LegacyID, 0, 10))
	if res.StatusCode != 200 || len(body["batches"].([]any)) != 1 || body["epoch"] == nil {
		t.Fatalf("pull of a legacy log = %d %v", res.StatusCode, body)
	}
	if res, _ := f.do("POST", syncproto.PathPull, keysFor(t, 8).Token, pullJSON(k.LegacyID, 0, 10)); res.StatusCode != 403 {
		t.Errorf("another token on the legacy log = %d; want 403", res.StatusCode)
	}
}

// corrupt writes a key that is not a sequence number into a log's bucket, as a damaged file
// would hold, with the store closed, and opens the store again.
func (f *fixture) corrupt(t *testing.T, id string) {
	t.Helper()
	f.store.Close()
	db, err := bolt.Open(f.path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte(id)).Put([]byte("bad"), []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := boltstore.Open(f.path, f.limits, f.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f.store = s
	f.h.store = s
}

func TestCorruptStoredDataAnswersAJSONErrorAndNeverReusesANumber(t *testing.T) {
	f := newFixture(t, Config{})
	k := f.keys
	if res, _ := f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(1), sealed(2))); res.StatusCode != 200 {
		t.Fatal("setup push failed")
	}
	f.corrupt(t, k.ID)
	res, body := f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 0, 10))
	if res.StatusCode != 500 || body["code"] != syncproto.CodeCorrupt || len(body["error"].(string)) < 40 {
		t.Fatalf("pull of a damaged log = %d %v; want 500 %s with a sentence", res.StatusCode, body, syncproto.CodeCorrupt)
	}
	res, body = f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(3)))
	if res.StatusCode != 500 || body["code"] != syncproto.CodeCorrupt {
		t.Fatalf("push to a damaged log = %d %v; want 500 %s, never a reused number", res.StatusCode, body, syncproto.CodeCorrupt)
	}
	logs := f.logs.String()
	if strings.Contains(logs, k.ID) || !strings.Contains(logs, k.ID[:8]) {
		t.Errorf("the log lines hold the full id, or not even its first 8 characters:\n%s", logs)
	}
}

func TestLogLinesNeverHoldMoreThanEightCharactersOfAnID(t *testing.T) {
	f := newFixture(t, Config{})
	k := f.keys
	f.do("POST", syncproto.PathPush, k.Token, pushJSON(k.ID, sealed(1)))
	f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 0, 10))
	f.do("POST", syncproto.PathPull, keysFor(t, 3).Token, pullJSON(k.ID, 0, 10))
	f.store.Close() // every store call now fails, and the failure is logged
	f.do("POST", syncproto.PathPull, k.Token, pullJSON(k.ID, 0, 10))
	logs := f.logs.String()
	if strings.Contains(logs, k.ID[:9]) || !strings.Contains(logs, k.ID[:8]) {
		t.Errorf("log lines hold more than 8 characters of the id, or none:\n%s", logs)
	}
	if !strings.Contains(logs, "level=ERROR") {
		t.Errorf("the store's failure was not logged:\n%s", logs)
	}
}

func TestTheViewerAddressFromCloudFrontIsTheClientAddress(t *testing.T) {
	for _, tc := range []struct{ header, remote, want string }{
		{"198.51.100.7:46532", "10.0.0.1:443", "198.51.100.7"},
		{"2001:db8::1:46532", "10.0.0.1:443", "2001:db8::1"},
		{"", "10.0.0.1:443", "10.0.0.1"},
	} {
		req := httptest.NewRequest("POST", syncproto.PathPull, nil)
		req.RemoteAddr = tc.remote
		if tc.header != "" {
			req.Header.Set("CloudFront-Viewer-Address", tc.header)
		}
		if got := ViewerAddr(req); got != tc.want {
			t.Errorf("ViewerAddr(%q from %s) = %q; want %q", tc.header, tc.remote, got, tc.want)
		}
	}
	if clientKey("2001:db8:1:2::1") != clientKey("2001:db8:1:2:ffff::9") || clientKey("2001:db8:1:3::1") == clientKey("2001:db8:1:2::1") {
		t.Error("IPv6 addresses are not grouped by their /64")
	}
	if strings.Contains(clientKey("198.51.100.7"), "198") {
		t.Error("the client key holds the address")
	}
}
