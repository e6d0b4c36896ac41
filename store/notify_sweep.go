package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// ClosingSoon is how long before a question closes its forecasters are
// told it closes.
const ClosingSoon = 48 * time.Hour

// DefaultStaleDays is Preferences.StaleDays until an account changes it
// (the column default of user_preferences.stale_days).
const DefaultStaleDays = 14

// closingMark prefixes the webhook_marks key recording that a question's
// forecasters were told it closes soon.
const closingMark = "notice.closing:"

// SweepNotices writes the notices the clock brings at now: to everyone
// who forecast a question closing within ClosingSoon (once per question,
// to those who had forecast it when the sweep first saw it), and to each
// forecaster whose standing forecast on an open question is older than
// their stale_days (once per standing forecast: a new forecast makes a new
// one due in time). It returns how many notices it considered; those whose
// user turned the kind off are not written.
func (s *Store) SweepNotices(ctx context.Context, now time.Time) (int, error) {
	// Most sweeps find nothing: look on a reader first, so they cost no
	// write transaction on the one writer connection.
	closing, err := closingQuestions(s.r.WithContext(ctx), now)
	if err != nil {
		return 0, err
	}
	stale, err := staleForecasts(s.r.WithContext(ctx), now)
	if err != nil || len(closing)+len(stale) == 0 {
		return 0, err
	}
	n := 0
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n = 0
		closing, err := closingQuestions(tx, now)
		if err != nil {
			return err
		}
		for _, q := range closing {
			k, err := s.noticeClosing(tx, q, now)
			if err != nil {
				return err
			}
			n += k
		}
		stale, err := staleForecasts(tx, now)
		if err != nil {
			return err
		}
		ns := make([]NewNotification, len(stale))
		for i, f := range stale {
			at := fromMicros(f.CreatedAt)
			ns[i] = NewNotification{UserID: f.UserID, Kind: NoticeStale, QuestionID: f.QuestionID,
				TournamentID: f.TournamentID, Key: "stale:" + strconv.FormatInt(f.ID, 10),
				Data: map[string]any{"forecast_at": at, "days": int(now.Sub(at).Hours() / 24)}}
		}
		n += len(ns)
		return s.notifyTx(tx, ns...)
	})
	return n, err
}

type closingQuestion struct {
	ID           int64
	TournamentID int64
	ClosesAt     int64
}

// closingQuestions are the open questions closing within ClosingSoon of
// now whose forecasters were not told yet.
func closingQuestions(db *gorm.DB, now time.Time) ([]closingQuestion, error) {
	var qs []closingQuestion
	err := db.Raw(`SELECT q.id, q.tournament_id, q.closes_at FROM questions q
		WHERE q.annulled = 0 AND q.outcome IS NULL AND q.opens_at <= ? AND q.closes_at > ? AND q.closes_at <= ?
		AND NOT EXISTS (SELECT 1 FROM webhook_marks m WHERE m.key = ? || q.id)
		ORDER BY q.id`, micros(now), micros(now), micros(now.Add(ClosingSoon)), closingMark).Scan(&qs).Error
	return qs, err
}

// noticeClosing tells everyone who forecast q that it closes soon, and
// marks q told.
func (s *Store) noticeClosing(tx *gorm.DB, q closingQuestion, now time.Time) (int, error) {
	id := strconv.FormatInt(q.ID, 10)
	if err := setMark(tx, closingMark+id, "", now); err != nil {
		return 0, err
	}
	var users []int64
	if err := tx.Raw("SELECT DISTINCT user_id FROM forecasts WHERE question_id = ? ORDER BY user_id", q.ID).
		Scan(&users).Error; err != nil {
		return 0, err
	}
	data := map[string]any{"closes_at": fromMicros(q.ClosesAt)}
	ns := make([]NewNotification, len(users))
	for i, u := range users {
		ns[i] = NewNotification{UserID: u, Kind: NoticeClosing, QuestionID: q.ID, TournamentID: q.TournamentID,
			Key: "closing:" + id, Data: data}
	}
	return len(ns), s.notifyTx(tx, ns...)
}

type staleForecast struct {
	ID           int64
	UserID       int64
	QuestionID   int64
	TournamentID int64
	CreatedAt    int64
}

// staleForecasts are the standing forecasts (each user's latest on a
// question, arrival breaking ties) on open questions that are older than
// their user's stale_days at now, whose user wants stale notices and was
// not told of them yet.
func staleForecasts(db *gorm.DB, now time.Time) ([]staleForecast, error) {
	var fs []staleForecast
	err := db.Raw(`SELECT f.id, f.user_id, f.question_id, f.tournament_id, f.created_at
		FROM forecasts f JOIN questions q ON q.id = f.question_id
		LEFT JOIN user_preferences p ON p.user_id = f.user_id
		WHERE q.annulled = 0 AND q.outcome IS NULL AND q.opens_at <= ? AND q.closes_at > ?
		AND COALESCE(p.notify_stale, 1) = 1
		AND f.created_at <= ? - COALESCE(p.stale_days, ?) * ?
		AND NOT EXISTS (SELECT 1 FROM forecasts g
			WHERE g.question_id = f.question_id AND g.user_id = f.user_id
			AND (g.created_at > f.created_at OR (g.created_at = f.created_at AND g.id > f.id)))
		AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = f.user_id AND n.dedupe_key = ? || f.id)
		ORDER BY f.id`,
		micros(now), micros(now), micros(now), DefaultStaleDays, (24 * time.Hour).Microseconds(), "stale:").
		Scan(&fs).Error
	return fs, err
}
