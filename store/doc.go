// Package store owns Signpost's schema, transactions and queries. It hands
// out plain domain types (User, Question, Forecast, ...) and translates
// driver errors into ErrNotFound, ErrConflict and ErrInvalid; no row type
// leaves this package.
//
// # How the store reaches the database
//
// One rule, so that a reader meets one style per kind of work:
//
//   - gorm by default. Every ordinary read and write is a gorm chain, or
//     gorm's Raw/Exec where a chain would say it worse (a MAX, a counter
//     bump), on the read pool (s.r), the writer (s.w) or the *gorm.DB of a
//     transaction. Transactions are gorm's Transaction on the writer.
//   - database/sql only on the measured hot paths listed here, each in one
//     place: the forecast writer (writer.go: a forecast POST, group commit
//     with its statements prepared once on the one writer connection); the
//     scans behind scores and the crowd (ScoringForecasts, ForecastsSince,
//     LatestForecasts, LastForecastID), which decode probabilities straight
//     from the driver's buffer, and the one-row reads made on every cached
//     page view (FindForecast, QuestionRevision, TournamentVersion), all
//     through rawsql.go's query, queryRow and rawReadTx, whose statements
//     readStmts prepares once per pooled connection; and the import's
//     forecast inserts, prepared once per import on the transaction
//     rawWriteTx opens, which hands gorm that same transaction through its
//     dialector's Conn for the import's other steps. (The background WAL
//     checkpointer has a connection of its own and runs only PRAGMAs.) Each
//     left gorm because a profile of the benchmark (cmd/signpost-bench)
//     showed gorm's cost there; anything else starts as gorm.
//   - One way to say "not found": a one-row lookup uses gorm's Take (or a
//     hot path's Row.Scan) and passes the error through missing, which turns
//     gorm.ErrRecordNotFound and sql.ErrNoRows alike into ErrNotFound with a
//     message. Writes pass gorm's translated errors (TranslateError is on)
//     through translate: a unique index taken is ErrConflict, never a
//     check-then-insert.
//   - Row structs (userRow, questionRow, ...) are unexported and mirror the
//     columns of the SQL migrations in migrations/sqlite, which alone define
//     the schema (Migrate; never AutoMigrate). The only gorm tag is "->" on
//     a column filled by a join, so that Create does not write it.
//   - The forecast INSERT is written once (forecasts.go) and the question
//     state rule once (stateAt); the SQL that checks "open" in the writer
//     states the same rule.
//   - Time comes from the store's clock (Options.Now), which also is gorm's
//     NowFunc, so helpers that only hold a transaction read it with clock(tx).
//     Nothing here calls time.Now.
//   - Every exported method takes ctx first and uses it (WithContext, or the
//     Context variants of database/sql). Two documented exceptions: the
//     import's forecast inserts, because the SQLite driver starts a
//     goroutine per statement for a cancellable context, which was measured
//     to slow a million-row loop (ctx is checked every 4,096 rows instead);
//     and the forecast writer, which commits a queued forecast whatever its
//     caller's context does, so that an answer never lies about what is
//     stored.
package store
