package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"signpost/api"
	"signpost/api/crowd"
	"signpost/api/feeds"
	"signpost/api/notify"
	"signpost/api/scoreboard"
	"signpost/api/tripwires"
	"signpost/api/webhook"
	"signpost/frontend"
	"signpost/store"
)

// storeOptions are the store's settings from the configuration.
func storeOptions(c config) store.Options {
	return store.Options{Synchronous: c.Sync, Now: c.Now, Postgres: c.Postgres}
}

func serve(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	c, err := parseServeConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	start := time.Now()
	db, err := openStore(ctx, c, beside)
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("closing database", "err", err)
		}
	}()
	st := db.Store
	for _, f := range store.ExposedFiles(c.DB) {
		log.Warn("database file is readable by other users; it holds password hashes and the JWT secret: chmod 600 it",
			"file", f)
	}
	if err := prepare(ctx, st, c, stdout); err != nil {
		return err
	}
	secret, err := jwtSecret(ctx, st, c)
	if err != nil {
		return err
	}
	// The services the API serves from memory, built here so that their
	// owner is visible; the scoreboard hears from the store when scores
	// change.
	crowds := crowd.New(st, log, crowd.Rule{Min: c.CrowdMin, Established: c.CrowdEstablished, Now: c.Now})
	scores := scoreboard.New(st, log)
	// The feed fetcher: the API's fetch-now goes through it, so one guard
	// and one pacing per host hold for every fetch.
	feedCfg := c.Integrations.Feeds
	feedCfg.Now, feedCfg.Log = c.Now, log
	fetcher := feeds.New(st, feedCfg)
	srv := api.New(api.Config{Store: st, Now: c.Now, Secret: secret, TokenTTL: c.TokenTTL,
		LoginRate: c.LoginRate, RegisterRate: c.RegisterRate, TrustedProxies: c.TrustedProxies, Crowds: crowds, Scoreboard: scores, BcryptCost: c.BcryptCost,
		Log: log, AccessLog: c.AccessLog, Frontend: frontend.FS(), Version: version,
		CoherenceThreshold: c.CoherenceThreshold, AllowPrivateWebhooks: c.Integrations.Webhooks.AllowPrivate,
		Metrics: c.Integrations.Metrics, ConditionalMin: c.ConditionalMin,
		AllowPrivateFeeds: feedCfg.AllowPrivate, FetchFeed: fetcher.Fetch,
		Mail: c.Mail.composer(c.Integrations.Webhooks.PublicURL)})
	// The worker makes the store render events in their transactions and
	// reads the leaderboard and crowds from the server's caches.
	hookCfg := c.Integrations.Webhooks
	hookCfg.Now, hookCfg.Log = c.Now, log
	hooks := webhook.New(st, hookCfg, srv.WebhookSources())
	mailer := c.Mail.worker(st, c, srv.MailSources(), log)
	if mailer == nil {
		log.Info("e-mail is off: set SIGNPOST_SMTP_URL and SIGNPOST_MAIL_FROM to send verification, password reset and digest mails")
	} else {
		log.Info("e-mail is on", "smtp", smtpDisplay(c.Mail.SMTPURL), "from", c.Mail.From)
	}
	// The tripwire evaluator reads the crowds and the signpost board from
	// the server's caches; like the webhook worker, one instance of
	// several evaluates (a lease).
	wireCfg := c.Integrations.Tripwires
	wireCfg.Now, wireCfg.Log = c.Now, log
	wires := tripwires.New(st, wireCfg, srv.TripwireSources())
	tcp, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	ln := &onceCloseListener{Listener: tcp}
	if c.Pprof != "" {
		go servePprof(ctx, c.Pprof, log)
	}
	fmt.Fprintf(stdout, "Signpost %s listening on http://%s (database %s, ready in %d ms)\n",
		version, ln.Addr(), displayDB(c.DB), time.Since(start).Milliseconds())
	warmed := make(chan struct{})
	go func() {
		defer close(warmed)
		srv.Warm(ctx)
	}()
	// The database closes only after warming has stopped using it.
	defer func() { <-warmed }()
	// The notices the clock brings (closing soon, stale forecasts).
	notices := notify.NewSweeper(st, notify.Config{Now: c.Now, Log: log})
	// The workers stop with ctx; the database closes only after they have.
	workers := []func(context.Context){hooks.Run, notices.Run, fetcher.Run, wires.Run}
	if mailer != nil {
		workers = append(workers, mailer.Run)
	}
	defer inBackground(ctx, workers...)()
	errc := make(chan error, 1)
	go func() { errc <- srv.App().Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: no new connections; telling keep-alive clients, then finishing in-flight requests")
	// The listener closes first, while clients under load still hold
	// their keep-alive connections (a connection waiting to be accepted
	// would be reset); newcomers are refused before sending anything. Then
	// every answer says "Connection: close" until the connections under
	// load have been told (a quiet 200 ms, at most 2 s); only then are the
	// idle connections closed, which no client is about to use.
	ln.Close()
	drainCtx, cancelDrain := context.WithTimeout(context.Background(), 2*time.Second)
	srv.Drain(drainCtx, 200*time.Millisecond, 2*time.Second)
	cancelDrain()
	shutErr := srv.App().ShutdownWithTimeout(15 * time.Second)
	srv.WaitMail()
	if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
		return errors.Join(shutErr, err)
	}
	<-warmed
	saveCtx, cancelSave := context.WithTimeout(context.Background(), 10*time.Second)
	srv.SaveCrowds(saveCtx)
	cancelSave()
	return shutErr
}

