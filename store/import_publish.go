package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Publishing a staged import. The design, and why it keeps an import all or
// nothing without holding other writers for the whole of it:
//
//   - Everything that can refuse an import (a bad element, an unknown user, a
//     clash with what exists, a broken stream, a cancelled request) happens
//     before or at the commit point, and leaves nothing visible: staged rows
//     are invisible to every reader, which never read import_forecasts.
//   - The commit point is one short transaction: it creates the head
//     (tournament, questions, users, teams, links), maps the import's
//     references to IDs and marks the import "publishing". Its cost grows
//     with the head, not with the forecasts.
//   - After it, the import is decided: the staged forecasts are moved into
//     forecasts in steps of about moveStepTarget each, and a stop (crash,
//     shutdown) only delays the rest, which the next start finishes
//     (RecoverImports). Nothing after the commit point can refuse a row:
//     the references exist and the forecasts were checked when staged.
//   - The score version moves once, when the last step is in, with the
//     revisions of the questions the import added to.
//
// What readers can see while the steps run is the import's new questions
// and a growing part of its forecasts (seconds for a million forecasts). An
// import ID on every forecast, which every reader of forecasts excludes
// until the import's flag flips, would hide that too, at the price of a
// column in the covering index and a filter in each of the many reads of
// the forecasts table (scoring, crowds, histories, export).

// moveStepTarget is how long one step of the move should hold the writer.
const moveStepTarget = 50 * time.Millisecond

// Move steps start at moveStepStart rows and adapt to moveStepTarget
// within [moveStepMin, moveStepMax]. Each step writes every page it
// touches again, so a step of fewer rows costs more per row: the floor
// keeps that cost bounded on a busy machine, at the price of longer steps
// there.
const (
	moveStepStart = 4000
	moveStepMin   = 1000
	moveStepMax   = 50000
	pgMoveStepMax = 5000
)

const (
	refQuestion = 0
	refUser     = 1
)

// moveSQL, after the dialect's insertMany, moves one range of staged
// forecasts. A forecast on a question
// that existed before the import, no later than the tournament's latest
// forecast at the commit point, is skipped when stored already (same
// question, user and time): importing an archive twice adds nothing. An
// archive in time order appended to a tournament (the next chunk of a large
// import) needs almost no such check.
const moveSQL = forecastColumns + `SELECT q.id, ?, u.id, s.probabilities, s.rationale, s.created_at
	FROM import_forecasts s
	JOIN import_refs q ON q.import_id = s.import_id AND q.kind = 0 AND q.ref = s.question_ref
	JOIN import_refs u ON u.import_id = s.import_id AND u.kind = 1 AND u.ref = s.user_ref
	WHERE s.import_id = ? AND ` + inStep + `
	AND (q.fresh = 1 OR s.created_at > ? OR NOT EXISTS
		(SELECT 1 FROM forecasts f WHERE f.question_id = q.id AND f.user_id = u.id AND f.created_at = s.created_at))
	ORDER BY s.question_ref, s.seq`

// A step takes the staged rows from a lower bound (where the last step
// ended) to an upper one, in the order of the staging key (question_ref,
// seq). Starting each scan at the lower bound, rather than at the first
// row of the import, matters on PostgreSQL: the index keeps the rows
// earlier steps deleted until VACUUM, and skipping them again every step
// made the move quadratic.
const (
	inStep       = `(s.question_ref, s.seq) >= (?, ?) AND (s.question_ref, s.seq) < (?, ?)`
	stepBoundSQL = `SELECT question_ref, seq FROM import_forecasts
		WHERE import_id = ? AND (question_ref, seq) >= (?, ?)
		ORDER BY question_ref, seq LIMIT 1 OFFSET ?`
	deleteStepSQL = `DELETE FROM import_forecasts WHERE import_id = ? AND
		(question_ref, seq) >= (?, ?) AND (question_ref, seq) < (?, ?)`
)

// stagingKey is a place in the staging key order.
type stagingKey struct{ qref, seq int64 }

// pastAll is after every staged row.
var pastAll = stagingKey{math.MaxInt64, 0}

// stepEnd is the key of the first staged row n rows after from: pastAll
// when fewer are left.
func stepEnd(tx *sql.Tx, d *dialect, importID int64, from stagingKey, n int64) (stagingKey, error) {
	var k stagingKey
	err := tx.QueryRow(d.bind(stepBoundSQL), importID, from.qref, from.seq, n).Scan(&k.qref, &k.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return pastAll, nil
	}
	return k, err
}

