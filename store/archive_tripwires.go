package store

import (
	"fmt"

	"gorm.io/gorm"
)

// ArchiveTripwire is a tripwire by question slug and owner username, with
// its state, so that an imported tripwire that had fired does not fire
// again for the same crossing.
type ArchiveTripwire struct {
	Name       Text     `json:"name"`
	Kind       string   `json:"kind" enum:"feed,crowd,implied,evidence"`
	Question   string   `json:"question"` // slug
	Option     *int     `json:"option,omitempty"`
	Op         string   `json:"op" enum:">=,<="`
	Value      float64  `json:"value"`
	Owner      string   `json:"owner"` // username
	Action     Text     `json:"action"`
	State      string   `json:"state,omitempty" enum:"armed,fired"`
	FiredAt    string   `json:"fired_at,omitempty" format:"date-time"`
	FiredValue *float64 `json:"fired_value,omitempty"`
}

// exportTripwires lists a tournament's tripwires by slug and username.
func exportTripwires(db *gorm.DB, tournamentID int64, slugs map[int64]string) ([]ArchiveTripwire, error) {
	var rows []tripwireRow
	if err := tripwireQuery(db).Where("tripwires.tournament_id = ?", tournamentID).Order("tripwires.id").
		Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]ArchiveTripwire, len(rows))
	for i, r := range rows {
		t := r.toTripwire()
		out[i] = ArchiveTripwire{Name: t.Name, Kind: t.Kind, Question: slugs[t.QuestionID], Option: t.Option, Op: t.Op,
			Value: t.Value, Owner: t.Owner, Action: t.Action, State: t.State, FiredValue: t.FiredValue}
		if t.FiredAt != nil {
			out[i].FiredAt = formatArchiveTime(*t.FiredAt)
		}
	}
	return out, nil
}

// importTripwires stores an archive's tripwires once its questions and
// users are in. Owners are found by username among the archive's users
// and the server's; a tripwire the tournament already has (same name,
// question, kind, option and threshold) stays as it is.
func (im *importer) importTripwires(a Archive) error {
	for i, at := range a.Tripwires {
		field := fmt.Sprintf("tripwires[%d].", i)
		q, ok := im.questions[at.Question]
		if !ok {
			return Invalid(field+"question", "%squestion %q is not a question of the archive", field, at.Question)
		}
		t := Tripwire{TournamentID: im.tourney.ID, Name: at.Name, Kind: at.Kind, QuestionID: q.ID, Option: at.Option,
			Op: at.Op, Value: at.Value, Action: at.Action}
		var err error
		if t.Option, err = ValidateTripwire(t, q); err != nil {
			return prefixField(field, err)
		}
		name, _ := NormalizeUsername(at.Owner)
		owner, ok, err := im.userID(name)
		if err != nil {
			return err
		}
		if !ok {
			return Invalid(field+"owner", "%sowner %q is neither a user of the archive nor of this server", field, at.Owner)
		}
		row := tripwireRow{TournamentID: t.TournamentID, NameEn: t.Name["en"], NameZh: t.Name["zh"], Kind: t.Kind,
			QuestionID: q.ID, OptionIndex: t.Option, Op: t.Op, Threshold: t.Value, OwnerID: owner,
			ActionEn: t.Action["en"], ActionZh: t.Action["zh"], State: TripwireArmed, FiredValue: at.FiredValue,
			CreatedBy: nullableID(im.opts.ActorID), CreatedAt: clock(im.tx)}
		switch at.State {
		case "", TripwireArmed:
		case TripwireFired:
			row.State = TripwireFired
		default:
			return Invalid(field+"state", "%sstate must be armed or fired", field)
		}
		if at.FiredAt != "" {
			firedAt, err := parseArchiveTime(field+"fired_at", at.FiredAt)
			if err != nil {
				return err
			}
			us := micros(firedAt)
			row.FiredAt = &us
		}
		var same int64
		if err := im.tx.Model(&tripwireRow{}).Where(`tournament_id = ? AND question_id = ? AND kind = ? AND op = ?
			AND threshold = ? AND name_en = ? AND name_zh = ?`, row.TournamentID, row.QuestionID, row.Kind, row.Op,
			row.Threshold, row.NameEn, row.NameZh).Count(&same).Error; err != nil || same > 0 {
			continue
		}
		if err := im.tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}
