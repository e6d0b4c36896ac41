package store

import (
	"time"

	"gorm.io/gorm"
)

// Branches follow their scenario question: they close when it closes, and
// an admin may not leave a conditional pair without a live branch.

// followClose moves the close of every branch of scenario q to closes,
// inside the transaction that moved q's: a branch open after its scenario
// closed would take forecasts on a question nobody may forecast any more.
// A branch that would open after the new close opens then.
func followClose(tx *gorm.DB, q Question, closes time.Time) error {
	var branches []questionRow
	if err := tx.Where("mirrors = ?", q.ID).Order("id").Find(&branches).Error; err != nil {
		return err
	}
	at := micros(closes)
	for _, b := range branches {
		if b.ClosesAt == at {
			continue
		}
		if err := tx.Model(&questionRow{}).Where("id = ?", b.ID).Updates(map[string]any{
			"closes_at": at, "opens_at": min(b.OpensAt, at), "revision": gorm.Expr("revision + 1")}).Error; err != nil {
			return err
		}
		if err := addAudit(tx, AuditEntry{TournamentID: b.TournamentID, QuestionID: b.ID, Action: "edit_question",
			Old: rawJSON(map[string]any{"closes_at": fromMicros(b.ClosesAt)}),
			New: rawJSON(map[string]any{"closes_at": closes})}); err != nil {
			return err
		}
	}
	if len(branches) == 0 {
		return nil
	}
	return bumpScoreVersion(tx, q.TournamentID) // branch scores end at the new close
}

// checkBranchAnnul refuses an admin's annulment of branch q when its
// sibling (the pair's other branch) is annulled already: the pair would
// have no live branch left, and the indicator's resolution nothing to
// follow.
func checkBranchAnnul(tx *gorm.DB, q Question) error {
	if q.Condition == nil {
		return nil
	}
	sibling := tx.Model(&questionRow{}).Where("mirrors = ? AND condition_question_id = ? AND condition_outcome <> ? AND id <> ? AND annulled = ?",
		q.Mirrors, q.Condition.QuestionID, q.Condition.Outcome, q.ID, flag(false))
	if th := q.Condition.Threshold; th > 0 {
		sibling = sibling.Where("condition_threshold = ?", th)
	} else {
		sibling = sibling.Where("condition_threshold IS NULL") // a binary indicator's
	}
	var live int64
	if err := sibling.Count(&live).Error; err != nil {
		return err
	}
	if live == 0 {
		return conflict("question %d is the last live branch of its pair under question %d: annul the scenario question %d or the indicator instead",
			q.ID, q.Condition.QuestionID, q.Mirrors)
	}
	return nil
}
