package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"signpost/scoring"
)

type forecastRow struct {
	ID            int64
	QuestionID    int64
	TournamentID  int64
	UserID        int64
	Probabilities []byte
	Rationale     string
	CreatedAt     int64
}

func (forecastRow) TableName() string { return "forecasts" }

// The forecast INSERT, written once: the writer prepares these and the
// import's move (moveSQL) inserts into forecastColumns too (forecasts are
// inserted nowhere else), each a different source of the same six values.
const (
	forecastColumns    = `forecasts (question_id, tournament_id, user_id, probabilities, rationale, created_at) `
	insertForecastInto = `INSERT INTO ` + forecastColumns
	// insertForecastSQL inserts unconditionally (the benchmarks' fill).
	insertForecastSQL = insertForecastInto + `VALUES (?, ?, ?, ?, ?, ?)`
	// insertIfOpenSQL checks that the question is open at created_at and
	// inserts in one statement, so even outside an explicit transaction no
	// resolution can come between the check and the insert. It inserts
	// nothing when the question is missing or not open (stateAt's rule).
	insertIfOpenSQL = insertForecastInto + `SELECT id, tournament_id, ?, ?, ?, ? FROM questions
		WHERE id = ? AND outcome IS NULL AND annulled = 0 AND opens_at <= ? AND closes_at > ?`
)

func (r forecastRow) toForecast() (Forecast, error) {
	ps, err := decodeProbs(r.Probabilities)
	if err != nil {
		return Forecast{}, err
	}
	return Forecast{ID: r.ID, QuestionID: r.QuestionID, TournamentID: r.TournamentID, UserID: r.UserID,
		Probs: ps, Rationale: r.Rationale, CreatedAt: fromMicros(r.CreatedAt)}, nil
}

// CreateForecast stores a forecast made at f.CreatedAt if the question is
// open at that instant; otherwise ErrConflict (ErrNotFound without the
// question). The check and the insert share one write transaction, so a
// resolution cannot slip in between; concurrent forecasts share that
// transaction (group commit), and each returns only once it is committed.
// The caller has validated the probabilities against the question.
func (s *Store) CreateForecast(ctx context.Context, f Forecast) (Forecast, error) {
	f.CreatedAt = fromMicros(micros(f.CreatedAt))
	return s.forecasts.submit(ctx, f)
}

// UserForecasts returns a user's forecasts on a question, oldest first.
func (s *Store) UserForecasts(ctx context.Context, questionID, userID int64) ([]Forecast, error) {
	var rows []forecastRow
	err := s.r.WithContext(ctx).Where("question_id = ? AND user_id = ?", questionID, userID).
		Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	return toForecasts(rows)
}

// FindForecast returns one forecast by ID.
func (s *Store) FindForecast(ctx context.Context, id int64) (Forecast, error) {
	row, err := s.queryRow(ctx, `SELECT id, question_id, tournament_id, user_id, probabilities, rationale, created_at
		FROM forecasts WHERE id = ?`, id)
	if err != nil {
		return Forecast{}, err
	}
	var r forecastRow
	err = row.Scan(&r.ID, &r.QuestionID, &r.TournamentID, &r.UserID, &r.Probabilities, &r.Rationale, &r.CreatedAt)
	if err != nil {
		return Forecast{}, missing(err, "no forecast %d", id)
	}
	return r.toForecast()
}

