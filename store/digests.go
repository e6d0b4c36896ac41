package store

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DigestRun is one round of digests: asked for by an admin (RequestedBy)
// or by the schedule, for one tournament or all (TournamentID 0).
type DigestRun struct {
	ID           int64
	TournamentID int64
	RequestedBy  int64
	CreatedAt    time.Time
	DoneAt       *time.Time
}

// DigestRecipient is a user a run reached, or would have but for the
// holdout.
type DigestRecipient struct {
	UserID  int64
	Holdout bool
}

type digestRunRow struct {
	ID           int64
	TournamentID *int64
	RequestedBy  *int64
	CreatedAt    int64
	DoneAt       *int64
}

func (digestRunRow) TableName() string { return "digest_runs" }

func (r digestRunRow) toRun() DigestRun {
	d := DigestRun{ID: r.ID, CreatedAt: fromMicros(r.CreatedAt)}
	if r.TournamentID != nil {
		d.TournamentID = *r.TournamentID
	}
	if r.RequestedBy != nil {
		d.RequestedBy = *r.RequestedBy
	}
	d.DoneAt = fromMicrosOrNil(r.DoneAt)
	return d
}

type digestGroupRow struct {
	UserID     int64 `gorm:"primaryKey"`
	Holdout    flag
	AssignedAt int64
}

func (digestGroupRow) TableName() string { return "digest_groups" }

type digestRecipientRow struct {
	RunID   int64 `gorm:"primaryKey"`
	UserID  int64 `gorm:"primaryKey"`
	Holdout flag
	SentAt  int64
}

func (digestRecipientRow) TableName() string { return "digest_recipients" }

// DigestHoldout says whether a user is held out of digests, drawing it
// once with draw (true: held out) and keeping the answer: the first draw
// stored wins, so concurrent callers agree.
func (s *Store) DigestHoldout(ctx context.Context, userID int64, draw func() bool, at time.Time) (bool, error) {
	var rows []digestGroupRow
	if err := s.r.WithContext(ctx).Where("user_id = ?", userID).Limit(1).Find(&rows).Error; err != nil {
		return false, err
	}
	if len(rows) == 1 {
		return bool(rows[0].Holdout), nil
	}
	row := digestGroupRow{UserID: userID, Holdout: flag(draw()), AssignedAt: micros(at)}
	if err := s.w.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return false, translate(err, "")
	}
	if err := s.w.WithContext(ctx).Where("user_id = ?", userID).Take(&row).Error; err != nil {
		return false, err
	}
	return bool(row.Holdout), nil
}

// CreateDigestRun records a run to be built by the mail sender.
func (s *Store) CreateDigestRun(ctx context.Context, r DigestRun) (DigestRun, error) {
	row := digestRunRow{TournamentID: nullableID(r.TournamentID), RequestedBy: nullableID(r.RequestedBy),
		CreatedAt: micros(r.CreatedAt)}
	if err := s.w.WithContext(ctx).Create(&row).Error; err != nil {
		return DigestRun{}, translate(err, "")
	}
	return row.toRun(), nil
}

// PendingDigestRuns returns the runs not built yet, oldest first.
func (s *Store) PendingDigestRuns(ctx context.Context) ([]DigestRun, error) {
	var rows []digestRunRow
	if err := s.w.WithContext(ctx).Where("done_at IS NULL").Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]DigestRun, len(rows))
	for i, r := range rows {
		out[i] = r.toRun()
	}
	return out, nil
}

// LastScheduledRun is when the schedule last made a run (zero: never).
func (s *Store) LastScheduledRun(ctx context.Context) (time.Time, error) {
	var at *int64
	err := s.w.WithContext(ctx).Model(&digestRunRow{}).Where("requested_by IS NULL").
		Select("MAX(created_at)").Scan(&at).Error
	if err != nil || at == nil {
		return time.Time{}, err
	}
	return fromMicros(*at), nil
}

// LastDigests returns when each user last received a digest (or was held
// out of one).
func (s *Store) LastDigests(ctx context.Context) (map[int64]time.Time, error) {
	var rows []struct {
		UserID int64
		At     int64
	}
	if err := s.w.WithContext(ctx).Model(&digestRecipientRow{}).Select("user_id, MAX(sent_at) AS at").
		Group("user_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.UserID] = fromMicros(r.At)
	}
	return out, nil
}

// FinishDigestRun records who a run reached, with the mails and tokens it
// made and the marks it leaves for the next run (see Mark), and marks it
// done, in one transaction: a run is built once.
func (s *Store) FinishDigestRun(ctx context.Context, runID int64, at time.Time, who []DigestRecipient,
	toks []MailToken, msgs []OutboxMessage, marks map[string]string) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&digestRunRow{}).Where("id = ? AND done_at IS NULL", runID).Update("done_at", micros(at))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return conflict("digest run %d is done already", runID)
		}
		for _, r := range who {
			row := digestRecipientRow{RunID: runID, UserID: r.UserID, Holdout: flag(r.Holdout), SentAt: micros(at)}
			if err := tx.Create(&row).Error; err != nil {
				return translate(err, "recipient listed twice")
			}
		}
		for k, v := range marks {
			if err := setMark(tx, k, v, at); err != nil {
				return err
			}
		}
		return addMail(tx, toks, msgs)
	})
}

