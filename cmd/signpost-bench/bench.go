package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"signpost/api/crowd"
	"signpost/store"
)

// bench is one benchmark run.
type bench struct {
	cfg    config
	log    io.Writer
	data   *dataset
	c      *client
	server *inproc // nil with -url
	db     *benchDatabase
	dbPath string // the address store.Open takes
	secret []byte
	admin  string   // admin token
	tokens []string // forecasters' tokens, tokens[i] is users[i]'s
	qs     []liveQuestion
	open   []int      // indexes into qs of open questions
	bodies [][][]byte // a pool of forecast bodies per qs index (open questions only)
	res    *Result
}

// liveQuestion is a generated question with its server-side ID.
type liveQuestion struct {
	spec *questionSpec
	id   int64
}

func newBench(c config, log io.Writer) *bench {
	return &bench{cfg: c, log: log, res: &Result{}}
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "signpost-bench: "+format+"\n", args...)
}

// run performs every phase and returns the results; the in-process server
// is always stopped and the temporary folder removed (unless -keep).
func (b *bench) run(ctx context.Context) (res *Result, err error) {
	start := time.Now()
	data, err := newDataset(b.cfg, time.Now())
	if err != nil {
		return nil, err
	}
	b.data = data
	b.describe()
	if b.cfg.URL != "" {
		err = b.runExternal(ctx)
	} else {
		err = b.runInproc(ctx)
	}
	if err != nil {
		return nil, err
	}
	b.res.WallSeconds = time.Since(start).Seconds()
	return b.res, nil
}

func (b *bench) describe() {
	c := b.cfg
	mode := "in-process"
	if c.URL != "" {
		mode = "external " + c.URL
	}
	b.res.Setup = Setup{Mode: mode, Import: c.Import, Order: c.Order, Users: c.Users, Questions: c.Questions, Open: c.Open,
		PerUser: c.Per, Forecasts: b.data.forecastCount(), Teams: len(b.data.teams), Tokens: b.data.tokens,
		Seed: c.Seed, Concurrency: c.Concurrency, Duration: c.Duration.String(), Warmup: c.Warmup.String(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), NumCPU: runtime.NumCPU(), GoVersion: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range info.Settings {
			switch kv.Key {
			case "vcs.revision":
				b.res.Setup.Revision = kv.Value
			case "vcs.modified":
				b.res.Setup.Modified = kv.Value == "true"
			}
		}
	}
}

func (b *bench) runInproc(ctx context.Context) (err error) {
	dir, err := os.MkdirTemp(b.cfg.Dir, "signpost-bench-")
	if err != nil {
		return err
	}
	defer func() {
		if b.cfg.Keep {
			b.logf("kept %s", dir)
			if b.db != nil && b.db.postgres {
				b.logf("kept schema %s", b.db.schema)
			}
			return
		}
		if rerr := os.RemoveAll(dir); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	if b.db, err = openBenchDatabase(ctx, dir, b.cfg.DB); err != nil {
		return err
	}
	defer func() {
		if !b.cfg.Keep {
			err = errors.Join(err, b.db.drop(context.WithoutCancel(ctx)))
		}
	}()
	b.dbPath = b.db.address
	b.res.Setup.Database = b.db.describe()
	if b.secret, err = randomSecret(); err != nil {
		return err
	}
	if err := b.importInproc(ctx); err != nil {
		return err
	}
	// What the importer left behind is not the server's: collect it, record
	// the peak so far and start a fresh peak for serving.
	runtime.GC()
	debug.FreeOSMemory()
	b.res.Memory.Scope = "server + load generator (one process)"
	b.res.Memory.ImportPeakMB = vmHWM("self")
	b.res.Memory.Split = resetHWM("self")

	b.logf("cold start on the %s-forecast database", thousands(b.data.forecastCount()))
	t0 := time.Now()
	srv, err := startInproc(ctx, b.dbPath, b.secret, false)
	if err != nil {
		return err
	}
	b.server = srv
	defer func() {
		if b.server == nil {
			return // a restart failed between stopping and starting
		}
		if cerr := b.server.close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("stopping the server: %w", cerr))
		}
	}()
	b.c = newClient("http://"+srv.addr, b.cfg.Concurrency, b.cfg.Timeout)
	defer func() { b.c.close() }()
	if err := b.c.waitHealthy(ctx, 30*time.Second); err != nil {
		return err
	}
	cold := time.Since(t0)
	b.res.ColdStartMs = ptr(ms(cold))
	b.logf("first question with its crowd after the start")
	if err := b.firstQuestion(ctx, t0); err != nil {
		return err
	}
	if err := b.serve(ctx); err != nil {
		return err
	}
	if err := b.restart(ctx); err != nil {
		return err
	}
	b.res.Memory.ServePeakMB = vmHWM("self")
	b.res.Database = b.db.size(ctx)
	if b.cfg.Yardstick {
		return b.runYardstick(ctx, dir)
	}
	return nil
}

