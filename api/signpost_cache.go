package api

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// signpostCache keeps the last board and pulse of each tournament with the
// fingerprint of everything they were computed from: every forecast (the
// latest forecast ID), every resolution and annulment (question
// revisions), the links, and the clock to the minute (states and the
// 30-day change follow it). The answer is the same for every reader, so
// the home page's many readers cost one computation per change.
type signpostCache struct {
	mu      sync.Mutex
	entries map[string]signpostEntry // "board " or "pulse " + slug
}

type signpostEntry struct {
	key   uint64
	value any
}

func (sc *signpostCache) get(name string, key uint64) (any, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e, ok := sc.entries[name]
	if !ok || e.key != key {
		return nil, false
	}
	return e.value, true
}

func (sc *signpostCache) put(name string, key uint64, v any) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.entries == nil {
		sc.entries = map[string]signpostEntry{}
	}
	sc.entries[name] = signpostEntry{key: key, value: v}
}

// cached answers name from the cache while the fingerprint holds, else
// computes, stores and returns it.
func cached[T any](sc *signpostCache, name string, key uint64, compute func() (T, error)) (T, error) {
	if v, ok := sc.get(name, key); ok {
		return v.(T), nil
	}
	v, err := compute()
	if err == nil {
		sc.put(name, key, v)
	}
	return v, err
}

// cachedSignposts loads the signposts of the tournament in the path and
// answers what compute makes of them, from the cache while the
// fingerprint holds.
func cachedSignposts[T any](s *Server, c *fiber.Ctx, name string,
	compute func(context.Context, *signpostSet, time.Time) (T, error)) (T, error) {
	ctx := c.UserContext()
	var zero T
	set, err := s.loadSignposts(ctx, c.Params("slug"))
	if err != nil {
		return zero, err
	}
	if err := s.crowd.sync(ctx); err != nil {
		return zero, err
	}
	now := s.now()
	key := set.fingerprint(s.crowd.lastForecast(), now)
	return cached(&s.signCache, name+" "+set.scenario.TournamentSlug, key, func() (T, error) {
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
	for _, q := range set.questions {
		put(q.ID)
		put(q.Revision)
	}
	put(-1)
	for _, l := range set.links {
		put(l.ID)
	}
	return h.Sum64()
}

// lastForecast is the ID of the latest forecast the crowd cache has seen.
func (cc *crowdCache) lastForecast() int64 {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.lastID
}