// VerifiedEmails returns every verified address of an active account.
func (s *Store) VerifiedEmails(ctx context.Context) ([]Email, error) {
	var rows []userEmailRow
	if err := s.r.WithContext(ctx).Where("verified_at IS NOT NULL AND user_id IN (SELECT id FROM users WHERE disabled = 0)").
		Order("user_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Email, len(rows))
	for i, r := range rows {
		out[i] = r.toEmail()
	}
	return out, nil
}

// StandingForecasts returns a user's latest forecast on each question that
// is open at at (of one tournament, or all when tournamentID is 0), oldest
// first.
func (s *Store) StandingForecasts(ctx context.Context, userID, tournamentID int64, at time.Time) ([]Forecast, error) {
	var rows []forecastRow
	q := s.r.WithContext(ctx).Raw(`SELECT f.* FROM forecasts f JOIN questions q ON q.id = f.question_id
		WHERE f.user_id = ? AND (? = 0 OR f.tournament_id = ?)
		  AND q.outcome IS NULL AND q.annulled = 0 AND q.opens_at <= ? AND q.closes_at > ?
		  AND f.id = (SELECT g.id FROM forecasts g WHERE g.question_id = f.question_id AND g.user_id = f.user_id
		              ORDER BY g.created_at DESC, g.id DESC LIMIT 1)
		ORDER BY f.created_at, f.id`, userID, tournamentID, tournamentID, micros(at), micros(at))
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Forecast, 0, len(rows))
	for _, r := range rows {
		f, err := r.toForecast()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// DigestGroupReport is what one group (held out or not) did.
type DigestGroupReport struct {
	Holdout bool
	Users   int
	// ForecastsAfterDigest counts forecasts made within 7 days after a
	// digest the forecaster received (or was held out of).
	ForecastsAfterDigest int
	// MedianStandingAge is the median age at the report's instant of the
	// group's standing forecasts on open questions (0: none).
	MedianStandingAge time.Duration
	StandingForecasts int
}

// DigestReport compares the users held out of digests with the others.
func (s *Store) DigestReport(ctx context.Context, at time.Time) ([]DigestGroupReport, error) {
	out := []DigestGroupReport{{Holdout: false}, {Holdout: true}}
	db := s.r.WithContext(ctx)
	for i := range out {
		h := flag(out[i].Holdout)
		var users int64
		if err := db.Model(&digestGroupRow{}).Where("holdout = ?", h).Count(&users).Error; err != nil {
			return nil, err
		}
		out[i].Users = int(users)
		var after int64
		if err := db.Raw(`SELECT COUNT(*) FROM forecasts f WHERE f.user_id IN
			(SELECT user_id FROM digest_groups WHERE holdout = ?) AND EXISTS (SELECT 1 FROM digest_recipients r
			WHERE r.user_id = f.user_id AND f.created_at >= r.sent_at AND f.created_at < r.sent_at + ?)`,
			h, int64(7*24*time.Hour/time.Microsecond)).Scan(&after).Error; err != nil {
			return nil, err
		}
		out[i].ForecastsAfterDigest = int(after)
		var created []int64
		if err := db.Raw(`SELECT f.created_at FROM forecasts f JOIN questions q ON q.id = f.question_id
			WHERE f.user_id IN (SELECT user_id FROM digest_groups WHERE holdout = ?)
			  AND q.outcome IS NULL AND q.annulled = 0 AND q.opens_at <= ? AND q.closes_at > ?
			  AND f.id = (SELECT g.id FROM forecasts g WHERE g.question_id = f.question_id AND g.user_id = f.user_id
			              ORDER BY g.created_at DESC, g.id DESC LIMIT 1)`, h, micros(at), micros(at)).
			Scan(&created).Error; err != nil {
			return nil, err
		}
		out[i].StandingForecasts = len(created)
		out[i].MedianStandingAge = medianAge(created, at)
	}
	return out, nil
}

func medianAge(created []int64, at time.Time) time.Duration {
	if len(created) == 0 {
		return 0
	}
	ages := make([]time.Duration, len(created))
	for i, c := range created {
		ages[i] = at.Sub(fromMicros(c))
	}
	slices.Sort(ages)
	n := len(ages)
	if n%2 == 1 {
		return ages[n/2]
	}
	return (ages[n/2-1] + ages[n/2]) / 2
}

// ResolvedSince returns the IDs of the questions a user forecast that were
// resolved (not annulled) in [since, until), of one tournament or all (0).
func (s *Store) ResolvedSince(ctx context.Context, userID, tournamentID int64, since, until time.Time) ([]int64, error) {
	var ids []int64
	err := s.r.WithContext(ctx).Raw(`SELECT q.id FROM questions q WHERE q.outcome IS NOT NULL AND q.annulled = 0
		AND q.resolved_at >= ? AND q.resolved_at < ? AND (? = 0 OR q.tournament_id = ?)
		AND EXISTS (SELECT 1 FROM forecasts f WHERE f.question_id = q.id AND f.user_id = ?)
		ORDER BY q.resolved_at, q.id`, micros(since), micros(until), tournamentID, tournamentID, userID).
		Scan(&ids).Error
	return ids, err
}
