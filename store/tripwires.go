package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

// EventTripwireFired is the webhook event of a tripwire crossing its
// threshold; the store fires it in the transaction that marks it fired.
const EventTripwireFired = "tripwire.fired"

// Tripwire kinds: what value a tripwire watches.
const (
	// TripwireFeed watches the latest value of the question's data feed.
	TripwireFeed = "feed"
	// TripwireCrowd watches the crowd's probability of one option of the
	// question, as shown (nothing below the crowd minimum).
	TripwireCrowd = "crowd"
	// TripwireImplied and TripwireEvidence watch one scenario's implied
	// and evidence probability on the signpost board.
	TripwireImplied  = "implied"
	TripwireEvidence = "evidence"
)

// TripwireKinds lists the kinds a tripwire may have.
var TripwireKinds = []string{TripwireFeed, TripwireCrowd, TripwireImplied, TripwireEvidence}

// Tripwire states.
const (
	TripwireArmed = "armed"
	TripwireFired = "fired"
)

// Tripwire is a named threshold on a value the server follows, with the
// user who owns it and the action committed to in advance.
type Tripwire struct {
	ID           int64
	TournamentID int64
	Name         Text
	Kind         string
	QuestionID   int64
	// Option is the option whose probability is watched (crowd, implied,
	// evidence); nil for a feed, and for a binary question's crowd it
	// defaults to Yes (0).
	Option *int
	Op     string // ">=" or "<="
	Value  float64
	// OwnerID is the owner's ID; Owner their username (which the API
	// speaks).
	OwnerID    int64
	Owner      string
	Action     Text
	State      string
	FiredAt    *time.Time // the last firing
	FiredValue *float64
	CreatedBy  int64
	CreatedAt  time.Time
}

// Crossed reports whether v is on the firing side of the threshold; a
// fired tripwire re-arms once it no longer is.
func (t Tripwire) Crossed(v float64) bool {
	if t.Op == "<=" {
		return v <= t.Value
	}
	return v >= t.Value
}

// Probability reports whether the tripwire watches a probability (every
// kind but a feed's value).
func (t Tripwire) Probability() bool { return t.Kind != TripwireFeed }

type tripwireRow struct {
	ID           int64
	TournamentID int64
	NameEn       string
	NameZh       string
	Kind         string
	QuestionID   int64
	OptionIndex  *int
	Op           string
	Threshold    float64
	OwnerID      int64
	ActionEn     string
	ActionZh     string
	State        string
	FiredAt      *int64
	FiredValue   *float64
	CreatedBy    *int64
	CreatedAt    int64
	// filled by the join of tripwireQuery; read-only, so Create skips it
	OwnerUsername string `gorm:"->"`
}

func (tripwireRow) TableName() string { return "tripwires" }

func (r tripwireRow) toTripwire() Tripwire {
	t := Tripwire{ID: r.ID, TournamentID: r.TournamentID, Name: joinText(r.NameEn, r.NameZh), Kind: r.Kind,
		QuestionID: r.QuestionID, Option: r.OptionIndex, Op: r.Op, Value: r.Threshold, OwnerID: r.OwnerID,
		Owner: r.OwnerUsername, Action: joinText(r.ActionEn, r.ActionZh), State: r.State, FiredValue: r.FiredValue,
		CreatedAt: fromMicros(r.CreatedAt)}
	if r.FiredAt != nil {
		at := fromMicros(*r.FiredAt)
		t.FiredAt = &at
	}
	if r.CreatedBy != nil {
		t.CreatedBy = *r.CreatedBy
	}
	return t
}

// tripwireQuery selects tripwires with their owners' usernames.
func tripwireQuery(db *gorm.DB) *gorm.DB {
	return db.Table("tripwires").Select("tripwires.*, users.username AS owner_username").
		Joins("JOIN users ON users.id = tripwires.owner_id")
}

// auditView is what the audit trail records of a tripwire.
func (t Tripwire) auditView() map[string]any {
	return map[string]any{"id": t.ID, "name": t.Name, "kind": t.Kind, "question_id": t.QuestionID, "option": t.Option,
		"op": t.Op, "value": t.Value, "owner": t.Owner, "action": t.Action}
}