// deleteStep removes the staged rows in [from, to); it returns how many.
func deleteStep(tx *sql.Tx, d *dialect, importID int64, from, to stagingKey) (int64, error) {
	res, err := tx.Exec(d.bind(deleteStepSQL), importID, from.qref, from.seq, to.qref, to.seq)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// publish runs the commit point and the move. Imports publish one at a
// time, so that a second import of the same archive checks its forecasts
// against the first's.
func (s *Store) publish(ctx context.Context, im *importer, head *Archive) (committed bool, err error) {
	err = s.publishing(ctx, func() error {
		if err := s.commitPoint(ctx, im, head); err != nil {
			return err
		}
		committed = true
		// Decided: finished whatever ctx says, or else on the next start.
		counts, err := s.finishImport(context.WithoutCancel(ctx), im.stage.importID, im.opts.Progress)
		im.counts = counts
		return err
	})
	return committed, err
}

// publishing runs fn alone among this store's publishes and, on
// PostgreSQL, among every instance's.
func (s *Store) publishing(ctx context.Context, fn func() error) error {
	s.publishMu.Lock()
	defer s.publishMu.Unlock()
	if s.dialect != postgresDialect {
		return fn()
	}
	return s.exclusively(ctx, lockImport, func(*gorm.DB) error { return fn() })
}

// commitPoint creates the head, records the references and marks the
// import publishing, in one transaction.
func (s *Store) commitPoint(ctx context.Context, im *importer, head *Archive) error {
	return s.rawWriteTx(ctx, func(sqlTx *sql.Tx, tx *gorm.DB) error {
		im.tx = tx
		im.questions, im.preexist, im.users = make(map[string]Question), make(map[int64]bool), make(map[string]int64)
		if err := im.importHead(*head); err != nil {
			return err
		}
		if err := im.importLinks(*head); err != nil {
			return err
		}
		if err := im.importTripwires(*head); err != nil {
			return err
		}
		if err := im.writeRefs(sqlTx, s.dialect); err != nil {
			return err
		}
		counts, err := json.Marshal(im.counts)
		if err != nil {
			return err
		}
		res, err := sqlTx.Exec(s.dialect.bind(`UPDATE imports SET state = 'publishing', tournament_id = ?, latest = ?,
			staged = ?, counts = ?, touched_at = ? WHERE id = ? AND state = 'staging'`),
			im.tourney.ID, im.latest, im.stage.seq, string(counts), micros(s.now()), im.stage.importID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, fmt.Errorf("import %d was abandoned while staging", im.stage.importID))
		}
		return nil
	})
}

