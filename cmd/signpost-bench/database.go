package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
)

// benchDatabase is where a run keeps Signpost's data: a SQLite file in the
// run's temporary folder, or a schema of its own in the PostgreSQL
// database -db names, created for the run and dropped after it (unless
// -keep), so a run never meets an earlier run's tables.
type benchDatabase struct {
	address  string // what store.Open takes
	postgres bool
	server   string // -db, without the schema
	schema   string
}

// openBenchDatabase prepares the run's database: in dir, or in a new schema
// of the PostgreSQL database at server when server is set.
func openBenchDatabase(ctx context.Context, dir, server string) (*benchDatabase, error) {
	if server == "" {
		return &benchDatabase{address: filepath.Join(dir, "bench.db")}, nil
	}
	d := &benchDatabase{postgres: true, server: server,
		schema: fmt.Sprintf("signpost_bench_%d_%d", time.Now().Unix(), os.Getpid())}
	if err := d.exec(ctx, "CREATE SCHEMA "+d.schema); err != nil {
		return nil, fmt.Errorf("-db: %w", err)
	}
	u, err := url.Parse(server)
	if err != nil {
		return nil, fmt.Errorf("-db: %w", err)
	}
	q := u.Query()
	q.Set("search_path", d.schema)
	u.RawQuery = q.Encode()
	d.address = u.String()
	return d, nil
}

func (d *benchDatabase) exec(ctx context.Context, sql string) error {
	c, err := pgx.Connect(ctx, d.server)
	if err != nil {
		return err
	}
	_, err = c.Exec(ctx, sql)
	return errors.Join(err, c.Close(ctx))
}

// drop removes the run's schema from a PostgreSQL database; the SQLite
// file goes with the temporary folder.
func (d *benchDatabase) drop(ctx context.Context) error {
	if !d.postgres {
		return nil
	}
	return d.exec(ctx, "DROP SCHEMA "+d.schema+" CASCADE")
}

// yardDB opens the yardstick's side of the same engine.
func (d *benchDatabase) yardDB(ctx context.Context, dir string) (yardDB, error) {
	if d.postgres {
		return openYardPostgres(ctx, d.address)
	}
	return openYardSQLite(dir)
}

// size is the database on disk while the server runs: the SQLite file and
// its WAL, or the schema's tables with their indexes on PostgreSQL.
func (d *benchDatabase) size(ctx context.Context) *DBSize {
	if !d.postgres {
		return dbSize(d.address)
	}
	c, err := pgx.Connect(ctx, d.address)
	if err != nil {
		return nil
	}
	defer c.Close(ctx)
	var n int64
	if err := c.QueryRow(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint
		FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'm')`).Scan(&n); err != nil {
		return nil
	}
	return &DBSize{FileBytes: n}
}

// describe names the engine for the report.
func (d *benchDatabase) describe() string {
	if d.postgres {
		shown := "(address hidden)"
		if u, err := url.Parse(d.server); err == nil {
			shown = u.Redacted()
		}
		return "PostgreSQL " + shown + ", schema " + d.schema
	}
	return "SQLite"
}
