package main

import (
	"flag"
	"net/url"

	"signpost/store"
)

// postgresFlags are the PostgreSQL settings every sub-command that opens
// the database shares; SQLite ignores them.
func postgresFlags(fs *flag.FlagSet, c *config, e *envReader) {
	fs.IntVar(&c.Postgres.Pool, "pg-pool", e.int("SIGNPOST_PG_POOL", 16),
		"PostgreSQL: most connections this instance opens; keep instances × pool below the server's max_connections (env SIGNPOST_PG_POOL)")
	fs.DurationVar(&c.Postgres.StatementTimeout, "pg-statement-timeout", e.duration("SIGNPOST_PG_STATEMENT_TIMEOUT", 0),
		"PostgreSQL: cancel statements running longer than this; 0 means 10s (env SIGNPOST_PG_STATEMENT_TIMEOUT)")
	fs.IntVar(&c.Postgres.Retries, "pg-retries", e.int("SIGNPOST_PG_RETRIES", 3),
		"PostgreSQL: retries of a forecast batch after a serialisation failure, a deadlock or a connection lost before sending; -1 for none (env SIGNPOST_PG_RETRIES)")
	fs.IntVar(&c.Postgres.Writers, "pg-writers", e.int("SIGNPOST_PG_WRITERS", 4),
		"PostgreSQL: forecast batches this instance sends at once (env SIGNPOST_PG_WRITERS)")
}

// displayDB names the database for messages without a password.
func displayDB(address string) string {
	if !store.IsPostgres(address) {
		return address
	}
	u, err := url.Parse(address)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
