package store

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
	"gorm.io/gorm"

	"signpost/scoring"
)

//go:embed seed/ai-scenarios-2027.yaml
var seedFiles embed.FS

// DefaultTournamentSlug is the tournament loaded into an empty database.
const DefaultTournamentSlug = "ai-scenarios-2027"

type seedDoc struct {
	Schema     string         `yaml:"schema"`
	Tournament seedTournament `yaml:"tournament"`
	Scenario   seedQuestion   `yaml:"scenario_question"`
	Questions  []seedQuestion `yaml:"questions"`
}

type seedTournament struct {
	Slug        string `yaml:"slug"`
	Title       Text   `yaml:"title"`
	Description Text   `yaml:"description"`
	StartsAt    string `yaml:"starts_at"`
	EndsAt      string `yaml:"ends_at"`
	Source      any    `yaml:"source"`
	Areas       any    `yaml:"areas"`
	Definitions any    `yaml:"definitions"`
}

type seedOption struct {
	Slug        string `yaml:"slug"`
	Label       Text   `yaml:"label"`
	Description Text   `yaml:"description"`
}

type seedQuestion struct {
	Slug              string       `yaml:"slug"`
	Area              string       `yaml:"area"`
	Kind              string       `yaml:"kind"`
	Title             Text         `yaml:"title"`
	Criteria          Text         `yaml:"criteria"`
	Options           []seedOption `yaml:"options"`
	ResolutionSource  []string     `yaml:"resolution_source"`
	OpensAt           string       `yaml:"opens_at"`
	ClosesAt          string       `yaml:"closes_at"`
	ResolveBy         string       `yaml:"resolve_by"`
	Signals           any          `yaml:"signals"`
	ReferenceForecast any          `yaml:"reference_forecast"`
	PreOpenCheck      string       `yaml:"pre_open_check"`
	Feed              *seedFeed    `yaml:"feed"`
}

// seedFeed is a question's data feed as the API's PUT spells it; the seed
// loads every feed disabled (many servers run without internet access).
type seedFeed struct {
	URL             string `yaml:"url"`
	Format          string `yaml:"format"`
	Pointer         string `yaml:"pointer"`
	Column          string `yaml:"column"`
	Row             any    `yaml:"row"`
	Every           string `yaml:"every"`
	Rule            any    `yaml:"rule"`
	EarlyYes        bool   `yaml:"early_yes"`
	AutoResolve     bool   `yaml:"auto_resolve"`
	ChallengeWindow string `yaml:"challenge_window"`
}

// toFeed reads a seed feed; the api/feeds tests check that every seeded
// extraction and rule parses as the API would have it.
func (f seedFeed) toFeed() (Feed, error) {
	every, err := time.ParseDuration(f.Every)
	if err != nil || every < time.Second {
		return Feed{}, fmt.Errorf("feed every %q: want a duration of at least 1s", f.Every)
	}
	out := Feed{URL: f.URL, Extract: FeedExtract{Format: f.Format, Pointer: f.Pointer, Column: f.Column}, Every: every,
		EarlyYes: f.EarlyYes, AutoResolve: f.AutoResolve, ChallengeWindow: DefaultChallengeWindow, Headers: map[string]string{}}
	if f.ChallengeWindow != "" {
		if out.ChallengeWindow, err = time.ParseDuration(f.ChallengeWindow); err != nil {
			return Feed{}, fmt.Errorf("feed challenge_window: %w", err)
		}
	}
	if f.Row != nil {
		if out.Extract.Row, err = json.Marshal(f.Row); err != nil {
			return Feed{}, err
		}
	}
	if out.Rule, err = json.Marshal(f.Rule); err != nil {
		return Feed{}, err
	}
	return out, nil
}

// DefaultSeedFeeds returns the default tournament's feeds by question slug,
// disabled.
func DefaultSeedFeeds() (map[string]Feed, error) {
	b, err := seedFiles.ReadFile("seed/ai-scenarios-2027.yaml")
	if err != nil {
		return nil, err
	}
	var doc seedDoc
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	out := map[string]Feed{}
	for _, sq := range doc.Questions {
		if sq.Feed == nil {
			continue
		}
		f, err := sq.Feed.toFeed()
		if err != nil {
			return nil, fmt.Errorf("seed question %q: %w", sq.Slug, err)
		}
		out[sq.Slug] = f
	}
	return out, nil
}

// DefaultSeed parses the embedded default tournament.
func DefaultSeed() (Tournament, []Question, error) {
	b, err := seedFiles.ReadFile("seed/ai-scenarios-2027.yaml")
	if err != nil {
		return Tournament{}, nil, err
	}
	return parseSeed(b)
}

