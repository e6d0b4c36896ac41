package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// client talks to one loopback server (or several instances of it) with
// keep-alive connections.
type client struct {
	base  string   // http://127.0.0.1:PORT, or several comma-separated
	bases []string // base split
	turn  atomic.Uint64
	hc    *http.Client
	long  *http.Client // same connections, longTimeout: imports, recomputes
}

// loopbackURL checks that raw is http://127.0.0.1:PORT (or localhost) and
// returns it without a trailing slash: the benchmark never leaves the machine.
func loopbackURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("-url %q: %w", raw, err)
	}
	if u.Scheme != "http" || u.Port() == "" || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		return "", fmt.Errorf("-url must be http://127.0.0.1:PORT (loopback only), got %q", raw)
	}
	if u.Path != "" && u.Path != "/" {
		return "", fmt.Errorf("-url must be the server's root, got path %q", u.Path)
	}
	return "http://127.0.0.1:" + u.Port(), nil
}

// newClient sends requests to base, or round-robin to each of a
// comma-separated list of instances behind one database.
func newClient(base string, conns int, timeout time.Duration) *client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		// Whatever the URL says, connect to 127.0.0.1 only.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, "tcp4", net.JoinHostPort("127.0.0.1", port))
		},
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &client{base: base, bases: strings.Split(base, ","), hc: &http.Client{Transport: tr, Timeout: timeout},
		long: &http.Client{Transport: tr, Timeout: longTimeout}}
}

// longTimeout bounds the calls that may legitimately take long: an import
// document, a leaderboard that recomputes every score.
const longTimeout = 10 * time.Minute

func (c *client) close() { c.hc.CloseIdleConnections() }

// pick is the instance the next request goes to.
func (c *client) pick() string {
	if len(c.bases) == 1 {
		return c.bases[0]
	}
	return c.bases[c.turn.Add(1)%uint64(len(c.bases))]
}

// request is one HTTP call; want is the status that counts as success.
type request struct {
	method, path string
	body         []byte
	token        string
	want         int
}

// statusError is an unexpected answer, with the start of its body.
type statusError struct {
	method, path string
	status       int
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: status %d, want success: %s", e.method, e.path, e.status, e.body)
}

// do sends r and returns the body of a successful answer (when keep is set)
// or a *statusError.
func (c *client) do(ctx context.Context, hc *http.Client, r request, keep bool) ([]byte, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.pick()+r.path, body)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if !keep {
		// As a browser would: the server may then send a stored gzip body.
		// The bytes are discarded unread, so nothing is decompressed and
		// the load generator's CPU does not cap what is measured.
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != r.want {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		io.Copy(io.Discard, resp.Body) // keep the connection reusable
		return nil, &statusError{r.method, r.path, resp.StatusCode, strings.TrimSpace(string(b))}
	}
	if keep {
		return io.ReadAll(resp.Body)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return nil, err
}

// call sends one request and decodes the JSON answer into out (if not nil).
func (c *client) call(ctx context.Context, r request, out any) error {
	b, err := c.do(ctx, c.hc, r, out != nil)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: answer is not the expected JSON: %w", r.method, r.path, err)
	}
	return nil
}

func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only ever called with plain structs and maps
	}
	return b
}

// scenario is one bounded load phase: workers send next(...) until the
// duration is over, max requests were sent, stop is closed, or ctx ends.
type scenario struct {
	name     string
	workers  int
	warmup   time.Duration
	duration time.Duration
	max      int64
	stop     <-chan struct{}
	// next builds worker w's i-th request; rng is the worker's own.
	next func(w int, i int64, rng *rand.Rand) request
}

// Stats are one scenario's figures as the client saw them.
type Stats struct {
	Name       string  `json:"name"`
	Workers    int     `json:"workers"`
	Requests   int64   `json:"requests"`
	Errors     int64   `json:"errors"`
	Seconds    float64 `json:"seconds"`
	RPS        float64 `json:"rps"`
	P50ms      float64 `json:"p50_ms"`
	P90ms      float64 `json:"p90_ms"`
	P99ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	FirstError string  `json:"first_error,omitempty"`
	// CPUus is CPU time per request: of this whole process (server and
	// load generator) in-process, of the server with -url and -server-pid.
	CPUus float64 `json:"cpu_us_per_request,omitempty"`
}