// importInproc fills the database: through store.Import directly, or
// through HTTP on a first server instance that is stopped afterwards (so the
// cold start that follows opens an existing database either way).
func (b *bench) importInproc(ctx context.Context) error {
	st, err := openStore(ctx, b.dbPath)
	if err != nil {
		return err
	}
	admin, err := createAdmin(ctx, st, b.cfg.AdminUser, b.cfg.AdminPassword)
	if err != nil {
		st.Close()
		return fmt.Errorf("creating the admin: %w", err)
	}
	if b.cfg.Import == "store" {
		err = b.profile("import", func() error {
			return b.importChunks(ctx, func(a store.Archive) (store.ImportCounts, error) {
				return st.Import(ctx, a, time.Now(), admin.ID, store.Hasher(bcryptCost))
			})
		})
		if err == nil {
			// As `signpost import` does, so that the first start restores
			// the crowds rather than reading every forecast.
			b.logf("saving the crowds after the import")
			t0 := time.Now()
			err = b.profile("import-crowds", func() error {
				crowd.SaveAll(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now())
				return nil
			})
			b.res.Import.CrowdsSeconds = time.Since(t0).Seconds()
		}
		return errors.Join(err, st.Close())
	}
	if err := st.Close(); err != nil {
		return err
	}
	srv, err := startInproc(ctx, b.dbPath, b.secret, false)
	if err != nil {
		return err
	}
	b.c = newClient("http://"+srv.addr, b.cfg.Concurrency, b.cfg.Timeout)
	err = b.c.waitHealthy(ctx, 30*time.Second)
	if err == nil {
		err = b.loginAdmin(ctx)
	}
	if err == nil {
		err = b.profile("import", func() error { return b.importChunks(ctx, b.importHTTP(ctx)) })
	}
	b.c.close()
	return errors.Join(err, srv.close())
}

func (b *bench) runExternal(ctx context.Context) error {
	b.c = newClient(b.cfg.URL, b.cfg.Concurrency, b.cfg.Timeout)
	defer b.c.close()
	if err := b.c.waitHealthy(ctx, 10*time.Second); err != nil {
		return err
	}
	if err := b.loginAdmin(ctx); err != nil {
		return err
	}
	if err := b.importChunks(ctx, b.importHTTP(ctx)); err != nil {
		return err
	}
	pid := strconv.Itoa(b.cfg.ServerPID)
	if b.cfg.ServerPID > 0 {
		b.res.Memory.Scope = "server process " + pid
		b.res.Memory.ImportPeakMB = vmHWM(pid)
		b.res.Memory.Split = resetHWM(pid)
	}
	if err := b.serve(ctx); err != nil {
		return err
	}
	if b.cfg.ServerPID > 0 {
		b.res.Memory.ServePeakMB = vmHWM(pid)
	}
	return nil
}