// parseSeed turns a signpost-seed/1 YAML document into a tournament and its
// questions (the scenario question first), validated as the API would.
func parseSeed(b []byte) (Tournament, []Question, error) {
	var doc seedDoc
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Tournament{}, nil, fmt.Errorf("seed: %w", err)
	}
	if doc.Schema != "signpost-seed/1" {
		return Tournament{}, nil, fmt.Errorf("seed: unknown schema %q", doc.Schema)
	}
	t, err := doc.Tournament.toTournament()
	if err != nil {
		return Tournament{}, nil, err
	}
	all := append([]seedQuestion{doc.Scenario}, doc.Questions...)
	qs := make([]Question, 0, len(all))
	for i, sq := range all {
		q, err := sq.toQuestion(i + 1)
		if err != nil {
			return Tournament{}, nil, fmt.Errorf("seed question %q: %w", sq.Slug, err)
		}
		qs = append(qs, q)
	}
	return t, qs, nil
}

func (st seedTournament) toTournament() (Tournament, error) {
	starts, err := time.Parse(time.RFC3339, st.StartsAt)
	if err != nil {
		return Tournament{}, fmt.Errorf("seed tournament starts_at: %w", err)
	}
	ends, err := time.Parse(time.RFC3339, st.EndsAt)
	if err != nil {
		return Tournament{}, fmt.Errorf("seed tournament ends_at: %w", err)
	}
	extra, err := json.Marshal(map[string]any{"source": st.Source, "areas": st.Areas, "definitions": st.Definitions})
	if err != nil {
		return Tournament{}, fmt.Errorf("seed tournament extras: %w", err)
	}
	t := Tournament{Slug: st.Slug, Title: st.Title, Description: st.Description,
		StartsAt: starts.UTC(), EndsAt: ends.UTC(), Extra: extra}
	if err := ValidateTournament(t); err != nil {
		return Tournament{}, fmt.Errorf("seed tournament: %w", err)
	}
	return t, nil
}

func (sq seedQuestion) toQuestion(position int) (Question, error) {
	kind, err := scoring.ParseKind(sq.Kind)
	if err != nil {
		return Question{}, err
	}
	opens, err := time.Parse(time.RFC3339, sq.OpensAt)
	if err != nil {
		return Question{}, fmt.Errorf("opens_at: %w", err)
	}
	closes, err := time.Parse(time.RFC3339, sq.ClosesAt)
	if err != nil {
		return Question{}, fmt.Errorf("closes_at: %w", err)
	}
	q := Question{Slug: sq.Slug, Position: position, Kind: kind, Title: sq.Title, Criteria: sq.Criteria,
		Area: sq.Area, OpensAt: opens.UTC(), ClosesAt: closes.UTC(),
		Extra: QuestionExtra{ResolutionSource: sq.ResolutionSource, ResolveBy: sq.ResolveBy, PreOpenCheck: sq.PreOpenCheck}}
	for _, o := range sq.Options {
		q.Options = append(q.Options, Option{Slug: o.Slug, Label: o.Label, Description: o.Description})
	}
	if sq.Signals != nil {
		if q.Extra.Signals, err = json.Marshal(sq.Signals); err != nil {
			return Question{}, err
		}
	}
	if sq.ReferenceForecast != nil {
		if q.Extra.ReferenceForecast, err = json.Marshal(sq.ReferenceForecast); err != nil {
			return Question{}, err
		}
	}
	if err := ValidateQuestion(&q); err != nil {
		return Question{}, err
	}
	return q, nil
}

// SeedDefault loads the default tournament into a database that has no
// tournament yet, in one transaction. It reports whether it loaded anything,
// so a second start is a no-op.
func (s *Store) SeedDefault(ctx context.Context) (bool, error) {
	t, qs, err := DefaultSeed()
	if err != nil {
		return false, err
	}
	feeds, err := DefaultSeedFeeds()
	if err != nil {
		return false, err
	}
	loaded := false
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.once(tx, lockSeed); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&tournamentRow{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		created, err := createTournament(tx, t)
		if err != nil {
			return err
		}
		stored := make([]Question, 0, len(qs))
		for _, q := range qs {
			q.TournamentID = created.ID
			sq, err := createQuestion(tx, q)
			if err != nil {
				return err
			}
			stored = append(stored, sq)
		}
		if err := createSignalLinks(tx, stored, stored); err != nil {
			return err
		}
		if err := createSeedFeeds(tx, stored, feeds); err != nil {
			return err
		}
		loaded = true
		return addAudit(tx, AuditEntry{TournamentID: created.ID, Action: "seed",
			New: rawJSON(map[string]any{"slug": created.Slug, "questions": len(qs)})})
	})
	return loaded, err
}

// createSeedFeeds stores the seed's feeds, disabled, for the questions
// just created.
func createSeedFeeds(tx *gorm.DB, qs []Question, feeds map[string]Feed) error {
	for _, q := range qs {
		f, ok := feeds[q.Slug]
		if !ok {
			continue
		}
		f.QuestionID, f.Enabled = q.ID, false
		row := toFeedRow(f, "{}", clock(tx))
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}
