package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the database handle: one writer connection (SQLite takes one
// writer at a time, so queueing writers in Go beats spinning on the file
// lock) beside a pool of readers that WAL lets run concurrently with it.
type Store struct {
	w         *gorm.DB
	r         *gorm.DB
	path      string
	forecasts *forecastWriter
	ckpt      *checkpointer
	reads     readStmts
	events    eventConfig
	now       func() time.Time
	dialect   *dialect
	publishMu sync.Mutex // one import publishes at a time (import_publish.go)
	// scoreHooks hear of moved score versions (score_versions.go).
	scoreHooks scoreVersionHooks
	// storedHooks hear of stored forecasts (forecast_follow.go).
	storedHooks forecastHooks
	// noticeMail renders the mails of notifications (notice_mail.go).
	noticeMail atomic.Pointer[NoticeMailer]
	// noticeScorer scores a resolved question for its notices
	// (notify_questions.go).
	noticeScorer atomic.Pointer[QuestionScorer]
}

// Options tune how the database is opened.
type Options struct {
	// Synchronous is SQLite's synchronous level: NORMAL (default; in WAL mode
	// durable across a process crash, may lose the last commits on power
	// loss) or FULL (fsync on every commit).
	Synchronous string
	// Readers is the size of the read pool (default 2 × GOMAXPROCS, min 4).
	Readers int
	// Now is the store's clock: every time the store records by itself
	// (created_at, audit entries, applied migrations) is read from it.
	// Default time.Now; the server passes the clock it runs on.
	Now func() time.Time
	// Postgres tunes a PostgreSQL database; SQLite ignores it.
	Postgres PostgresOptions
}

// Open opens the database at path: a PostgreSQL server for a postgres://
// address (see IsPostgres), otherwise a SQLite file, created if needed. It
// does not migrate: call Migrate.
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	if IsPostgres(path) {
		return openPostgres(ctx, path, o)
	}
	if path == "" || path == ":memory:" {
		return nil, errors.New("database path must be a file (':memory:' would give every pooled connection its own empty database)")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	sync := strings.ToUpper(o.Synchronous)
	if sync == "" {
		sync = "NORMAL"
	}
	if sync != "NORMAL" && sync != "FULL" {
		return nil, fmt.Errorf("synchronous must be NORMAL or FULL, got %q", o.Synchronous)
	}
	readers := o.readers()
	now := o.clock()
	// Pragmas live in the DSN so that every pooled connection gets them.
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_journal_mode=WAL&_synchronous=" + sync +
		"&_busy_timeout=10000&_foreign_keys=on&_cache_size=-32000"
	w, err := openGorm(base+"&_txlock=immediate", 1, now)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := openGorm(base+"&_txlock=deferred&_query_only=true", readers, now)
	if err != nil {
		closeGorm(w)
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	wdb, err := w.DB()
	if err != nil {
		closeGorm(w)
		closeGorm(r)
		return nil, err
	}
	s := &Store{w: w, r: r, path: path, now: now, dialect: sqliteDialect}
	s.forecasts = newForecastWriter(&sqliteBatcher{db: wdb}, 256, 1, gatherWait, s.forecastsStored)
	if err := s.checkWAL(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.startCheckpoints(base); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (o Options) readers() int {
	if o.Readers > 0 {
		return o.Readers
	}
	return max(4, 2*runtime.GOMAXPROCS(0))
}

func (o Options) clock() func() time.Time {
	if o.Now == nil {
		return time.Now
	}
	return o.Now
}

func openGorm(dsn string, conns int, now func() time.Time) (*gorm.DB, error) {
	db, err := gorm.Open(sqlite.Open(dsn), gormConfig(now))
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxLifetime(0)
	return db, nil
}

// gormConfig is the one gorm configuration. NowFunc carries the store's
// clock, so every gorm handle, inside a transaction or not, can tell the
// time (see clock).
func gormConfig(now func() time.Time) *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return now().UTC() },
	}
}

// clock is the store's time as the database records it (Unix microseconds),
// read from the handle's NowFunc.
func clock(db *gorm.DB) int64 { return micros(db.NowFunc()) }

func closeGorm(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

func (s *Store) checkWAL(ctx context.Context) error {
	var mode string
	if err := s.w.WithContext(ctx).Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("open %s: journal_mode is %q, want wal", s.path, mode)
	}
	return nil
}

// startCheckpoints starts background WAL checkpoints on a connection of
// their own (see checkpointer).
func (s *Store) startCheckpoints(dsn string) error {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	// The writer's pool keeps its one connection for good, so this reaches
	// every commit; a replacement connection would merely checkpoint more
	// often (SQLite's default).
	if err := s.w.Exec("PRAGMA wal_autocheckpoint=10000").Error; err != nil {
		db.Close()
		return err
	}
	// A statement that writes many rows inside a transaction (an import's
	// move step) first copies every page it changes to a statement journal,
	// which SQLite spills to a temporary file past 64 KiB: at 2M forecasts
	// those writes were 27 % of an import's CPU. In memory they are a copy.
	// A replacement connection would merely spill again.
	if err := s.w.Exec("PRAGMA temp_store=MEMORY").Error; err != nil {
		db.Close()
		return err
	}
	s.ckpt = startCheckpointer(db, 100*time.Millisecond)
	return nil
}

// Close writes what is queued, checkpoints SQLite's WAL and closes every
// connection.
func (s *Store) Close() error {
	s.forecasts.close()
	s.reads.close()
	if s.dialect == postgresDialect {
		return closeGorm(s.w) // the writer and the readers share one pool
	}
	if s.ckpt != nil {
		s.ckpt.close()
	}
	// A final checkpoint leaves a self-contained database file behind.
	s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	return errors.Join(closeGorm(s.r), closeGorm(s.w))
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}