// TournamentUserForecasts returns every forecast of a user in a tournament,
// by question and time.
func (s *Store) TournamentUserForecasts(ctx context.Context, tournamentID, userID int64) ([]Forecast, error) {
	var rows []forecastRow
	err := s.r.WithContext(ctx).Where("tournament_id = ? AND user_id = ?", tournamentID, userID).
		Order("question_id, created_at, id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	return toForecasts(rows)
}

func toForecasts(rows []forecastRow) ([]Forecast, error) {
	out := make([]Forecast, len(rows))
	for i, r := range rows {
		f, err := r.toForecast()
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// ScoringForecasts returns one question's forecasts as the scoring package
// takes them: in time order, arrival order breaking ties. It reads the
// covering index (no table lookups), decodes probabilities straight from
// the driver's buffer into one shared slab, and sorts on integers.
func (s *Store) ScoringForecasts(ctx context.Context, questionID int64) ([]scoring.Forecast, error) {
	rows, err := s.query(ctx,
		"SELECT id, user_id, probabilities, created_at FROM forecasts WHERE question_id = ?", questionID)
	if err != nil {
		return nil, err
	}
	return scoringForecasts(rows)
}

// scoringForecasts reads rows of (id, user_id, probabilities, created_at)
// into forecasts in scoring order, and closes rows.
func scoringForecasts(rows *sql.Rows) ([]scoring.Forecast, error) {
	return scanScoringForecasts(rows, nil)
}

// scanScoringForecasts is scoringForecasts calling seen, when not nil,
// with each row's ID.
func scanScoringForecasts(rows *sql.Rows, seen func(id int64)) ([]scoring.Forecast, error) {
	defer rows.Close()
	type item struct {
		at, id, user int64
		off, n       int32
	}
	var items []item
	var slab []float64
	var raw sql.RawBytes
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.user, &raw, &it.at); err != nil {
			return nil, err
		}
		if len(raw) == 0 || len(raw)%8 != 0 {
			return nil, fmt.Errorf("forecast %d: corrupt probabilities (%d bytes)", it.id, len(raw))
		}
		if seen != nil {
			seen(it.id)
		}
		it.off, it.n = int32(len(slab)), int32(len(raw)/8)
		for k := 0; k < len(raw); k += 8 {
			slab = append(slab, math.Float64frombits(binary.LittleEndian.Uint64(raw[k:])))
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b item) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]scoring.Forecast, len(items))
	for i, it := range items {
		out[i] = scoring.Forecast{User: it.user, At: fromMicros(it.at), Probs: slab[it.off : it.off+it.n : it.off+it.n]}
	}
	return out, nil
}

// ForecastDelta is one forecast as the crowd cache follows them.
type ForecastDelta struct {
	ID         int64
	QuestionID int64
	UserID     int64
	Probs      []float64
	CreatedAt  time.Time
}

// ForecastsSince returns up to limit forecasts with ID > afterID in ID order.
// The rowid range makes this cheap when little is new.
func (s *Store) ForecastsSince(ctx context.Context, afterID int64, limit int) ([]ForecastDelta, error) {
	rows, err := s.query(ctx,
		"SELECT id, question_id, user_id, probabilities, created_at FROM forecasts WHERE id > ? ORDER BY id LIMIT ?",
		afterID, limit)
	if err != nil {
		return nil, err
	}
	return scanDeltas(rows, func(d *ForecastDelta, at *int64, raw *sql.RawBytes) error {
		return rows.Scan(&d.ID, &d.QuestionID, &d.UserID, raw, at)
	})
}

// LastForecastID returns the highest forecast ID: a cheap test of whether
// anything is new.
func (s *Store) LastForecastID(ctx context.Context) (int64, error) {
	row, err := s.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM forecasts")
	if err != nil {
		return 0, err
	}
	var id int64
	err = row.Scan(&id)
	return id, err
}

// ForecastsByID returns the forecasts among ids that exist, in ID order:
// for the crowd cache, which asks again for IDs it skipped over while
// their inserts may still have been committing.
func (s *Store) ForecastsByID(ctx context.Context, ids []int64) ([]ForecastDelta, error) {
	var rows []forecastRow
	if err := s.r.WithContext(ctx).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]ForecastDelta, len(rows))
	for i, r := range rows {
		ps, err := decodeProbs(r.Probabilities)
		if err != nil {
			return nil, err
		}
		out[i] = ForecastDelta{ID: r.ID, QuestionID: r.QuestionID, UserID: r.UserID, Probs: ps,
			CreatedAt: fromMicros(r.CreatedAt)}
	}
	return out, nil
}
