package feeds

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// source is a local server of realistic documents that change over time:
// each path serves its current body.
type source struct {
	mu    sync.Mutex
	docs  map[string][]byte
	codes map[string]int
	hits  map[string]int
	delay map[string]time.Duration
	*httptest.Server
}

func newSource(t *testing.T) *source {
	s := &source{docs: map[string][]byte{}, codes: map[string]int{}, hits: map[string]int{}, delay: map[string]time.Duration{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, code, wait := s.docs[r.URL.Path], s.codes[r.URL.Path], s.delay[r.URL.Path]
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if wait > 0 {
			select {
			case <-time.After(wait):
			case <-r.Context().Done():
				return
			}
		}
		if code != 0 {
			rw.WriteHeader(code)
		}
		_, _ = rw.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *source) set(path string, body []byte, code int) {
	s.mu.Lock()
	s.docs[path], s.codes[path] = body, code
	s.mu.Unlock()
}

func (s *source) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// seeded opens a store with the seed tournament and returns it with its
// questions by slug.
func seeded(t *testing.T) (*store.Store, map[string]store.Question) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "feeds.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tour, err := st.FindTournamentBySlug(ctx, store.DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := st.ListQuestions(ctx, tour.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Question{}
	for _, q := range qs {
		out[q.Slug] = q
	}
	return st, out
}

func putFeed(t *testing.T, st *store.Store, f store.Feed) store.Feed {
	t.Helper()
	f.Enabled = true
	if f.Every == 0 {
		f.Every = time.Hour
	}
	got, err := st.PutFeed(context.Background(), f, 0)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWorkerProposesAfterCloseAndAutoResolves(t *testing.T) {
	ctx := context.Background()
	st, qs := seeded(t)
	src := newSource(t)
	btos := qs["c-census-btos-ai-use-rate"]
	clk := &clock{t: btos.ClosesAt.Add(-48 * time.Hour)}
	src.set("/btos.csv", document(t, "census_btos.csv", map[string]any{"Rate": "21.5"}), 0)
	putFeed(t, st, store.Feed{QuestionID: btos.ID, URL: src.URL + "/btos.csv",
		Extract: store.FeedExtract{Format: "csv", Column: "Estimate", Row: json.RawMessage(`"last"`)},
		Rule:    json.RawMessage(`{"bounds": [20, 24, 28]}`), AutoResolve: true, ChallengeWindow: 48 * time.Hour})
	w := New(st, Config{AllowPrivate: true, Now: clk.Now, HostGap: time.Millisecond})
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	sn, err := st.LatestOKSnapshot(ctx, btos.ID)
	if err != nil || sn.Value != 21.5 {
		t.Fatalf("LatestOKSnapshot = %+v, %v; want 21.5", sn, err)
	}
	if _, err := st.PendingProposal(ctx, btos.ID); err == nil {
		t.Fatal("a proposal before the close; want none")
	}
	// After the close, the next fetch reads the final figure.
	src.set("/btos.csv", document(t, "census_btos.csv", map[string]any{"Rate": "24.0"}), 0)
	clk.Set(btos.ClosesAt.Add(2 * time.Hour))
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := st.PendingProposal(ctx, btos.ID)
	if err != nil || p.Outcome != 2 || p.Value != 24 {
		t.Fatalf("PendingProposal = %+v, %v; want bucket 2 (24%% to less than 28%%) from 24", p, err)
	}
	if want := Hash(document(t, "census_btos.csv", map[string]any{"Rate": "24.0"})); p.SHA256 != want {
		t.Fatalf("proposal sha256 = %s; want %s", p.SHA256, want)
	}
	clk.Set(p.ChallengeUntil.Add(-time.Minute))
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if q, _ := st.FindQuestion(ctx, btos.ID); q.Resolution != nil {
		t.Fatal("resolved inside the challenge window")
	}
	clk.Set(p.ChallengeUntil)
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	q, err := st.FindQuestion(ctx, btos.ID)
	if err != nil || q.Resolution == nil || q.Resolution.Outcome != 2 || !q.Resolution.ResolvedAt.Equal(p.FetchedAt) {
		t.Fatalf("after the window: resolution %+v, %v; want bucket 2 dated %v", q.Resolution, err, p.FetchedAt)
	}
}

func TestWorkerEarlyYesAndNeverFromFailures(t *testing.T) {
	ctx := context.Background()
	st, qs := seeded(t)
	src := newSource(t)
	q := qs["a-china-model-1e26-flop"]
	clk := &clock{t: q.ClosesAt.Add(-90 * 24 * time.Hour)}
	src.set("/epoch.csv", document(t, "epoch_ai_models.csv", map[string]any{"Compute": "8e+25"}), 0)
	f := putFeed(t, st, store.Feed{QuestionID: q.ID, URL: src.URL + "/epoch.csv", Every: time.Hour, EarlyYes: true,
		Extract: store.FeedExtract{Format: "csv", Column: "Training compute (FLOP)",
			Row: json.RawMessage(`{"column":"Model","equals":"DeepSeek-V4-Pro"}`)},
		Rule: json.RawMessage(`{"op": ">=", "value": 1e26}`)})
	w := New(st, Config{AllowPrivate: true, Now: clk.Now, HostGap: time.Millisecond})
	tick := func(at time.Time) {
		t.Helper()
		clk.Set(at)
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t0 := clk.Now()
	tick(t0)
	if _, err := st.PendingProposal(ctx, q.ID); err == nil {
		t.Fatal("proposed while the rule does not hold")
	}
	// The source breaks: a percent sign, then an outage. Nothing is
	// proposed, the error shows, and the fetcher backs off.
	src.set("/epoch.csv", document(t, "epoch_ai_models.csv", map[string]any{"Compute": "1.5e26%"}), 0)
	tick(t0.Add(time.Hour))
	last, _ := st.LatestSnapshot(ctx, q.ID)
	if last.Status != store.SnapshotError || !strings.Contains(last.Error, "percent") || last.SHA256 == "" {
		t.Fatalf("snapshot of an unparsable body = %+v; want an error with the body's hash", last)
	}
	src.set("/epoch.csv", []byte("upstream down"), http.StatusServiceUnavailable)
	hits := src.count("/epoch.csv")
	tick(t0.Add(2 * time.Hour)) // the first failure's 2 h wait is not over
	if src.count("/epoch.csv") != hits {
		t.Fatal("fetched during the backoff")
	}
	tick(t0.Add(3 * time.Hour))
	if _, err := st.PendingProposal(ctx, q.ID); err == nil {
		t.Fatal("proposed from a failed fetch")
	}
	if f, _ = st.FindFeed(ctx, q.ID); f.Failures != 2 || !f.NextFetchAt.Equal(t0.Add(3*time.Hour+4*time.Hour)) {
		t.Fatalf("after two failures: failures %d, next %v; want 2 and a 4 h wait", f.Failures, f.NextFetchAt.Sub(t0))
	}
	src.set("/epoch.csv", document(t, "epoch_ai_models.csv", map[string]any{"Compute": "1.2e+26"}), 0)
	tick(t0.Add(7 * time.Hour))
	p, err := st.PendingProposal(ctx, q.ID)
	if err != nil || p.Outcome != 0 || p.Value != 1.2e26 {
		t.Fatalf("PendingProposal = %+v, %v; want an early Yes from 1.2e26", p, err)
	}
	if f, _ = st.FindFeed(ctx, q.ID); f.Failures != 0 {
		t.Fatalf("failures after a good fetch = %d; want 0", f.Failures)
	}
}

func TestWorkerSlowSourceDelaysNoOther(t *testing.T) {
	ctx := context.Background()
	st, qs := seeded(t)
	slow, fast := newSource(t), newSource(t)
	a, b := qs["a-china-model-1e26-flop"], qs["c-census-btos-ai-use-rate"]
	slow.set("/slow.json", []byte(`{"v": 1}`), 0)
	slow.delay["/slow.json"] = 3 * time.Second
	fast.set("/fast.json", []byte(`{"v": 2}`), 0)
	putFeed(t, st, store.Feed{QuestionID: a.ID, URL: slow.URL + "/slow.json",
		Extract: store.FeedExtract{Format: "json", Pointer: "/v"}, Rule: json.RawMessage(`{"op": ">=", "value": 1}`)})
	putFeed(t, st, store.Feed{QuestionID: b.ID, URL: fast.URL + "/fast.json",
		Extract: store.FeedExtract{Format: "json", Pointer: "/v"}, Rule: json.RawMessage(`{"bounds": [1, 2, 3]}`)})
	// after the feeds were written (by the store's real clock), so both are due
	clk := &clock{t: time.Now().Add(time.Hour)}
	w := New(st, Config{AllowPrivate: true, Now: clk.Now, HostGap: time.Millisecond, Timeout: time.Second})
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- w.Tick(ctx) }()
	deadline := time.Now().Add(900 * time.Millisecond)
	for {
		if sn, err := st.LatestOKSnapshot(ctx, b.ID); err == nil && sn.Value == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fast source's snapshot was not there %v after the round began", time.Since(start))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sn, err := st.LatestSnapshot(ctx, a.ID)
	if err != nil || sn.Status != store.SnapshotError || !strings.Contains(sn.Error, "Timeout") {
		t.Fatalf("slow source's snapshot = %+v, %v; want a timeout error", sn, err)
	}
}

func TestWorkerRefusesPrivateAddresses(t *testing.T) {
	ctx := context.Background()
	st, qs := seeded(t)
	src := newSource(t)
	src.set("/v.json", []byte(`{"v": 1}`), 0)
	q := qs["a-china-model-1e26-flop"]
	f := putFeed(t, st, store.Feed{QuestionID: q.ID, URL: strings.Replace(src.URL, "127.0.0.1", "localhost", 1) + "/v.json",
		Extract: store.FeedExtract{Format: "json", Pointer: "/v"}, Rule: json.RawMessage(`{"op": ">=", "value": 1}`)})
	w := New(st, Config{Now: func() time.Time { return q.OpensAt }})
	sn, err := w.Fetch(ctx, f)
	if err != nil || sn.Status != store.SnapshotError || !strings.Contains(sn.Error, "refused") || src.count("/v.json") != 0 {
		t.Fatalf("Fetch of a loopback source = %+v, %v (hits %d); want refused, never reached", sn, err, src.count("/v.json"))
	}
}

func TestWorkerPacesRequestsToOneHost(t *testing.T) {
	ctx := context.Background()
	st, qs := seeded(t)
	src := newSource(t)
	var times []time.Time
	var mu sync.Mutex
	src.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		_, _ = rw.Write([]byte(`{"v": 1}`))
	})
	n := 0
	for _, q := range qs {
		if q.Condition != nil || q.Kind != scoring.Binary || n == 3 {
			continue
		}
		n++
		putFeed(t, st, store.Feed{QuestionID: q.ID, URL: src.URL + "/v.json",
			Extract: store.FeedExtract{Format: "json", Pointer: "/v"}, Rule: json.RawMessage(`{"op": ">=", "value": 1}`)})
	}
	w := New(st, Config{AllowPrivate: true, HostGap: 150 * time.Millisecond, Now: func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if len(times) != 3 {
		t.Fatalf("%d requests; want 3", len(times))
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 100*time.Millisecond {
			t.Fatalf("requests %d and %d to one host %v apart; want at least the 150 ms gap", i-1, i, gap)
		}
	}
}
