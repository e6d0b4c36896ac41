package mail

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"signpost/api/leased"
	"signpost/store"
)

// Config is the mail worker's configuration.
type Config struct {
	// SMTP is the server mail goes through.
	SMTP SMTP
	// From is the sender's address (SIGNPOST_MAIL_FROM).
	From string
	// PublicURL is the server's address as users reach it, for links.
	PublicURL string
	// HoldoutPercent of users, drawn at random once each, receive no
	// digest, so that the report can compare them with the others.
	HoldoutPercent int
	// Interval is how often the worker wakes (default 5 s); RetryBase the
	// wait before a failed message's first retry, doubling after each
	// (default 30 s), for at most GiveUpAfter (default 2 days).
	Interval    time.Duration
	RetryBase   time.Duration
	GiveUpAfter time.Duration
	// Timeout bounds a conversation with the SMTP server (default 30 s).
	Timeout time.Duration
	// DigestEvery is how often the schedule makes a digest run (default
	// 24 h; negative: only the runs admins ask for). Each run reaches the
	// daily readers and the weekly ones whose last digest is a week old.
	DigestEvery time.Duration
	// Now is the clock (default time.Now); Log gets the worker's errors.
	Now func() time.Time
	Log *slog.Logger
}

func (c *Config) defaults() {
	if c.Interval <= 0 {
		c.Interval = 5 * time.Second
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 30 * time.Second
	}
	if c.GiveUpAfter <= 0 {
		c.GiveUpAfter = 48 * time.Hour
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.DigestEvery == 0 {
		c.DigestEvery = 24 * time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
}

func (c Config) now() time.Time { return c.Now().UTC() }

// Sources are what digests read besides the store, from the server's
// caches; a nil function leaves its part out.
type Sources struct {
	// Crowd is a question's crowd as shown to users, nil below the
	// minimum of forecasters.
	Crowd func(questionID int64) (probabilities []float64, forecasters int)
	// Score is a user's Brier score on a resolved question and the
	// crowd's (ok false: the user has none).
	Score func(ctx context.Context, q *store.Question, userID int64) (brier, crowd float64, ok bool, err error)
	// Board is a tournament's signpost board: each scenario's implied
	// probability (none: the tournament has no board).
	Board func(ctx context.Context, slug string) ([]Share, error)
}

const (
	mailLease    = "mail"
	leaseTTL     = 2 * time.Minute
	sendBatch    = 32
	keepSent     = 30 * 24 * time.Hour
	pruneEvery   = time.Hour
	maxErrorText = 300
)

// Worker builds the digests and sends the outbox. Of several instances
// on one database only the holder of the lease works.
type Worker struct {
	st      *store.Store
	cfg     Config
	src     Sources
	compose *Composer
	holder  string
	mu      sync.Mutex // one round at a time
	pruned  time.Time
	// crash, when set, hears of each message the server took before it
	// is marked sent; true stops the round there, unmarked, as a crash
	// would (tests).
	crash func(store.OutboxMessage) bool
}

// New builds the worker over st and makes every notification written
// from now on also write its mail, for users with a verified address.
func New(st *store.Store, cfg Config, src Sources) *Worker {
	cfg.defaults()
	w := &Worker{st: st, cfg: cfg, src: src, compose: NewComposer(cfg.From, cfg.PublicURL),
		holder: leased.Holder()}
	// Notifications written from now on put their mail in the outbox.
	st.SetNoticeMailer(w.compose.Notice)
	return w
}

// Run works until ctx ends, then gives the lease up so another instance
// takes over at once.
func (w *Worker) Run(ctx context.Context) {
	leased.Loop{Store: w.st, Lease: mailLease, Holder: w.holder, Interval: w.cfg.Interval,
		Round: w.Tick, Log: w.cfg.Log, Name: "mail worker"}.Run(ctx)
}

// Tick is one round: take the lease, make the scheduled digest run when
// it is due, build the pending runs and send what is due.
func (w *Worker) Tick(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.cfg.now()
	ok, err := w.st.AcquireLease(ctx, mailLease, w.holder, now, leaseTTL)
	if err != nil || !ok {
		return err
	}
	if err := w.schedule(ctx, now); err != nil {
		return fmt.Errorf("scheduling digests: %w", err)
	}
	runs, err := w.st.PendingDigestRuns(ctx)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if err := w.buildRun(ctx, r, now); err != nil {
			return fmt.Errorf("digest run %d: %w", r.ID, err)
		}
	}
	if now.Sub(w.pruned) >= pruneEvery {
		if err := w.st.PruneMail(ctx, now.Add(-keepSent)); err != nil {
			return err
		}
		if err := w.st.PruneTokens(ctx, now.Add(-keepSent)); err != nil {
			return err
		}
		w.pruned = now
	}
	return w.sendDue(ctx)
}

// schedule makes a digest run when the last scheduled one is DigestEvery
// old.
func (w *Worker) schedule(ctx context.Context, now time.Time) error {
	if w.cfg.DigestEvery < 0 {
		return nil
	}
	last, err := w.st.LastScheduledRun(ctx)
	if err != nil || (!last.IsZero() && now.Sub(last) < w.cfg.DigestEvery) {
		return err
	}
	_, err = w.st.CreateDigestRun(ctx, store.DigestRun{CreatedAt: now})
	return err
}

// sendDue sends the due messages over one connection, each marked sent
// as soon as the server took it. A failed connection or message is tried
// again later, waiting RetryBase and twice as long each time.
func (w *Worker) sendDue(ctx context.Context) error {
	due, err := w.st.DueMail(ctx, w.cfg.now(), sendBatch)
	if err != nil || len(due) == 0 {
		return err
	}
	client, err := w.cfg.SMTP.dial(ctx, w.cfg.Timeout)
	if err != nil {
		for _, m := range due {
			if ferr := w.failed(ctx, m, err); ferr != nil {
				return ferr
			}
		}
		return nil
	}
	defer client.Close()
	for _, m := range due {
		if ctx.Err() != nil {
			return nil
		}
		stop, err := w.send(ctx, client, m)
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// send sends one message and records the outcome; the error is the
// database's, never the SMTP server's. stop reports a simulated crash.
func (w *Worker) send(ctx context.Context, client *gomail.Client, m store.OutboxMessage) (stop bool, err error) {
	msg, err := toMsg(w.cfg.From, m)
	if err == nil {
		err = client.Send(msg)
		// A failed message leaves the connection in an unknown state.
		if err != nil {
			_ = client.Reset()
		}
	}
	if err != nil {
		return false, w.failed(ctx, m, err)
	}
	if w.crash != nil && w.crash(m) {
		return true, nil
	}
	return false, w.st.MarkMailSent(context.WithoutCancel(ctx), m.ID, w.cfg.now())
}

// failed records a failed attempt with its next try, or gives the
// message up once it is GiveUpAfter old.
func (w *Worker) failed(ctx context.Context, m store.OutboxMessage, cause error) error {
	wait := w.cfg.RetryBase
	for i := 0; i < m.Attempts && wait <= w.cfg.GiveUpAfter; i++ {
		wait *= 2
	}
	now := w.cfg.now()
	next := now.Add(wait)
	reason := cause.Error()
	if len(reason) > maxErrorText {
		reason = reason[:maxErrorText]
	}
	w.cfg.Log.Warn("mail worker: sending failed", "message", m.ID, "err", reason)
	if next.Sub(m.CreatedAt) > w.cfg.GiveUpAfter {
		return w.st.MarkMailFailed(ctx, m.ID, reason, nil)
	}
	return w.st.MarkMailFailed(ctx, m.ID, reason, &next)
}

// drawHoldout draws a user into the holdout with HoldoutPercent chance.
func (w *Worker) drawHoldout() bool {
	if w.cfg.HoldoutPercent <= 0 {
		return false
	}
	n, err := rand.Int(rand.Reader, big.NewInt(100))
	return err == nil && int(n.Int64()) < w.cfg.HoldoutPercent
}
