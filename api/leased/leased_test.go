package leased

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"signpost/store"
	"signpost/store/storetest"
)

// TestLoopRunsWakesDrainsAndReleases: a round at the start and on each
// wake (the tick is an hour away), the drain before the lease is given up,
// and the lease free for another instance as soon as Run returns.
func TestLoopRunsWakesDrainsAndReleases(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Address(t, "leased.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	holder := Holder()
	if other := Holder(); other == holder {
		t.Fatalf("two holders named %q", holder)
	}
	var rounds, drains atomic.Int32
	ran := make(chan struct{}, 8)
	wake := make(chan struct{}, 1)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		Loop{Store: st, Lease: "test", Holder: holder, Interval: time.Hour, Wake: wake,
			Round: func(ctx context.Context) error {
				defer func() { ran <- struct{}{} }()
				if ok, err := st.AcquireLease(ctx, "test", holder, time.Now(), time.Hour); err != nil || !ok {
					t.Errorf("the loop's holder could not take its lease: ok=%v err=%v", ok, err)
				}
				rounds.Add(1)
				return nil
			},
			Drain: func() { drains.Add(1) }, Log: slog.Default(), Name: "test"}.Run(runCtx)
	}()
	<-ran
	wake <- struct{}{}
	<-ran
	if ok, err := st.AcquireLease(ctx, "test", "other", time.Now(), time.Hour); err != nil || ok {
		t.Fatalf("another holder took a held lease: ok=%v err=%v", ok, err)
	}
	cancel()
	<-done
	if rounds.Load() != 2 || drains.Load() != 1 {
		t.Fatalf("rounds=%d drains=%d; want 2 rounds (start, wake) and 1 drain", rounds.Load(), drains.Load())
	}
	if ok, err := st.AcquireLease(ctx, "test", "other", time.Now(), time.Hour); err != nil || !ok {
		t.Fatalf("the lease was not released when Run returned: ok=%v err=%v", ok, err)
	}
}
