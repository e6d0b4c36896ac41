package store

import (
	"context"
	"sync"

	"signpost/scoring"
)

// OnForecastsStored registers fn to hear, once per committed batch, the
// forecasts this process's writer stored, in commit order, before their
// callers are answered: caches that follow forecasts (a question's scoring
// tally) subscribe instead of the handlers telling them. fn runs on the
// writing goroutine: it must be quick and must not write through the
// store, nor keep the slice. Forecasts stored by an import or by another
// process are not heard: a follower checks a question's ForecastMark
// before trusting what it followed.
func (s *Store) OnForecastsStored(fn func([]Forecast)) {
	s.storedHooks.mu.Lock()
	defer s.storedHooks.mu.Unlock()
	s.storedHooks.fns = append(s.storedHooks.fns, fn)
}

type forecastHooks struct {
	mu  sync.RWMutex
	fns []func([]Forecast)
}

// forecastsStored tells the subscribers of a committed batch's forecasts.
func (s *Store) forecastsStored(batch []*forecastJob) {
	s.storedHooks.mu.RLock()
	defer s.storedHooks.mu.RUnlock()
	if len(s.storedHooks.fns) == 0 {
		return
	}
	fs := make([]Forecast, 0, len(batch))
	for _, job := range batch {
		if job.err == nil && job.f.ID != 0 {
			fs = append(fs, job.f)
		}
	}
	if len(fs) == 0 {
		return
	}
	for _, fn := range s.storedHooks.fns {
		fn(fs)
	}
}

// ForecastMark sums up a question's stored forecasts: how many, and the
// highest ID. A follower whose mark equals the table's holds every
// forecast (IDs only grow, and a deletion lowers the count).
type ForecastMark struct {
	Count int
	MaxID int64
}

// Add returns m with forecast id counted.
func (m ForecastMark) Add(id int64) ForecastMark {
	return ForecastMark{Count: m.Count + 1, MaxID: max(m.MaxID, id)}
}

// QuestionForecastMark reads a question's ForecastMark from its index
// entries (no table rows).
func (s *Store) QuestionForecastMark(ctx context.Context, questionID int64) (ForecastMark, error) {
	row, err := s.queryRow(ctx, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM forecasts WHERE question_id = ?", questionID)
	if err != nil {
		return ForecastMark{}, err
	}
	var m ForecastMark
	err = row.Scan(&m.Count, &m.MaxID)
	return m, err
}

// TallyForecasts is ScoringForecasts with the mark of what it read, from
// the same snapshot.
func (s *Store) TallyForecasts(ctx context.Context, questionID int64) ([]scoring.Forecast, ForecastMark, error) {
	rows, err := s.query(ctx,
		"SELECT id, user_id, probabilities, created_at FROM forecasts WHERE question_id = ?", questionID)
	if err != nil {
		return nil, ForecastMark{}, err
	}
	var m ForecastMark
	fs, err := scanScoringForecasts(rows, func(id int64) { m = m.Add(id) })
	return fs, m, err
}
