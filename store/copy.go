package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// copyOrder is every table Copy moves, referenced tables first. A table
// the source has and this list lacks stops the copy rather than be left
// behind.
var copyOrder = []string{"settings", "users", "tournaments", "questions", "forecasts", "teams",
	"team_members", "audit_log", "question_links", "api_tokens", "webhooks", "webhook_deliveries",
	"webhook_marks", "worker_leases", "comments", "imports", "import_forecasts", "import_refs", "likelihood_tables",
	"feeds", "feed_snapshots", "feed_proposals", "feed_challenges", "tripwires", "notifications", "user_preferences",
	"crowd_snapshots", "user_emails", "mail_outbox", "mail_tokens", "digest_groups", "digest_runs", "digest_recipients", "notice_fanouts"}

// copyBatch rows go in one INSERT: 7 columns × 1,000 stays far below both
// databases' limits on parameters.
const copyBatch = 1000

// Copy moves everything from one database into another, empty one at the
// same schema version, keeping every ID, so tokens, links and leaderboards
// stay valid: SQLite to PostgreSQL when a tournament outgrows one machine,
// or back. It reads one consistent snapshot of from (a live server may
// keep running on it; what arrives after the snapshot is not copied) and
// writes in one transaction, so to ends with all of it or nothing. It
// returns the rows copied per table.
func Copy(ctx context.Context, from, to *Store) (map[string]int64, error) {
	return CopyWith(ctx, from, to, CopyOptions{})
}

// CopyOptions says what Copy does with what the destination cannot hold.
type CopyOptions struct {
	// StripNUL removes NUL characters from text bound for PostgreSQL,
	// which cannot store them (older versions let them into SQLite),
	// instead of refusing the copy with a *NULError. Stripped, when set,
	// hears of every value changed.
	StripNUL bool
	Stripped func(table, column string, key any)
}

// CopyWith is Copy with options.
func CopyWith(ctx context.Context, from, to *Store, o CopyOptions) (map[string]int64, error) {
	if err := from.CheckSchema(ctx); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if err := to.CheckSchema(ctx); err != nil {
		return nil, fmt.Errorf("destination: %w", err)
	}
	tables, err := from.copyTables()
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int64, len(tables))
	err = from.r.WithContext(ctx).Transaction(func(src *gorm.DB) error {
		return to.w.WithContext(ctx).Transaction(func(dst *gorm.DB) error {
			for _, table := range tables {
				if counts[table], err = copyTable(src, dst, table, to.dialect == postgresDialect, o); err != nil {
					return fmt.Errorf("copy %s: %w", table, err)
				}
			}
			return to.resetIdentities(dst, tables)
		})
	}, from.snapshot())
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// snapshot is a read-only transaction that sees one moment: SQLite's read
// transactions do; PostgreSQL's need REPEATABLE READ.
func (s *Store) snapshot() *sql.TxOptions {
	if s.dialect == postgresDialect {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return &sql.TxOptions{ReadOnly: true}
}

// copyTables is the source's tables in copyOrder.
func (s *Store) copyTables() ([]string, error) {
	have, err := s.r.Migrator().GetTables()
	if err != nil {
		return nil, err
	}
	for _, t := range have {
		if t != "schema_migrations" && !strings.HasPrefix(t, "sqlite_") && !slices.Contains(copyOrder, t) {
			return nil, fmt.Errorf("table %s: this version of signpost does not know how to copy it", t)
		}
	}
	var out []string
	for _, t := range copyOrder {
		if slices.Contains(have, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// copyTable streams one table's rows into the same table of dst, which must
// be empty, in batches. noNUL keeps NUL out of the destination's text (see
// CopyOptions).
func copyTable(src, dst *gorm.DB, table string, noNUL bool, o CopyOptions) (int64, error) {
	var existing int64
	if err := dst.Table(table).Count(&existing).Error; err != nil {
		return 0, err
	}
	if existing > 0 {
		return 0, fmt.Errorf("the destination already has %d rows: copy only into an empty database", existing)
	}
	// In order of the first column (the ID where there is one), so a row
	// comes after the rows of its own table it refers to (a conditional
	// branch after its indicator).
	rows, err := src.Table(table).Order("1").Rows()
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	var n int64
	batch := make([]map[string]any, 0, copyBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := dst.Table(table).Create(&batch).Error
		n += int64(len(batch))
		batch = batch[:0]
		return err
	}
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		// Scanned as the driver's own values (database/sql copies the
		// bytes), not through gorm's map scan, which turns bytes into text.
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			row[c] = vals[i]
			if text, ok := vals[i].(string); ok && noNUL && strings.IndexByte(text, 0) >= 0 {
				if !o.StripNUL {
					return n, &NULError{Table: table, Column: c, KeyColumn: cols[0], Key: vals[0]}
				}
				row[c] = strings.ReplaceAll(text, "\x00", "")
				if o.Stripped != nil {
					o.Stripped(table, c, vals[0])
				}
			}
		}
		batch = append(batch, row)
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// resetIdentities moves PostgreSQL's ID generators past the copied IDs, so
// the next row created gets a new one. SQLite needs nothing: its next ID
// follows the largest present.
func (s *Store) resetIdentities(tx *gorm.DB, tables []string) error {
	if s.dialect != postgresDialect {
		return nil
	}
	for _, t := range tables {
		if !tx.Migrator().HasColumn(t, "id") {
			continue
		}
		err := tx.Exec(`SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM `+t, t).Error
		if err != nil {
			return fmt.Errorf("reset %s IDs: %w", t, err)
		}
	}
	return nil
}

// NULError is a source row whose text holds NUL, which PostgreSQL cannot
// store: the copy stops before committing anything.
type NULError struct {
	Table, Column, KeyColumn string
	Key                      any // the row's first column: its ID where it has one
}

func (e *NULError) Error() string {
	return fmt.Sprintf("the row with %s = %v holds a NUL character in %s, which PostgreSQL cannot store; nothing was copied",
		e.KeyColumn, e.Key, e.Column)
}
