package store

import (
	"fmt"
	"maps"
	"slices"

	"gorm.io/gorm"

	"signpost/scoring"
)

// questionNotices name the notice of each question event that forecasters
// of the question hear of.
var questionNotices = map[string]string{EventQuestionResolved: NoticeResolved,
	EventQuestionAnnulled: NoticeAnnulled, EventQuestionReopened: NoticeReopened}

// noticeQuestionChange tells everyone who forecast q of its resolution
// (with their score), annulment or reopening, inside the change's
// transaction. The key carries the question's revision: a corrected
// resolution is news again, a retried write of the same change is not.
func (s *Store) noticeQuestionChange(tx *gorm.DB, event string, q Question) error {
	kind, ok := questionNotices[event]
	if !ok {
		return nil
	}
	rows, err := tx.Raw("SELECT id, user_id, probabilities, created_at FROM forecasts WHERE question_id = ?", q.ID).Rows()
	if err != nil {
		return err
	}
	fs, err := scoringForecasts(rows)
	if err != nil || len(fs) == 0 {
		return err
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
		if res, err := scoring.ScoreQuestion(q.ScoringQuestion(), fs, nil); err == nil {
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
	users := make([]int64, 0, len(fs))
	for _, f := range fs {
		users = append(users, f.User)
	}
	slices.Sort(users)
	users = slices.Compact(users)
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
	return s.notifyTx(tx, ns...)
}
