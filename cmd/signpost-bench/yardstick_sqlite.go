package main

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"path/filepath"

	_ "github.com/mattn/go-sqlite3" // the driver Signpost's store uses
)

// yardSQLite is the yardstick's SQLite database: a file of its own in
// WAL mode with synchronous=NORMAL, as Signpost opens its own, and one
// writer connection (queue in Go, not on SQLite's lock).
type yardSQLite struct {
	db     *sql.DB
	dsn    string
	insert *sql.Stmt
}

// openYardSQLite creates the yardstick's database in dir.
func openYardSQLite(dir string) (*yardSQLite, error) {
	path := filepath.Join(dir, "yardstick.db")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	// The same row and index shape as Signpost's forecasts table.
	if _, err := db.Exec(`CREATE TABLE forecasts (id INTEGER PRIMARY KEY, question_id INTEGER NOT NULL,
		user_id INTEGER NOT NULL, probabilities BLOB NOT NULL, created_at INTEGER NOT NULL);
		CREATE INDEX forecasts_question_user_time ON forecasts (question_id, user_id, created_at)`); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	insert, err := db.Prepare(`INSERT INTO forecasts (question_id, user_id, probabilities, created_at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return &yardSQLite{db: db, dsn: dsn, insert: insert}, nil
}

func (y *yardSQLite) writers() int { return 1 }

func (y *yardSQLite) commit(ctx context.Context, _ int, batch []*yardJob) error {
	tx, err := y.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st := tx.Stmt(y.insert)
	for _, job := range batch {
		res, err := st.Exec(job.question, job.user, job.probs, job.at)
		if err != nil {
			return err
		}
		if job.id, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (y *yardSQLite) count(ctx context.Context) (n int, maxUser int64, err error) {
	db, err := sql.Open("sqlite3", y.dsn)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	var u sql.NullInt64
	err = db.QueryRowContext(ctx, "SELECT COUNT(*), MAX(user_id) FROM forecasts").Scan(&n, &u)
	return n, u.Int64, err
}

func (y *yardSQLite) close() error { return errors.Join(y.insert.Close(), y.db.Close()) }
