package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"signpost/store"
)

// Processes sharing a SQLite database coordinate through a flock on
// DATABASE.lock. A process opening the database tries for it exclusively
// first: holding it, the process is alone, and only then may it migrate
// or recover imports (recovery takes every unfinished import for a dead
// one; beside a live server it would drop the import the server is
// staging, or move the one it is publishing at the same time and leave
// it half moved). It then keeps the lock shared for as long as it uses
// the database, so every later process knows it is not alone. restore
// needs the lock exclusively and refuses otherwise.
//
// A PostgreSQL database has no file beside it: its instances take turns
// through advisory locks (store.Migrate, imports), and restore uses
// pg_restore. Every process counts as alone there.

var errDatabaseInUse = errors.New("database in use")

// access is what a command needs of the database.
type access int

const (
	// beside: the command may work beside a server (serve, export, admin
	// create); it migrates and recovers only when it finds itself alone.
	beside access = iota
	// alone: the command needs the database to itself (migrate, import,
	// copy into) and refuses while another process uses it.
	alone
)

// database is an open store and the lock beside it, released on Close.
type database struct {
	*store.Store
	lock *databaseLock
	// applied names the migrations opening applied.
	applied []string
}

// Close closes the store, then lets other processes have the database.
func (d *database) Close() error {
	err := d.Store.Close()
	d.lock.release()
	return err
}

// openStore opens the database, taking its lock. Alone, it migrates it
// (or with --migrate=false checks that its schema is the one this binary
// knows) and finishes or drops the imports a stopped process left;
// beside another process it only checks the schema.
func openStore(ctx context.Context, c config, need access) (*database, error) {
	lk, err := lockDatabase(ctx, c.DB)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", displayDB(c.DB), err)
	}
	if need == alone && !lk.alone {
		lk.release()
		return nil, fmt.Errorf("%s is in use by another signpost process (a server?): stop it first", displayDB(c.DB))
	}
	st, err := store.Open(ctx, c.DB, storeOptions(c))
	if err != nil {
		lk.release()
		return nil, err
	}
	var applied []string
	switch {
	case lk.alone && c.Migrate:
		applied, err = st.Migrate(ctx)
	case lk.alone:
		if err = st.CheckSchema(ctx); err == nil {
			err = st.RecoverImports(ctx)
		}
	default:
		err = st.CheckSchema(ctx)
	}
	if err == nil {
		err = lk.share(ctx)
	}
	if err != nil {
		st.Close()
		lk.release()
		if len(applied) > 0 {
			return nil, fmt.Errorf("%s: %w (applied before that: %s)", displayDB(c.DB), err, strings.Join(applied, ", "))
		}
		return nil, fmt.Errorf("%s: %w", displayDB(c.DB), err)
	}
	return &database{Store: st, lock: lk, applied: applied}, nil
}

// databaseLock is the flock on DATABASE.lock (nil file: nothing to lock).
type databaseLock struct {
	f     *os.File
	alone bool
}

// lockWait is how often a process waiting for the lock tries again.
const lockWait = 20 * time.Millisecond

// lockDatabase takes the lock beside a SQLite database: exclusively when
// no other process holds it (alone), else shared, waiting while another
// process holds it exclusively (it is migrating, recovering or restoring,
// which ends). The lock is a flock on DATABASE.lock, not on the database
// file itself: closing any descriptor of the database file would drop the
// POSIX locks SQLite holds on it in this process.
func lockDatabase(ctx context.Context, path string) (*databaseLock, error) {
	lk, err := lockExclusively(path)
	if !errors.Is(err, errDatabaseInUse) {
		return lk, err
	}
	f, err := openLockFile(path)
	if err != nil {
		return nil, err
	}
	lk = &databaseLock{f: f}
	if err := lk.share(ctx); err != nil {
		f.Close()
		return nil, err
	}
	return lk, nil
}

// lockExclusively takes the lock beside the database only if no other
// process holds it (errDatabaseInUse otherwise), as restore needs it.
func lockExclusively(path string) (*databaseLock, error) {
	if store.IsPostgres(path) {
		return &databaseLock{alone: true}, nil
	}
	f, err := openLockFile(path)
	if err != nil {
		return nil, err
	}
	if err := flock(f, true); err != nil {
		f.Close()
		return nil, err
	}
	return &databaseLock{f: f, alone: true}, nil
}

func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
}

// share holds the lock shared, so that processes starting later work
// beside this one. Turning an exclusive flock into a shared one is not
// atomic: another process may take it exclusively in between, and this
// one then waits for that one to be done.
func (lk *databaseLock) share(ctx context.Context) error {
	if lk.f == nil {
		return nil
	}
	for {
		err := flock(lk.f, false)
		if !errors.Is(err, errDatabaseInUse) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for another signpost process to finish migrating or restoring: %w", ctx.Err())
		case <-time.After(lockWait):
		}
	}
}

func (lk *databaseLock) release() {
	if lk.f != nil {
		lk.f.Close()
	}
}
