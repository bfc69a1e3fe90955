package syncapi

import (
	"sync"
	"time"
)

// limiter is a token bucket per key (a sync id, or a client address). It lives in the process: on
// Lambda each instance keeps its own, the function's reserved concurrency caps how many there
// are, and the edge (AWS WAF) limits each address across all of them.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	max     int // keys tracked at most
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newLimiter allows burst at once, then n per period, for each of at most max keys.
func newLimiter(burst, n int, period time.Duration, max int) *limiter {
	return &limiter{burst: float64(burst), perSec: float64(n) / period.Seconds(), max: max, buckets: map[string]*bucket{}}
}

// allow takes one token from key's bucket; when there is none it says how long until there is.
// When the limiter tracks as many keys as it may and none of them has refilled, a new key is
// refused: forgetting a bucket that is still drawn down would hand its key a fresh burst.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, now)
	if b == nil {
		return false, time.Duration(1 / l.perSec * float64(time.Second))
	}
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// blocked reports whether key's bucket is empty, without taking from it, and how long until it
// is not.
func (l *limiter) blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return false, 0
	}
	l.refill(b, now)
	if b.tokens >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
}

// bucket returns key's bucket, refilled to now, making one if there is room; nil if there is not.
func (l *limiter) bucket(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.max {
			l.forgetRefilled(now)
			if len(l.buckets) >= l.max {
				return nil
			}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	return b
}

func (l *limiter) refill(b *bucket, now time.Time) {
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.perSec)
		b.at = now
	}
}

// forgetRefilled drops the buckets that have refilled: forgetting them changes nothing.
func (l *limiter) forgetRefilled(now time.Time) {
	for key, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, key)
		}
	}
}
