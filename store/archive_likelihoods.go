package store

import (
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ArchiveLikelihoods is an admin's likelihood table by question slugs.
type ArchiveLikelihoods struct {
	Indicator     string    `json:"indicator"` // slug of the indicator question
	Scenario      string    `json:"scenario"`  // slug of the scenario question
	Trigger       string    `json:"trigger"`
	Probabilities []float64 `json:"probabilities"`
}

// exportLikelihoods lists a tournament's admin likelihood tables by slug.
func exportLikelihoods(db *gorm.DB, tournamentID int64, slugs map[int64]string) ([]ArchiveLikelihoods, error) {
	var rows []likelihoodRow
	err := db.Where("indicator_question_id IN (SELECT id FROM questions WHERE tournament_id = ?)", tournamentID).
		Order("indicator_question_id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]ArchiveLikelihoods, len(rows))
	for i, r := range rows {
		t, err := r.toTable()
		if err != nil {
			return nil, err
		}
		out[i] = ArchiveLikelihoods{Indicator: slugs[t.IndicatorID], Scenario: slugs[t.ScenarioID], Trigger: t.Trigger,
			Probabilities: t.Probabilities}
	}
	return out, nil
}

// importLikelihoods stores an archive's likelihood tables once its
// questions are in; a table the indicator already has stays.
func (im *importer) importLikelihoods(a Archive) error {
	for i, al := range a.Likelihoods {
		at := fmt.Sprintf("likelihoods[%d].", i)
		ind, ok := im.questions[al.Indicator]
		if !ok {
			return Invalid(at+"indicator", "%sindicator %q is not a question of the archive", at, al.Indicator)
		}
		scen, ok := im.questions[al.Scenario]
		if !ok {
			return Invalid(at+"scenario", "%sscenario %q is not a question of the archive", at, al.Scenario)
		}
		t := LikelihoodTable{IndicatorID: ind.ID, ScenarioID: scen.ID, Trigger: al.Trigger, Probabilities: al.Probabilities}
		if err := validateLikelihoodTable(im.tx, ind, t); err != nil {
			return prefixField(at, err)
		}
		probs, _ := json.Marshal(t.Probabilities)
		row := likelihoodRow{IndicatorQuestionID: ind.ID, ScenarioQuestionID: scen.ID, Trigger: t.Trigger,
			Probabilities: string(probs), UpdatedAt: clock(im.tx)}
		if err := im.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}
