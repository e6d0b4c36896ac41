package store

import (
	"encoding/json"
	"fmt"
	"time"

	"signpost/scoring"
)

// ArchiveFormat names the archive document's version.
const ArchiveFormat = "signpost-archive/1"

// Archive is a tournament's portable document (API.md "Import and export").
type Archive struct {
	Format     string            `json:"format"`
	Tournament ArchiveTournament `json:"tournament"`
	Questions  []ArchiveQuestion `json:"questions"`
	Users      []ArchiveUser     `json:"users"`
	Teams      []ArchiveTeam     `json:"teams"`
	Forecasts  []ArchiveForecast `json:"forecasts"`
}

// ArchiveTournament is the tournament in an archive.
type ArchiveTournament struct {
	Slug        string          `json:"slug"`
	Title       Text            `json:"title"`
	Description Text            `json:"description"`
	StartsAt    string          `json:"starts_at"`
	EndsAt      string          `json:"ends_at"`
	Extra       json.RawMessage `json:"extra,omitempty"`
}

// ArchiveQuestion is a question with its resolution.
type ArchiveQuestion struct {
	Slug       string             `json:"slug"`
	Kind       string             `json:"kind"`
	Title      Text               `json:"title"`
	Criteria   Text               `json:"criteria"`
	Options    []Option           `json:"options"`
	Area       string             `json:"area"`
	OpensAt    string             `json:"opens_at"`
	ClosesAt   string             `json:"closes_at"`
	Resolution *ArchiveResolution `json:"resolution"`
	Extra      *QuestionExtra     `json:"extra,omitempty"`
}

// ArchiveResolution is an outcome or an annulment.
type ArchiveResolution struct {
	Outcome    *int   `json:"outcome,omitempty"`
	ResolvedAt string `json:"resolved_at,omitempty"`
	Annulled   bool   `json:"annulled,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// ArchiveUser is a user; Password is only read on import.
type ArchiveUser struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password,omitempty"`
}

// ArchiveTeam is a team by name with its members' usernames.
type ArchiveTeam struct {
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

// ArchiveForecast is one forecast by reference.
type ArchiveForecast struct {
	Username      string    `json:"username"`
	QuestionSlug  string    `json:"question_slug"`
	Probabilities []float64 `json:"probabilities"`
	CreatedAt     string    `json:"created_at"`
	Rationale     string    `json:"rationale,omitempty"`
}

// ImportCounts says what an import created.
type ImportCounts struct {
	Users     int `json:"users"`
	Questions int `json:"questions"`
	Forecasts int `json:"forecasts"`
}

func parseArchiveTime(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, Invalid(field, "%s must be an RFC 3339 time", field)
	}
	return t.UTC().Truncate(time.Microsecond), nil
}

func (at ArchiveTournament) toTournament() (Tournament, error) {
	starts, err := parseArchiveTime("tournament.starts_at", at.StartsAt)
	if err != nil {
		return Tournament{}, err
	}
	ends, err := parseArchiveTime("tournament.ends_at", at.EndsAt)
	if err != nil {
		return Tournament{}, err
	}
	t := Tournament{Slug: at.Slug, Title: at.Title, Description: at.Description, StartsAt: starts, EndsAt: ends, Extra: at.Extra}
	if err := ValidateTournament(t); err != nil {
		return Tournament{}, prefixField("tournament.", err)
	}
	return t, nil
}

// toQuestion validates an archived question; field paths name its index.
func (aq ArchiveQuestion) toQuestion(i int, now time.Time) (Question, error) {
	at := fmt.Sprintf("questions[%d].", i)
	kind, err := scoring.ParseKind(aq.Kind)
	if err != nil {
		return Question{}, Invalid(at+"kind", "%skind must be binary, multiple_choice or ordered", at)
	}
	if aq.Slug == "" {
		return Question{}, Invalid(at+"slug", "%sslug is required", at)
	}
	opens, err := parseArchiveTime(at+"opens_at", aq.OpensAt)
	if err != nil {
		return Question{}, err
	}
	closes, err := parseArchiveTime(at+"closes_at", aq.ClosesAt)
	if err != nil {
		return Question{}, err
	}
	q := Question{Slug: aq.Slug, Kind: kind, Title: aq.Title, Criteria: aq.Criteria, Options: aq.Options,
		Area: aq.Area, OpensAt: opens, ClosesAt: closes}
	if aq.Extra != nil {
		q.Extra = *aq.Extra
	}
	if err := ValidateQuestion(&q); err != nil {
		return Question{}, prefixField(at, err)
	}
	if r := aq.Resolution; r != nil {
		switch {
		case r.Annulled:
			q.Annulled, q.AnnulReason = true, r.Reason
		case r.Outcome != nil:
			if *r.Outcome < 0 || *r.Outcome >= len(q.Options) {
				return Question{}, Invalid(at+"resolution.outcome", "%sresolution.outcome is not an option index", at)
			}
			resolved, err := parseArchiveTime(at+"resolution.resolved_at", r.ResolvedAt)
			if err != nil {
				return Question{}, err
			}
			if resolved.After(now) {
				return Question{}, Invalid(at+"resolution.resolved_at", "%sresolution.resolved_at is in the future", at)
			}
			if resolved.Before(opens) {
				return Question{}, Invalid(at+"resolution.resolved_at", "%sresolution.resolved_at is before opens_at", at)
			}
			q.Resolution = &Resolution{Outcome: *r.Outcome, ResolvedAt: resolved}
		default:
			return Question{}, Invalid(at+"resolution", "%sresolution needs an outcome or annulled", at)
		}
	}
	return q, nil
}

// prefixField puts a path in front of a validation error's field.
func prefixField(prefix string, err error) error {
	if e, ok := err.(*Error); ok && e.Kind == ErrInvalid {
		return &Error{Kind: ErrInvalid, Field: prefix + e.Field, Message: prefix + e.Message}
	}
	return err
}
