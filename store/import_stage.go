package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"signpost/scoring"
)

// importPlan is what staging checks each forecast against, read before
// anything is written: the questions a forecast may name (the tournament's
// and the archive's) and the users (the archive's, or any existing one).
// Questions and users get the import's own reference numbers as forecasts
// first name them; the commit point maps those to IDs (import_refs).
type importPlan struct {
	questions map[string]*plannedQuestion // by slug
	qslugs    []string                    // question ref -> slug
	known     map[string]bool             // the archive's usernames
	users     map[string]int64            // username -> user ref
	unames    []string                    // user ref -> username
	archived  []Question                  // the archive's questions, checked
	firstUse  []int                       // user ref -> first forecast naming it, for errors
}

type plannedQuestion struct {
	q   Question
	ref int64 // -1 until a forecast names it
}

// planHead checks the tournament, questions and users of the archive
// (errors name their fields) and reads the tournament's questions, if it
// exists, on the read pool: nothing is written yet. The commit point
// checks them again against the database as it is then.
func (im *importer) planHead(ctx context.Context, a *Archive) error {
	p := importPlan{questions: make(map[string]*plannedQuestion), known: make(map[string]bool), users: make(map[string]int64)}
	t, err := a.Tournament.toTournament()
	if err != nil {
		return err
	}
	existing, err := im.s.FindTournamentBySlug(ctx, t.Slug)
	switch {
	case err == nil:
		var rows []questionRow
		if err := questionQuery(im.s.r.WithContext(ctx)).Where("questions.tournament_id = ?", existing.ID).
			Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			q, err := r.toQuestion()
			if err != nil {
				return err
			}
			p.questions[q.Slug] = &plannedQuestion{q: q, ref: -1}
		}
	case !errors.Is(err, ErrNotFound):
		return err
	}
	qs, err := archiveQuestions(a.Questions, im.now)
	if err != nil {
		return err
	}
	p.archived = qs
	for _, q := range qs {
		if p.questions[q.Slug] == nil {
			p.questions[q.Slug] = &plannedQuestion{q: q, ref: -1}
		}
	}
	for i, au := range a.Users {
		at := fmt.Sprintf("users[%d].", i)
		name, err := NormalizeUsername(au.Username)
		if err != nil {
			return prefixField(at, err)
		}
		if p.known[name] {
			return Invalid(at+"username", "%susername %q appears twice", at, name)
		}
		if au.Password != "" {
			if err := ValidatePassword(au.Password); err != nil {
				return prefixField(at, err)
			}
		}
		if _, err := NormalizeDisplayName(au.DisplayName, name); err != nil {
			return prefixField(at, err)
		}
		p.known[name] = true
	}
	im.plan = p
	return nil
}

// userRef is the reference of a forecast's user: one of the archive's, or
// an existing user (read on the read pool, once per name).
func (im *importer) userRef(ctx context.Context, name string, i int) (int64, bool, error) {
	p := &im.plan
	if ref, ok := p.users[name]; ok {
		return ref, true, nil
	}
	if !p.known[name] {
		if _, err := im.s.FindUserByUsername(ctx, name); errors.Is(err, ErrNotFound) {
			return 0, false, nil
		} else if err != nil {
			return 0, false, err
		}
	}
	ref := int64(len(p.unames))
	p.users[name] = ref
	p.unames = append(p.unames, name)
	p.firstUse = append(p.firstUse, i)
	return ref, true, nil
}

func (im *importer) stageForecasts(ctx context.Context, fs []ArchiveForecast) error {
	for i := range fs {
		if err := im.stageForecast(ctx, i, &fs[i]); err != nil {
			return err
		}
	}
	return nil
}

