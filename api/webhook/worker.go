package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"signpost/api/crowd"
	"signpost/store"
)

// Config tunes outgoing webhooks.
type Config struct {
	// RetryBase is the wait before the first retry; it doubles after each
	// failed attempt until the delivery is a day old (default 30 s).
	RetryBase time.Duration
	// AllowPrivate lets webhooks reach loopback and private addresses.
	AllowPrivate bool
	// Timeout is how long a receiver gets (default 10 s).
	Timeout time.Duration
	// Interval is how often the worker wakes (default 5 s).
	Interval time.Duration
	// CrowdPoints is how many percentage points a crowd must move for
	// crowd.moved (default 10).
	CrowdPoints float64
	// PublicURL is the server's address as users reach it, for links.
	PublicURL string
	// Now is the clock (default time.Now); Log gets the worker's errors
	// (default slog.Default()).
	Now func() time.Time
	Log *slog.Logger
}

const (
	webhookLease    = "webhooks"
	leaseTTL        = 2 * time.Minute
	giveUpAfter     = 24 * time.Hour
	sendBatch       = 32
	keepDeliveries  = 30 * 24 * time.Hour
	pruneEvery      = time.Hour
	sendParallel    = 8
	maxErrorMessage = 300
)

func (c *Config) defaults() {
	if c.RetryBase <= 0 {
		c.RetryBase = 30 * time.Second
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Interval <= 0 {
		c.Interval = 5 * time.Second
	}
	if c.CrowdPoints <= 0 {
		c.CrowdPoints = 10
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
}

// Sources are what the detectors read besides the store, from the server's
// caches: the scored leaderboard and the crowd as shown. A nil function
// turns its detector (or the metrics) off.
type Sources struct {
	// Top returns the first n entries of the tournament's leaderboard of
	// all participants.
	Top func(ctx context.Context, t store.Tournament, n int) ([]TopEntry, error)
	// SyncCrowds brings the crowds up to date before a round of Crowd.
	SyncCrowds func(ctx context.Context) error
	// Crowd is a question's crowd as shown to users, nil below the
	// minimum of forecasters.
	Crowd func(questionID int64) (probabilities []float64, forecasters int)
	// CrowdRule decides whether the crowd an event carries is shown (the
	// zero rule: crowd.DefaultMin forecasters, of any age).
	CrowdRule crowd.Rule
	// Delivered counts an attempt's result (delivered, retry, failed) by
	// format, for metrics.
	Delivered func(format, result string)
}

// Worker notices the events that happen by the clock or by many
// forecasts (opened, closing, top changed, crowd moved) and sends pending
// deliveries. Of several instances on one database only the holder of the
// lease works, so each message goes out once.
type Worker struct {
	st     *store.Store
	src    Sources
	cfg    Config
	holder string
	client *http.Client
	tickMu sync.Mutex
	pruned time.Time // when this worker last pruned old deliveries
}

// New builds the worker over st and makes st render events with this
// package (Render, with cfg's clock and public address) inside their
// transactions.
func New(st *store.Store, cfg Config, src Sources) *Worker {
	cfg.defaults()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	st.SetEventOptions(store.EventOptions{Now: cfg.now, Render: Render(cfg.PublicURL, src.CrowdRule),
		CrowdEstablished: src.CrowdRule.Established})
	return &Worker{st: st, src: src, cfg: cfg, holder: hex.EncodeToString(b), client: newClient(cfg)}
}

func (c Config) now() time.Time { return c.Now().UTC() }

// Run runs the worker until ctx ends, then gives the lease up so another
// instance takes over at once.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.cfg.Interval)
	defer t.Stop()
	for {
		if err := w.Tick(ctx); err != nil && ctx.Err() == nil {
			w.cfg.Log.Warn("webhook worker", "err", err)
		}
		select {
		case <-ctx.Done():
			_ = w.st.ReleaseLease(context.WithoutCancel(ctx), webhookLease, w.holder)
			return
		case <-t.C:
		}
	}
}

// Tick is one round of the worker: take the lease, notice events, send
// what is due.
func (w *Worker) Tick(ctx context.Context) error {
	w.tickMu.Lock()
	defer w.tickMu.Unlock()
	st := w.st
	now := w.cfg.now()
	ok, err := st.AcquireLease(ctx, webhookLease, w.holder, now, leaseTTL)
	if err != nil || !ok {
		return err
	}
	for _, d := range w.detectors() {
		if err := d.notice(ctx, now); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
	}
	if now.Sub(w.pruned) >= pruneEvery {
		if _, err := st.PruneDeliveries(ctx, now.Add(-keepDeliveries)); err != nil {
			return fmt.Errorf("pruning deliveries: %w", err)
		}
		w.pruned = now
	}
	return w.sendDue(ctx)
}

// sendDue sends every due delivery, a few at a time, in batches.
func (w *Worker) sendDue(ctx context.Context) error {
	for first := true; ctx.Err() == nil; first = false {
		// A long round renews the lease between batches, so no other
		// instance takes over while this one is still sending.
		if !first {
			ok, err := w.st.AcquireLease(ctx, webhookLease, w.holder, w.cfg.now(), leaseTTL)
			if err != nil || !ok {
				return err
			}
		}
		due, err := w.st.DueDeliveries(ctx, w.cfg.now(), sendBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		sem := make(chan struct{}, sendParallel)
		var wg sync.WaitGroup
		errs := make([]error, len(due))
		for i, d := range due {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				errs[i] = w.send(ctx, d)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
		if len(due) < sendBatch {
			return nil
		}
	}
	return ctx.Err()
}

// send makes one attempt at a delivery and records its outcome; the error
// is the database's, never the receiver's.
func (w *Worker) send(ctx context.Context, d store.DueDelivery) error {
	now := w.cfg.now()
	failure := w.attempt(ctx, d, now)
	st := w.st
	if failure == nil {
		w.count(d.Webhook.Format, "delivered")
		return st.MarkDelivered(ctx, d.ID, w.cfg.now())
	}
	// Retries wait RetryBase, then twice as long each time, while the
	// delivery is under a day old.
	wait := w.cfg.RetryBase
	for i := 0; i < d.Attempts && wait <= giveUpAfter; i++ {
		wait *= 2 // stops doubling past a day: no overflow
	}
	next := now.Add(wait)
	reason := failure.Error()
	if len(reason) > maxErrorMessage {
		reason = reason[:maxErrorMessage]
	}
	if next.Sub(d.CreatedAt) > giveUpAfter {
		w.count(d.Webhook.Format, "failed")
		return st.MarkAttemptFailed(ctx, d.ID, reason, nil)
	}
	w.count(d.Webhook.Format, "retry")
	return st.MarkAttemptFailed(ctx, d.ID, reason, &next)
}

// attempt posts a delivery once: nil when the receiver took it.
func (w *Worker) attempt(ctx context.Context, d store.DueDelivery, now time.Time) error {
	req, err := buildDelivery(ctx, d, now)
	if err != nil {
		return err
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("receiver answered %d", resp.StatusCode)
	}
	return chatError(d.Webhook.Format, body)
}

func (w *Worker) count(format, result string) {
	if w.src.Delivered != nil {
		w.src.Delivered(format, result)
	}
}
