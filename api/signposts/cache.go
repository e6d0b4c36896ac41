package signposts

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"sync"
	"time"
)

// cache keeps the last board and pulse of each tournament with the
// fingerprint of everything they were computed from: every forecast (the
// latest forecast ID), every resolution and annulment (question
// revisions), the links, the admin's likelihood tables, and the clock to the minute (states and the
// 30-day change follow it). The answer is the same for every reader, so
// the home page's many readers cost one computation per change.
type cache struct {
	mu      sync.Mutex
	entries map[string]entry // "board " or "pulse " + slug
}

type entry struct {
	key   uint64
	value any
}

func (c *cache) get(name string, key uint64) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[name]
	if !ok || e.key != key {
		return nil, false
	}
	return e.value, true
}

func (c *cache) put(name string, key uint64, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]entry{}
	}
	c.entries[name] = entry{key: key, value: v}
}

// cached answers name from the cache while the fingerprint holds, else
// computes, stores and returns it.
func cached[T any](c *cache, name string, key uint64, compute func() (T, error)) (T, error) {
	if v, ok := c.get(name, key); ok {
		return v.(T), nil
	}
	v, err := compute()
	if err == nil {
		c.put(name, key, v)
	}
	return v, err
}

// cachedSet loads the signposts of the tournament slug and answers what
// compute makes of them, from the cache while the fingerprint holds.
func cachedSet[T any](ctx context.Context, s *Service, slug, name string,
	compute func(context.Context, *signpostSet, time.Time) (T, error)) (T, error) {
	var zero T
	set, err := s.load(ctx, slug)
	if err != nil {
		return zero, err
	}
	if err := s.cfg.Crowds.Sync(ctx); err != nil {
		return zero, err
	}
	now := s.cfg.Now()
	key := set.fingerprint(s.cfg.Crowds.LastForecast(), now)
	return cached(&s.cache, name+" "+set.scenario.TournamentSlug, key, func() (T, error) {
		return compute(ctx, &set, now)
	})
}

// fingerprint hashes what the board and the pulse of set depend on, once
// the crowd cache has synced to lastForecast.
func (set *signpostSet) fingerprint(lastForecast int64, now time.Time) uint64 {
	h := fnv.New64a()
	var b [8]byte
	put := func(v int64) {
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		h.Write(b[:])
	}
	put(lastForecast)
	put(now.Truncate(time.Minute).Unix())
	h.Write([]byte(set.aggregate))
	for _, q := range set.questions {
		put(q.ID)
		put(q.Revision)
	}
	put(-1)
	for _, l := range set.links {
		put(l.ID)
	}
	put(-1)
	for _, v := range set.adminTimes {
		put(v)
	}
	return h.Sum64()
}
