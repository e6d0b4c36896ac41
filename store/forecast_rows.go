package store

import "context"

// ForecastRow is a forecast with its author's username, as tables list it.
type ForecastRow struct {
	Forecast
	Username string
}

// EachForecast calls fn with every forecast of a tournament in time order,
// streamed from the database so memory stays flat; an error from fn stops
// the walk and is returned.
func (s *Store) EachForecast(ctx context.Context, tournamentID int64, fn func(ForecastRow) error) error {
	rows, err := s.r.WithContext(ctx).Raw(`SELECT f.id, f.question_id, f.user_id, u.username, f.probabilities,
		f.rationale, f.created_at FROM forecasts f JOIN users u ON u.id = f.user_id
		WHERE f.tournament_id = ? ORDER BY f.created_at, f.id`, tournamentID).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var blob []byte
	for rows.Next() {
		var r ForecastRow
		var at int64
		if err := rows.Scan(&r.ID, &r.QuestionID, &r.UserID, &r.Username, &blob, &r.Rationale, &at); err != nil {
			return err
		}
		if r.Probs, err = decodeProbs(blob); err != nil {
			return err
		}
		r.TournamentID, r.CreatedAt = tournamentID, fromMicros(at)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
