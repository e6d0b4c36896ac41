package store

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"signpost/scoring"
)

// questionNotices name the notice of each question event that forecasters
// of the question hear of.
var questionNotices = map[string]string{EventQuestionResolved: NoticeResolved,
	EventQuestionAnnulled: NoticeAnnulled, EventQuestionReopened: NoticeReopened}

// fanoutChunk is how many notices one transaction of a delivery writes:
// about 10 ms of the writer each.
const fanoutChunk = 1000

// fanoutRow is a question change whose forecasters have yet to hear of it.
type fanoutRow struct {
	QuestionID int64
	Event      string
	Revision   int64
	Outcome    *int
	ResolvedAt *int64
	CreatedAt  int64
}

func (fanoutRow) TableName() string { return "notice_fanouts" }

// noticeQuestionChange records, inside the change's transaction, that
// everyone who forecast q is to hear of its resolution (with their score),
// annulment or reopening. Writing the notices there held the writer for a
// read and a scoring of every forecast of the question: at 100,000
// forecasts, 260 ms of CPU per resolution in signpost-bench's profile,
// while every forecast POST waited. The notices are written once the
// change has committed (deliverFanouts), reading on a reader connection;
// the row makes sure a stop in between loses none of them. The key
// carries the question's revision: a corrected resolution is news again,
// a retried write of the same change is not.
func (s *Store) noticeQuestionChange(tx *gorm.DB, event string, q Question) error {
	if _, ok := questionNotices[event]; !ok {
		return nil
	}
	f := fanoutRow{QuestionID: q.ID, Event: event, Revision: q.Revision, CreatedAt: micros(s.now())}
	if r := q.Resolution; r != nil && event == EventQuestionResolved {
		at := micros(r.ResolvedAt)
		f.Outcome, f.ResolvedAt = &r.Outcome, &at
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&f).Error; err != nil {
		return err
	}
	if m, ok := tx.Statement.Context.Value(scoreMovesKey{}).(*scoreMoves); ok {
		m.mu.Lock()
		m.fanouts = append(m.fanouts, f)
		m.mu.Unlock()
	}
	return nil
}

// deliverFanouts delivers the fan-outs a write recorded, once it has
// committed. One that fails stays recorded for DeliverPendingNotices.
func (s *Store) deliverFanouts(ctx context.Context, fs []fanoutRow) {
	for _, f := range fs {
		if err := s.deliverFanout(ctx, f); err != nil {
			slog.Warn("notices of a question change not written yet", "question", f.QuestionID, "event", f.Event, "err", err)
		}
	}
}

// fanoutGrace is how old a recorded fan-out must be before
// DeliverPendingNotices takes it: a younger one is most likely being
// delivered by the write that recorded it.
const fanoutGrace = time.Minute

// DeliverPendingNotices delivers the fan-outs a stop left behind (the
// notice sweeper runs it); it returns how many it delivered.
func (s *Store) DeliverPendingNotices(ctx context.Context, now time.Time) (int, error) {
	var fs []fanoutRow
	if err := s.r.WithContext(ctx).Where("created_at <= ?", micros(now.Add(-fanoutGrace))).
		Order("created_at").Find(&fs).Error; err != nil {
		return 0, err
	}
	for i, f := range fs {
		if err := s.deliverFanout(ctx, f); err != nil {
			return i, err
		}
	}
	return len(fs), nil
}

// deliverFanout writes the notices of one question change, each
// forecaster's score taken against the resolution the change made, in
// transactions of fanoutChunk notices, and forgets the fan-out with the
// last of them.
func (s *Store) deliverFanout(ctx context.Context, f fanoutRow) error {
	q, err := findQuestion(s.r.WithContext(ctx), f.QuestionID)
	if err != nil {
		return err
	}
	q.Revision = f.Revision
	if f.Outcome != nil && f.ResolvedAt != nil {
		// As the change left it: resolved, not (yet) annulled.
		q.Resolution = &Resolution{Outcome: *f.Outcome, ResolvedAt: fromMicros(*f.ResolvedAt)}
		q.Annulled = false
	}
	ns, err := s.questionNotices(ctx, questionNotices[f.Event], q)
	if err != nil {
		return err
	}
	for {
		n := min(len(ns), fanoutChunk)
		err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := s.notifyTx(tx, ns[:n]...); err != nil {
				return err
			}
			if n < len(ns) {
				return nil
			}
			return tx.Where("question_id = ? AND event = ? AND revision = ?", f.QuestionID, f.Event, f.Revision).
				Delete(&fanoutRow{}).Error
		})
		if err != nil || n == len(ns) {
			return err
		}
		ns = ns[n:]
	}
}

// SetNoticeScorer makes resolution notices take each forecaster's score
// from score (the leaderboards' cache, which scores a resolution from the
// question's tally in O(forecasters), bit-identical to a full scoring)
// instead of reading and scoring every forecast of the question: at
// 100,000 forecasts that read cost 200 ms of CPU per resolution.
func (s *Store) SetNoticeScorer(score QuestionScorer) { s.noticeScorer.Store(&score) }

// noticeScores scores q, resolved as the change made it, for its notices.
func (s *Store) noticeScores(ctx context.Context, q Question) (scoring.Result, error) {
	if f := s.noticeScorer.Load(); f != nil && *f != nil {
		m, err := s.Membership(ctx, q.TournamentID)
		if err != nil {
			return scoring.Result{}, err
		}
		return (*f)(ctx, &q, m)
	}
	fs, err := s.ScoringForecasts(ctx, q.ID)
	if err != nil {
		return scoring.Result{}, err
	}
	return scoring.ScoreQuestion(q.ScoringQuestion(), fs, nil)
}

// questionNotices are the notices of kind that everyone who forecast q
// gets, read on a reader connection.
func (s *Store) questionNotices(ctx context.Context, kind string, q Question) ([]NewNotification, error) {
	// Walks the (question, user, time) index, no row read.
	var users []int64
	if err := s.r.WithContext(ctx).Raw("SELECT DISTINCT user_id FROM forecasts WHERE question_id = ? ORDER BY user_id", q.ID).
		Scan(&users).Error; err != nil || len(users) == 0 {
		return nil, err
	}
	base := map[string]any{}
	scores := map[int64]scoring.UserScore{}
	switch {
	case kind == NoticeResolved && q.Resolution != nil:
		base["outcome"] = q.Resolution.Outcome
		if o := q.Resolution.Outcome; o >= 0 && o < len(q.Options) {
			base["outcome_label"] = q.Options[o].Label
		}
		// A question the scorer refuses still resolves (the leaderboard
		// reports the fault); its notice goes without a score.
		if res, err := s.noticeScores(ctx, q); err == nil {
			for _, u := range res.Users {
				scores[u.User] = u
			}
		}
	case kind == NoticeAnnulled:
		base["reason"] = q.AnnulReason
		if len(q.AnnulReasonText) > 0 {
			base["reason_i18n"] = q.AnnulReasonText
		}
	}
	key := fmt.Sprintf("%s:%d:%d", kind, q.ID, q.Revision)
	ns := make([]NewNotification, len(users))
	for i, u := range users {
		data := base
		if sc, ok := scores[u]; ok {
			data = maps.Clone(base)
			data["brier"], data["relative"], data["crowd_brier"] = sc.Brier, sc.Relative, sc.CrowdBrier
			data["days_forecast"], data["days_total"] = sc.DaysForecast, sc.DaysTotal
		}
		ns[i] = NewNotification{UserID: u, Kind: kind, QuestionID: q.ID, TournamentID: q.TournamentID, Key: key, Data: data}
	}
	return ns, nil
}
