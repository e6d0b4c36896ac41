package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"signpost/store"
)

// WebhookConfig tunes outgoing webhooks.
type WebhookConfig struct {
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

func (c *WebhookConfig) defaults() {
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
}

// webhookWorker notices the events that happen by the clock or by many
// forecasts (opened, closing, top changed, crowd moved) and sends pending
// deliveries. Of several instances on one database only the holder of the
// lease works, so each message goes out once.
type webhookWorker struct {
	s      *Server
	cfg    WebhookConfig
	holder string
	client *http.Client
	tickMu sync.Mutex
	pruned time.Time // when this worker last pruned old deliveries
}

func newWebhookWorker(s *Server, cfg WebhookConfig) *webhookWorker {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &webhookWorker{s: s, cfg: cfg, holder: hex.EncodeToString(b), client: webhookClient(cfg)}
}

// webhookClient checks the address it actually connects to (after DNS),
// so a name that resolves to a private address is refused as well; it uses
// no proxy, follows no redirect and gives a receiver cfg.Timeout.
func webhookClient(cfg WebhookConfig) *http.Client {
	d := &net.Dialer{Timeout: cfg.Timeout}
	if !cfg.AllowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || blockedIP(net.IP(ap.Addr().AsSlice())) {
				return fmt.Errorf("refused: %s is a loopback or private address", address)
			}
			return nil
		}
	}
	return &http.Client{
		Timeout:       cfg.Timeout,
		Transport:     &http.Transport{Proxy: nil, DialContext: d.DialContext, MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// special are address ranges a webhook must not reach besides what net.IP
// knows as loopback, private, link-local, multicast and unspecified.
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
}

func blockedIP(ip net.IP) bool {
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return true
	}
	a = a.Unmap()
	for _, p := range special {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// RunWebhooks runs the webhook worker until ctx ends, then gives the lease
// up so another instance takes over at once.
func (s *Server) RunWebhooks(ctx context.Context) {
	t := time.NewTicker(s.hooks.cfg.Interval)
	defer t.Stop()
	for {
		if err := s.hooks.tick(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("webhook worker", "err", err)
		}
		select {
		case <-ctx.Done():
			_ = s.cfg.Store.ReleaseLease(context.WithoutCancel(ctx), webhookLease, s.hooks.holder)
			return
		case <-t.C:
		}
	}
}

// tick is one round of the worker: take the lease, notice events, send
// what is due.
func (w *webhookWorker) tick(ctx context.Context) error {
	w.tickMu.Lock()
	defer w.tickMu.Unlock()
	st := w.s.cfg.Store
	now := w.s.now()
	ok, err := st.AcquireLease(ctx, webhookLease, w.holder, now, leaseTTL)
	if err != nil || !ok {
		return err
	}
	if _, err := st.NoticeTimeEvents(ctx, now); err != nil {
		return fmt.Errorf("time events: %w", err)
	}
	if err := w.noticeTop(ctx, now); err != nil {
		return fmt.Errorf("leaderboard top: %w", err)
	}
	if err := w.noticeCrowds(ctx, now); err != nil {
		return fmt.Errorf("crowds: %w", err)
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
func (w *webhookWorker) sendDue(ctx context.Context) error {
	for first := true; ctx.Err() == nil; first = false {
		// A long round renews the lease between batches, so no other
		// instance takes over while this one is still sending.
		if !first {
			ok, err := w.s.cfg.Store.AcquireLease(ctx, webhookLease, w.holder, w.s.now(), leaseTTL)
			if err != nil || !ok {
				return err
			}
		}
		due, err := w.s.cfg.Store.DueDeliveries(ctx, w.s.now(), sendBatch)
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
func (w *webhookWorker) send(ctx context.Context, d store.DueDelivery) error {
	now := w.s.now()
	failure := w.attempt(ctx, d, now)
	st := w.s.cfg.Store
	if failure == nil {
		w.s.metrics.delivery(d.Webhook.Format, "delivered")
		return st.MarkDelivered(ctx, d.ID, w.s.now())
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
		w.s.metrics.delivery(d.Webhook.Format, "failed")
		return st.MarkAttemptFailed(ctx, d.ID, reason, nil)
	}
	w.s.metrics.delivery(d.Webhook.Format, "retry")
	return st.MarkAttemptFailed(ctx, d.ID, reason, &next)
}

// attempt posts a delivery once: nil when the receiver took it.
func (w *webhookWorker) attempt(ctx context.Context, d store.DueDelivery, now time.Time) error {
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