// prepare seeds the default tournament and the configured admin, and tells a
// newcomer how to make an admin when there is none.
func prepare(ctx context.Context, st *store.Store, c config, stdout io.Writer) error {
	if c.Seed {
		loaded, err := st.SeedDefault(ctx)
		if err != nil {
			return fmt.Errorf("loading the default tournament: %w", err)
		}
		if loaded {
			fmt.Fprintf(stdout, "Loaded the default tournament %q.\n", store.DefaultTournamentSlug)
		}
	}
	if c.AdminUsername != "" {
		created, err := ensureAdmin(ctx, st, c.AdminUsername, c.AdminPassword, c.BcryptCost)
		if err != nil {
			return fmt.Errorf("creating admin %q: %w", c.AdminUsername, err)
		}
		if created {
			fmt.Fprintf(stdout, "Created admin account %q.\n", c.AdminUsername)
		}
	}
	n, err := st.CountAdmins(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(stdout, "No admin account yet. Create one with\n"+
			"  echo 'a-long-password' | signpost admin create --username admin\n"+
			"or start with SIGNPOST_ADMIN_USERNAME and SIGNPOST_ADMIN_PASSWORD set.")
	}
	return nil
}

// ensureAdmin creates the admin account unless the username exists.
func ensureAdmin(ctx context.Context, st *store.Store, username, password string, cost int) (bool, error) {
	u, err := store.NewAccount(username, password, "", store.RoleAdmin, cost)
	if err != nil {
		return false, err
	}
	if _, err := st.FindUserByUsername(ctx, u.Username); err == nil {
		return false, nil
	}
	_, err = st.CreateUser(ctx, u)
	if errors.Is(err, store.ErrConflict) {
		return false, nil // another instance made it first
	}
	return err == nil, err
}

// jwtSecret is SIGNPOST_JWT_SECRET, or a random key generated once and kept
// in the database so tokens survive restarts.
func jwtSecret(ctx context.Context, st *store.Store, c config) ([]byte, error) {
	if c.JWTSecret != "" {
		return []byte(c.JWTSecret), nil
	}
	s, err := st.Secret(ctx, "jwt_secret")
	return []byte(s), err
}

func servePprof(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	log.Info("pprof listening", "addr", addr)
	if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("pprof", "err", err)
	}
}

// onceCloseListener may be closed twice: serve closes it to stop accepting
// before fasthttp's shutdown closes it again (and would stop early on the
// second close's error).
type onceCloseListener struct {
	net.Listener
	once sync.Once
}

func (l *onceCloseListener) Close() error {
	var err error
	l.once.Do(func() { err = l.Listener.Close() })
	return err
}

// inBackground runs each worker in its own goroutine and returns a function
// that waits until all of them have returned.
func inBackground(ctx context.Context, workers ...func(context.Context)) (wait func()) {
	var wg sync.WaitGroup
	for _, run := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(ctx)
		}()
	}
	return wg.Wait
}
