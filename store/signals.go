package store

import (
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"signpost/scoring"
)

// seedSignals is the seed's description of an indicator's signposts:
// which scenario options (by slug) its trigger raises and lowers.
type seedSignals struct {
	Trigger  string   `json:"trigger"`
	Raises   []string `json:"raises"`
	Lowers   []string `json:"lowers"`
	Strength string   `json:"strength"`
}

// seedTrigger maps the seed's spelling of a trigger to the API's.
func seedTrigger(s string) string {
	switch s {
	case "higher_bucket":
		return "higher"
	case "lower_bucket":
		return "lower"
	}
	return s
}

// linksFromSignals turns the signals of an indicator (kept in its extras)
// into links to the options of scenario, matched by slug. An indicator
// without signals, or naming no option of scenario, has none.
func linksFromSignals(ind, scenario Question) ([]Link, error) {
	if len(ind.Extra.Signals) == 0 || string(ind.Extra.Signals) == "null" {
		return nil, nil
	}
	var sig seedSignals
	if err := json.Unmarshal(ind.Extra.Signals, &sig); err != nil {
		return nil, fmt.Errorf("question %s: signals: %w", ind.Slug, err)
	}
	option := make(map[string]int, len(scenario.Options))
	for i, o := range scenario.Options {
		option[o.Slug] = i
	}
	var out []Link
	for _, side := range []struct {
		slugs     []string
		direction int
	}{{sig.Raises, 1}, {sig.Lowers, -1}} {
		for _, slug := range side.slugs {
			if k, ok := option[slug]; ok {
				out = append(out, Link{IndicatorID: ind.ID, ScenarioID: scenario.ID, Option: k,
					Trigger: seedTrigger(sig.Trigger), Direction: side.direction, Strength: sig.Strength})
			}
		}
	}
	return out, nil
}

// createSignalLinks stores the links the signals of indicators describe,
// against every multiple-choice question among scenarios, skipping links
// already stored. Signals that break the link rules fail: they come from
// the seed or an archive and must be fixed there.
func createSignalLinks(tx *gorm.DB, scenarios, indicators []Question) error {
	for _, scen := range scenarios {
		if scen.Kind != scoring.MultipleChoice {
			continue
		}
		for _, ind := range indicators {
			if ind.ID == scen.ID {
				continue
			}
			ls, err := linksFromSignals(ind, scen)
			if err != nil {
				return err
			}
			for _, l := range ls {
				if err := ValidateLink(ind, scen, l); err != nil {
					return fmt.Errorf("question %s: signals: %w", ind.Slug, err)
				}
				if err := insertLinkIfNew(tx, l); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// insertLinkIfNew stores l unless the same link is stored already, so
// that importing or seeding twice adds nothing.
func insertLinkIfNew(tx *gorm.DB, l Link) error {
	row := linkRow{IndicatorQuestionID: l.IndicatorID, ScenarioQuestionID: l.ScenarioID,
		OptionIndex: l.Option, Trigger: l.Trigger, Direction: l.Direction, Strength: l.Strength}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
}
