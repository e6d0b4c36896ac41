package tripwires

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"signpost/api/leased"
	"signpost/store"
)

// Config tunes the evaluator.
type Config struct {
	// Interval is how often the evaluator looks at every tripwire
	// (default a minute); a change the store announces wakes it sooner.
	Interval time.Duration
	// Now is the clock (default time.Now); Log gets the evaluator's
	// errors (default slog.Default()).
	Now func() time.Time
	Log *slog.Logger
}

const (
	lease    = "tripwires"
	leaseTTL = 2 * time.Minute
)

func (c *Config) defaults() {
	if c.Interval <= 0 {
		c.Interval = time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
}

// Evaluator fires and re-arms tripwires. Of several instances on one
// database only the holder of the lease evaluates.
type Evaluator struct {
	st     *store.Store
	src    Sources
	cfg    Config
	holder string
	tickMu sync.Mutex    // one round at a time
	wake   chan struct{} // wakes Run before its next tick
}

// New builds the evaluator over st reading src. It hears the store's
// score-version announcements (a resolution moves the board's evidence),
// so such changes are evaluated at once rather than at the next tick.
func New(st *store.Store, cfg Config, src Sources) *Evaluator {
	cfg.defaults()
	e := &Evaluator{st: st, src: src, cfg: cfg, holder: leased.Holder(), wake: make(chan struct{}, 1)}
	st.OnScoreVersionChange(func(int64) { e.Poke() })
	return e
}

// Poke wakes Run for a round now, unless a wake is already pending.
func (e *Evaluator) Poke() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Run evaluates until ctx ends, then gives the lease up so another
// instance takes over at once.
func (e *Evaluator) Run(ctx context.Context) {
	leased.Loop{Store: e.st, Lease: lease, Holder: e.holder, Interval: e.cfg.Interval, Wake: e.wake,
		Round: func(ctx context.Context) error { _, err := e.Tick(ctx); return err },
		Log:   e.cfg.Log, Name: "tripwire evaluator"}.Run(ctx)
}

// Tick is one round: take the lease, read every tripwire's value, fire
// those that crossed their threshold and re-arm those back on the other
// side. It returns how many it fired. A tripwire whose value cannot be
// read is skipped (its error joined to the others'), never the round.
func (e *Evaluator) Tick(ctx context.Context) (int, error) {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	now := e.cfg.Now().UTC()
	ok, err := e.st.AcquireLease(ctx, lease, e.holder, now, leaseTTL)
	if err != nil || !ok {
		return 0, err
	}
	ids, err := e.st.TripwireTournaments(ctx)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	if e.src.SyncCrowds != nil {
		if err := e.src.SyncCrowds(ctx); err != nil {
			return 0, err
		}
	}
	vals := newValues(e.st, e.src)
	fired := 0
	var errs []error
	for _, id := range ids {
		n, err := e.tournament(ctx, id, vals, now)
		fired += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return fired, errors.Join(errs...)
}

// tournament evaluates one tournament's tripwires.
func (e *Evaluator) tournament(ctx context.Context, id int64, vals *values, now time.Time) (int, error) {
	t, err := e.st.FindTournamentByID(ctx, id)
	if err != nil {
		return 0, err
	}
	ws, err := e.st.ListTripwires(ctx, id)
	if err != nil {
		return 0, err
	}
	fired := 0
	var errs []error
	for _, w := range ws {
		v, ok, err := vals.of(ctx, t, w)
		if err != nil {
			errs = append(errs, fmt.Errorf("tripwire %d: %w", w.ID, err))
			continue
		}
		if !ok {
			continue
		}
		switch crossed := w.Crossed(v); {
		case crossed && w.State == store.TripwireArmed:
			done, err := e.st.FireTripwire(ctx, w.ID, v, now)
			if err != nil {
				errs = append(errs, fmt.Errorf("firing tripwire %d: %w", w.ID, err))
			} else if done {
				fired++
			}
		case !crossed && w.State == store.TripwireFired:
			if _, err := e.st.RearmTripwire(ctx, w.ID); err != nil {
				errs = append(errs, fmt.Errorf("re-arming tripwire %d: %w", w.ID, err))
			}
		}
	}
	return fired, errors.Join(errs...)
}
