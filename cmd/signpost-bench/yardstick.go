package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/golang-jwt/jwt/v5"

	"signpost/scoring"
)

// yardstick is what Signpost's hot paths are measured against in the same
// run (-yardstick): the leanest correct server for them, built from the
// same parts (fiber, golang-jwt, and the database Signpost runs on) and
// doing only what a forecast POST must do:
//
//   - GET /ping answers "pong": the cost of HTTP itself, the ceiling for any
//     read such as the warm leaderboard;
//   - POST /forecast/:id checks an HS256 token (valid method, expiry
//     required), decodes the JSON body, validates the probabilities, checks
//     the question is open (from memory) and inserts one row through a
//     minimal group-commit writer: a goroutine commits every forecast
//     queued at that moment in one transaction and answers each request
//     only after COMMIT. The database side is a yardDB: SQLite (mattn, WAL,
//     synchronous=NORMAL, one writer) or PostgreSQL (pgx, one statement per
//     batch, as many batches in flight as Signpost sends).
//
// No routing tables, middleware, caches, audit or crowd: the ratio of
// Signpost's figure to the yardstick's says what those cost on this machine
// at this moment, which absolute numbers on a shared machine cannot.
type yardstick struct {
	app     *fiber.App
	db      yardDB
	addr    string
	secret  []byte
	options map[int64]int // open question ID -> number of options
	jobs    chan *yardJob
	done    chan struct{}
	wg      sync.WaitGroup
	parser  *jwt.Parser
}

// yardDB is where the yardstick commits its batches.
type yardDB interface {
	// writers is how many batches may be committed at once.
	writers() int
	// commit stores the batch in one transaction, durable when it
	// returns, and sets each job's id; w (0 <= w < writers) names the
	// goroutine calling, so each may keep a connection of its own.
	commit(ctx context.Context, w int, batch []*yardJob) error
	// count is how many forecasts are stored and the largest user ID among
	// them, read on a connection of its own: what a test sees committed.
	count(ctx context.Context) (n int, maxUser int64, err error)
	close() error
}

type yardJob struct {
	question, user int64
	probs          []byte
	at             int64
	id             int64
	err            error
	ready          chan struct{}
}

// startYardstick serves on 127.0.0.1:0 over db, which it closes when it
// closes (or fails to start). options are the open questions the load
// posts to.
func startYardstick(db yardDB, secret []byte, options map[int64]int) (*yardstick, error) {
	y := &yardstick{db: db, secret: secret, options: options, jobs: make(chan *yardJob, 1024),
		done:   make(chan struct{}),
		parser: jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithExpirationRequired())}
	for w := range db.writers() {
		y.wg.Add(1)
		go y.writer(w)
	}
	y.app = fiber.New(fiber.Config{DisableStartupMessage: true})
	y.app.Get("/ping", func(c *fiber.Ctx) error { return c.SendString("pong") })
	y.app.Post("/forecast/:id", y.postForecast)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		y.app = nil
		return nil, errors.Join(err, y.close())
	}
	y.addr = ln.Addr().String()
	go y.app.Listener(ln)
	return y, nil
}

func (y *yardstick) postForecast(c *fiber.Ctx) error {
	raw, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	var claims jwt.RegisteredClaims
	if _, err := y.parser.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return y.secret, nil }); err != nil {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	user, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	qid, err := strconv.ParseInt(c.Params("id"), 10, 64)
	k, open := y.options[qid]
	if err != nil || !open {
		return c.SendStatus(fiber.StatusNotFound)
	}
	var body struct {
		Probabilities []float64 `json:"probabilities"`
	}
	if err := json.Unmarshal(c.Body(), &body); err != nil {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	if err := scoring.Validate(body.Probabilities, k); err != nil {
		return c.SendStatus(fiber.StatusUnprocessableEntity)
	}
	probs := make([]byte, 8*len(body.Probabilities))
	for i, p := range body.Probabilities {
		binary.LittleEndian.PutUint64(probs[8*i:], math.Float64bits(p))
	}
	job := &yardJob{question: qid, user: user, probs: probs, at: time.Now().UnixMicro(), ready: make(chan struct{})}
	select {
	case y.jobs <- job:
	case <-y.done:
		return c.SendStatus(fiber.StatusServiceUnavailable)
	}
	<-job.ready
	if job.err != nil {
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": job.id})
}

// writer commits what is queued at each moment, up to 256 rows, as one
// transaction.
func (y *yardstick) writer(w int) {
	defer y.wg.Done()
	batch := make([]*yardJob, 0, 256)
	for {
		select {
		case job := <-y.jobs:
			batch = append(batch[:0], job)
		case <-y.done:
			return
		}
	fill:
		for len(batch) < cap(batch) {
			select {
			case job := <-y.jobs:
				batch = append(batch, job)
			default:
				break fill
			}
		}
		err := y.db.commit(context.Background(), w, batch)
		for _, job := range batch {
			if err != nil {
				job.err = err
			}
			close(job.ready)
		}
	}
}

// token mints the HS256 token the yardstick accepts for a user.
func (y *yardstick) token(user int64) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Subject:   strconv.FormatInt(user, 10),
		ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour)),
	}).SignedString(y.secret)
}

func (y *yardstick) close() error {
	var err error
	if y.app != nil {
		err = y.app.ShutdownWithTimeout(10 * time.Second)
	}
	close(y.done)
	y.wg.Wait()
	return errors.Join(err, y.db.close())
}

