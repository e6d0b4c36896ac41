// Command signpost-bench measures Signpost under load: it builds a synthetic
// tournament through the real import path, starts the real server in this
// process on 127.0.0.1:0 (or targets one given with -url), drives bounded,
// concurrent loopback load with distinct users' tokens, and prints one table
// (or JSON with -json).
//
//	go run ./cmd/signpost-bench                 # 2,000 users x 50 questions x 10 = 1M forecasts
//	go run ./cmd/signpost-bench -preset quick   # 200 x 20 x 5 = 20,000 forecasts
//	go run ./cmd/signpost-bench -url http://127.0.0.1:8080 -admin-user admin -admin-password ...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"signpost/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "signpost-bench:", err)
		os.Exit(1)
	}
}

// config is the benchmark's settings, parsed and checked once.
type config struct {
	Preset     string
	Users      int
	Questions  int
	Open       int
	Per        int
	TeamSize   int
	Tokens     int
	Seed       uint64
	Tournament string

	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	MaxRequests int64
	Timeout     time.Duration
	Resolves    int

	URL           string
	DB            string
	AdminUser     string
	AdminPassword string
	ServerPID     int
	Import        string
	Chunk         int
	Order         string

	Dir        string
	Keep       bool
	JSON       bool
	Quiet      bool
	CPUProfile string
	// MetricsCost measures the forecast POST with metrics off and on.
	MetricsCost bool
	Yardstick   bool
	// Soak, when set, replaces the load scenarios with a soak of this length.
	Soak time.Duration
	// Aggregates, when set, replaces everything with the simulation of the
	// crowd's aggregates over this many seeds.
	Aggregates bool
	Seeds      int
}

