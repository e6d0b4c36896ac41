package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"signpost/api"
	"signpost/frontend"
	"signpost/store"
)

// bcryptCost keeps password hashing (import, login) from dominating the run.
const bcryptCost = 4

// inproc is the real server running inside this process, wired the way
// cmd/signpost's serve does it.
type inproc struct {
	st   *store.Store
	srv  *api.Server
	addr string
	errc chan error
	stop context.CancelFunc
	// warmed closes when Warm has returned.
	warmed chan struct{}
}

// openStore opens and migrates the benchmark database.
func openStore(ctx context.Context, path string) (*store.Store, error) {
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return st, nil
}

// startInproc opens the database and serves the API on 127.0.0.1:0, with
// Prometheus metrics when metrics is set.
func startInproc(ctx context.Context, path string, secret []byte, metrics bool) (*inproc, error) {
	st, err := openStore(ctx, path)
	if err != nil {
		return nil, err
	}
	srv := api.New(api.Config{Store: st, Now: time.Now, Secret: secret, LoginRate: 0, BcryptCost: bcryptCost,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AccessLog: false, Frontend: frontend.FS(),
		Version: "bench", Metrics: api.MetricsConfig{Enabled: metrics}})
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	p := &inproc{st: st, srv: srv, addr: ln.Addr().String(), errc: make(chan error, 1), stop: stop, warmed: make(chan struct{})}
	go func() {
		defer close(p.warmed)
		srv.Warm(sctx)
	}()
	go func() { p.errc <- srv.App().Listener(ln) }()
	return p, nil
}

// close shuts the server down (finishing in-flight requests), saves its
// crowds and closes the database, which checkpoints the WAL.
func (p *inproc) close() error {
	p.stop()
	err := p.srv.App().ShutdownWithTimeout(10 * time.Second)
	select {
	case lerr := <-p.errc:
		err = errors.Join(err, lerr)
	case <-time.After(10 * time.Second):
		err = errors.Join(err, errors.New("server did not stop within 10 s"))
	}
	// As serve does: the crowds are saved once warming has stopped.
	<-p.warmed
	p.srv.SaveCrowds(context.Background())
	return errors.Join(err, p.st.Close())
}

// createAdmin adds the benchmark's admin account to a fresh database.
func createAdmin(ctx context.Context, st *store.Store, username, password string) (store.User, error) {
	u, err := store.NewAccount(username, password, "Bench Admin", store.RoleAdmin, bcryptCost)
	if err != nil {
		return store.User{}, err
	}
	return st.CreateUser(ctx, u)
}

func randomSecret() ([]byte, error) {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	return b, err
}
