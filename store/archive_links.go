package store

import (
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// ArchiveLink is a signpost link by question slugs.
type ArchiveLink struct {
	Indicator string `json:"indicator"` // slug of the indicator question
	Scenario  string `json:"scenario"`  // slug of the scenario question
	Option    int    `json:"option"`
	Trigger   string `json:"trigger"`
	Direction int    `json:"direction"`
	Strength  string `json:"strength"`
}

// exportLinks lists a tournament's links by slug.
func exportLinks(db *gorm.DB, tournamentID int64, slugs map[int64]string) ([]ArchiveLink, error) {
	ls, err := tournamentLinks(db, tournamentID)
	if err != nil {
		return nil, err
	}
	out := make([]ArchiveLink, len(ls))
	for i, l := range ls {
		out[i] = ArchiveLink{Indicator: slugs[l.IndicatorID], Scenario: slugs[l.ScenarioID], Option: l.Option,
			Trigger: l.Trigger, Direction: l.Direction, Strength: l.Strength}
	}
	return out, nil
}

// importLinks stores an archive's links and likelihood tables once its
// questions are in. A
// version 1 archive has none: its indicators' signals give them, as the
// seed's do, for the questions this import created.
func (im *importer) importLinks(a Archive) error {
	if a.Format == ArchiveFormatV1 {
		var all, created []Question
		for _, q := range im.questions {
			all = append(all, q)
			if !im.preexist[q.ID] {
				created = append(created, q)
			}
		}
		// Map order is random; audit and errors should not be.
		byID := func(a, b Question) int { return int(a.ID - b.ID) }
		slices.SortFunc(all, byID)
		slices.SortFunc(created, byID)
		return createSignalLinks(im.tx, all, created)
	}
	for i, al := range a.Links {
		at := fmt.Sprintf("links[%d].", i)
		ind, ok := im.questions[al.Indicator]
		if !ok {
			return Invalid(at+"indicator", "%sindicator %q is not a question of the archive", at, al.Indicator)
		}
		scen, ok := im.questions[al.Scenario]
		if !ok {
			return Invalid(at+"scenario", "%sscenario %q is not a question of the archive", at, al.Scenario)
		}
		l := Link{IndicatorID: ind.ID, ScenarioID: scen.ID, Option: al.Option, Trigger: al.Trigger,
			Direction: al.Direction, Strength: al.Strength}
		if err := ValidateLink(ind, scen, l); err != nil {
			return prefixField(at, err)
		}
		if err := insertLinkIfNew(im.tx, l); err != nil {
			return err
		}
	}
	return im.importLikelihoods(a)
}
