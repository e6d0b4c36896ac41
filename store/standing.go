package store

import (
	"context"
	"time"
)

// StandingBefore returns every user's latest forecast on a question made
// strictly before an instant (later arrival breaking ties), as
// scoring.Standing does from all forecasts, ready for scoring.Crowd: the
// crowd as it stood then. Each user costs one seek of the
// forecasts_question_user_time index instead of reading every forecast.
func (s *Store) StandingBefore(ctx context.Context, questionID int64, before time.Time) ([][]float64, error) {
	rows, err := s.query(ctx, `SELECT (SELECT probabilities FROM forecasts f
			WHERE f.question_id = u.question_id AND f.user_id = u.user_id AND f.created_at < ?
			ORDER BY f.created_at DESC, f.id DESC LIMIT 1)
		FROM (SELECT DISTINCT question_id, user_id FROM forecasts WHERE question_id = ?) u
		ORDER BY u.user_id`, micros(before), questionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]float64
	for rows.Next() {
		var blob []byte
		if err := rows.Scan(&blob); err != nil {
			return nil, err
		}
		if blob == nil { // no forecast before the instant
			continue
		}
		p, err := decodeProbs(blob)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
