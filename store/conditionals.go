package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

// Condition is what a branch of a conditional pair assumes of its
// indicator question.
type Condition struct {
	QuestionID int64
	Outcome    string // "yes" or "no"
	// Threshold, for an ordered indicator, is the bucket at or above which
	// the indicator counts as Yes; 0 for a binary indicator.
	Threshold int
}

// Holds reports whether an indicator resolved to option outcome satisfies
// the condition (a binary question's option 0 is Yes).
func (c Condition) Holds(outcome int) bool {
	yes := outcome == 0
	if c.Threshold > 0 {
		yes = outcome >= c.Threshold
	}
	return yes == (c.Outcome == "yes")
}

// ConditionalPair is the two branches of a scenario question under one
// condition of an indicator.
type ConditionalPair struct {
	ScenarioID int64
	Threshold  int
	IfYes      Question
	IfNo       Question
}

// The reasons the server gives when it annuls a branch by itself. A
// branch annulled for another reason was annulled by an admin and stays so.
const (
	ReasonConditionFailed    = "the condition did not happen"
	ReasonIndicatorAnnulled  = "the condition's question was annulled"
	ReasonScenarioAnnulled   = "the scenario question was annulled"
	conditionalCreateAction  = "create_conditional"
	automaticAnnulAction     = "auto_annul"
	automaticResolveAction   = "auto_resolve"
	automaticReopenAction    = "auto_reopen"
	conditionOutcomeYes      = "yes"
	conditionOutcomeNo       = "no"
	conditionalSlugSeparator = "-if-"
)

func (r questionRow) readCondition(q *Question) {
	if r.ConditionQuestionID != nil && r.ConditionOutcome != nil {
		q.Condition = &Condition{QuestionID: *r.ConditionQuestionID, Outcome: *r.ConditionOutcome}
		if r.ConditionThreshold != nil {
			q.Condition.Threshold = *r.ConditionThreshold
		}
	}
	if r.Mirrors != nil {
		q.Mirrors = *r.Mirrors
	}
}

func (r *questionRow) writeCondition(q Question) {
	if c := q.Condition; c != nil {
		id, outcome := c.QuestionID, c.Outcome
		r.ConditionQuestionID, r.ConditionOutcome = &id, &outcome
		if c.Threshold > 0 {
			th := c.Threshold
			r.ConditionThreshold = &th
		}
	}
	if q.Mirrors != 0 {
		m := q.Mirrors
		r.Mirrors = &m
	}
}

// CreateConditionalPair creates the "if Yes" and "if No" branches of
// scenario question scenarioID under indicator indicatorID (threshold:
// for an ordered indicator, the bucket at or above which it counts as
// Yes; 0 for a binary one) at instant now (the caller's clock: the
// branches open then), recording it in the audit log. A question
// that cannot be an indicator or a scenario is ErrInvalid naming the
// field; a pair that exists already, or parents already resolved or
// annulled, are ErrConflict.
func (s *Store) CreateConditionalPair(ctx context.Context, indicatorID, scenarioID int64, threshold int, now time.Time, actorID int64) (ConditionalPair, error) {
	var out ConditionalPair
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ind, err := findQuestion(tx, indicatorID)
		if err != nil {
			return err
		}
		scen, err := findQuestion(tx, scenarioID)
		if errors.Is(err, ErrNotFound) {
			return Invalid("scenario_question_id", "no question %d", scenarioID)
		} else if err != nil {
			return err
		}
		if err := ValidateConditionalPair(ind, scen, threshold, now); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&questionRow{}).Where("condition_question_id = ? AND mirrors = ? AND COALESCE(condition_threshold, 0) = ?",
			ind.ID, scen.ID, threshold).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return conflict("question %d already has a conditional pair on question %d with this threshold", ind.ID, scen.ID)
		}
		if out.IfYes, err = createBranch(tx, ind, scen, conditionOutcomeYes, threshold, now); err != nil {
			return err
		}
		if out.IfNo, err = createBranch(tx, ind, scen, conditionOutcomeNo, threshold, now); err != nil {
			return err
		}
		out.ScenarioID, out.Threshold = scen.ID, threshold
		return addAudit(tx, AuditEntry{TournamentID: ind.TournamentID, QuestionID: ind.ID, ActorID: actorID,
			Action: conditionalCreateAction, New: rawJSON(map[string]any{"scenario_question_id": scen.ID,
				"threshold": threshold, "if_yes": out.IfYes.ID, "if_no": out.IfNo.ID})})
	})
	return out, err
}

// ValidateConditionalPair checks that ind can be the indicator and scen
// the scenario question of a new conditional pair at now.
func ValidateConditionalPair(ind, scen Question, threshold int, now time.Time) error {
	switch {
	case ind.Condition != nil:
		return Invalid("id", "question %d is itself a conditional branch", ind.ID)
	case ind.Kind != scoring.Binary && ind.Kind != scoring.Ordered:
		return Invalid("id", "question %d is %s; an indicator is binary or ordered", ind.ID, ind.Kind)
	case scen.Condition != nil:
		return Invalid("scenario_question_id", "question %d is a conditional branch, not a scenario question", scen.ID)
	case scen.Kind != scoring.MultipleChoice:
		return Invalid("scenario_question_id", "question %d is %s; a scenario question is multiple_choice", scen.ID, scen.Kind)
	case scen.TournamentID != ind.TournamentID:
		return Invalid("scenario_question_id", "the scenario question is in another tournament")
	case ind.Kind == scoring.Binary && threshold != 0:
		return Invalid("threshold", "a binary indicator takes no threshold")
	case ind.Kind == scoring.Ordered && (threshold < 1 || threshold >= len(ind.Options)):
		return Invalid("threshold", "an ordered indicator needs a threshold from 1 to %d: the bucket at or above which it counts as Yes", len(ind.Options)-1)
	case ind.Annulled || ind.Resolution != nil:
		return conflict("question %d is already %s", ind.ID, ind.State(now))
	case scen.Annulled || scen.Resolution != nil || !now.Before(scen.ClosesAt):
		return conflict("the scenario question %d is already %s", scen.ID, scen.State(now))
	}
	return nil
}