// writeRefs records the ID of every question and user the staged
// forecasts name. A user that existed when staged but not now fails the
// import here, naming the first forecast that names it.
func (im *importer) writeRefs(tx *sql.Tx, d *dialect) error {
	var rows [][4]int64 // kind, ref, id, fresh
	for ref, slug := range im.plan.qslugs {
		q, ok := im.questions[slug]
		if !ok {
			return fmt.Errorf("question %q vanished at the commit point", slug)
		}
		fresh := int64(1)
		if im.preexist[q.ID] {
			fresh = 0
			if err := im.recheckWindow(tx, d, int64(ref), q); err != nil {
				return err
			}
		}
		rows = append(rows, [4]int64{refQuestion, int64(ref), q.ID, fresh})
	}
	for ref, name := range im.plan.unames {
		id, ok, err := im.userID(name)
		if err != nil {
			return err
		}
		if !ok {
			f := forecastField(im.plan.firstUse[ref], "username")
			return Invalid(f, "%s: unknown user %q", f, name)
		}
		rows = append(rows, [4]int64{refUser, int64(ref), id, 0})
	}
	const perStatement = 200
	for len(rows) > 0 {
		n := min(len(rows), perStatement)
		args := make([]any, 0, 5*n)
		for _, r := range rows[:n] {
			args = append(args, im.stage.importID, r[0], r[1], r[2], r[3])
		}
		q := "INSERT INTO import_refs (import_id, kind, ref, id, fresh) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?),", n), ",")
		if _, err := tx.Exec(d.bind(q), args...); err != nil {
			return fmt.Errorf("import references: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// recheckWindow refuses the import when an existing question's open window
// changed while it staged (an admin moved the close earlier) and a staged
// forecast now falls outside it: staging checked them against the window
// as it was. The error names the first such forecast.
func (im *importer) recheckWindow(tx *sql.Tx, d *dialect, ref int64, q Question) error {
	planned := im.plan.questions[q.Slug].q
	if planned.OpensAt.Equal(q.OpensAt) && planned.ClosesAt.Equal(q.ClosesAt) {
		return nil
	}
	var first sql.NullInt64
	if err := tx.QueryRow(d.bind(`SELECT MIN(seq) FROM import_forecasts WHERE import_id = ? AND question_ref = ?
		AND (created_at < ? OR created_at >= ?)`), im.stage.importID, ref, micros(q.OpensAt), micros(q.ClosesAt)).
		Scan(&first); err != nil || !first.Valid {
		return err
	}
	f := forecastField(int(first.Int64), "created_at")
	return Invalid(f, "%s is outside the question's open window [opens_at, closes_at), which changed during the import", f)
}

// errNotPublishing: the import is not (or no longer) publishing.
var errNotPublishing = errors.New("the import is not publishing")

// publishState is a publishing import as recorded.
type publishState struct {
	tournamentID, staged, moved, latest, actorID int64
	counts                                       ImportCounts
}

// finishImport moves what is left of a publishing import into forecasts,
// then bumps the revisions and the score version, audits and forgets it.
func (s *Store) finishImport(ctx context.Context, importID int64, progress func(string, int64)) (ImportCounts, error) {
	var ps publishState
	var counts string
	row, err := s.w.WithContext(ctx).Raw(`SELECT tournament_id, staged, moved, latest, actor_id, counts
		FROM imports WHERE id = ? AND state = 'publishing'`, importID).Rows()
	if err != nil {
		return ImportCounts{}, err
	}
	found := row.Next()
	if found {
		err = row.Scan(&ps.tournamentID, &ps.staged, &ps.moved, &ps.latest, &ps.actorID, &counts)
	}
	err = errors.Join(err, row.Err(), row.Close())
	if err == nil && !found {
		err = fmt.Errorf("import %d: %w", importID, errNotPublishing)
	}
	if err == nil {
		err = json.Unmarshal([]byte(counts), &ps.counts)
	}
	if err != nil {
		return ImportCounts{}, err
	}
	if err := s.moveStaged(ctx, importID, &ps, progress); err != nil {
		return ImportCounts{}, err
	}
	if err := s.endImport(ctx, importID, ps); err != nil {
		return ImportCounts{}, err
	}
	t, err := findTournament(s.r.WithContext(ctx), "id = ?", ps.tournamentID)
	ps.counts.Tournament = t.Slug
	return ps.counts, err
}

// moveStaged moves the staged forecasts in steps sized to take about
// moveStepTarget each; each step deletes what it moved, so a restart goes
// on with what is left. It ends when no staged row is left, whatever the
// recorded counts say: a count that went wrong (two processes once moved
// one import at the same time) must not leave an import that no start can
// finish. The step size is tuned from wall-clock time: it changes how the
// work is cut, never what is stored.
func (s *Store) moveStaged(ctx context.Context, importID int64, ps *publishState, progress func(string, int64)) error {
	d := s.dialect
	move, mark := d.bind(d.insertMany+" "+moveSQL), d.bind("UPDATE imports SET moved = ?, counts = ?, touched_at = ? WHERE id = ?")
	step := int64(moveStepStart)
	from := stagingKey{math.MinInt64, math.MinInt64}
	for from != pastAll {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := time.Now()
		var added, moved int64
		to := from
		err := s.shortTx(func(tx *sql.Tx) error {
			var err error
			if to, err = stepEnd(tx, d, importID, from, step); err != nil {
				return err
			}
			res, err := tx.Exec(move, ps.tournamentID, importID, from.qref, from.seq, to.qref, to.seq, ps.latest)
			if err != nil {
				return fmt.Errorf("publish forecasts: %w", err)
			}
			if added, err = res.RowsAffected(); err != nil {
				return err
			}
			if moved, err = deleteStep(tx, d, importID, from, to); err != nil {
				return err
			}
			c := ps.counts
			c.Forecasts += int(added)
			counts, err := json.Marshal(c)
			if err != nil {
				return err
			}
			_, err = tx.Exec(mark, ps.moved+moved, string(counts), micros(s.now()), importID)
			return err
		})
		if err != nil {
			return err
		}
		from = to
		ps.moved, ps.counts.Forecasts = ps.moved+moved, ps.counts.Forecasts+int(added)
		step = nextStep(step, time.Since(start), s.maxMoveStep())
		if progress != nil {
			progress("published", ps.moved)
		}
	}
	return nil
}

// nextStep scales the step toward moveStepTarget, by at most double.
func nextStep(step int64, took time.Duration, most int64) int64 {
	scaled := float64(step) * float64(moveStepTarget) / math.Max(float64(took), 1)
	return int64(math.Max(moveStepMin, math.Min(math.Min(scaled, 2*float64(step)), float64(most))))
}

// maxMoveStep bounds a step. On PostgreSQL, where live writers insert
// beside a step rather than wait for it, a step's forecast IDs may become
// visible after higher ones: readers that follow forecasts by ID (the crowd
// cache) look again at IDs they stepped over, up to 10,000 from one jump
// and for a minute, so a step stays under both. (The import used to lock
// the forecasts table against that, which held live writers for the
// whole of it.)
func (s *Store) maxMoveStep() int64 {
	if s.dialect == postgresDialect {
		return pgMoveStepMax
	}
	return moveStepMax
}

// endImport bumps the revisions of the questions the import added to and
// the score version, audits the import and forgets it, in one transaction.
func (s *Store) endImport(ctx context.Context, importID int64, ps publishState) error {
	ctx, announce := s.trackScoreMoves(ctx)
	err := s.rawWriteTx(ctx, func(_ *sql.Tx, tx *gorm.DB) error {
		if ps.counts.Forecasts > 0 {
			if err := tx.Exec(`UPDATE questions SET revision = revision + 1 WHERE id IN
				(SELECT id FROM import_refs WHERE import_id = ? AND kind = 0)`, importID).Error; err != nil {
				return err
			}
		}
		if err := bumpScoreVersion(tx, ps.tournamentID); err != nil {
			return err
		}
		if err := addAudit(tx, AuditEntry{TournamentID: ps.tournamentID, ActorID: ps.actorID, Action: "import",
			New: rawJSON(ps.counts)}); err != nil {
			return err
		}
		for _, q := range []string{"DELETE FROM import_forecasts WHERE import_id = ?",
			"DELETE FROM import_refs WHERE import_id = ?", "DELETE FROM imports WHERE id = ?"} {
			if err := tx.Exec(q, importID).Error; err != nil {
				return err
			}
		}
		return nil
	})
	announce(err)
	return err
}

// abandonedAfter is how long an import may stage without writing a row
// before another PostgreSQL instance, starting, takes it for abandoned.
// On SQLite one process holds the database, so every import found staging
// at start was abandoned.
const abandonedAfter = 15 * time.Minute

// RecoverImports drops the staged rows of imports that stopped before
// their commit point, and finishes those that stopped after it. Migrate
// runs it; a process that does not migrate runs it at start instead. On
// SQLite it takes every unfinished import for a dead one: only a process
// that has the database to itself may run it (the command line makes sure
// of that with a lock beside the file).
func (s *Store) RecoverImports(ctx context.Context) error {
	var rows []struct {
		ID, TouchedAt int64
		State         string
	}
	if err := s.w.WithContext(ctx).Raw("SELECT id, touched_at, state FROM imports ORDER BY id").
		Scan(&rows).Error; err != nil {
		return err
	}
	stale := micros(s.now())
	if s.dialect == postgresDialect {
		stale -= abandonedAfter.Microseconds()
	}
	for _, r := range rows {
		var err error
		switch {
		case r.State == "publishing":
			err = s.publishing(ctx, func() error {
				_, err := s.finishImport(ctx, r.ID, nil)
				if errors.Is(err, errNotPublishing) {
					return nil // another instance finished it meanwhile
				}
				return err
			})
		case r.TouchedAt <= stale:
			err = s.dropStaged(ctx, r.ID)
		}
		if err != nil {
			return fmt.Errorf("recover import %d: %w", r.ID, err)
		}
	}
	return nil
}

// PendingImports counts the imports staging or publishing right now: an
// import that failed or was cut off leaves none behind.
func (s *Store) PendingImports(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.WithContext(ctx).Raw("SELECT COUNT(*) FROM imports").Scan(&n).Error
	return n, err
}
