package api

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per key: `burst` attempts at once, refilled at
// burst per `per`. Its memory is bounded: a bucket that has refilled holds
// no information and is dropped, and at most maxKeys buckets exist; when
// they are all in use a new key is refused (an attacker who can fill the
// table is already being limited everywhere).
type limiter struct {
	mu        sync.Mutex
	burst     int
	per       time.Duration
	maxKeys   int
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// defaultMaxKeys bounds a limiter to a few MB whatever the traffic.
const defaultMaxKeys = 50_000

func newLimiter(burst int, per time.Duration, maxKeys int) *limiter {
	return &limiter{burst: burst, per: per, maxKeys: maxKeys, buckets: make(map[string]*bucket)}
}

func (l *limiter) off() bool { return l == nil || l.burst <= 0 }

// rate is tokens per second.
func (l *limiter) rate() float64 { return float64(l.burst) / l.per.Seconds() }

// allow takes a token for every key (all or none) and otherwise says how long
// until the emptiest bucket has one.
func (l *limiter) allow(now time.Time, keys ...string) (bool, time.Duration) {
	if l.off() {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	bs := make([]*bucket, len(keys))
	var wait time.Duration
	for i, k := range keys {
		b, ok := l.bucket(now, k, true)
		if !ok {
			return false, l.per
		}
		if b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)/l.rate()*float64(time.Second)))
		}
		bs[i] = b
	}
	if wait > 0 {
		return false, wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return true, 0
}

// give returns a token to key's bucket, up to burst: for an attempt that
// turned out not to count.
func (l *limiter) give(now time.Time, key string) {
	if l.off() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, _ := l.bucket(now, key, false); b != nil {
		b.tokens = math.Min(float64(l.burst), b.tokens+1)
	}
}

// bucket returns key's bucket refilled to now, creating it if create is
// set and there is room. Callers hold mu.
func (l *limiter) bucket(now time.Time, key string, create bool) (*bucket, bool) {
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		if !create {
			return nil, true
		}
		if len(l.buckets) >= l.maxKeys {
			return nil, false
		}
		b = &bucket{tokens: float64(l.burst), at: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = math.Min(float64(l.burst), b.tokens+el*l.rate())
		b.at = now
	}
	return b, true
}

// sweep drops the buckets that have refilled, once a minute or when the
// table is full.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute && len(l.buckets) < l.maxKeys {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate() >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
