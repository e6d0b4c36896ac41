package webhook

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"signpost/api/crowd"
	"signpost/api/leased"
	"signpost/api/safehttp"
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
	webhookLease   = "webhooks"
	leaseTTL       = 2 * time.Minute
	giveUpAfter    = 24 * time.Hour
	sendBatch      = 32
	keepDeliveries = 30 * 24 * time.Hour
	pruneEvery     = time.Hour
	// A receiver gets at most perTarget deliveries at a time and the
	// worker sends at most maxSending in all: a slow receiver holds up
	// its own deliveries only.
	perTarget       = 2
	maxSending      = 64
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
	st       *store.Store
	src      Sources
	cfg      Config
	holder   string
	client   *http.Client
	tickMu   sync.Mutex
	pruned   time.Time     // when this worker last pruned old deliveries
	wake     chan struct{} // wakes Run before its next tick
	sends    sync.WaitGroup
	sendMu   sync.Mutex     // guards the fields below
	inFlight map[int64]bool // deliveries being sent, by ID
	perHook  map[int64]int  // deliveries being sent, by webhook
}

// New builds the worker over st and makes st render events with this
// package (Render, with cfg's clock and public address) inside their
// transactions.
func New(st *store.Store, cfg Config, src Sources) *Worker {
	cfg.defaults()
	st.SetEventOptions(store.EventOptions{Now: cfg.now, Render: Render(cfg.PublicURL, src.CrowdRule),
		CrowdEstablished: src.CrowdRule.Established})
	return &Worker{st: st, src: src, cfg: cfg, holder: leased.Holder(), client: safehttp.NewClient(cfg.Timeout, cfg.AllowPrivate),
		wake: make(chan struct{}, 1), inFlight: map[int64]bool{}, perHook: map[int64]int{}}
}

func (c Config) now() time.Time { return c.Now().UTC() }

// Run runs the worker until ctx ends, then gives the lease up so another
// instance takes over at once. Deliveries go out in the background: a
// round does not wait for slow receivers, and the end of a send or a
// retry due before the next tick wakes the worker.
func (w *Worker) Run(ctx context.Context) {
	leased.Loop{Store: w.st, Lease: webhookLease, Holder: w.holder, Interval: w.cfg.Interval, Wake: w.wake,
		Round: func(ctx context.Context) error { _, err := w.round(ctx); return err },
		Drain: w.sends.Wait, Log: w.cfg.Log, Name: "webhook worker"}.Run(ctx)
}

// Tick is one round of the worker that waits for its sends, and for the
// sends due after them, to end: take the lease, notice events, send
// what is due.
func (w *Worker) Tick(ctx context.Context) error {
	for {
		started, err := w.round(ctx)
		w.sends.Wait()
		if err != nil || started == 0 {
			return err
		}
	}
}

// poke wakes Run unless a wake is already pending.
func (w *Worker) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// round takes the lease, notices events and starts sending what is due,
// returning how many sends it started.
func (w *Worker) round(ctx context.Context) (int, error) {
	w.tickMu.Lock()
	defer w.tickMu.Unlock()
	st := w.st
	now := w.cfg.now()
	ok, err := st.AcquireLease(ctx, webhookLease, w.holder, now, leaseTTL)
	if err != nil || !ok {
		return 0, err
	}
	for _, d := range w.detectors() {
		if err := d.notice(ctx, now); err != nil {
			return 0, fmt.Errorf("%s: %w", d.name, err)
		}
	}
	if now.Sub(w.pruned) >= pruneEvery {
		if _, err := st.PruneDeliveries(ctx, now.Add(-keepDeliveries)); err != nil {
			return 0, fmt.Errorf("pruning deliveries: %w", err)
		}
		w.pruned = now
	}
	return w.sendDue(ctx)
}

// sendDue starts sending the due deliveries that are not being sent
// already, within the limits per receiver and in all. Each send ends
// by itself, logging a database error, and wakes the worker for what
// its receiver has left.
func (w *Worker) sendDue(ctx context.Context) (int, error) {
	w.sendMu.Lock()
	busy := len(w.inFlight)
	w.sendMu.Unlock()
	if busy >= maxSending {
		return 0, nil
	}
	// The deliveries being sent are still due: read past them.
	due, err := w.st.DueDeliveries(ctx, w.cfg.now(), sendBatch+busy)
	if err != nil {
		return 0, err
	}
	started := 0
	for _, d := range due {
		if !w.claim(d) {
			continue
		}
		started++
		w.sends.Add(1)
		go func() {
			defer w.sends.Done()
			defer w.unclaim(d)
			if err := w.send(ctx, d); err != nil && ctx.Err() == nil {
				w.cfg.Log.Warn("webhook worker: recording a delivery", "delivery", d.ID, "err", err)
			}
		}()
	}
	return started, nil
}

// claim notes a delivery as being sent, unless it is already or its
// receiver or the worker is at its limit.
func (w *Worker) claim(d store.DueDelivery) bool {
	w.sendMu.Lock()
	defer w.sendMu.Unlock()
	if w.inFlight[d.ID] || w.perHook[d.Webhook.ID] >= perTarget || len(w.inFlight) >= maxSending {
		return false
	}
	w.inFlight[d.ID] = true
	w.perHook[d.Webhook.ID]++
	return true
}

func (w *Worker) unclaim(d store.DueDelivery) {
	w.sendMu.Lock()
	delete(w.inFlight, d.ID)
	if w.perHook[d.Webhook.ID]--; w.perHook[d.Webhook.ID] <= 0 {
		delete(w.perHook, d.Webhook.ID)
	}
	w.sendMu.Unlock()
	w.poke()
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
	if err := st.MarkAttemptFailed(ctx, d.ID, reason, &next); err != nil {
		return err
	}
	// A retry due before the next tick wakes the worker when it is due.
	if wait < w.cfg.Interval {
		time.AfterFunc(wait, w.poke)
	}
	return nil
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
