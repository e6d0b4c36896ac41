package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"signpost/api/webhook"
)

// runHooks runs the environment's worker as the server does, with cfg
// (on the test clock unless cfg has its own), until the test ends.
func (e *testEnv) runHooks(cfg webhook.Config) {
	if cfg.Now == nil {
		cfg.Now = e.clock.now
	}
	cfg.Log = e.srv.log
	e.hooks = webhook.New(e.st, cfg, e.srv.WebhookSources())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.hooks.Run(ctx)
		close(done)
	}()
	e.t.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitFor polls cond until it holds or d has passed.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestSlowReceiversDoNotHoldUpOthers: twelve receivers that take their
// time do not hold up another webhook's delivery: it goes out while they
// are still answering.
func TestSlowReceiversDoNotHoldUpOthers(t *testing.T) {
	e := webhookEnv(t)
	question := crowdPrivacyTournament(e)
	first, second := question("first", 30*24*time.Hour), question("second", 30*24*time.Hour)
	release := make(chan struct{})
	var slowGot atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slowGot.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) }) // runs before slow.Close
	const slowHooks = 12
	for i := range slowHooks {
		e.addWebhook("cup", slow.URL+"/slow"+strconv.Itoa(i), "json", "", "question.annulled")
	}
	cfg := loopbackHooks
	cfg.Interval = 50 * time.Millisecond
	e.runHooks(cfg)
	e.must(200, "POST", qpath(first, "/annul"), e.admin, map[string]any{"reason": "Ambiguous."}, nil)
	if !waitFor(5*time.Second, func() bool { return slowGot.Load() >= 4 }) {
		t.Fatalf("slow receivers got %d requests; want them waiting", slowGot.Load())
	}
	fast := newReceiver(t)
	e.addWebhook("cup", fast.URL+"/fast", "json", "", "question.annulled")
	start := time.Now()
	e.must(200, "POST", qpath(second, "/annul"), e.admin, map[string]any{"reason": "Ambiguous."}, nil)
	if !waitFor(3*time.Second, func() bool { return len(fast.requests()) == 1 }) {
		t.Fatalf("the fast receiver got nothing in %v while the slow ones answer; want its delivery at once", time.Since(start).Round(time.Millisecond))
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the fast receiver waited %v; want under a second", took)
	}
}

// TestShortRetryIsNotHeldToTheTick: a retry base under the worker's
// interval retries after the base, not at the next interval's tick.
func TestShortRetryIsNotHeldToTheTick(t *testing.T) {
	e := webhookEnv(t)
	question := crowdPrivacyTournament(e)
	q := question("q", 30*24*time.Hour)
	rc := newReceiver(t)
	rc.status = func(n int) int {
		if n == 1 {
			return 503
		}
		return 200
	}
	e.addWebhook("cup", rc.URL+"/flaky", "json", "", "question.annulled")
	cfg := loopbackHooks
	// Retries are timed by the worker's clock: the real one here.
	cfg.RetryBase, cfg.Interval, cfg.Now = 200*time.Millisecond, 5*time.Second, time.Now
	e.runHooks(cfg)
	time.Sleep(100 * time.Millisecond) // the worker's first tick, at once, has found nothing
	e.must(200, "POST", qpath(q, "/annul"), e.admin, map[string]any{"reason": "Ambiguous."}, nil)
	if !waitFor(6*time.Second, func() bool { return len(rc.requests()) >= 1 }) {
		t.Fatal("no first attempt")
	}
	failed := time.Now()
	if !waitFor(6*time.Second, func() bool { return len(rc.requests()) >= 2 }) {
		t.Fatal("no retry")
	}
	if took := time.Since(failed); took > 2*time.Second {
		t.Fatalf("the retry came %v after the failure; want about the 200 ms retry base, not the 5 s tick", took.Round(time.Millisecond))
	}
}