// CreateTripwire validates and stores a tripwire, armed, and records it in
// the audit trail. The owner is found by t.Owner (a username). What needs
// the server's caches (that implied and evidence watch the board's
// scenario question, that a feed exists) the caller checks first.
func (s *Store) CreateTripwire(ctx context.Context, t Tripwire, actorID int64) (Tripwire, error) {
	var out Tripwire
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := findQuestion(tx, t.QuestionID)
		if errors.Is(err, ErrNotFound) || (err == nil && q.TournamentID != t.TournamentID) {
			return Invalid("question_id", "no question %d in this tournament", t.QuestionID)
		}
		if err != nil {
			return err
		}
		if t.Option, err = ValidateTripwire(t, q); err != nil {
			return err
		}
		var owner userRow
		if err := tx.Where("username = ?", strings.ToLower(strings.TrimSpace(t.Owner))).Take(&owner).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Invalid("owner", "owner: no user %q", t.Owner)
			}
			return err
		}
		row := tripwireRow{TournamentID: t.TournamentID, NameEn: t.Name["en"], NameZh: t.Name["zh"], Kind: t.Kind,
			QuestionID: q.ID, OptionIndex: t.Option, Op: t.Op, Threshold: t.Value, OwnerID: owner.ID,
			ActionEn: t.Action["en"], ActionZh: t.Action["zh"], State: TripwireArmed,
			CreatedBy: nullableID(actorID), CreatedAt: clock(tx)}
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "tripwire exists")
		}
		row.OwnerUsername = owner.Username
		out = row.toTripwire()
		return addAudit(tx, AuditEntry{TournamentID: t.TournamentID, QuestionID: q.ID, ActorID: actorID,
			Action: "create_tripwire", New: rawJSON(out.auditView())})
	})
	return out, err
}

// ValidateTripwire checks a tripwire against the question it watches and
// returns its option as stored (Yes for a binary question's crowd when
// none is given). Errors are ErrInvalid naming the field.
func ValidateTripwire(t Tripwire, q Question) (*int, error) {
	if err := ValidateText("name", t.Name, true, 200); err != nil {
		return nil, err
	}
	if err := ValidateText("action", t.Action, true, 2000); err != nil {
		return nil, err
	}
	if !slices.Contains(TripwireKinds, t.Kind) {
		return nil, Invalid("kind", "kind must be feed, crowd, implied or evidence")
	}
	if t.Op != ">=" && t.Op != "<=" {
		return nil, Invalid("op", "op must be >= or <=")
	}
	if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
		return nil, Invalid("value", "value must be a finite number")
	}
	if t.Probability() && (t.Value < 0 || t.Value > 1) {
		return nil, Invalid("value", "value is a probability for a %s tripwire: between 0 and 1", t.Kind)
	}
	if q.Annulled {
		return nil, Invalid("question_id", "question %d is annulled", q.ID)
	}
	switch {
	case t.Kind == TripwireFeed:
		if t.Option != nil {
			return nil, Invalid("option", "a feed tripwire watches the feed's value: no option")
		}
		return nil, nil
	case t.Option == nil && t.Kind == TripwireCrowd && q.Kind == scoring.Binary:
		yes := 0
		return &yes, nil
	case t.Option == nil:
		return nil, Invalid("option", "option is required for a %s tripwire on a question with %d options", t.Kind, len(q.Options))
	case *t.Option < 0 || *t.Option >= len(q.Options):
		return nil, Invalid("option", "option %d is out of range: question %d has options 0 to %d", *t.Option, q.ID, len(q.Options)-1)
	}
	return t.Option, nil
}

// ListTripwires returns a tournament's tripwires, oldest first.
func (s *Store) ListTripwires(ctx context.Context, tournamentID int64) ([]Tripwire, error) {
	var rows []tripwireRow
	if err := tripwireQuery(s.r.WithContext(ctx)).Where("tripwires.tournament_id = ?", tournamentID).
		Order("tripwires.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Tripwire, len(rows))
	for i, r := range rows {
		out[i] = r.toTripwire()
	}
	return out, nil
}

// TripwireTournaments lists the tournaments that have tripwires.
func (s *Store) TripwireTournaments(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.r.WithContext(ctx).Raw("SELECT DISTINCT tournament_id FROM tripwires ORDER BY tournament_id").Scan(&ids).Error
	return ids, err
}

// DeleteTripwire removes a tournament's tripwire and records it in the
// audit trail; one of another tournament is ErrNotFound.
func (s *Store) DeleteTripwire(ctx context.Context, tournamentID, id, actorID int64) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []tripwireRow
		if err := tripwireQuery(tx).Where("tripwires.id = ? AND tripwires.tournament_id = ?", id, tournamentID).
			Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("no tripwire %d in this tournament", id)
		}
		if err := tx.Where("id = ?", id).Delete(&tripwireRow{}).Error; err != nil {
			return err
		}
		t := rows[0].toTripwire()
		return addAudit(tx, AuditEntry{TournamentID: tournamentID, QuestionID: t.QuestionID, ActorID: actorID,
			Action: "delete_tripwire", Old: rawJSON(t.auditView())})
	})
}