// stageForecast validates the archive's i-th forecast and stages it. Field
// paths are only built on error: this runs a million times on a big import.
func (im *importer) stageForecast(ctx context.Context, i int, af *ArchiveForecast) error {
	if err := CheckText("rationale", af.Rationale); err != nil {
		return prefixField(forecastField(i, ""), err)
	}
	pq := im.plan.questions[af.QuestionSlug]
	if pq == nil {
		f := forecastField(i, "question_slug")
		return Invalid(f, "%s: unknown question %q", f, af.QuestionSlug)
	}
	uref, ok, err := im.userRef(ctx, af.Username, i)
	if err != nil {
		return err
	}
	if !ok {
		f := forecastField(i, "username")
		return Invalid(f, "%s: unknown user %q", f, af.Username)
	}
	q := &pq.q
	created, ok := archiveTime(af.CreatedAt)
	if !ok {
		f := forecastField(i, "created_at")
		return Invalid(f, "%s must be an RFC 3339 time", f)
	}
	if created.Before(q.OpensAt) || !created.Before(q.ClosesAt) {
		f := forecastField(i, "created_at")
		return Invalid(f, "%s is outside the question's open window [opens_at, closes_at)", f)
	}
	if created.After(im.now) {
		f := forecastField(i, "created_at")
		return Invalid(f, "%s is in the future", f)
	}
	if err := scoring.Validate(af.Probabilities, len(q.Options)); err != nil {
		return Invalid(forecastField(i, "probabilities"), "forecasts[%d].%s", i, err.Error())
	}
	if pq.ref < 0 {
		pq.ref = int64(len(im.plan.qslugs))
		im.plan.qslugs = append(im.plan.qslugs, q.Slug)
	}
	return im.stage.add(ctx, stagedForecast{qref: pq.ref, uref: uref, probs: encodeProbs(af.Probabilities),
		rationale: af.Rationale, at: micros(created)})
}

// stager writes staged forecasts in short transactions of stageBatch
// rows: live writers wait for one of them at most.
type stager struct {
	s        *Store
	importID int64
	seq      int64 // forecasts staged so far
	rows     []stagedForecast
	progress func(phase string, forecasts int64)
	// full is the prepared stageRowsPerStatement-row INSERT on SQLite:
	// parsing its 896 parameters on every use cost as much as the insert.
	full *sql.Stmt
}

// close releases the prepared statement.
func (st *stager) close() {
	if st.full != nil {
		st.full.Close()
	}
}

type stagedForecast struct {
	qref, uref int64
	probs      []byte
	rationale  string
	at         int64
}

// stageBatch rows are staged per transaction: a few milliseconds' work.
const stageBatch = 2048

// stageRowsPerStatement rows go in one multi-row INSERT on SQLite (7
// parameters each, well under SQLite's limit of 32,766).
const stageRowsPerStatement = 128

// importRow is an import in progress (see migration 0010).
type importRow struct {
	ID        int64
	State     string
	ActorID   int64
	TouchedAt int64
}

func (importRow) TableName() string { return "imports" }

// startStaging records a new import, in the state "staging".
func (s *Store) startStaging(ctx context.Context, actorID int64, progress func(string, int64)) (*stager, error) {
	row := importRow{State: "staging", ActorID: actorID, TouchedAt: micros(s.now())}
	if err := s.w.WithContext(ctx).Create(&row).Error; err != nil {
		return nil, err
	}
	return &stager{s: s, importID: row.ID, rows: make([]stagedForecast, 0, stageBatch), progress: progress}, nil
}

func (st *stager) add(ctx context.Context, f stagedForecast) error {
	st.rows = append(st.rows, f)
	if len(st.rows) < stageBatch {
		return nil
	}
	return st.flush(ctx)
}

