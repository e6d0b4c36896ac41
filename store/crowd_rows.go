package store

import (
	"context"
	"database/sql"
)

// Each user's latest forecast on one question, per dialect: SQLite takes the
// bare columns from the row holding MAX(created_at); PostgreSQL says so.
const (
	latestOnSQLite = `SELECT user_id, id, MAX(created_at), probabilities
		FROM forecasts WHERE question_id = ? GROUP BY user_id`
	latestOnPostgres = `SELECT DISTINCT ON (user_id) user_id, id, created_at, probabilities
		FROM forecasts WHERE question_id = ? ORDER BY user_id, created_at DESC, id DESC`
)

// LatestForecastsOn returns each user's latest forecast on one question
// (QuestionID set on each). The crowd cache loads a question this way the
// first time it is read, rather than every question at start: on a
// tournament of 10,000 forecasters and 100 questions that start read a
// million rows before the first answer. It walks the question's range of
// the covering index.
func (s *Store) LatestForecastsOn(ctx context.Context, questionID int64) ([]ForecastDelta, error) {
	query := latestOnSQLite
	if s.dialect == postgresDialect {
		query = latestOnPostgres
	}
	rows, err := s.query(ctx, query, questionID)
	if err != nil {
		return nil, err
	}
	return scanDeltas(rows, func(d *ForecastDelta, at *int64, raw *sql.RawBytes) error {
		d.QuestionID = questionID
		return rows.Scan(&d.UserID, &d.ID, at, raw)
	})
}

// scanDeltas reads forecasts off rows, which it closes: scan reads one
// row's columns into the forecast, its time in microseconds and its raw
// probabilities (decoded here, straight from the driver's buffer).
func scanDeltas(rows *sql.Rows, scan func(d *ForecastDelta, at *int64, raw *sql.RawBytes) error) ([]ForecastDelta, error) {
	defer rows.Close()
	var out []ForecastDelta
	var raw sql.RawBytes
	for rows.Next() {
		var d ForecastDelta
		var at int64
		if err := scan(&d, &at, &raw); err != nil {
			return nil, err
		}
		var err error
		if d.Probs, err = decodeProbs(raw); err != nil {
			return nil, err
		}
		d.CreatedAt = fromMicros(at)
		out = append(out, d)
	}
	return out, rows.Err()
}