// FireTripwire marks an armed tripwire fired at at with value, and in the
// same transaction enqueues its tripwire.fired deliveries and its owner's
// notice. The change is conditional on the tripwire being armed, so of
// several evaluators racing only one fires it: the others get false.
func (s *Store) FireTripwire(ctx context.Context, id int64, value float64, at time.Time) (bool, error) {
	fired := false
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&tripwireRow{}).Where("id = ? AND state = ?", id, TripwireArmed).
			Updates(map[string]any{"state": TripwireFired, "fired_at": micros(at), "fired_value": value})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		fired = true
		var row tripwireRow
		if err := tripwireQuery(tx).Where("tripwires.id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		t := row.toTripwire()
		q, err := findQuestion(tx, t.QuestionID)
		if err != nil {
			return err
		}
		tour, err := findTournament(tx, "id = ?", t.TournamentID)
		if err != nil {
			return err
		}
		if err := s.enqueue(tx, Event{Name: EventTripwireFired, At: at, Tournament: tour, Question: &q, Detail: t}); err != nil {
			return err
		}
		if err := s.notifyTripwireOwner(tx, t); err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: t.TournamentID, QuestionID: t.QuestionID, Action: "fire_tripwire",
			New: rawJSON(map[string]any{"id": t.ID, "value": value})})
	})
	return fired, err
}

// notifyTripwireOwner tells a fired tripwire's owner, inside the firing
// transaction: the one place the owner's in-app notice is written. The
// key holds the firing's time, so each firing is one notice.
func (s *Store) notifyTripwireOwner(tx *gorm.DB, t Tripwire) error {
	fired := ""
	if t.FiredValue != nil {
		fired = t.Show(*t.FiredValue)
	}
	var firedAt int64
	if t.FiredAt != nil {
		firedAt = micros(*t.FiredAt)
	}
	op := map[string]string{">=": "≥", "<=": "≤"}[t.Op]
	text := Text{
		"en": fmt.Sprintf("Tripwire \"%s\" fired: %s %s %s. Your action: %s", textIn(t.Name, "en"), fired, op,
			t.Show(t.Value), textIn(t.Action, "en")),
		"zh": fmt.Sprintf("警戒线「%s」已触发：%s %s %s。你的行动：%s", textIn(t.Name, "zh"), fired, op,
			t.Show(t.Value), textIn(t.Action, "zh")),
	}
	return s.notifyTx(tx, NewNotification{UserID: t.OwnerID, Kind: NoticeTripwire, QuestionID: t.QuestionID,
		TournamentID: t.TournamentID, Key: fmt.Sprintf("tripwire:%d:%d", t.ID, firedAt),
		Data: map[string]any{"tripwire_id": t.ID, "name": t.Name, "kind": t.Kind, "option": t.Option, "op": t.Op,
			"value": t.Value, "fired_value": t.FiredValue, "action": t.Action, "text": text}})
}

// Show writes a value of the tripwire as people read it: a probability
// as a percentage (to 0.1 point), a feed's value as it is.
func (t Tripwire) Show(v float64) string {
	if t.Probability() {
		return strconv.FormatFloat(math.Round(1000*v)/10, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// RearmTripwire arms a fired tripwire again, once its value is back on
// the other side of the threshold; false when it was not fired.
func (s *Store) RearmTripwire(ctx context.Context, id int64) (bool, error) {
	res := s.w.WithContext(ctx).Model(&tripwireRow{}).Where("id = ? AND state = ?", id, TripwireFired).
		Update("state", TripwireArmed)
	return res.RowsAffected > 0, res.Error
}