// importChunks imports the dataset in documents of at most -chunk forecasts.
func (b *bench) importChunks(ctx context.Context, imp func(store.Archive) (store.ImportCounts, error)) error {
	total := b.data.forecastCount()
	b.logf("importing %s forecasts (%d users, %d questions) in %s order, in documents of up to %s",
		thousands(total), len(b.data.users), len(b.data.questions), b.cfg.Order, thousands(int64(b.cfg.Chunk)))
	var sum store.ImportCounts
	chunks := 0
	start := time.Now()
	err := b.data.chunks(b.cfg.Chunk, b.cfg.Order == "time", func(a store.Archive) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		n, err := imp(a)
		if err != nil {
			return fmt.Errorf("import of document %d rejected: %w", chunks+1, err)
		}
		chunks++
		sum.Users += n.Users
		sum.Questions += n.Questions
		sum.Forecasts += n.Forecasts
		b.logf("  document %d: %s forecasts in %.1f s (%s so far)", chunks, thousands(int64(n.Forecasts)),
			time.Since(t0).Seconds(), thousands(int64(sum.Forecasts)))
		return nil
	})
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	b.res.Import = &ImportResult{Documents: chunks, Users: sum.Users, Questions: sum.Questions,
		Forecasts: sum.Forecasts, Seconds: secs, PerSecond: float64(sum.Forecasts) / secs}
	if int64(sum.Forecasts) != total {
		b.logf("warning: %d forecasts created, %d generated (rerun against an existing tournament?)", sum.Forecasts, total)
	}
	return nil
}

// importHTTP returns an importer posting each document to the admin import.
func (b *bench) importHTTP(ctx context.Context) func(store.Archive) (store.ImportCounts, error) {
	return func(a store.Archive) (store.ImportCounts, error) {
		var n store.ImportCounts
		body, err := json.Marshal(a)
		if err != nil {
			return n, err
		}
		if len(body) > 64<<20 {
			return n, fmt.Errorf("an import document is %d MiB, over the server's 64 MiB limit: lower -chunk", len(body)>>20)
		}
		out, err := b.c.do(ctx, b.c.long, request{method: "POST", path: "/api/v1/admin/import",
			body: body, token: b.admin, want: 200}, true)
		if err != nil {
			return n, err
		}
		return n, json.Unmarshal(out, &n)
	}
}

type tokenAnswer struct {
	Token string `json:"token"`
}

func (b *bench) loginAdmin(ctx context.Context) error {
	var t tokenAnswer
	err := b.c.call(ctx, request{method: "POST", path: "/api/v1/auth/login", want: 200,
		body: jsonBody(map[string]string{"username": b.cfg.AdminUser, "password": b.cfg.AdminPassword})}, &t)
	if err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	b.admin = t.Token
	return nil
}

// restart stops the server, which saves its crowds, starts it again on the
// same database and times the first tournament view: what a visitor meets
// after a deploy, as opposed to the first start after a bulk import.
func (b *bench) restart(ctx context.Context) error {
	b.logf("restart: the server stops (saving its crowds) and starts again; first tournament view")
	// The client's idle connections first: one left open holds the
	// server's graceful shutdown to its timeout.
	b.c.close()
	old := b.server
	b.server = nil
	if err := old.close(); err != nil {
		return fmt.Errorf("stopping the server: %w", err)
	}
	srv, err := startInproc(ctx, b.dbPath, b.secret, false)
	if err != nil {
		return err
	}
	b.server = srv
	b.c = newClient("http://"+srv.addr, b.cfg.Concurrency, b.cfg.Timeout)
	if err := b.c.waitHealthy(ctx, 30*time.Second); err != nil {
		return err
	}
	return b.profile("restart-first-view", func() error {
		t0 := time.Now()
		err := b.findQuestions(ctx)
		b.res.RestartFirstViewMs = ptr(ms(time.Since(t0)))
		return err
	})
}

