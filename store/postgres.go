package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// PostgresOptions tune a PostgreSQL database. Zero values take the defaults.
type PostgresOptions struct {
	// Pool is the most connections one instance opens (default 16). Several
	// instances share the server's max_connections (100 by default): keep
	// instances × Pool below it.
	Pool int
	// StatementTimeout cancels a statement running longer (default 10 s),
	// so a stuck query fails its request instead of holding a connection.
	StatementTimeout time.Duration
	// Retries is how often a forecast batch is retried after a
	// serialisation failure, a deadlock or a connection dropped before the
	// statement was sent (default 3; never when it may have committed).
	Retries int
	// Writers is how many forecast batches one instance sends at once
	// (default 4).
	Writers int
}

func (o PostgresOptions) withDefaults() PostgresOptions {
	if o.Pool <= 0 {
		o.Pool = 16
	}
	if o.StatementTimeout <= 0 {
		o.StatementTimeout = 10 * time.Second
	}
	if o.Retries < 0 {
		o.Retries = 0
	} else if o.Retries == 0 {
		o.Retries = 3
	}
	if o.Writers <= 0 {
		o.Writers = 4
	}
	return o
}

// openPostgres opens a pool of connections to the PostgreSQL database at a
// postgres:// address. Unlike SQLite, the server takes concurrent writers,
// so the writer and the readers share the one pool.
func openPostgres(ctx context.Context, address string, o Options) (*Store, error) {
	po := o.Postgres.withDefaults()
	cfg, err := pgx.ParseConfig(address)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL address: %w", err)
	}
	cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(po.StatementTimeout.Milliseconds(), 10)
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(po.Pool)
	sqlDB.SetMaxIdleConns(po.Pool)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	now := o.clock()
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig(now))
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	s := &Store{w: db, r: db, path: redacted(cfg), now: now, dialect: postgresDialect}
	s.forecasts = newForecastWriter(&pgBatcher{db: sqlDB, retries: po.Retries}, 256, po.Writers, 0, s.forecastsStored)
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open PostgreSQL %s: %w", s.path, err)
	}
	return s, nil
}

// redacted names a database without its password, for messages.
func redacted(cfg *pgx.ConnConfig) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// over is gorm speaking the dialect over an open transaction.
func (d *dialect) over(tx *sql.Tx) gorm.Dialector {
	if d == postgresDialect {
		return postgres.New(postgres.Config{Conn: tx})
	}
	return sqlite.Dialector{Conn: tx}
}

// Keys of the PostgreSQL advisory locks that make one-time work happen once
// when several instances start together.
const (
	lockMigrate int64 = 0x5349_474e_0001 // "SIGN" 1
	lockSeed    int64 = 0x5349_474e_0002
	lockImport  int64 = 0x5349_474e_0003
)

// exclusively runs fn holding an advisory lock on PostgreSQL, on one
// connection (advisory locks belong to a session). SQLite's one writer
// connection already runs one thing at a time.
func (s *Store) exclusively(ctx context.Context, key int64, fn func(db *gorm.DB) error) error {
	db := s.w.WithContext(ctx)
	if s.dialect != postgresDialect {
		return fn(db)
	}
	return db.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("SELECT pg_advisory_lock(?)", key).Error; err != nil {
			return err
		}
		defer conn.Exec("SELECT pg_advisory_unlock(?)", key)
		return fn(conn)
	})
}

// once makes a write transaction wait for any other instance's transaction
// holding the same key, so a check-then-write inside it (is the database
// empty? then seed) runs one instance at a time. A no-op on SQLite, whose
// write transactions already take the database's one write lock.
func (s *Store) once(tx *gorm.DB, key int64) error {
	if s.dialect != postgresDialect {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", key).Error
}
