package store

import "context"

// QuestionForecasts returns every forecast on a question in time order
// (arrival order breaking ties): once a question is resolved they are
// public.
func (s *Store) QuestionForecasts(ctx context.Context, questionID int64) ([]Forecast, error) {
	var rows []forecastRow
	err := s.r.WithContext(ctx).Where("question_id = ?", questionID).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	return toForecasts(rows)
}
