package store

import (
	"gorm.io/gorm"
)

// branchState is what a branch's outcome should be given its parents.
type branchState struct {
	annulled   bool
	reason     string
	resolution *Resolution
}

// branchTarget derives a branch's outcome from its indicator and scenario
// question: a failed condition annuls it; otherwise it follows the
// scenario question (resolved with the same outcome and date, annulled
// with it, or open). A branch whose indicator has not resolved yet also
// follows the scenario: both branches resolve, and the one whose
// condition fails is annulled once the indicator resolves.
func branchTarget(c Condition, ind, scen Question) branchState {
	switch {
	case ind.Annulled:
		return branchState{annulled: true, reason: ReasonIndicatorAnnulled}
	case ind.Resolution != nil && !c.Holds(ind.Resolution.Outcome):
		return branchState{annulled: true, reason: ReasonConditionFailed}
	case scen.Annulled:
		return branchState{annulled: true, reason: ReasonScenarioAnnulled}
	case scen.Resolution != nil:
		r := *scen.Resolution
		return branchState{resolution: &r}
	}
	return branchState{}
}

// automaticReason reports whether an annulment reason is one the server
// gives: only those may be undone by a correction of a parent.
func automaticReason(reason string) bool {
	return reason == ReasonConditionFailed || reason == ReasonIndicatorAnnulled || reason == ReasonScenarioAnnulled
}

// deriveBranches re-derives every branch whose indicator or scenario
// question is id, inside the transaction that changed id, so that the
// branches never disagree with their parents. Each change is audited with
// no actor: the server made it, and announced to webhooks as an admin's
// change would be (a reopening as question.reopened).
func (s *Store) deriveBranches(tx *gorm.DB, id int64) error {
	var ids []int64
	if err := tx.Model(&questionRow{}).Where("condition_question_id = ? OR mirrors = ?", id, id).
		Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, bid := range ids {
		if err := s.deriveBranch(tx, bid); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) deriveBranch(tx *gorm.DB, id int64) error {
	b, err := findQuestion(tx, id)
	if err != nil || b.Condition == nil {
		return err
	}
	if b.Annulled && !automaticReason(b.AnnulReason) {
		return nil // an admin annulled it; that stands
	}
	ind, err := findQuestion(tx, b.Condition.QuestionID)
	if err != nil {
		return err
	}
	scen, err := findQuestion(tx, b.Mirrors)
	if err != nil {
		return err
	}
	want := branchTarget(*b.Condition, ind, scen)
	if sameState(b, want) {
		return nil
	}
	old := resolutionValue(b)
	upd := map[string]any{"annulled": flag(want.annulled), "annul_reason": want.reason, "outcome": nil,
		"resolved_at": nil, "revision": gorm.Expr("revision + 1")}
	action, newValue := automaticReopenAction, map[string]any{"open": true}
	switch {
	case want.annulled:
		action, newValue = automaticAnnulAction, map[string]any{"annulled": true, "reason": want.reason}
	case want.resolution != nil:
		upd["outcome"], upd["resolved_at"] = want.resolution.Outcome, micros(want.resolution.ResolvedAt)
		action = automaticResolveAction
		newValue = map[string]any{"outcome": want.resolution.Outcome, "resolved_at": want.resolution.ResolvedAt}
	}
	if err := tx.Model(&questionRow{}).Where("id = ?", id).Updates(upd).Error; err != nil {
		return err
	}
	if err := bumpScoreVersion(tx, b.TournamentID); err != nil {
		return err
	}
	if err := addAudit(tx, AuditEntry{TournamentID: b.TournamentID, QuestionID: id, Action: action,
		Old: old, New: rawJSON(newValue), Reason: want.reason}); err != nil {
		return err
	}
	if b, err = findQuestion(tx, id); err != nil {
		return err
	}
	return s.questionEvent(tx, automaticEvents[action], b)
}

// automaticEvents name the webhook event of each automatic change.
var automaticEvents = map[string]string{automaticResolveAction: EventQuestionResolved,
	automaticAnnulAction: EventQuestionAnnulled, automaticReopenAction: EventQuestionReopened}

func sameState(b Question, want branchState) bool {
	if b.Annulled || want.annulled {
		return b.Annulled == want.annulled && b.AnnulReason == want.reason
	}
	if b.Resolution == nil || want.resolution == nil {
		return b.Resolution == nil && want.resolution == nil
	}
	return b.Resolution.Outcome == want.resolution.Outcome && b.Resolution.ResolvedAt.Equal(want.resolution.ResolvedAt)
}
