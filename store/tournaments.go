package store

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"
)

type tournamentRow struct {
	ID           int64
	Slug         string
	Title        string
	Description  string
	StartsAt     int64
	EndsAt       int64
	Extra        string
	ScoreVersion int64
	CreatedAt    int64
	// ConditionalsOnMain is Tournament.ConditionalsOnMain.
	ConditionalsOnMain flag
	// CrowdAggregate is Tournament.CrowdAggregate.
	CrowdAggregate string
}

func (tournamentRow) TableName() string { return "tournaments" }

func (r tournamentRow) toTournament() Tournament {
	extra := json.RawMessage(r.Extra)
	if len(extra) == 0 {
		extra = json.RawMessage("{}")
	}
	return Tournament{ID: r.ID, Slug: r.Slug, Title: decodeText(r.Title), Description: decodeText(r.Description),
		StartsAt: fromMicros(r.StartsAt), EndsAt: fromMicros(r.EndsAt), Extra: extra, ScoreVersion: r.ScoreVersion,
		ConditionalsOnMain: bool(r.ConditionalsOnMain), CrowdAggregate: orMedian(r.CrowdAggregate)}
}

func toTournamentRow(t Tournament, createdAt int64) (tournamentRow, error) {
	title, err := encodeJSON(t.Title)
	if err != nil {
		return tournamentRow{}, err
	}
	desc, err := encodeJSON(orEmpty(t.Description))
	if err != nil {
		return tournamentRow{}, err
	}
	extra := "{}"
	if len(t.Extra) > 0 {
		if !json.Valid(t.Extra) {
			return tournamentRow{}, Invalid("extra", "extra is not valid JSON")
		}
		extra = string(t.Extra)
	}
	return tournamentRow{Slug: t.Slug, Title: title, Description: desc, StartsAt: micros(t.StartsAt),
		EndsAt: micros(t.EndsAt), Extra: extra, CreatedAt: createdAt, ConditionalsOnMain: flag(t.ConditionalsOnMain),
		CrowdAggregate: orMedian(t.CrowdAggregate)}, nil
}

// CreateTournament inserts a tournament; a taken slug is ErrConflict.
func (s *Store) CreateTournament(ctx context.Context, t Tournament, actorID int64) (Tournament, error) {
	var out Tournament
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = createTournament(tx, t)
		if err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: out.ID, ActorID: actorID, Action: "create_tournament",
			New: rawJSON(map[string]any{"slug": out.Slug, "title": out.Title})})
	})
	return out, err
}

func createTournament(tx *gorm.DB, t Tournament) (Tournament, error) {
	row, err := toTournamentRow(t, clock(tx))
	if err != nil {
		return Tournament{}, err
	}
	if err := tx.Create(&row).Error; err != nil {
		return Tournament{}, translate(err, "tournament slug "+t.Slug+" is taken")
	}
	return row.toTournament(), nil
}

// ListTournaments returns every tournament, oldest first.
func (s *Store) ListTournaments(ctx context.Context) ([]Tournament, error) {
	var rows []tournamentRow
	if err := s.r.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Tournament, len(rows))
	for i, r := range rows {
		out[i] = r.toTournament()
	}
	return out, nil
}

// FindTournamentBySlug looks a tournament up by slug.
func (s *Store) FindTournamentBySlug(ctx context.Context, slug string) (Tournament, error) {
	return findTournament(s.r.WithContext(ctx), "slug = ?", slug)
}

// FindTournamentByID looks a tournament up by ID.
func (s *Store) FindTournamentByID(ctx context.Context, id int64) (Tournament, error) {
	return findTournament(s.r.WithContext(ctx), "id = ?", id)
}

func findTournament(db *gorm.DB, where string, arg any) (Tournament, error) {
	var row tournamentRow
	if err := db.Where(where, arg).Take(&row).Error; err != nil {
		return Tournament{}, missing(err, "no such tournament")
	}
	return row.toTournament(), nil
}

func orEmpty(t Text) Text {
	if t == nil {
		return Text{}
	}
	return t
}

func encodeJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func rawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// TournamentVersion returns a tournament's ID and score version by slug with
// one lean query: the whole cost of serving a cached leaderboard.
func (s *Store) TournamentVersion(ctx context.Context, slug string) (id, version int64, err error) {
	row, err := s.queryRow(ctx, "SELECT id, score_version FROM tournaments WHERE slug = ?", slug)
	if err != nil {
		return 0, 0, err
	}
	if err := row.Scan(&id, &version); err != nil {
		return 0, 0, missing(err, "no such tournament")
	}
	return id, version, nil
}
