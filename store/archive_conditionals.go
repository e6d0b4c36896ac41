package store

import (
	"fmt"

	"signpost/scoring"
)

// ArchiveCondition is a branch's condition by question slug.
type ArchiveCondition struct {
	Question  string `json:"question"` // slug of the indicator question
	Outcome   string `json:"outcome"`  // "yes" or "no"
	Threshold int    `json:"threshold,omitempty"`
}

// exportConditions fills the condition and mirrors of the branches among
// qs (aqs parallel to qs) by slug.
func exportConditions(aqs []ArchiveQuestion, qs []Question, slugs map[int64]string) {
	for i := range qs {
		if c := qs[i].Condition; c != nil {
			aqs[i].Condition = &ArchiveCondition{Question: slugs[c.QuestionID], Outcome: c.Outcome, Threshold: c.Threshold}
			aqs[i].Mirrors = slugs[qs[i].Mirrors]
		}
	}
}

// importConditions gives the branches this import created their condition
// and mirrored question, once every question of the archive is in. An
// archive's outcomes are imported as they are: the branches' automatic
// resolution happened where the archive was written.
func (im *importer) importConditions(a Archive) error {
	// The archive's branches, known before any gets its condition: a
	// branch that mirrors or is conditioned on itself or another branch
	// would never resolve.
	branches := map[string]bool{}
	for _, aq := range a.Questions {
		if aq.Condition != nil || aq.Mirrors != "" {
			branches[aq.Slug] = true
		}
	}
	for i, aq := range a.Questions {
		if aq.Condition == nil && aq.Mirrors == "" {
			continue
		}
		at := fmt.Sprintf("questions[%d].", i)
		b := im.questions[aq.Slug]
		if im.preexist[b.ID] {
			continue
		}
		c, scen, err := im.archivedCondition(at, aq, branches)
		if err != nil {
			return err
		}
		b.Condition, b.Mirrors = &c, scen.ID
		var row questionRow
		row.writeCondition(b)
		if err := im.tx.Model(&questionRow{}).Where("id = ?", b.ID).Updates(map[string]any{
			"condition_question_id": row.ConditionQuestionID, "condition_outcome": row.ConditionOutcome,
			"condition_threshold": row.ConditionThreshold, "mirrors": row.Mirrors}).Error; err != nil {
			return translate(err, at+"condition: the archive has this conditional branch twice")
		}
		im.questions[aq.Slug] = b
	}
	return nil
}

// archivedCondition resolves and checks one branch's condition; branches
// are the slugs of the archive's branches.
func (im *importer) archivedCondition(at string, aq ArchiveQuestion, branches map[string]bool) (Condition, Question, error) {
	switch {
	case aq.Condition == nil || aq.Mirrors == "":
		return Condition{}, Question{}, Invalid(at+"condition", "%sa conditional branch needs both condition and mirrors", at)
	case aq.Mirrors == aq.Slug || branches[aq.Mirrors]:
		return Condition{}, Question{}, Invalid(at+"mirrors", "%smirrors %q is a conditional branch (this one or another): a branch mirrors its scenario question", at, aq.Mirrors)
	case aq.Condition.Question == aq.Slug || branches[aq.Condition.Question]:
		return Condition{}, Question{}, Invalid(at+"condition.question", "%scondition.question %q is a conditional branch (this one or another): a branch's condition is on an indicator", at, aq.Condition.Question)
	}
	ind, ok := im.questions[aq.Condition.Question]
	if !ok {
		return Condition{}, Question{}, Invalid(at+"condition.question", "%scondition.question %q is not a question of the archive", at, aq.Condition.Question)
	}
	scen, ok := im.questions[aq.Mirrors]
	if !ok {
		return Condition{}, Question{}, Invalid(at+"mirrors", "%smirrors %q is not a question of the archive", at, aq.Mirrors)
	}
	c := Condition{QuestionID: ind.ID, Outcome: aq.Condition.Outcome, Threshold: aq.Condition.Threshold}
	switch {
	case c.Outcome != conditionOutcomeYes && c.Outcome != conditionOutcomeNo:
		return c, scen, Invalid(at+"condition.outcome", "%scondition.outcome must be yes or no", at)
	case aq.Kind != scoring.MultipleChoice.String() || len(aq.Options) != len(scen.Options):
		return c, scen, Invalid(at+"kind", "%sa conditional branch has its scenario question's options", at)
	}
	// The same rules as a new pair's, but for the parents' outcomes, which
	// the archive carries as they were.
	ind.Annulled, ind.Resolution, scen.Annulled, scen.Resolution = false, nil, false, nil
	if err := ValidateConditionalPair(ind, scen, c.Threshold, scen.OpensAt); err != nil {
		return c, scen, prefixField(at+"condition.", err)
	}
	return c, scen, nil
}
