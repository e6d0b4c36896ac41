package store

import (
	"strconv"
	"strings"
)

// dialect is what differs between the two databases the store runs on,
// kept to a few statements: everything else is SQL both accept, gorm's
// chains (which speak either) or ? placeholders that bind rewrites.
type dialect struct {
	name string // "sqlite" or "postgres": also the migrations' folder
	// createMigrations creates the table recording applied migrations.
	createMigrations string
	// insertMany starts an INSERT of many rows that a constraint can
	// only stop as a whole. On SQLite, OR FAIL spares it the statement
	// journal (a copy of every page the statement changes, kept so that
	// a failing statement can be undone inside its transaction): the
	// caller rolls the transaction back instead.
	insertMany string
}

var sqliteDialect = &dialect{
	name:       "sqlite",
	insertMany: "INSERT OR FAIL INTO",
	createMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
}

var postgresDialect = &dialect{
	name:       "postgres",
	insertMany: "INSERT INTO",
	createMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
}

// bind rewrites the ? placeholders of a statement written for SQLite into
// PostgreSQL's $1, $2, ...; gorm does the same for its own statements, this
// is for the ones database/sql runs. No statement here has a ? in a string
// literal.
func (d *dialect) bind(query string) string {
	if d != postgresDialect || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// IsPostgres reports whether a database address names a PostgreSQL server
// (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgres(address string) bool {
	return strings.HasPrefix(address, "postgres://") || strings.HasPrefix(address, "postgresql://")
}
