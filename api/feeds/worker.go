package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"signpost/api/leased"
	"signpost/api/safehttp"
	"signpost/store"
)

// Config tunes the fetcher.
type Config struct {
	// AllowPrivate lets feeds reach loopback and private addresses
	// (SIGNPOST_FEED_ALLOW_PRIVATE; tests use it for their local server).
	AllowPrivate bool
	// Timeout is how long a source gets (default 10 s).
	Timeout time.Duration
	// Interval is how often the worker wakes (default 5 s).
	Interval time.Duration
	// MaxFetching bounds the fetches in flight (default 8); each feed has
	// at most one.
	MaxFetching int
	// HostGap is the least time between two requests to one host (default
	// 2 s: within OpenRouter's 30 a minute and EDGAR's 10 a second).
	HostGap time.Duration
	// UserAgent goes with requests whose feed sets none.
	UserAgent string
	// Now is the clock (default time.Now); Log gets the worker's errors
	// (default slog.Default()).
	Now func() time.Time
	Log *slog.Logger
}

const (
	feedLease  = "feeds"
	leaseTTL   = 2 * time.Minute
	maxBackoff = 24 * time.Hour
	maxError   = 300
)

func (c *Config) defaults() {
	if c.Timeout <= 0 {
		c.Timeout = safehttp.DefaultTimeout
	}
	if c.Interval <= 0 {
		c.Interval = 5 * time.Second
	}
	if c.MaxFetching <= 0 {
		c.MaxFetching = 8
	}
	if c.HostGap <= 0 {
		c.HostGap = 2 * time.Second
	}
	if c.UserAgent == "" {
		c.UserAgent = "Signpost feed fetcher"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
}

func (c Config) now() time.Time { return c.Now().UTC() }

// Worker fetches every enabled feed on its own schedule, keeps the
// snapshots, proposes resolutions from them and resolves unchallenged
// proposals whose window ended. Of several instances on one database only
// the holder of the lease works.
type Worker struct {
	st      *store.Store
	cfg     Config
	holder  string
	client  *http.Client
	tickMu  sync.Mutex
	wake    chan struct{}
	fetches sync.WaitGroup
	mu      sync.Mutex           // guards the fields below
	busy    map[int64]bool       // feeds being fetched, by question
	hostAt  map[string]time.Time // when each host may next be asked
}

// New builds the fetcher over st.
func New(st *store.Store, cfg Config) *Worker {
	cfg.defaults()
	return &Worker{st: st, cfg: cfg, holder: leased.Holder(),
		client: safehttp.NewClient(cfg.Timeout, cfg.AllowPrivate), wake: make(chan struct{}, 1),
		busy: map[int64]bool{}, hostAt: map[string]time.Time{}}
}

// Run runs the worker until ctx ends, then gives the lease up so another
// instance takes over at once.
func (w *Worker) Run(ctx context.Context) {
	leased.Loop{Store: w.st, Lease: feedLease, Holder: w.holder, Interval: w.cfg.Interval, Wake: w.wake,
		Round: w.round, Drain: w.fetches.Wait, Log: w.cfg.Log, Name: "feed worker"}.Run(ctx)
}

// Tick is one round that waits for the fetches it started: settle due
// proposals, fetch due feeds, propose from what they read.
func (w *Worker) Tick(ctx context.Context) error {
	err := w.round(ctx)
	w.fetches.Wait()
	return err
}

func (w *Worker) round(ctx context.Context) error {
	w.tickMu.Lock()
	defer w.tickMu.Unlock()
	now := w.cfg.now()
	ok, err := w.st.AcquireLease(ctx, feedLease, w.holder, now, leaseTTL)
	if err != nil || !ok {
		return err
	}
	if err := w.settle(ctx, now); err != nil {
		return fmt.Errorf("settling proposals: %w", err)
	}
	// A feed that is not due may still have a proposal to make: its
	// question closed since its last fetch.
	feeds, err := w.st.EnabledFeeds(ctx)
	if err != nil {
		return err
	}
	for _, f := range feeds {
		if err := w.consider(ctx, f, now); err != nil {
			w.cfg.Log.Warn("feed worker: proposing", "question", f.QuestionID, "err", err)
		}
	}
	due, err := w.st.DueFeeds(ctx, now)
	if err != nil {
		return err
	}
	for _, f := range due {
		w.start(ctx, f)
	}
	return nil
}

// start fetches a feed in the background, unless it is being fetched or
// the worker is at its bound; a host asked too recently makes the fetch
// wait its turn without holding up other hosts' fetches.
func (w *Worker) start(ctx context.Context, f store.Feed) {
	u, err := url.Parse(f.URL)
	if err != nil {
		return
	}
	w.mu.Lock()
	if w.busy[f.QuestionID] || len(w.busy) >= w.cfg.MaxFetching {
		w.mu.Unlock()
		return
	}
	w.busy[f.QuestionID] = true
	// Pacing is about real requests reaching a remote host, so it runs on
	// the wall clock, not the server's (possibly injected) clock.
	at := time.Now()
	if next := w.hostAt[u.Host]; next.After(at) {
		at = next
	}
	w.hostAt[u.Host] = at.Add(w.cfg.HostGap)
	w.mu.Unlock()
	w.fetches.Add(1)
	go func() {
		defer w.fetches.Done()
		defer func() {
			w.mu.Lock()
			delete(w.busy, f.QuestionID)
			w.mu.Unlock()
			w.poke()
		}()
		if wait := time.Until(at); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		if _, err := w.Fetch(ctx, f); err != nil && ctx.Err() == nil {
			w.cfg.Log.Warn("feed worker: recording a fetch", "question", f.QuestionID, "err", err)
		}
	}()
}

func (w *Worker) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Fetch reads a feed once, stores the snapshot (good or failed) with the
// next fetch scheduled, and proposes from it when it is time. The error is
// the database's: a failed fetch is a snapshot with status "error".
func (w *Worker) Fetch(ctx context.Context, f store.Feed) (store.Snapshot, error) {
	sn := w.read(ctx, f)
	failures, wait := 0, f.Every
	if sn.Status == store.SnapshotError {
		// Each failure in a row doubles the wait, up to a day (or the
		// feed's own period, when longer).
		failures = f.Failures + 1
		for i := 0; i < failures && wait < maxBackoff; i++ {
			wait *= 2
		}
		wait = min(wait, max(maxBackoff, f.Every))
	}
	sn, err := w.st.AddSnapshot(ctx, sn, sn.FetchedAt.Add(wait), failures)
	if err != nil {
		return store.Snapshot{}, err
	}
	if sn.Status == store.SnapshotOK {
		if err := w.consider(ctx, f, w.cfg.now()); err != nil {
			return sn, err
		}
	}
	return sn, nil
}

// read fetches and extracts: a snapshot ready to store.
func (w *Worker) read(ctx context.Context, f store.Feed) store.Snapshot {
	sn := store.Snapshot{QuestionID: f.QuestionID, URL: f.URL, Extract: f.Extract, Status: store.SnapshotError}
	fail := func(err error) store.Snapshot {
		sn.FetchedAt = w.cfg.now()
		sn.Error = err.Error()
		if len(sn.Error) > maxError {
			sn.Error = sn.Error[:maxError]
		}
		return sn
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return fail(err)
	}
	req.Header.Set("User-Agent", w.cfg.UserAgent)
	for k, v := range f.Headers {
		req.Header.Set(k, v)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return fail(unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := safehttp.ReadBody(resp.Body)
	if err != nil {
		return fail(err)
	}
	sn.Body, sn.SHA256 = body, Hash(body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail(fmt.Errorf("source answered %d", resp.StatusCode))
	}
	v, err := Extract(f.Extract, body)
	if err != nil {
		return fail(err)
	}
	sn.FetchedAt, sn.Status, sn.Value = w.cfg.now(), store.SnapshotOK, v
	return sn
}

// unwrapURLError drops net/http's "Get <url>:" prefix: the feed's URL is
// shown beside its error already, and may carry a key in its query.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
