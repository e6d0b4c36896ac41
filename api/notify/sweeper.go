package notify

import (
	"context"
	"log/slog"
	"time"

	"signpost/api/leased"
	"signpost/store"
)

// Config tunes the sweeper.
type Config struct {
	// Interval is how often it sweeps (default 5 minutes: notices the
	// clock brings are about hours and days).
	Interval time.Duration
	// Now is the clock (default time.Now); Log gets its errors (default
	// slog.Default()).
	Now func() time.Time
	Log *slog.Logger
}

const (
	sweepLease = "notices"
	leaseTTL   = 15 * time.Minute
)

// Sweeper writes the notices the clock brings: of questions closing soon
// and of stale forecasts (store.SweepNotices); it also finishes the
// notices of question changes that a stop cut short
// (store.DeliverPendingNotices). Of several instances on one
// database only the holder of a lease sweeps; the notices' keys keep a
// notice single even if two ever did.
type Sweeper struct {
	st     *store.Store
	cfg    Config
	holder string
}

// NewSweeper builds a sweeper over st.
func NewSweeper(st *store.Store, cfg Config) *Sweeper {
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Sweeper{st: st, cfg: cfg, holder: leased.Holder()}
}

// Run sweeps every Interval until ctx ends, then gives the lease up.
func (w *Sweeper) Run(ctx context.Context) {
	leased.Loop{Store: w.st, Lease: sweepLease, Holder: w.holder, Interval: w.cfg.Interval,
		Round: func(ctx context.Context) error { _, err := w.Tick(ctx); return err },
		Log:   w.cfg.Log, Name: "notice sweeper"}.Run(ctx)
}

// Tick is one sweep at the clock's now, if this instance holds the lease;
// it returns how many notices it considered and question changes it
// finished.
func (w *Sweeper) Tick(ctx context.Context) (int, error) {
	now := w.cfg.Now().UTC()
	ok, err := w.st.AcquireLease(ctx, sweepLease, w.holder, now, leaseTTL)
	if err != nil || !ok {
		return 0, err
	}
	changes, err := w.st.DeliverPendingNotices(ctx, now)
	if err != nil {
		return changes, err
	}
	n, err := w.st.SweepNotices(ctx, now)
	return changes + n, err
}
