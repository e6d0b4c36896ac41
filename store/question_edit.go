package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// QuestionEdit is an admin's change to a question; nil fields stay. Title
// and criteria are wording and may change at any time; sources and the
// close date may change only while nobody has forecast, since forecasters
// committed to the question as it stood.
type QuestionEdit struct {
	Title    Text
	Criteria Text
	Sources  *[]string
	ClosesAt *time.Time
}

// EditQuestion applies an edit at `at`, records old and new values in the
// audit log and moves the question's revision. Changing sources or the
// close date of a question with forecasts is ErrConflict.
func (s *Store) EditQuestion(ctx context.Context, id int64, e QuestionEdit, at time.Time, actorID int64) (Question, error) {
	var out Question
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := findQuestion(tx, id)
		if err != nil {
			return err
		}
		if e.ClosesAt != nil && q.Mirrors != 0 {
			return conflict("question %d is a conditional branch: it closes with its scenario question %d", id, q.Mirrors)
		}
		if e.Sources != nil || e.ClosesAt != nil {
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM (SELECT 1 FROM forecasts WHERE question_id = ? LIMIT 1) AS probe", id).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return conflict("question %d has forecasts: only its title and criteria may change", id)
			}
		}
		old, changed := map[string]any{}, map[string]any{}
		upd := map[string]any{"revision": gorm.Expr("revision + 1"), "edited_at": micros(at)}
		if e.Title != nil {
			old["title"], changed["title"], q.Title = q.Title, e.Title, e.Title
			if upd["title"], err = encodeJSON(e.Title); err != nil {
				return err
			}
		}
		if e.Criteria != nil {
			old["criteria"], changed["criteria"], q.Criteria = q.Criteria, e.Criteria, e.Criteria
			if upd["criteria"], err = encodeJSON(e.Criteria); err != nil {
				return err
			}
		}
		if e.Sources != nil {
			old["resolution_source"], changed["resolution_source"] = q.Extra.ResolutionSource, *e.Sources
			q.Extra.ResolutionSource = *e.Sources
			if upd["extra"], err = encodeJSON(q.Extra); err != nil {
				return err
			}
		}
		if e.ClosesAt != nil {
			old["closes_at"], changed["closes_at"], q.ClosesAt = q.ClosesAt, *e.ClosesAt, *e.ClosesAt
			upd["closes_at"] = micros(*e.ClosesAt)
		}
		if err := ValidateQuestion(&q); err != nil {
			return err
		}
		if err := tx.Model(&questionRow{}).Where("id = ?", id).Updates(upd).Error; err != nil {
			return err
		}
		if err := addAudit(tx, AuditEntry{TournamentID: q.TournamentID, QuestionID: id, ActorID: actorID,
			Action: "edit_question", Old: rawJSON(old), New: rawJSON(changed)}); err != nil {
			return err
		}
		if e.ClosesAt != nil {
			if err := followClose(tx, q, *e.ClosesAt); err != nil {
				return err
			}
		}
		out, err = findQuestion(tx, id)
		return err
	})
	return out, err
}