// presets are data shapes and durations; flags given explicitly win.
var presets = map[string]map[string]string{
	"full":  {"users": "2000", "questions": "50", "per": "10", "d": "5s", "warmup": "1s"},
	"quick": {"users": "200", "questions": "20", "per": "5", "d": "2s", "warmup": "500ms"},
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("signpost-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: signpost-bench [flags]

Builds a synthetic tournament through Signpost's import path, starts the real
server in this process on 127.0.0.1:0 (or uses -url), drives bounded loopback
load and prints one table: per scenario requests/s, p50/p90/p99 latency and
errors; import rate, cold start, cold and incremental leaderboard recompute,
peak RSS (VmHWM; in-process it covers server and load generator) and database
size. Scenarios: login (token minting), post-forecast (distinct users, open
questions), get-question (signed in), leaderboard-warm (the first page),
leaderboard-around-me (the page around a signed-in reader's row), then resolve
corrections and one team change, each followed by polling the leaderboard
until it changes (the recompute), while post-during-recompute keeps posting.
A scenario that makes no request, or whose every request fails, stops the
run with an error.

Flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.Preset, "preset", "full", "data shape and durations: full (2000 users x 50 questions x 10 = 1M forecasts, -d 5s) or quick (200 x 20 x 5, -d 2s); explicit flags override")
	fs.IntVar(&c.Users, "users", 0, "users (default from -preset)")
	fs.IntVar(&c.Questions, "questions", 0, "questions, kinds mixed binary / multiple_choice (4) / ordered (4-5) (default from -preset)")
	fs.IntVar(&c.Open, "open", 0, "questions left open for POST load (default questions/10, at least 1)")
	fs.IntVar(&c.Per, "per", 0, "forecasts per user per question (default from -preset)")
	fs.IntVar(&c.TeamSize, "team-size", 5, "users per team (0: no teams)")
	fs.IntVar(&c.Tokens, "tokens", 256, "distinct users given a password and logged in for the load")
	fs.Uint64Var(&c.Seed, "seed", 1, "random seed for the data and the load")
	fs.StringVar(&c.Tournament, "tournament", "", "tournament slug (default bench, or bench-<time> with -url)")
	fs.IntVar(&c.Concurrency, "c", 16, "concurrent clients (keep-alive connections) per scenario")
	fs.DurationVar(&c.Duration, "d", 0, "measured duration per scenario (default from -preset)")
	fs.DurationVar(&c.Warmup, "warmup", 0, "unrecorded warm-up per scenario (default from -preset)")
	fs.Int64Var(&c.MaxRequests, "n", 1_000_000, "at most this many requests per scenario")
	fs.DurationVar(&c.Timeout, "timeout", 10*time.Second, "per-request timeout (imports and recomputes: 10 min)")
	fs.IntVar(&c.Resolves, "resolves", 3, "resolution corrections, each timed until the leaderboard shows it")
	fs.StringVar(&c.URL, "url", "", "external server http://127.0.0.1:PORT instead of an in-process one (start it with SIGNPOST_LOGIN_RATE=0); "+
		"several instances on one database as a comma-separated list, requests spread round-robin")
	fs.StringVar(&c.DB, "db", "", "in-process only: run on this PostgreSQL database (postgres://…) instead of a SQLite file, in a schema "+
		"created for the run and dropped after it (kept with -keep); -yardstick then measures a PostgreSQL yardstick on the same database")
	fs.StringVar(&c.AdminUser, "admin-user", "", "admin username (needed with -url)")
	fs.StringVar(&c.AdminPassword, "admin-password", "", "admin password (needed with -url; env SIGNPOST_BENCH_ADMIN_PASSWORD)")
	fs.IntVar(&c.ServerPID, "server-pid", 0, "with -url: the server's PID, to report its CPU per request and peak RSS")
	fs.StringVar(&c.Import, "import", "store", "in-process import path: store (store.Import) or http (POST /api/v1/admin/import); -url always uses http")
	fs.StringVar(&c.Order, "order", "time", "forecast order in the import: time (all questions interleaved as on a live server; 16 bytes of memory per forecast to sort) or question")
	fs.IntVar(&c.Chunk, "chunk", 200_000, "forecasts per import document (bounds memory; HTTP bodies stay under 64 MiB)")
	fs.StringVar(&c.Dir, "dir", "", "parent folder of the temporary database folder (default the system temp folder)")
	fs.BoolVar(&c.Keep, "keep", false, "keep the temporary folder with the database")
	fs.BoolVar(&c.JSON, "json", false, "print the results as JSON instead of a table")
	fs.BoolVar(&c.Quiet, "q", false, "no progress messages on stderr")
	fs.BoolVar(&c.MetricsCost, "metrics-cost", false, "in-process only: after the other phases, post forecasts alternately to the server (metrics off) and to a second one on the same database with Prometheus metrics on, and report the ratio")
	fs.BoolVar(&c.Yardstick, "yardstick", false, "in-process only: also measure the yardstick, a minimal fiber + JWT + SQLite server "+
		"(GET /ping; POST /forecast/:id with one group-committed INSERT), with the same load, and print Signpost's ratios to it")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "in-process only: write a CPU profile per phase to PREFIX-<phase>.pprof (import, import-crowds, first-view, leaderboard-cold, post-forecast, get-question, leaderboard-warm, leaderboard-around-me, recompute, restart-first-view)")
	fs.DurationVar(&c.Soak, "soak", 0, "instead of the load scenarios: measure the mixed load's capacity (for -d), then run it at half that rate "+
		"for this long (e.g. 10m), reporting errors, p99 and RSS minute by minute")
	fs.BoolVar(&c.Aggregates, "aggregates", false, "instead of the load: simulate synthetic tournaments whose truth is known "+
		"(crowds of varying size, skill spread and update frequency; several hundred questions) and print each crowd aggregate's "+
		"Brier relative to the median's on the second half of the questions, out of sample, with the default the first half recommends")
	fs.IntVar(&c.Seeds, "seeds", 5, "with -aggregates: tournaments per scenario, seeds -seed, -seed+1, ...")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	preset, ok := presets[c.Preset]
	if !ok {
		return c, fmt.Errorf("-preset must be full or quick, got %q", c.Preset)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, v := range preset {
		if !set[name] {
			if err := fs.Set(name, v); err != nil {
				return c, err
			}
		}
	}
	if !set["open"] {
		c.Open = max(1, c.Questions/10)
	}
	if c.AdminPassword == "" {
		c.AdminPassword = os.Getenv("SIGNPOST_BENCH_ADMIN_PASSWORD")
	}
	return c, c.validate()
}

func (c *config) validate() error {
	switch {
	case c.Users < 1 || c.Questions < 2 || c.Per < 1:
		return errors.New("need -users >= 1, -questions >= 2 and -per >= 1")
	case c.Users > 10_000_000 || c.Questions > 10_000 || c.Per > 10_000:
		return errors.New("at most -users 10000000, -questions 10000 and -per 10000")
	case c.Open < 1 || c.Open >= c.Questions:
		return errors.New("-open must be at least 1 and leave at least one resolved question")
	case c.Concurrency < 1 || c.Concurrency > 1024:
		return errors.New("-c must be 1-1024")
	case c.Duration <= 0 || c.Duration > 10*time.Minute:
		return errors.New("-d must be positive and at most 10m")
	case c.Warmup < 0 || c.Warmup > time.Minute:
		return errors.New("-warmup must be 0-1m")
	case c.MaxRequests < 1:
		return errors.New("-n must be at least 1")
	case c.Tokens < 1:
		return errors.New("-tokens must be at least 1")
	case c.Chunk < 1:
		return errors.New("-chunk must be at least 1")
	case c.DB != "" && c.URL != "":
		return errors.New("-db runs the in-process server on that database: drop -url")
	case c.DB != "" && !store.IsPostgres(c.DB):
		return errors.New("-db must be a postgres:// address (without it the run uses a SQLite file)")
	case c.Yardstick && c.URL != "":
		return errors.New("-yardstick runs in-process only: drop -url")
	case c.Resolves < 0 || c.Resolves > 100:
		return errors.New("-resolves must be 0-100")
	case c.Import != "store" && c.Import != "http":
		return errors.New("-import must be store or http")
	case c.Order != "time" && c.Order != "question":
		return errors.New("-order must be time or question")
	case c.Seeds < 1 || c.Seeds > 1000:
		return errors.New("-seeds must be 1-1000")
	}
	if c.URL != "" {
		var bases []string
		for _, raw := range strings.Split(c.URL, ",") {
			base, err := loopbackURL(raw)
			if err != nil {
				return err
			}
			bases = append(bases, base)
		}
		c.URL = strings.Join(bases, ",")
		c.Import = "http"
		if c.AdminUser == "" || c.AdminPassword == "" {
			return errors.New("-url needs -admin-user and -admin-password (or SIGNPOST_BENCH_ADMIN_PASSWORD)")
		}
		if c.MetricsCost {
			return errors.New("-metrics-cost compares two in-process servers; drop -url")
		}
		if c.CPUProfile != "" {
			return errors.New("-cpuprofile profiles the in-process server; for an external one start it with SIGNPOST_PPROF=127.0.0.1:6060")
		}
	} else {
		c.AdminUser, c.AdminPassword = "bench-admin", "bench-admin-password"
	}
	if c.Tournament == "" {
		c.Tournament = "bench"
		if c.URL != "" {
			// A fresh tournament per run, so windows made at a new "now" never
			// meet an older run's questions.
			c.Tournament = "bench-" + time.Now().UTC().Format("20060102-150405")
		}
	}
	return nil
}

// run parses args, runs the benchmark and writes the report to stdout;
// progress goes to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	progress := stderr
	if c.Quiet {
		progress = io.Discard
	}
	if c.Aggregates {
		return runAggregates(ctx, c.Seeds, c.Seed, stdout, progress)
	}
	res, err := newBench(c, progress).run(ctx)
	if err != nil {
		return err
	}
	if c.JSON {
		return writeJSON(stdout, res)
	}
	return writeTable(stdout, res)
}
