package syncclient

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/issmp-study/issmp/lambda/syncapi"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/syncproto/stdcrypto"
)

// oldAppPush stores a device's events in the log under the code's legacy id, as apps before
// protocol 1.1 did, and returns the last sequence number.
func oldAppPush(t *testing.T, srv *server, code syncproto.Code, d *device) int64 {
	t.Helper()
	k, sealer, err := stdcrypto.Derive(code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.store.Register(t.Context(), k.LegacyID, syncapi.HashToken(k.Token), time.Now()); err != nil {
		t.Fatal(err)
	}
	plains, _, err := Pack(d.log, syncproto.MaxBatchBytes-syncproto.SealOverhead)
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	for _, p := range plains {
		sealed, err := sealer.Seal(p, random(9))
		if err != nil {
			t.Fatal(err)
		}
		if last, err = srv.store.Append(t.Context(), k.LegacyID, [][]byte{sealed}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return last
}

func TestADeviceFromBeforeCheckableIDsMovesItsLogToTheNewID(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 21)
	old := newDevice(t, srv, "old laptop")
	old.answer(25, t0)
	last := oldAppPush(t, srv, code, old)
	// The old app's state: a cursor and the ids the legacy log holds, and no KeyIDs.
	var known []string
	for _, e := range old.log {
		known = append(known, e.ID)
	}
	old.values.m = map[string]string{KeyCode: code.String(), KeyCursor: strconv.FormatInt(last, 10), KeyKnown: strings.Join(known, "\n")}
	c, err := Open(t.Context(), old.values, old.t, stdcrypto.Derive, random(22))
	if err != nil || c == nil {
		t.Fatalf("Open of an old device's state = %v, %v", c, err)
	}
	old.client = c
	if n := c.Pending(old); n != 25 {
		t.Fatalf("pending after the update = %d; want all 25, which the new log does not hold", n)
	}
	if res := old.sync(t); res.Pushed != 25 {
		t.Fatalf("the updated device's round = %+v; want its 25 events pushed to the new log", res)
	}

	// A device on the new app joins with the code: it finds everything under the new id...
	joiner := newDevice(t, srv, "phone")
	joiner.enable(t, code)
	if res := joiner.sync(t); res.Pulled != 25 {
		t.Fatalf("the joining device pulled %d; want 25", res.Pulled)
	}
	// ...and what a device still on the old app adds to the legacy log later reaches it too.
	straggler := newDevice(t, srv, "old tablet")
	straggler.answer(4, t0.Add(time.Hour))
	k, sealer, _ := stdcrypto.Derive(code)
	plains, _, _ := Pack(straggler.log, 1<<16)
	sealed, _ := sealer.Seal(plains[0], random(23))
	if _, err := srv.store.Append(t.Context(), k.LegacyID, [][]byte{sealed}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if res := joiner.sync(t); res.Pulled != 4 || res.Pushed != 4 {
		t.Fatalf("the round after an old app wrote = %+v; want its 4 pulled and pushed to the new log", res)
	}
	if res := old.sync(t); res.Pulled != 4 {
		t.Errorf("the first device pulled %d; want the 4 once", res.Pulled)
	}
	if len(old.log) != 29 || ids(old.log) != ids(joiner.log) {
		t.Errorf("the devices hold %d and %d events; want the same 29", len(old.log), len(joiner.log))
	}
}

func TestADeviceStopsAskingForALegacyLogThatDoesNotExist(t *testing.T) {
	srv := newServer(t)
	a := newDevice(t, srv, "laptop")
	a.answer(3, t0)
	a.enable(t, newCode(t, 24))
	calls := a.t.calls
	a.sync(t)
	if a.values.m[KeyLegacy] != retired || a.t.calls-calls != 3 {
		t.Fatalf("first round: legacy %q after %d requests; want retired after a legacy pull, a pull and a push", a.values.m[KeyLegacy], a.t.calls-calls)
	}
	calls = a.t.calls
	a.sync(t)
	if a.t.calls-calls != 1 {
		t.Errorf("a round with nothing to push made %d requests; want one pull", a.t.calls-calls)
	}
}

func TestDevicesPushEverythingAgainAfterTheLogExpires(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 25)
	a := newDevice(t, srv, "laptop")
	a.answer(12, t0)
	a.enable(t, code)
	a.sync(t)
	if _, err := srv.store.Sweep(time.Now().Add(syncstore.DefaultLimits.Idle + time.Hour)); err != nil {
		t.Fatal(err)
	}
	a.answer(2, t0.Add(time.Hour))
	if res := a.sync(t); res.Pushed != 14 {
		t.Fatalf("the round after the log expired pushed %d; want all 14 again", res.Pushed)
	}
	b := newDevice(t, srv, "phone")
	b.enable(t, code)
	if res := b.sync(t); res.Pulled != 14 {
		t.Fatalf("a device joining after the expiry pulled %d; want 14", res.Pulled)
	}
}

func TestADeviceWithACursorIntoAnExpiredLogStartsOverUnderTheNewEpoch(t *testing.T) {
	srv := newServer(t)
	code := newCode(t, 26)
	a, b := newDevice(t, srv, "laptop"), newDevice(t, srv, "phone")
	a.answer(10, t0)
	a.enable(t, code)
	a.sync(t)
	b.enable(t, code)
	b.sync(t)
	b.answer(1, t0.Add(time.Minute))
	b.sync(t) // B's cursor is now past 1
	if _, err := srv.store.Sweep(time.Now().Add(syncstore.DefaultLimits.Idle + time.Hour)); err != nil {
		t.Fatal(err)
	}
	a.answer(3, t0.Add(time.Hour))
	a.sync(t) // A finds the log gone and makes it again with the 13 events it holds
	b.sync(t)
	if len(b.log) != 14 {
		t.Fatalf("B holds %d events after the new epoch; want all 14 (a cursor into the old log would skip A's new ones)", len(b.log))
	}
	a.sync(t)
	if len(a.log) != 14 || ids(a.log) != ids(b.log) {
		t.Fatalf("A holds %d events, B %d; want the same 14", len(a.log), len(b.log))
	}
}

func TestSealedBatchesComeInAFewSizeClasses(t *testing.T) {
	srv := newServer(t)
	a := newDevice(t, srv, "laptop")
	a.enable(t, newCode(t, 27))
	for _, n := range []int{1, 2, 5, 40, 900} {
		a.answer(n, t0.Add(time.Duration(n)*time.Hour))
		a.sync(t)
	}
	batches, _, err := srv.store.After(t.Context(), a.client.keys.ID, 0, 50, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int]bool{}
	for _, b := range batches {
		sizes[len(b.Data)] = true
	}
	for size := range sizes {
		found := false
		for _, c := range syncproto.SizeClasses {
			found = found || size == c
		}
		if !found {
			t.Errorf("a sealed batch is %d bytes, not one of the size classes %v", size, syncproto.SizeClasses)
		}
	}
	if len(sizes) >= len(batches) && len(batches) > 2 {
		t.Errorf("%d batches came in %d sizes: the sizes still tell their contents apart", len(batches), len(sizes))
	}
}

func TestTheServersRefusalsForQuotaAndNewCodesSayWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
		kind   Kind
		words  string
	}{
		{413, syncproto.CodeLogFull, Full, "new code"},
		{429, syncproto.CodeRegistrationLimited, RateLimited, "tomorrow"},
		{500, syncproto.CodeCorrupt, Server, "safe"},
	} {
		c := &Client{t: fixedAnswer{tc.status, `{"error":"x","code":"` + tc.code + `"}`}}
		err := c.call(t.Context(), syncproto.PathPush, nil, nil)
		if !isKind(err, tc.kind) || !strings.Contains(err.Error(), tc.words) {
			t.Errorf("%d %s = %v; want a %v error that says %q", tc.status, tc.code, err, tc.kind, tc.words)
		}
	}
}

// fixedAnswer is a server that answers every request the same.
type fixedAnswer struct {
	status int
	body   string
}

func (f fixedAnswer) Post(context.Context, string, string, []byte) (int, []byte, error) {
	return f.status, []byte(f.body), nil
}