// serve runs everything that needs the running server: token minting, the
// cold leaderboard, the load scenarios and the recomputes.
func (b *bench) serve(ctx context.Context) error {
	if b.admin == "" {
		if err := b.loginAdmin(ctx); err != nil {
			return err
		}
	}
	b.logf("first tournament view (waits for the crowd cache to catch up)")
	err := b.profile("first-view", func() error {
		t0 := time.Now()
		err := b.findQuestions(ctx)
		b.res.FirstViewMs = ptr(ms(time.Since(t0)))
		return err
	})
	if err != nil {
		return err
	}
	b.logf("cold leaderboard (first GET: scores every forecast)")
	var board []byte
	err = b.profile("leaderboard-cold", func() error {
		t0 := time.Now()
		var err error
		board, err = b.c.do(ctx, b.c.long, request{method: "GET", path: b.boardPath(""), want: 200}, true)
		b.res.LeaderboardColdMs = ptr(ms(time.Since(t0)))
		return err
	})
	if err != nil {
		return fmt.Errorf("cold leaderboard: %w", err)
	}
	if b.res.LeaderboardEntries, err = countEntries(board); err != nil {
		return err
	}
	if b.server != nil {
		b.logf("raw read of the scored questions' forecasts (the cold leaderboard's floor)")
		if err := b.rawRead(ctx); err != nil {
			return err
		}
	}
	b.res.LeaderboardBytes = len(board)
	if err := b.mintTokens(ctx); err != nil {
		return err
	}
	if b.cfg.Soak > 0 {
		return b.soak(ctx)
	}
	for _, s := range []scenario{b.postScenario("post-forecast", b.cfg.Concurrency, nil),
		b.questionScenario(), b.boardScenario(), b.aroundMeScenario()} {
		if err := b.load(ctx, s); err != nil {
			return err
		}
	}
	if err := b.profile("recompute", func() error { return b.recompute(ctx) }); err != nil {
		return err
	}
	if b.cfg.MetricsCost {
		return b.metricsCost(ctx)
	}
	return nil
}

// load runs one scenario and records its statistics.
func (b *bench) load(ctx context.Context, s scenario) error {
	b.logf("%s: %d clients for %s (+%s warm-up)", s.name, s.workers, b.cfg.Duration, b.cfg.Warmup)
	return b.profile(s.name, func() error {
		st := b.measure(ctx, s)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.res.Scenarios = append(b.res.Scenarios, st)
		return st.failure()
	})
}

// measure runs a scenario with the CPU accounting the mode allows.
func (b *bench) measure(ctx context.Context, s scenario) Stats { return b.measureOn(ctx, b.c, s) }

// measureOn is measure with the given client (the yardstick has its own).
func (b *bench) measureOn(ctx context.Context, c *client, s scenario) Stats {
	pid := "self"
	if b.cfg.URL != "" {
		pid = strconv.Itoa(b.cfg.ServerPID)
	}
	warm := s
	warm.duration, warm.warmup, s.warmup = s.warmup, 0, 0
	if warm.duration > 0 {
		c.run(ctx, warm, b.cfg.Seed^0x5eed)
	}
	cpu0, ok0 := cpuTime(pid)
	st := c.run(ctx, s, b.cfg.Seed)
	cpu1, ok1 := cpuTime(pid)
	if ok0 && ok1 && st.Requests > 0 && (b.cfg.URL == "" || b.cfg.ServerPID > 0) {
		st.CPUus = float64((cpu1 - cpu0).Microseconds()) / float64(st.Requests)
	}
	return st
}