// createBranch inserts one branch: the scenario's options, open from now
// (or the scenario's opening) to the scenario's close.
func createBranch(tx *gorm.DB, ind, scen Question, outcome string, threshold int, now time.Time) (Question, error) {
	opens := scen.OpensAt
	if now.After(opens) {
		opens = now
	}
	slug := fmt.Sprintf("q%d%s%d-%s", scen.ID, conditionalSlugSeparator, ind.ID, outcome)
	if threshold > 0 {
		slug += fmt.Sprintf("-%d", threshold)
	}
	en, zh := conditionText(ind, outcome, threshold)
	q := Question{TournamentID: scen.TournamentID, Slug: slug, Kind: scoring.MultipleChoice,
		Title: Text{"en": en + ": " + textIn(scen.Title, "en"), "zh": zh + "：" + textIn(scen.Title, "zh")},
		Criteria: Text{
			"en": fmt.Sprintf("This asks question %d (%s) on the assumption that %s. If that does not happen, this question is annulled automatically; otherwise it resolves automatically with question %d, with the same outcome and date.",
				scen.ID, textIn(scen.Title, "en"), lowerFirst(en), scen.ID),
			"zh": fmt.Sprintf("本题在假设%s的前提下，重问第 %d 题（%s）。若该条件未发生，本题自动作废；否则本题随第 %d 题自动判定，结果与日期相同。",
				zh[len("若"):], scen.ID, textIn(scen.Title, "zh"), scen.ID)},
		Options: scen.Options, Area: ind.Area, OpensAt: opens, ClosesAt: scen.ClosesAt,
		Condition: &Condition{QuestionID: ind.ID, Outcome: outcome, Threshold: threshold}, Mirrors: scen.ID}
	if err := ValidateQuestion(&q); err != nil {
		return Question{}, err
	}
	return createQuestion(tx, q)
}

// conditionText states a branch's condition in English and Chinese, as
// the start of its title ("If …").
func conditionText(ind Question, outcome string, threshold int) (en, zh string) {
	te, tz := textIn(ind.Title, "en"), textIn(ind.Title, "zh")
	if threshold == 0 {
		if outcome == conditionOutcomeYes {
			return fmt.Sprintf("If “%s” resolves Yes", te), fmt.Sprintf("若「%s」结果为“是”", tz)
		}
		return fmt.Sprintf("If “%s” resolves No", te), fmt.Sprintf("若「%s」结果为“否”", tz)
	}
	be, bz := textIn(ind.Options[threshold].Label, "en"), textIn(ind.Options[threshold].Label, "zh")
	if outcome == conditionOutcomeYes {
		return fmt.Sprintf("If “%s” lands at or above “%s”", te, be), fmt.Sprintf("若「%s」落在「%s」或以上", tz, bz)
	}
	return fmt.Sprintf("If “%s” lands below “%s”", te, be), fmt.Sprintf("若「%s」落在「%s」以下", tz, bz)
}

// textIn returns t in lang, or in the other language if it lacks one.
func textIn(t Text, lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	for _, l := range Languages {
		if t[l] != "" {
			return t[l]
		}
	}
	return ""
}

func lowerFirst(s string) string {
	if len(s) > 0 && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// ConditionalPairs lists the pairs whose indicator is indicatorID, by the
// ID of their "if Yes" branch.
func (s *Store) ConditionalPairs(ctx context.Context, indicatorID int64) ([]ConditionalPair, error) {
	var rows []questionRow
	if err := questionQuery(s.r.WithContext(ctx)).Where("questions.condition_question_id = ?", indicatorID).
		Order("questions.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	return pairsOf(rows)
}

// pairsOf groups branch rows into pairs (rows by ID: each pair's branches
// were created together, "if Yes" first).
func pairsOf(rows []questionRow) ([]ConditionalPair, error) {
	type key struct {
		ind, scen int64
		threshold int
	}
	index := map[key]int{}
	var out []ConditionalPair
	for _, r := range rows {
		q, err := r.toQuestion()
		if err != nil {
			return nil, err
		}
		if q.Condition == nil {
			continue
		}
		k := key{q.Condition.QuestionID, q.Mirrors, q.Condition.Threshold}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, ConditionalPair{ScenarioID: q.Mirrors, Threshold: q.Condition.Threshold})
		}
		if q.Condition.Outcome == conditionOutcomeYes {
			out[i].IfYes = q
		} else {
			out[i].IfNo = q
		}
	}
	return out, nil
}

// AnsweredBoth counts the users with at least one forecast on each of two
// questions (the branches of a pair).
func (s *Store) AnsweredBoth(ctx context.Context, a, b int64) (int, error) {
	var n int
	err := s.r.WithContext(ctx).Raw(`SELECT COUNT(DISTINCT f.user_id) FROM forecasts f WHERE f.question_id = ?
		AND EXISTS (SELECT 1 FROM forecasts g WHERE g.question_id = ? AND g.user_id = f.user_id)`, a, b).Scan(&n).Error
	return n, err
}
