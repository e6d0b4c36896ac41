package store

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/gorm"
)

// This file is the only door to database/sql below gorm: the hot paths the
// package documentation lists reach the database through these helpers.

// readStmts caches prepared statements of the hot read queries. Preparing
// (parsing and planning) cost as much as running these one-row queries;
// database/sql keeps a prepared copy per pooled connection, made on first
// use there. Statements are prepared on first use because the schema may
// not exist when the store opens.
type readStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (rs *readStmts) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if st, ok := rs.m[query]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if rs.m == nil {
		rs.m = make(map[string]*sql.Stmt)
	}
	rs.m[query] = st
	return st, nil
}

func (rs *readStmts) close() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for _, st := range rs.m {
		st.Close()
	}
	rs.m = nil
}

// stmt returns the cached prepared statement of a read query.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db, err := s.r.DB()
	if err != nil {
		return nil, err
	}
	return s.reads.get(ctx, db, s.dialect.bind(query))
}

// queryRow runs a one-row read with a cached prepared statement.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// queryOnce runs a read whose text varies from call to call (an IN list
// as long as its chunk), so its statement is not cached.
func (s *Store) queryOnce(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	db, err := s.r.DB()
	if err != nil {
		return nil, err
	}
	return db.QueryContext(ctx, s.dialect.bind(query), args...)
}

// query runs a read with a cached prepared statement.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// rawWriteTx runs fn in one write transaction reachable two ways: as the
// *sql.Tx, for statements prepared on it (the import's forecast inserts),
// and through gorm over that same transaction for everything else. gorm
// takes an existing connection through its dialector's Conn, which is how
// the two share the transaction without reaching into gorm's internals.
func (s *Store) rawWriteTx(ctx context.Context, fn func(sqlTx *sql.Tx, tx *gorm.DB) error) error {
	db, err := s.w.DB()
	if err != nil {
		return err
	}
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	tx, err := gorm.Open(s.dialect.over(sqlTx), gormConfig(s.now))
	if err != nil {
		return err
	}
	if err := fn(sqlTx, tx.WithContext(ctx)); err != nil {
		return err
	}
	return sqlTx.Commit()
}