func (b *bench) mintTokens(ctx context.Context) error {
	n := b.data.tokens
	workers := min(b.cfg.Concurrency, n)
	b.logf("login: minting %d users' tokens with %d clients", n, workers)
	b.tokens = make([]string, n)
	lat := make([]time.Duration, n)
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := int(next.Add(1) - 1); k < n && ctx.Err() == nil; k = int(next.Add(1) - 1) {
				t0 := time.Now()
				var t tokenAnswer
				errs[k] = b.c.call(ctx, request{method: "POST", path: "/api/v1/auth/login", want: 200,
					body: jsonBody(map[string]string{"username": b.data.users[k].Username, "password": password(k)})}, &t)
				lat[k], b.tokens[k] = time.Since(t0), t.Token
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(ctx.Err(), errors.Join(errs...)); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	b.res.Scenarios = append(b.res.Scenarios, summarize("login", workers, lat, 0, "", time.Since(start)))
	return nil
}

// findQuestions maps the generated questions to the server's IDs.
func (b *bench) findQuestions(ctx context.Context) error {
	var t struct {
		Questions []struct {
			ID    int64  `json:"id"`
			Slug  string `json:"slug"`
			State string `json:"state"`
		} `json:"questions"`
	}
	body, err := b.c.do(ctx, b.c.long, request{method: "GET", path: "/api/v1/tournaments/" + b.data.slug, want: 200}, true)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return fmt.Errorf("tournament %s: answer is not the expected JSON: %w", b.data.slug, err)
	}
	ids := make(map[string]int64)
	states := make(map[string]string)
	for _, q := range t.Questions {
		ids[q.Slug], states[q.Slug] = q.ID, q.State
	}
	b.qs = b.qs[:0]
	for i := range b.data.questions {
		spec := &b.data.questions[i]
		id, ok := ids[spec.archive.Slug]
		if !ok {
			return fmt.Errorf("question %s is missing from tournament %s after the import", spec.archive.Slug, b.data.slug)
		}
		want := "resolved"
		if spec.open {
			want = "open"
		}
		if states[spec.archive.Slug] != want {
			return fmt.Errorf("question %s is %s, want %s", spec.archive.Slug, states[spec.archive.Slug], want)
		}
		b.qs = append(b.qs, liveQuestion{spec: spec, id: id})
	}
	// A pool of valid bodies per open question keeps the client's cost low.
	b.bodies = make([][][]byte, len(b.qs))
	rng := rand.New(rand.NewPCG(b.cfg.Seed, 0xb0d1e5))
	for i, q := range b.qs {
		if !q.spec.open {
			continue
		}
		b.open = append(b.open, i)
		for range 64 {
			ps := randomProbs(rng, q.spec.options, 0, 0)
			b.bodies[i] = append(b.bodies[i], jsonBody(map[string]any{"probabilities": ps}))
		}
	}
	return nil
}

func (b *bench) boardPath(by string) string {
	p := "/api/v1/tournaments/" + b.data.slug + "/leaderboard"
	if by != "" {
		p += "?by=" + by
	}
	return p
}

// postScenario posts forecasts on open questions; worker w's i-th request
// uses user (w + i*workers) mod tokens, so concurrent requests come from
// distinct users.
func (b *bench) postScenario(name string, workers int, stop <-chan struct{}) scenario {
	return scenario{name: name, workers: workers, duration: b.cfg.Duration, warmup: b.cfg.Warmup,
		max: b.cfg.MaxRequests, stop: stop,
		next: func(w int, i int64, rng *rand.Rand) request {
			qi := b.open[rng.IntN(len(b.open))]
			pool := b.bodies[qi]
			user := (int64(w) + i*int64(workers)) % int64(len(b.tokens))
			return request{method: "POST", path: "/api/v1/questions/" + strconv.FormatInt(b.qs[qi].id, 10) + "/forecasts",
				body: pool[rng.IntN(len(pool))], token: b.tokens[user], want: 201}
		}}
}

// questionScenario reads random questions as signed-in users (so the answer
// carries my_forecast, as in the UI).
func (b *bench) questionScenario() scenario {
	return scenario{name: "get-question", workers: b.cfg.Concurrency, duration: b.cfg.Duration,
		warmup: b.cfg.Warmup, max: b.cfg.MaxRequests,
		next: func(w int, i int64, rng *rand.Rand) request {
			q := b.qs[rng.IntN(len(b.qs))]
			return request{method: "GET", path: "/api/v1/questions/" + strconv.FormatInt(q.id, 10),
				token: b.tokens[rng.IntN(len(b.tokens))], want: 200}
		}}
}

