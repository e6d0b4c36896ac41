package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

// LikelihoodTable is an admin's likelihood table for an indicator: for
// the indicator's trigger (in the links' syntax), P(trigger | scenario k)
// for every option k of the scenario question.
type LikelihoodTable struct {
	IndicatorID   int64     `json:"indicator_question_id"`
	ScenarioID    int64     `json:"scenario_question_id"`
	Trigger       string    `json:"trigger"`
	Probabilities []float64 `json:"probabilities"`
	UpdatedBy     int64     `json:"updated_by,omitempty"`
	UpdatedAt     time.Time `json:"updated_at"`
}

type likelihoodRow struct {
	IndicatorQuestionID int64 `gorm:"primaryKey;autoIncrement:false"`
	ScenarioQuestionID  int64
	Trigger             string
	Probabilities       string
	UpdatedBy           *int64
	UpdatedAt           int64
}

func (likelihoodRow) TableName() string { return "likelihood_tables" }

func (r likelihoodRow) toTable() (LikelihoodTable, error) {
	t := LikelihoodTable{IndicatorID: r.IndicatorQuestionID, ScenarioID: r.ScenarioQuestionID,
		Trigger: r.Trigger, UpdatedAt: fromMicros(r.UpdatedAt)}
	if r.UpdatedBy != nil {
		t.UpdatedBy = *r.UpdatedBy
	}
	if err := json.Unmarshal([]byte(r.Probabilities), &t.Probabilities); err != nil {
		return LikelihoodTable{}, fmt.Errorf("likelihood table of question %d: %w", r.IndicatorQuestionID, err)
	}
	return t, nil
}

// LikelihoodTable returns the admin's likelihood table of an indicator,
// ErrNotFound without one.
func (s *Store) LikelihoodTable(ctx context.Context, indicatorID int64) (LikelihoodTable, error) {
	var row likelihoodRow
	if err := s.r.WithContext(ctx).Where("indicator_question_id = ?", indicatorID).Take(&row).Error; err != nil {
		return LikelihoodTable{}, missing(err, "question %d has no likelihood table", indicatorID)
	}
	return row.toTable()
}

// TournamentLikelihoodTables lists the admin's likelihood tables of a
// tournament's indicators, by indicator ID.
func (s *Store) TournamentLikelihoodTables(ctx context.Context, tournamentID int64) ([]LikelihoodTable, error) {
	var rows []likelihoodRow
	err := s.r.WithContext(ctx).
		Where("indicator_question_id IN (SELECT id FROM questions WHERE tournament_id = ?)", tournamentID).
		Order("indicator_question_id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]LikelihoodTable, len(rows))
	for i, r := range rows {
		if out[i], err = r.toTable(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PutLikelihoodTable validates and stores an admin's likelihood table for
// its indicator, replacing any earlier one, and records it in the audit
// log. A malformed table is ErrInvalid naming the field: the scenario
// question as for a link, the trigger in the links' syntax for the
// indicator, one probability per scenario option, each within
// [scoring.LikelihoodMin, scoring.LikelihoodMax].
func (s *Store) PutLikelihoodTable(ctx context.Context, t LikelihoodTable, actorID int64) (LikelihoodTable, error) {
	var out LikelihoodTable
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ind, err := findQuestion(tx, t.IndicatorID)
		if err != nil {
			return err
		}
		if err := validateLikelihoodTable(tx, ind, t); err != nil {
			return err
		}
		var old []likelihoodRow
		if err := tx.Where("indicator_question_id = ?", ind.ID).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		probs, _ := json.Marshal(t.Probabilities)
		row := likelihoodRow{IndicatorQuestionID: ind.ID, ScenarioQuestionID: t.ScenarioID, Trigger: t.Trigger,
			Probabilities: string(probs), UpdatedBy: nullableID(actorID), UpdatedAt: clock(tx)}
		if err := tx.Save(&row).Error; err != nil {
			return translate(err, "the likelihood table could not be stored")
		}
		if out, err = row.toTable(); err != nil {
			return err
		}
		e := AuditEntry{TournamentID: ind.TournamentID, QuestionID: ind.ID, ActorID: actorID,
			Action: "put_likelihoods", New: rawJSON(out)}
		if len(old) > 0 {
			prev, _ := old[0].toTable()
			e.Old = rawJSON(prev)
		}
		return addAudit(tx, e)
	})
	return out, err
}

// validateLikelihoodTable checks t against its indicator ind.
func validateLikelihoodTable(tx *gorm.DB, ind Question, t LikelihoodTable) error {
	scen, err := findQuestion(tx, t.ScenarioID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Invalid("scenario_question_id", "no question %d", t.ScenarioID)
		}
		return err
	}
	if err := validateScenario(ind, scen); err != nil {
		return err
	}
	if err := validateTrigger(ind, t.Trigger); err != nil {
		return err
	}
	if len(t.Probabilities) != len(scen.Options) {
		return Invalid("probabilities", "probabilities must give one probability per option of question %d (%d), not %d",
			scen.ID, len(scen.Options), len(t.Probabilities))
	}
	for i, p := range t.Probabilities {
		if !(p >= scoring.LikelihoodMin && p <= scoring.LikelihoodMax) { // also rejects NaN
			return Invalid("probabilities", "probabilities[%d] is %v; each must be within [%v, %v]",
				i, p, scoring.LikelihoodMin, scoring.LikelihoodMax)
		}
	}
	return nil
}

// DeleteLikelihoodTable removes the admin's likelihood table of an
// indicator, recording it in the audit log; ErrNotFound without one.
func (s *Store) DeleteLikelihoodTable(ctx context.Context, indicatorID, actorID int64) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []likelihoodRow
		if err := tx.Where("indicator_question_id = ?", indicatorID).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("question %d has no likelihood table", indicatorID)
		}
		old, err := rows[0].toTable()
		if err != nil {
			return err
		}
		if err := tx.Where("indicator_question_id = ?", indicatorID).Delete(&likelihoodRow{}).Error; err != nil {
			return err
		}
		var tid int64
		if err := tx.Raw("SELECT tournament_id FROM questions WHERE id = ?", indicatorID).Scan(&tid).Error; err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: tid, QuestionID: indicatorID, ActorID: actorID,
			Action: "delete_likelihoods", Old: rawJSON(old)})
	})
}