// Yardstick is Signpost's figures over the yardstick's, measured in the
// same run: above 1 Signpost is faster.
type Yardstick struct {
	// PostRPSRatio is the median over PostRounds rounds, each measuring
	// Signpost's forecast POST and then the yardstick's, of their req/s
	// ratios (PostRPSRatios, in order).
	PostRPSRatio  float64   `json:"post_rps_ratio"`
	PostRounds    int       `json:"post_rounds,omitempty"`
	PostRPSRatios []float64 `json:"post_rps_ratios,omitempty"`
	// PostCPURatio is Signpost's CPU per forecast POST over the
	// yardstick's (in-process: server and load generator together).
	PostCPURatio  float64 `json:"post_cpu_ratio,omitempty"`
	BoardPingRate float64 `json:"leaderboard_rps_over_ping_rps"`
}

// runYardstick measures the yardstick with the same load as Signpost's
// post-forecast and leaderboard-warm scenarios and records the ratios.
func (b *bench) runYardstick(ctx context.Context, dir string) (err error) {
	options := make(map[int64]int)
	for _, qi := range b.open {
		options[b.qs[qi].id] = b.qs[qi].spec.options
	}
	db, err := b.db.yardDB(ctx, dir)
	if err != nil {
		return fmt.Errorf("yardstick: %w", err)
	}
	y, err := startYardstick(db, b.secret, options)
	if err != nil {
		return fmt.Errorf("yardstick: %w", err)
	}
	defer func() { err = errors.Join(err, y.close()) }()
	tokens := make([]string, len(b.tokens))
	for i := range tokens {
		if tokens[i], err = y.token(int64(i + 1)); err != nil {
			return err
		}
	}
	c := newClient("http://"+y.addr, b.cfg.Concurrency, b.cfg.Timeout)
	defer c.close()
	post := b.postScenario("yardstick-post", b.cfg.Concurrency, nil)
	signpostPost := post.next
	post.next = func(w int, i int64, rng *rand.Rand) request {
		r := signpostPost(w, i, rng)
		r.path = "/forecast/" + strings.TrimSuffix(strings.TrimPrefix(r.path, "/api/v1/questions/"), "/forecasts")
		r.token = tokens[(int64(w)+i*int64(post.workers))%int64(len(tokens))]
		return r
	}
	ping := scenario{name: "yardstick-ping", workers: b.cfg.Concurrency, duration: b.cfg.Duration,
		warmup: b.cfg.Warmup, max: b.cfg.MaxRequests,
		next: func(int, int64, *rand.Rand) request { return request{method: "GET", path: "/ping", want: 200} }}
	stats := map[string]Stats{}
	for _, s := range []scenario{post, ping} {
		b.logf("%s: %d clients for %s (+%s warm-up)", s.name, s.workers, b.cfg.Duration, b.cfg.Warmup)
		st := b.measureOn(ctx, c, s)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.res.Scenarios = append(b.res.Scenarios, st)
		stats[s.name] = st
		if err := st.failure(); err != nil {
			return err
		}
	}
	for _, st := range b.res.Scenarios {
		stats[st.Name] = st
	}
	yr, err := b.pairedPosts(ctx, c, post)
	if err != nil {
		return err
	}
	if lb, pg := stats["leaderboard-warm"], stats["yardstick-ping"]; pg.RPS > 0 {
		yr.BoardPingRate = lb.RPS / pg.RPS
	}
	b.res.Yardstick = yr
	return nil
}

// yardstickRounds is how many times Signpost's forecast POST and the
// yardstick's are measured in turn.
const yardstickRounds = 5

// pairedPosts measures Signpost's forecast POST and the yardstick's (post,
// on c) alternately, yardstickRounds times each, and takes the median of
// the rounds' ratios: other work on a shared machine comes and goes within
// seconds, and each ratio compares two neighbouring moments. One
// measurement of each, minutes apart, once gave 0.54x and 0.93x for the
// same build.
func (b *bench) pairedPosts(ctx context.Context, c *client, post scenario) (*Yardstick, error) {
	b.logf("forecast POST, Signpost and the yardstick in turn: %d rounds of %s each", yardstickRounds, b.cfg.Duration)
	var rps, cpu []float64
	for range yardstickRounds {
		sp := b.measure(ctx, b.postScenario("post-forecast", b.cfg.Concurrency, nil))
		yp := b.measureOn(ctx, c, post)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := errors.Join(sp.failure(), yp.failure()); err != nil {
			return nil, err
		}
		if sp.Errors+yp.Errors > 0 {
			return nil, fmt.Errorf("yardstick rounds: %d errors, first: %s%s", sp.Errors+yp.Errors, sp.FirstError, yp.FirstError)
		}
		if yp.RPS > 0 {
			rps = append(rps, sp.RPS/yp.RPS)
		}
		if yp.CPUus > 0 && sp.CPUus > 0 {
			cpu = append(cpu, sp.CPUus/yp.CPUus)
		}
	}
	y := &Yardstick{PostRounds: yardstickRounds, PostRPSRatios: rps}
	if len(rps) > 0 {
		y.PostRPSRatio = median(rps)
	}
	if len(cpu) > 0 {
		y.PostCPURatio = median(cpu)
	}
	return y, nil
}

func writeYardstick(w io.Writer, y *Yardstick) {
	if y == nil {
		return
	}
	fmt.Fprintf(w, "yardstick (same run)\tforecast POST %.2fx the minimal group-commit writer's req/s (median of %d alternating rounds: %s)",
		y.PostRPSRatio, y.PostRounds, ratioList(y.PostRPSRatios))
	if y.PostCPURatio > 0 {
		fmt.Fprintf(w, " (%.2fx its CPU per request)", y.PostCPURatio)
	}
	fmt.Fprintf(w, "; warm leaderboard %.2fx /ping's req/s\n", y.BoardPingRate)
}

func ratioList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, " ")
}
