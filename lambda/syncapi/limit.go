package syncapi

import (
	"sync"
	"time"
)

// limiter is a token bucket per sync id. It lives in the process: on Lambda each instance keeps
// its own, and the function's reserved concurrency caps how many there are.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	max     int // ids tracked before idle ones are forgotten
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst, perMinute, max int) *limiter {
	return &limiter{burst: float64(burst), perSec: float64(perMinute) / 60, max: max, buckets: map[string]*bucket{}}
}

// allow takes one token from id's bucket; when there is none it says how long until there is.
func (l *limiter) allow(id string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[id]
	if !ok {
		if len(l.buckets) >= l.max {
			l.forgetIdle(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[id] = b
	}
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.perSec)
		b.at = now
	}
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// forgetIdle drops the buckets that have refilled: forgetting them changes nothing. If every
// bucket is busy (a flood of new ids), it drops them all rather than grow without bound.
func (l *limiter) forgetIdle(now time.Time) {
	for id, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, id)
		}
	}
	if len(l.buckets) >= l.max {
		clear(l.buckets)
	}
}
