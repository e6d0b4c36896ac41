package api

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per key: `perMinute` attempts in a burst, one
// more every minute/perMinute. Idle buckets are dropped so the map stays small.
type limiter struct {
	mu        sync.Mutex
	perMinute int
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(perMinute int) *limiter {
	return &limiter{perMinute: perMinute, buckets: make(map[string]*bucket)}
}

// allow takes a token for every key (all or none) and otherwise says how long
// until the emptiest bucket has one.
func (l *limiter) allow(now time.Time, keys ...string) (bool, time.Duration) {
	if l == nil || l.perMinute <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	rate := float64(l.perMinute) / 60 // tokens per second
	var wait time.Duration
	bs := make([]*bucket, len(keys))
	for i, k := range keys {
		b := l.buckets[k]
		if b == nil {
			b = &bucket{tokens: float64(l.perMinute), at: now}
			l.buckets[k] = b
		}
		if el := now.Sub(b.at).Seconds(); el > 0 {
			b.tokens = math.Min(float64(l.perMinute), b.tokens+el*rate)
			b.at = now
		}
		if b.tokens < 1 {
			w := time.Duration((1 - b.tokens) / rate * float64(time.Second))
			wait = max(wait, w)
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

func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if now.Sub(b.at) > 2*time.Minute {
			delete(l.buckets, k)
		}
	}
}
