package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"signpost/scoring"
)

// Link says that an indicator question's trigger raises (Direction +1) or
// lowers (-1) one option of a scenario question, with a strength whose
// numeric weight the scoring package defines.
type Link struct {
	ID          int64  `json:"id"`
	IndicatorID int64  `json:"indicator_question_id"`
	ScenarioID  int64  `json:"scenario_question_id"`
	Option      int    `json:"option"`
	Trigger     string `json:"trigger"` // "yes", "higher", "lower" or an option index
	Direction   int    `json:"direction"`
	Strength    string `json:"strength"` // weak, moderate or strong
}

type linkRow struct {
	ID                  int64
	IndicatorQuestionID int64
	ScenarioQuestionID  int64
	OptionIndex         int
	Trigger             string
	Direction           int
	Strength            string
}

func (linkRow) TableName() string { return "question_links" }

func (r linkRow) toLink() Link {
	return Link{ID: r.ID, IndicatorID: r.IndicatorQuestionID, ScenarioID: r.ScenarioQuestionID,
		Option: r.OptionIndex, Trigger: r.Trigger, Direction: r.Direction, Strength: r.Strength}
}

func toLinks(rows []linkRow) []Link {
	out := make([]Link, len(rows))
	for i, r := range rows {
		out[i] = r.toLink()
	}
	return out
}

// IndicatorLinks lists the links of an indicator question, by ID.
func (s *Store) IndicatorLinks(ctx context.Context, indicatorID int64) ([]Link, error) {
	var rows []linkRow
	err := s.r.WithContext(ctx).Where("indicator_question_id = ?", indicatorID).Order("id").Find(&rows).Error
	return toLinks(rows), err
}

// ScenarioLinks lists every link into a scenario question, by ID.
func (s *Store) ScenarioLinks(ctx context.Context, scenarioID int64) ([]Link, error) {
	var rows []linkRow
	err := s.r.WithContext(ctx).Where("scenario_question_id = ?", scenarioID).Order("id").Find(&rows).Error
	return toLinks(rows), err
}

// TournamentLinks lists the links of a tournament's indicators, by ID.
func (s *Store) TournamentLinks(ctx context.Context, tournamentID int64) ([]Link, error) {
	return tournamentLinks(s.r.WithContext(ctx), tournamentID)
}

func tournamentLinks(db *gorm.DB, tournamentID int64) ([]Link, error) {
	var rows []linkRow
	err := db.Where("indicator_question_id IN (SELECT id FROM questions WHERE tournament_id = ?)", tournamentID).
		Order("id").Find(&rows).Error
	return toLinks(rows), err
}

// CreateLink validates and stores a link, recording it in the audit log. A
// malformed link is ErrInvalid naming the field; the same indicator,
// scenario, option and trigger twice is ErrConflict.
func (s *Store) CreateLink(ctx context.Context, l Link, actorID int64) (Link, error) {
	var out Link
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ind, err := findQuestion(tx, l.IndicatorID)
		if err != nil {
			return err
		}
		if out, err = createLink(tx, ind, l); err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: ind.TournamentID, QuestionID: ind.ID, ActorID: actorID,
			Action: "create_link", New: rawJSON(out)})
	})
	return out, err
}

// createLink validates l against its indicator ind and inserts it.
func createLink(tx *gorm.DB, ind Question, l Link) (Link, error) {
	scen, err := findQuestion(tx, l.ScenarioID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Link{}, Invalid("scenario_question_id", "no question %d", l.ScenarioID)
		}
		return Link{}, err
	}
	if err := ValidateLink(ind, scen, l); err != nil {
		return Link{}, err
	}
	row := linkRow{IndicatorQuestionID: ind.ID, ScenarioQuestionID: scen.ID, OptionIndex: l.Option,
		Trigger: l.Trigger, Direction: l.Direction, Strength: l.Strength}
	if err := tx.Create(&row).Error; err != nil {
		return Link{}, translate(err, "this indicator already has a link to that scenario option with that trigger")
	}
	return row.toLink(), nil
}

// ValidateLink checks a link from indicator ind to scenario question scen.
func ValidateLink(ind, scen Question, l Link) error {
	if err := validateScenario(ind, scen); err != nil {
		return err
	}
	switch {
	case l.Option < 0 || l.Option >= len(scen.Options):
		return Invalid("option", "option must be an option index of the scenario question (0 to %d)", len(scen.Options)-1)
	case l.Direction != 1 && l.Direction != -1:
		return Invalid("direction", "direction must be 1 (raises) or -1 (lowers)")
	}
	if _, err := scoring.ParseStrength(l.Strength); err != nil {
		return Invalid("strength", "strength must be weak, moderate or strong")
	}
	return validateTrigger(ind, l.Trigger)
}

// validateScenario checks that scen can be the scenario question of the
// indicator ind: a multiple-choice question of the same tournament.
func validateScenario(ind, scen Question) error {
	switch {
	case scen.ID == ind.ID:
		return Invalid("scenario_question_id", "a question cannot be a signpost of itself")
	case scen.TournamentID != ind.TournamentID:
		return Invalid("scenario_question_id", "the scenario question is in another tournament")
	case scen.Kind != scoring.MultipleChoice:
		return Invalid("scenario_question_id", "question %d is %s; a scenario question is multiple_choice", scen.ID, scen.Kind)
	case scen.Condition != nil:
		return Invalid("scenario_question_id", "question %d is a conditional branch, not a scenario question", scen.ID)
	}
	return nil
}

// validateTrigger checks a trigger in the links' syntax against ind.
func validateTrigger(ind Question, trigger string) error {
	if _, err := scoring.ParseTrigger(ind.Kind, len(ind.Options), trigger); err != nil {
		return Invalid("trigger", "%s", err.Error())
	}
	return nil
}

// DeleteLink removes a link of an indicator, recording it in the audit log.
func (s *Store) DeleteLink(ctx context.Context, indicatorID, linkID, actorID int64) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []linkRow
		if err := tx.Where("id = ? AND indicator_question_id = ?", linkID, indicatorID).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("question %d has no link %d", indicatorID, linkID)
		}
		if err := tx.Delete(&linkRow{}, linkID).Error; err != nil {
			return err
		}
		var tid int64
		if err := tx.Raw("SELECT tournament_id FROM questions WHERE id = ?", indicatorID).Scan(&tid).Error; err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: tid, QuestionID: indicatorID, ActorID: actorID,
			Action: "delete_link", Old: rawJSON(rows[0].toLink())})
	})
}