// boardScenario reads the leaderboard's first page (the default limit), as
// a visitor of the leaderboard does.
func (b *bench) boardScenario() scenario {
	path := b.boardPath("")
	return scenario{name: "leaderboard-warm", workers: b.cfg.Concurrency, duration: b.cfg.Duration,
		warmup: b.cfg.Warmup, max: b.cfg.MaxRequests,
		next: func(int, int64, *rand.Rand) request { return request{method: "GET", path: path, want: 200} }}
}

// aroundMeScenario reads the page around the signed-in reader's own row
// (?around=me), as the "my row" jump does; readers near each other share
// pages.
func (b *bench) aroundMeScenario() scenario {
	path := b.boardPath("") + "?around=me"
	return scenario{name: "leaderboard-around-me", workers: b.cfg.Concurrency, duration: b.cfg.Duration,
		warmup: b.cfg.Warmup, max: b.cfg.MaxRequests,
		next: func(w int, i int64, rng *rand.Rand) request {
			return request{method: "GET", path: path, token: b.tokens[rng.IntN(len(b.tokens))], want: 200}
		}}
}

// recompute corrects resolutions (and changes one team) and times how long
// until the leaderboard shows each change, while a quarter of the clients
// keep posting forecasts to show whether the recompute blocks them.
func (b *bench) recompute(ctx context.Context) error {
	b.logf("recompute: %d resolution corrections and a team change, with forecasts posted meanwhile", b.cfg.Resolves)
	stop := make(chan struct{})
	bgc := make(chan Stats, 1)
	bg := b.postScenario("post-during-recompute", max(1, b.cfg.Concurrency/4), stop)
	bg.duration, bg.warmup = 0, 0
	go func() { bgc <- b.measure(ctx, bg) }()
	err := b.corrections(ctx)
	close(stop)
	bgStats := <-bgc
	if err != nil {
		return err
	}
	b.res.Scenarios = append(b.res.Scenarios, bgStats)
	if err := ctx.Err(); err != nil {
		return err
	}
	return bgStats.failure()
}