// flush writes the queued rows and the import's staged count in one short
// transaction. ctx is checked here rather than handed to the statements,
// because the SQLite driver watches a cancellable context with a goroutine
// per statement.
func (st *stager) flush(ctx context.Context) error {
	if len(st.rows) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s := st.s
	if st.full == nil && s.dialect != postgresDialect {
		// Prepared outside the transaction, which holds the writer pool's
		// one connection.
		db, err := s.w.DB()
		if err != nil {
			return err
		}
		if st.full, err = db.Prepare(fullStageInsert); err != nil {
			return err
		}
	}
	err := s.shortTx(func(tx *sql.Tx) error {
		var err error
		if s.dialect == postgresDialect {
			err = pgStage(tx, st.importID, st.seq, st.rows)
		} else {
			err = st.sqliteStage(tx)
		}
		if err != nil {
			return fmt.Errorf("stage forecasts: %w", err)
		}
		return touchImport(tx, s, st.importID, st.seq+int64(len(st.rows)))
	})
	if err != nil {
		return err
	}
	st.seq += int64(len(st.rows))
	st.rows = st.rows[:0]
	if st.progress != nil {
		st.progress("staged", st.seq)
	}
	return nil
}

// touchImport records how many forecasts are staged, and that the import is
// alive (an import untouched for long is taken for abandoned: see
// RecoverImports). It fails when the import was dropped meanwhile.
func touchImport(tx *sql.Tx, s *Store, importID, staged int64) error {
	res, err := tx.Exec(s.dialect.bind("UPDATE imports SET staged = ?, touched_at = ? WHERE id = ? AND state = 'staging'"),
		staged, micros(s.now()), importID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(err, fmt.Errorf("import %d was abandoned while staging", importID))
	}
	return nil
}

// stageInsertInto is SQLite's (sqliteStage): its OR FAIL spares each
// multi-row statement a statement journal (dialect.insertMany).
var stageInsertInto = sqliteDialect.insertMany + ` import_forecasts
	(import_id, seq, question_ref, user_ref, probabilities, rationale, created_at) VALUES `

// sqliteStage inserts the queued rows with multi-row statements: one cgo
// call per stageRowsPerStatement rows instead of one per row.
func (st *stager) sqliteStage(tx *sql.Tx) error {
	// The writer pool has one connection: tx.Stmt reuses the statement
	// prepared there rather than preparing it again.
	full := tx.Stmt(st.full)
	defer full.Close()
	rows, seq := st.rows, st.seq
	args := make([]any, 0, 7*stageRowsPerStatement)
	for len(rows) > 0 {
		n := min(len(rows), stageRowsPerStatement)
		args = args[:0]
		for k, r := range rows[:n] {
			args = append(args, st.importID, seq+int64(k), r.qref, r.uref, r.probs, r.rationale, r.at)
		}
		var err error
		if n == stageRowsPerStatement {
			_, err = full.Exec(args...)
		} else {
			_, err = tx.Exec(stageValues(n), args...)
		}
		if err != nil {
			return err
		}
		rows, seq = rows[n:], seq+int64(n)
	}
	return nil
}

func stageValues(n int) string {
	return stageInsertInto + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?),", n), ",")
}

var fullStageInsert = stageValues(stageRowsPerStatement)

// shortTx runs fn in one transaction on the writer: one bounded step of an
// import, so live writers wait for no more than one step.
func (s *Store) shortTx(fn func(tx *sql.Tx) error) error {
	db, err := s.w.DB()
	if err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// dropStepRows staged rows are deleted per transaction when an import is
// dropped.
const dropStepRows = 20000

// dropStaged removes an unpublished import and its staged rows, in
// bounded steps.
func (s *Store) dropStaged(ctx context.Context, importID int64) error {
	for from := (stagingKey{math.MinInt64, math.MinInt64}); from != pastAll; {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.shortTx(func(tx *sql.Tx) error {
			to, err := stepEnd(tx, s.dialect, importID, from, dropStepRows)
			if err == nil {
				_, err = deleteStep(tx, s.dialect, importID, from, to)
			}
			from = to
			return err
		}); err != nil {
			return err
		}
	}
	return s.shortTx(func(tx *sql.Tx) error {
		for _, q := range []string{"DELETE FROM import_refs WHERE import_id = ?", "DELETE FROM imports WHERE id = ?"} {
			if _, err := tx.Exec(s.dialect.bind(q), importID); err != nil {
				return err
			}
		}
		return nil
	})
}
