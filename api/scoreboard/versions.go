package scoreboard

import (
	"context"
	"strings"
	"sync"
	"time"

	"signpost/store"
)

// versionCache remembers each tournament's ID and score version for a
// millisecond. Reading the version from the database was a third of a warm
// leaderboard's cost; under load, one read now serves every request of
// that millisecond. Changes committed through this process's store forget
// the cache at once (the store tells the scoreboard), so its own next
// request sees them; changes made by another instance (or `signpost
// import`) show within the millisecond.
type versionCache struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]versionEntry // by slug
}

type versionEntry struct {
	id, version int64
	read        time.Time // monotonic: the TTL is not domain time
}

func newVersionCache(ttl time.Duration) *versionCache {
	return &versionCache{ttl: ttl, m: make(map[string]versionEntry)}
}

func (vc *versionCache) get(ctx context.Context, st *store.Store, slug string) (id, version int64, err error) {
	vc.mu.Lock()
	e, ok := vc.m[slug]
	vc.mu.Unlock()
	if ok && time.Since(e.read) < vc.ttl {
		return e.id, e.version, nil
	}
	read := time.Now()
	id, version, err = st.TournamentVersion(ctx, slug)
	if err != nil {
		return 0, 0, err
	}
	vc.mu.Lock()
	vc.m[strings.Clone(slug)] = versionEntry{id: id, version: version, read: read}
	vc.mu.Unlock()
	return id, version, nil
}

// forget drops every remembered version: called when the store has
// committed a change to scores.
func (vc *versionCache) forget() {
	vc.mu.Lock()
	clear(vc.m)
	vc.mu.Unlock()
}
