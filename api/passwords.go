package api

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/bcrypt"
)

// hasher runs bcrypt with bounded concurrency: each hash takes a CPU for
// tens of milliseconds, and a flood of registrations or logins must leave
// cores for everyone else's requests. It also holds the dummy hash that
// makes a login of an unknown user cost what a real one does.
type hasher struct {
	cost  int
	slots chan struct{}
	dummy func() []byte
	// compares counts bcrypt comparisons, so a test can tell that every
	// login path pays for exactly one without timing it.
	compares atomic.Int64
}

func newHasher(cost int) *hasher {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	return &hasher{
		cost:  cost,
		slots: make(chan struct{}, max(1, (runtime.GOMAXPROCS(0)+1)/2)),
		// Made on first use at the configured cost, not at start-up, to
		// keep cold starts fast.
		dummy: sync.OnceValue(func() []byte {
			h, _ := bcrypt.GenerateFromPassword([]byte("not a real password"), cost)
			return h
		}),
	}
}

// run does f in a hashing slot, or gives up when ctx ends first.
func (h *hasher) run(ctx context.Context, f func()) error {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.slots }()
	f()
	return nil
}

// hash makes a bcrypt hash of a password at the configured cost.
func (h *hasher) hash(ctx context.Context, pw string) (string, error) {
	var out []byte
	var err error
	if rerr := h.run(ctx, func() { out, err = bcrypt.GenerateFromPassword([]byte(pw), h.cost) }); rerr != nil {
		return "", rerr
	}
	return string(out), err
}

// matches checks a password against a stored hash. An account without a
// usable hash (imported without a password: "!") is checked against the
// dummy hash, so it takes as long as any other and never matches.
func (h *hasher) matches(ctx context.Context, stored, pw string) (bool, error) {
	hash, usable := []byte(stored), len(stored) > 0 && stored[0] == '$'
	if !usable {
		hash = h.dummy()
	}
	var err error
	if rerr := h.run(ctx, func() {
		h.compares.Add(1)
		err = bcrypt.CompareHashAndPassword(hash, []byte(pw))
	}); rerr != nil {
		return false, rerr
	}
	return usable && err == nil, nil
}