// hardCap bounds any scenario that has no duration (it ends by stop).
const hardCap = 10 * time.Minute

// run drives the scenario and returns its statistics. Throughput counts
// successful requests only; latencies are recorded for successes only.
func (c *client) run(ctx context.Context, s scenario, seed uint64) Stats {
	if s.workers < 1 {
		s.workers = 1
	}
	if s.warmup > 0 {
		c.phase(ctx, s, seed^0x5eed, time.Now().Add(s.warmup), nil, nil, nil)
	}
	dur := s.duration
	if dur <= 0 {
		dur = hardCap
	}
	var errs atomic.Int64
	var first atomic.Pointer[string]
	lat := make([][]time.Duration, s.workers)
	start := time.Now()
	c.phase(ctx, s, seed, start.Add(dur), lat, &errs, &first)
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	firstErr := ""
	if p := first.Load(); p != nil {
		firstErr = *p
	}
	return summarize(s.name, s.workers, all, errs.Load(), firstErr, elapsed)
}

// summarize turns successful requests' latencies into Stats.
func summarize(name string, workers int, lat []time.Duration, errs int64, firstErr string, elapsed time.Duration) Stats {
	all := slices.Clone(lat)
	slices.Sort(all)
	st := Stats{Name: name, Workers: workers, Requests: int64(len(all)) + errs, Errors: errs,
		Seconds: elapsed.Seconds(), FirstError: firstErr}
	if len(all) > 0 && elapsed > 0 {
		st.RPS = float64(len(all)) / elapsed.Seconds()
		st.P50ms, st.P90ms, st.P99ms = ms(rank(all, 0.50)), ms(rank(all, 0.90)), ms(rank(all, 0.99))
		st.MaxMs = ms(all[len(all)-1])
	}
	return st
}

// phase runs the workers until deadline (or max, stop, ctx). With lat nil
// nothing is recorded (warm-up). The deadline stops new requests only: a
// request in flight runs to its answer (or the client's timeout) and is
// counted. Cancelling it instead once made a scenario whose requests all
// outlasted the phase report 0 requests and no error.
func (c *client) phase(ctx context.Context, s scenario, seed uint64, deadline time.Time,
	lat [][]time.Duration, errs *atomic.Int64, first *atomic.Pointer[string]) {
	var sent atomic.Int64
	var wg sync.WaitGroup
	for w := range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for i := int64(0); ; i++ {
				if ctx.Err() != nil || !time.Now().Before(deadline) || (s.max > 0 && sent.Add(1) > s.max) || stopped(s.stop) {
					return
				}
				r := s.next(w, i, rng)
				t0 := time.Now()
				_, err := c.do(ctx, c.hc, r, false)
				d := time.Since(t0)
				if lat == nil {
					continue
				}
				if err != nil {
					if ctx.Err() != nil {
						return // the run was cancelled: not the server's fault
					}
					errs.Add(1)
					msg := err.Error()
					first.CompareAndSwap(nil, &msg)
					continue
				}
				lat[w] = append(lat[w], d)
			}
		}()
	}
	wg.Wait()
}

// failure is why a scenario's figures measure nothing: it made no request,
// or every request failed. The benchmark stops on it rather than report a
// throughput of 0 (or of errors) as a result.
func (st Stats) failure() error {
	switch {
	case st.Requests == 0:
		return fmt.Errorf("scenario %s made no request in %.1f s", st.Name, st.Seconds)
	case st.Errors == st.Requests:
		return fmt.Errorf("scenario %s: all %d requests failed; the first: %s", st.Name, st.Requests, st.FirstError)
	}
	return nil
}

func stopped(stop <-chan struct{}) bool {
	if stop == nil {
		return false
	}
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// rank is the nearest-rank percentile of sorted durations.
func rank(sorted []time.Duration, p float64) time.Duration {
	i := int(p*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// waitHealthy polls /healthz until it answers 200, for at most limit.
func (c *client) waitHealthy(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		ctx1, cancel := context.WithTimeout(ctx, time.Second)
		_, err := c.do(ctx1, c.hc, request{method: "GET", path: "/healthz", want: 200}, false)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return errors.Join(fmt.Errorf("server at %s not healthy after %s", c.base, limit), err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
