package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSlowScenarioIsCounted: requests that outlast the phase are counted
// when they answer, not dropped (they were: a scenario whose requests all
// took longer than -d reported 0 requests and no error).
func TestSlowScenarioIsCounted(t *testing.T) {
	c, s := loopbackScenario(t, "slow", 20*time.Millisecond, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond)
	})
	st := c.run(context.Background(), s, 1)
	// Two workers start a request each; on a loaded machine the second may
	// start only after the 20 ms phase has ended, and then never does.
	if st.Requests < 1 || st.Requests > 2 || st.Errors != 0 || st.P50ms < 150 {
		t.Fatalf("slow scenario: %d requests, %d errors, p50 %v ms; want the 1 or 2 in flight counted at >= 150 ms", st.Requests, st.Errors, st.P50ms)
	}
	if err := st.failure(); err != nil {
		t.Fatalf("failure() = %v; want nil for a scenario that measured something", err)
	}
}

// TestScenarioFailures: a scenario that made no request, or whose every
// request failed, is an error that names it; a run stops on it.
func TestScenarioFailures(t *testing.T) {
	c, s := loopbackScenario(t, "broken", 30*time.Millisecond, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	})
	st := c.run(context.Background(), s, 1)
	if err := st.failure(); err == nil || !strings.Contains(err.Error(), "broken: all") || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("every request failing: failure() = %v; want an error naming the scenario and the first error", err)
	}
	s.max = 0
	s.stop = closed()
	st = c.run(context.Background(), s, 1)
	if err := st.failure(); st.Requests != 0 || err == nil || !strings.Contains(err.Error(), "broken made no request") {
		t.Fatalf("no request: %d requests, failure() = %v; want an error", st.Requests, err)
	}
}

func closed() <-chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}

// loopbackScenario is a two-worker scenario of GET / against a loopback
// server answering with h.
func loopbackScenario(t *testing.T, name string, d time.Duration, h http.HandlerFunc) (*client, scenario) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := newClient(srv.URL, 4, 5*time.Second)
	t.Cleanup(c.close)
	return c, scenario{name: name, workers: 2, duration: d,
		next: func(int, int64, *rand.Rand) request { return request{method: "GET", path: "/", want: 200} }}
}
