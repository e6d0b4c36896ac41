package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// Soak is the bounded soak (-soak): mixed load at about half of the
// capacity measured just before, for a fixed time, reported minute by
// minute so that drift (latency creeping up, memory growing) shows.
type Soak struct {
	Duration    string  `json:"duration"`
	CapacityRPS float64 `json:"capacity_rps"`
	TargetRPS   float64 `json:"target_rps"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	// Dropped counts requests the pacer could not hand to a free client:
	// the server fell behind the target rate.
	Dropped    int64        `json:"dropped"`
	FirstError string       `json:"first_error,omitempty"`
	RSSStartMB float64      `json:"rss_start_mb"`
	RSSEndMB   float64      `json:"rss_end_mb"`
	Minutes    []SoakMinute `json:"minutes"`
}

// SoakMinute is one minute of the soak.
type SoakMinute struct {
	Minute   int     `json:"minute"`
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	RPS      float64 `json:"rps"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
	RSSMB    float64 `json:"rss_mb"`
}

// soakMix is the share of each request kind: posting forecasts, reading
// questions signed in, reading the leaderboard.
const (
	soakPostShare = 0.5
	soakReadShare = 0.4
)

// mixedScenario draws each request from the post, question and board
// scenarios in the soak's proportions.
func (b *bench) mixedScenario(workers int) scenario {
	post, read, board := b.postScenario("post", workers, nil), b.questionScenario(), b.boardScenario()
	return scenario{name: "mixed", workers: workers,
		next: func(w int, i int64, rng *rand.Rand) request {
			switch x := rng.Float64(); {
			case x < soakPostShare:
				return post.next(w, i, rng)
			case x < soakPostShare+soakReadShare:
				return read.next(w, i, rng)
			default:
				return board.next(w, i, rng)
			}
		}}
}

// soak measures the mixed load's capacity (for -d), then paces that load at half of
// it for the soak's duration.
func (b *bench) soak(ctx context.Context) error {
	workers := b.cfg.Concurrency
	capScn := b.mixedScenario(workers)
	capScn.name, capScn.duration, capScn.warmup = "soak-capacity", b.cfg.Duration, b.cfg.Warmup
	b.logf("soak: measuring the mixed load's capacity for %s", b.cfg.Duration)
	capSt := b.measure(ctx, capScn)
	b.res.Scenarios = append(b.res.Scenarios, capSt)
	if capSt.RPS == 0 {
		return fmt.Errorf("soak: no capacity measured (%s)", capSt.FirstError)
	}
	s := &Soak{Duration: b.cfg.Soak.String(), CapacityRPS: capSt.RPS, TargetRPS: capSt.RPS / 2}
	b.res.Soak = s
	b.logf("soak: %.0f req/s (half of %.0f) for %s", s.TargetRPS, s.CapacityRPS, b.cfg.Soak)
	return b.pace(ctx, s, b.mixedScenario(workers))
}

// soakRecorder collects one minute's latencies at a time.
type soakRecorder struct {
	mu    sync.Mutex
	lat   []time.Duration
	errs  int64
	first string
}

func (r *soakRecorder) add(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errs++
		if r.first == "" {
			r.first = err.Error()
		}
		return
	}
	r.lat = append(r.lat, d)
}

// take returns and resets what was recorded.
func (r *soakRecorder) take() ([]time.Duration, int64, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	lat, errs, first := r.lat, r.errs, r.first
	r.lat, r.errs, r.first = nil, 0, ""
	return lat, errs, first
}

// pace sends scn's requests at s.TargetRPS (open loop: a slow answer does
// not slow the sending) through a bounded pool of clients, and closes a
// minute's figures every minute.
func (b *bench) pace(ctx context.Context, s *Soak, scn scenario) error {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.Soak)
	defer cancel()
	jobs := make(chan request, 4*scn.workers)
	rec := &soakRecorder{}
	var wg sync.WaitGroup
	for range 4 * scn.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				t0 := time.Now()
				_, err := b.c.do(context.Background(), b.c.hc, r, false)
				rec.add(time.Since(t0), err)
			}
		}()
	}
	s.RSSStartMB = vmRSS("self")
	var dropped atomic.Int64
	rng := rand.New(rand.NewPCG(b.cfg.Seed, 0x50a6))
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	minute := time.NewTicker(time.Minute)
	defer minute.Stop()
	start, last := time.Now(), time.Now()
	var due float64
	var i int64
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-minute.C:
			b.closeMinute(s, rec, time.Since(last))
			last = time.Now()
		case <-tick.C:
			due += s.TargetRPS * 0.01
			for ; due >= 1; due-- {
				select {
				case jobs <- scn.next(int(i%int64(scn.workers)), i, rng):
				default:
					dropped.Add(1)
				}
				i++
			}
		}
	}
	close(jobs)
	wg.Wait()
	if time.Since(last) > time.Second {
		b.closeMinute(s, rec, time.Since(last))
	}
	s.Dropped = dropped.Load()
	s.RSSEndMB = vmRSS("self")
	b.logf("soak: done after %s", time.Since(start).Round(time.Second))
	return nil
}

// closeMinute turns what rec holds into the next SoakMinute.
func (b *bench) closeMinute(s *Soak, rec *soakRecorder, span time.Duration) {
	lat, errs, first := rec.take()
	slices.Sort(lat)
	m := SoakMinute{Minute: len(s.Minutes) + 1, Requests: int64(len(lat)) + errs, Errors: errs, RSSMB: vmRSS("self")}
	if len(lat) > 0 {
		m.RPS = float64(len(lat)) / span.Seconds()
		m.P50ms, m.P99ms, m.MaxMs = ms(rank(lat, 0.5)), ms(rank(lat, 0.99)), ms(lat[len(lat)-1])
	}
	s.Minutes = append(s.Minutes, m)
	s.Requests += m.Requests
	s.Errors += errs
	if s.FirstError == "" {
		s.FirstError = first
	}
	b.logf("soak minute %d: %.0f req/s, p99 %.2f ms, %d errors, RSS %.0f MB", m.Minute, m.RPS, m.P99ms, m.Errors, m.RSSMB)
}

// vmRSS reads a process's resident set in MB (0 when unknown).
func vmRSS(pid string) float64 { return procStatusMB(pid, "VmRSS:") }

// procStatusMB reads a kB line of /proc/PID/status in MB (0 when unknown).
func procStatusMB(pid, key string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, key); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb / 1024
		}
	}
	return 0
}

// writeSoak adds the soak's figures to the table report.
func writeSoak(w io.Writer, s *Soak) {
	if s == nil {
		return
	}
	fmt.Fprintf(w, "\nsoak: %s at %.0f req/s (half of the %.0f req/s measured), 50%% post / 40%% question / 10%% leaderboard\n",
		s.Duration, s.TargetRPS, s.CapacityRPS)
	fmt.Fprintf(w, "  %d requests, %d errors, %d dropped by the pacer; RSS %.0f MB at start, %.0f MB at the end\n",
		s.Requests, s.Errors, s.Dropped, s.RSSStartMB, s.RSSEndMB)
	if s.FirstError != "" {
		fmt.Fprintf(w, "  first error: %s\n", s.FirstError)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "minute\treq/s\tp50 ms\tp99 ms\tmax ms\terrors\tRSS MB\t")
	for _, m := range s.Minutes {
		fmt.Fprintf(tw, "%d\t%.0f\t%.2f\t%.2f\t%.1f\t%d\t%.0f\t\n", m.Minute, m.RPS, m.P50ms, m.P99ms, m.MaxMs, m.Errors, m.RSSMB)
	}
	tw.Flush()
}