func (b *bench) corrections(ctx context.Context) error {
	time.Sleep(200 * time.Millisecond) // let the background posts settle in
	var resolved []int
	for i, q := range b.qs {
		if !q.spec.open {
			resolved = append(resolved, i)
		}
	}
	var lat []time.Duration
	var runs, visible []float64
	for k := range b.cfg.Resolves {
		q := b.qs[resolved[(k*len(resolved))/b.cfg.Resolves]]
		prev, err := b.c.do(ctx, b.c.long, request{method: "GET", path: b.boardPath(""), want: 200}, true)
		if err != nil {
			return err
		}
		q.spec.outcome = (q.spec.outcome + 1) % q.spec.options
		// Another client polls the board from the moment the change is
		// sent, as a reader of the board would see it.
		type seen struct {
			d   time.Duration
			ok  bool
			err error
		}
		board := make(chan seen, 1)
		t0 := time.Now()
		go func() {
			d, ok, err := b.untilChanged(ctx, b.boardPath(""), prev)
			board <- seen{d, ok, err}
		}()
		err = b.c.call(ctx, request{method: "POST", path: "/api/v1/questions/" + strconv.FormatInt(q.id, 10) + "/resolve",
			token: b.admin, want: 200, body: jsonBody(map[string]any{"outcome": q.spec.outcome,
				"resolved_at": q.spec.archive.Resolution.ResolvedAt})}, nil)
		answered := time.Since(t0)
		got := <-board
		if err != nil {
			return fmt.Errorf("resolution correction: %w", err)
		}
		lat = append(lat, answered)
		if got.err != nil {
			return got.err
		}
		if got.ok {
			visible = append(visible, ms(got.d))
			runs = append(runs, ms(max(0, got.d-answered)))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(lat) > 0 {
		b.res.Scenarios = append(b.res.Scenarios, summarize("resolve", 1, lat, 0, "", sum(lat)))
	}
	if len(runs) > 0 {
		b.res.Recompute = &Recompute{RunsMs: runs, MinMs: slices.Min(runs), MedianMs: median(runs), MaxMs: slices.Max(runs),
			VisibleMs: visible, VisibleMedianMs: median(visible)}
	}
	if len(b.data.teamless) == 0 || b.cfg.TeamSize < 1 {
		return nil
	}
	// A user without a team creates one: only that team is scored, against
	// each question's kept daily crowd medians. The new team may rank below
	// the first page, so the wait is for its own row (around=me).
	u := b.data.teamless[0]
	err := b.c.call(ctx, request{method: "POST", path: "/api/v1/tournaments/" + b.data.slug + "/teams",
		token: b.tokens[u], want: 201, body: jsonBody(map[string]string{"name": "Bench Late Team"})}, nil)
	if err != nil {
		return fmt.Errorf("team change: %w", err)
	}
	d, ok, err := b.untilRanked(ctx, b.boardPath("team")+"&around=me", b.tokens[u])
	if ok {
		b.res.RecomputeFullMs = ptr(ms(d))
	}
	return err
}

// untilRanked polls an around=me page as token's user until it answers 200
// (404 while the board has no row for them) and returns how long that took;
// ok is false if it did not within changeLimit.
func (b *bench) untilRanked(ctx context.Context, path, token string) (d time.Duration, ok bool, err error) {
	start := time.Now()
	for {
		_, err := b.c.do(ctx, b.c.long, request{method: "GET", path: path, token: token, want: 200}, false)
		var se *statusError
		switch {
		case err == nil:
			return time.Since(start), true, nil
		case !errors.As(err, &se) || se.status != 404:
			return 0, false, err
		case time.Since(start) > changeLimit:
			b.logf("warning: %s showed no row within %s of the change; not counted", path, changeLimit)
			return 0, false, nil
		}
		if err := ctx.Err(); err != nil {
			return 0, false, err
		}
		time.Sleep(time.Millisecond)
	}
}

// changeLimit bounds the wait for a leaderboard to show a change.
const changeLimit = 2 * time.Minute

// untilChanged polls path until its body differs from prev (a server may
// recompute synchronously or serve the old board meanwhile) and returns how
// long that took; ok is false if it did not change within changeLimit.
func (b *bench) untilChanged(ctx context.Context, path string, prev []byte) (d time.Duration, ok bool, err error) {
	start := time.Now()
	for {
		got, err := b.c.do(ctx, b.c.long, request{method: "GET", path: path, want: 200}, true)
		if err != nil {
			return 0, false, err
		}
		if !bytes.Equal(got, prev) {
			return time.Since(start), true, nil
		}
		if time.Since(start) > changeLimit {
			b.logf("warning: %s did not change within %s of the change; not counted", path, changeLimit)
			return 0, false, nil
		}
		if err := ctx.Err(); err != nil {
			return 0, false, err
		}
		time.Sleep(time.Millisecond)
	}
}

// profile runs f under a CPU profile written to PREFIX-name.pprof when
// -cpuprofile is set.
func (b *bench) profile(name string, f func() error) error {
	if b.cfg.CPUProfile == "" {
		return f()
	}
	path := b.cfg.CPUProfile + "-" + name + ".pprof"
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return err
	}
	ferr := f()
	pprof.StopCPUProfile()
	b.res.Profiles = append(b.res.Profiles, path)
	return errors.Join(ferr, out.Close())
}

// countEntries reads the ranked rows of the whole board from one page.
func countEntries(page []byte) (int, error) {
	var doc struct {
		Total *int `json:"total"`
	}
	if err := json.Unmarshal(page, &doc); err != nil || doc.Total == nil {
		return 0, fmt.Errorf("leaderboard page is not the expected JSON (with a total): %v", err)
	}
	return *doc.Total, nil
}

func ptr[T any](v T) *T { return &v }

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
