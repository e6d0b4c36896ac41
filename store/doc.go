// Package store owns Signpost's schema, transactions and queries. It hands
// out plain domain types (User, Question, Forecast, ...) and translates
// driver errors into ErrNotFound, ErrConflict and ErrInvalid; no row type
// leaves this package.
//
// # Two databases
//
// A SQLite file by default; a PostgreSQL server for a postgres:// address
// (postgres.go), for several server instances on one database. Everything
// the two disagree on lives in dialect.go (a few statements, and ? turned
// into $1 for database/sql) and in the migrations, each written once for
// both databases with its differences marked where they occur (migrate.go),
// which a test checks by comparing the schemas they make. A released
// migration never changes: migrations/released.sum holds the SHA-256 of the
// SQL each database runs for it, a test fails on any edit, and a new
// migration appends its lines in the commit that adds it. Probabilities are the same little-endian float64
// bytes on both (BLOB, BYTEA); yes/no columns are the integers 0 and 1 on
// both (flag). One-time work that several instances could start together
// (migrating, seeding) takes a PostgreSQL advisory lock (exclusively,
// once). Copy moves a whole database from one to the other.
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
//     with its statements prepared once on SQLite's one writer connection;
//     on PostgreSQL pgwriter.go's one statement per batch); the
//     scans behind scores and the crowd (ScoringForecasts, ForecastsSince,
//     LatestForecastsOn, LastForecastID), which decode probabilities straight
//     from the driver's buffer, and the one-row reads made on every cached
//     page view (FindForecast, QuestionRevision, TournamentVersion), and
//     what every leaderboard build reads besides forecasts (Membership,
//     ScoredUsers, and RescoreTeams' reads of a team's members'
//     forecasts), all through rawsql.go's query and queryRow,
//     whose statements readStmts prepares once per pooled connection (or
//     queryOnce for an IN list whose length varies); and the import's
//     forecast inserts, prepared once per import on the transaction
//     rawWriteTx opens, which hands gorm that same transaction through its
//     dialector's Conn for the import's other steps; and Copy, which scans
//     rows of a gorm query with database/sql because gorm's map scan turns
//     bytes into text. (The background WAL
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
//     columns of the SQL migrations in migrations/, which alone define
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
