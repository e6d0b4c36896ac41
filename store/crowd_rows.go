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
	defer rows.Close()
	var out []ForecastDelta
	var raw sql.RawBytes
	for rows.Next() {
		d := ForecastDelta{QuestionID: questionID}
		var at int64
		if err := rows.Scan(&d.UserID, &d.ID, &at, &raw); err != nil {
			return nil, err
		}
		if d.Probs, err = decodeProbs(raw); err != nil {
			return nil, err
		}
		d.CreatedAt = fromMicros(at)
		out = append(out, d)
	}
	return out, rows.Err()
}
