package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// pgBatcher inserts a batch of forecasts on PostgreSQL in one statement,
// one round trip: the batch travels as arrays, unnest turns them back into
// rows, and the join keeps only forecasts whose question is open at their
// time (stateAt's rule, as in insertIfOpenSQL). FOR SHARE locks those
// questions until the commit, so a resolution or annulment on another
// instance waits for it, or the check sees the question's new state: no
// forecast lands on a question after the change that bumped its scores.
// The statement commits on its own (autocommit), so a caller hears "stored"
// only once PostgreSQL has made it durable.
type pgBatcher struct {
	db      *sql.DB
	retries int
}

const pgInsertBatchSQL = `WITH batch AS (
	SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::text[], $5::bigint[])
		AS b(question_id, user_id, probabilities, rationale, created_at))
INSERT INTO forecasts (question_id, tournament_id, user_id, probabilities, rationale, created_at)
SELECT b.question_id, q.tournament_id, b.user_id, b.probabilities, b.rationale, b.created_at
FROM batch b JOIN questions q ON q.id = b.question_id
WHERE q.outcome IS NULL AND q.annulled = 0 AND q.opens_at <= b.created_at AND q.closes_at > b.created_at
FOR SHARE OF q
RETURNING id, question_id, user_id, created_at, probabilities, rationale`

// forecastKey is what a returned row has to tell which job it was. Two jobs
// with the same key are the same forecast twice, so either ID fits either.
type forecastKey struct {
	question, user, at int64
	probs, rationale   string
}

func (b *pgBatcher) close() {}

// insertBatch writes the batch in one statement. A constraint violation
// cannot be pinned on one row of the statement, and nothing of it was
// stored: the forecasts are then written one statement each, so the one
// that breaks the rule fails alone.
func (b *pgBatcher) insertBatch(batch []*forecastJob) (*forecastJob, error) {
	err := b.withRetries(batch)
	if !isConstraintViolation(err) {
		return nil, err
	}
	if len(batch) == 1 {
		return batch[0], err
	}
	for _, job := range batch {
		if err := b.withRetries([]*forecastJob{job}); err != nil {
			job.err, job.f.ID = errRefused, 0
		}
	}
	return nil, nil
}

func (b *pgBatcher) withRetries(batch []*forecastJob) error {
	wait := 10 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := b.tryBatch(batch)
		if err == nil || attempt >= b.retries || !retryable(err) {
			return err
		}
		time.Sleep(wait)
		wait *= 2
	}
}

// isConstraintViolation is PostgreSQL's class 23 (integrity constraint).
func isConstraintViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "23")
}

// retryable is an error after which the batch certainly was not stored and
// may succeed again: a serialisation failure or deadlock (rolled back), or
// a connection lost before anything was sent. A connection lost while the
// statement ran may have committed it: that is not retried, the callers
// hear an error, and the forecasts may be there.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	return pgconn.SafeToRetry(err)
}

func (b *pgBatcher) tryBatch(batch []*forecastJob) error {
	ctx := context.Background()
	n := len(batch)
	qids, uids, ats := make([]int64, n), make([]int64, n), make([]int64, n)
	probs, rationales := make([][]byte, n), make([]string, n)
	pending := make(map[forecastKey][]*forecastJob, n)
	for i, job := range batch {
		f := &job.f
		qids[i], uids[i], ats[i] = f.QuestionID, f.UserID, micros(f.CreatedAt)
		probs[i], rationales[i] = encodeProbs(f.Probs), f.Rationale
		k := forecastKey{qids[i], uids[i], ats[i], string(probs[i]), rationales[i]}
		pending[k] = append(pending[k], job)
		f.ID, job.err = 0, nil // a retried batch starts afresh
	}
	rows, err := b.db.QueryContext(ctx, pgInsertBatchSQL, qids, uids, probs, rationales, ats)
	if err != nil {
		return fmt.Errorf("insert forecasts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k forecastKey
		var id int64
		var p []byte
		if err := rows.Scan(&id, &k.question, &k.user, &k.at, &p, &k.rationale); err != nil {
			return err
		}
		k.probs = string(p)
		jobs := pending[k]
		if len(jobs) == 0 {
			return fmt.Errorf("insert forecasts: returned a row nobody sent (question %d)", k.question)
		}
		jobs[0].f.ID = id
		pending[k] = jobs[1:]
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert forecasts: %w", err)
	}
	return b.explainRefusals(ctx, batch)
}

// explainRefusals looks up, for each forecast the statement left out, why
// its question refused it: missing, or not open at its time.
func (b *pgBatcher) explainRefusals(ctx context.Context, batch []*forecastJob) error {
	for _, job := range batch {
		if job.f.ID != 0 {
			continue
		}
		f := &job.f
		var qs questionState
		err := b.db.QueryRowContext(ctx, postgresDialect.bind(questionStateSQL), f.QuestionID).
			Scan(&qs.tournamentID, &qs.opensAt, &qs.closesAt, &qs.resolved, &qs.annulled)
		if err = missing(err, "no question %d", f.QuestionID); err != nil {
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			job.err = err
			continue
		}
		job.err = conflict("question %d is %s, not open", f.QuestionID, qs.state(f.CreatedAt))
	}
	return nil
}
