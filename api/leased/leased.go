// Package leased runs the background workers of which one instance of
// several works at a time: each round takes a named lease in the store
// (store.AcquireLease), and stopping gives it up so another instance
// takes over at once. The workers (webhooks, feeds, mail, notices,
// tripwires) keep what a round does; this package keeps how rounds are
// driven.
//
// It imports only the store, never signpost/api or fiber.
package leased

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"signpost/store"
)

// Holder is a fresh name for this process as a lease holder.
func Holder() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand's documented contract)
	return hex.EncodeToString(b)
}

// Loop drives a worker's rounds.
type Loop struct {
	Store    *store.Store
	Lease    string        // the lease's name
	Holder   string        // this instance's name (Holder())
	Interval time.Duration // time between rounds
	// Wake, when not nil, starts a round before the next tick.
	Wake <-chan struct{}
	// Round is one round of the worker; it takes the lease itself, since
	// tests call it directly.
	Round func(context.Context) error
	// Drain, when not nil, waits for the work a round left running (sends,
	// fetches) before the lease is given up.
	Drain func()
	Log   *slog.Logger
	Name  string // for the log
}

// Run runs rounds until ctx ends, then drains and releases the lease.
func (l Loop) Run(ctx context.Context) {
	t := time.NewTicker(l.Interval)
	defer t.Stop()
	for {
		if err := l.Round(ctx); err != nil && ctx.Err() == nil {
			l.Log.Warn(l.Name, "err", err)
		}
		select {
		case <-ctx.Done():
			if l.Drain != nil {
				l.Drain()
			}
			_ = l.Store.ReleaseLease(context.WithoutCancel(ctx), l.Lease, l.Holder)
			return
		case <-t.C:
		case <-l.Wake:
		}
	}
}
