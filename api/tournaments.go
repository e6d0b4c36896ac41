package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

type tournamentDTO struct {
	ID          int64           `json:"id"`
	Slug        string          `json:"slug"`
	Title       store.Text      `json:"title"`
	Description store.Text      `json:"description"`
	StartsAt    string          `json:"starts_at" format:"date-time"`
	EndsAt      string          `json:"ends_at" format:"date-time"`
	Areas       json.RawMessage `json:"areas,omitempty" schema:"areas"`
	Source      json.RawMessage `json:"source,omitempty" schema:"tournamentSource"`
	Definitions json.RawMessage `json:"definitions,omitempty" schema:"definitions"`
	// ConditionalsOnMain: see store.Tournament.
	ConditionalsOnMain bool `json:"conditionals_on_main" doc:"conditional branches count on the main leaderboard too (they always have their own, ?kind=conditional)"`
	// CrowdAggregate: see store.Tournament.
	CrowdAggregate string `json:"crowd_aggregate" enum:"median,mean_logodds,recency_median,skill_weighted,extremized" doc:"the aggregate the tournament's crowd is (see /tournaments/{slug}/aggregates)"`
}

type tournamentDetailDTO struct {
	tournamentDTO
	Questions []questionDTO `json:"questions"`
}

func toTournamentDTO(t store.Tournament) tournamentDTO {
	out := tournamentDTO{ID: t.ID, Slug: t.Slug, Title: t.Title, Description: t.Description,
		StartsAt: formatTime(t.StartsAt), EndsAt: formatTime(t.EndsAt), ConditionalsOnMain: t.ConditionalsOnMain,
		CrowdAggregate: t.CrowdAggregate}
	var extra struct {
		Areas       json.RawMessage `json:"areas"`
		Source      json.RawMessage `json:"source"`
		Definitions json.RawMessage `json:"definitions"`
	}
	if json.Unmarshal(t.Extra, &extra) == nil {
		out.Areas, out.Source, out.Definitions = nullToEmpty(extra.Areas), nullToEmpty(extra.Source), nullToEmpty(extra.Definitions)
	}
	if out.Areas == nil {
		out.Areas = json.RawMessage("[]")
	}
	return out
}

func nullToEmpty(m json.RawMessage) json.RawMessage {
	if string(m) == "null" {
		return nil
	}
	return m
}

type tournamentListDTO struct {
	Tournaments []tournamentDTO `json:"tournaments"`
}

func (s *Server) listTournaments(c *fiber.Ctx) (tournamentListDTO, error) {
	ts, err := s.cfg.Store.ListTournaments(c.UserContext())
	if err != nil {
		return tournamentListDTO{}, err
	}
	out := tournamentListDTO{Tournaments: make([]tournamentDTO, len(ts))}
	for i, t := range ts {
		out.Tournaments[i] = toTournamentDTO(t)
	}
	return out, nil
}

type tournamentRequest struct {
	Slug        *string         `json:"slug" required:"true" doc:"1-64 characters of a-z 0-9 -"`
	Title       store.Text      `json:"title" required:"true"`
	Description store.Text      `json:"description"`
	StartsAt    *string         `json:"starts_at" required:"true" format:"date-time"`
	EndsAt      *string         `json:"ends_at" required:"true" format:"date-time"`
	Areas       json.RawMessage `json:"areas" schema:"areas" doc:"the areas indicators are grouped in"`
	// ConditionalsOnMain may also be changed later (PATCH).
	ConditionalsOnMain bool `json:"conditionals_on_main" doc:"count conditional branches on the main leaderboard too (default false)"`
}

func (r tournamentRequest) toTournament() (store.Tournament, error) {
	if r.Slug == nil {
		return store.Tournament{}, invalid("slug", "slug is required")
	}
	starts, err := parseTime("starts_at", r.StartsAt, true)
	if err != nil {
		return store.Tournament{}, err
	}
	ends, err := parseTime("ends_at", r.EndsAt, true)
	if err != nil {
		return store.Tournament{}, err
	}
	t := store.Tournament{Slug: *r.Slug, Title: r.Title, Description: r.Description, StartsAt: starts, EndsAt: ends,
		ConditionalsOnMain: r.ConditionalsOnMain}
	if len(r.Areas) > 0 {
		t.Extra, _ = json.Marshal(map[string]json.RawMessage{"areas": r.Areas})
	}
	return t, store.ValidateTournament(t)
}

func (s *Server) createTournament(c *fiber.Ctx, req *tournamentRequest) (tournamentDTO, error) {
	t, err := req.toTournament()
	if err != nil {
		return tournamentDTO{}, err
	}
	p, _ := caller(c)
	t, err = s.cfg.Store.CreateTournament(c.UserContext(), t, p.ID)
	if err != nil {
		return tournamentDTO{}, err
	}
	return toTournamentDTO(t), nil
}

func (s *Server) getTournament(c *fiber.Ctx) (tournamentDetailDTO, error) {
	ctx := c.UserContext()
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, c.Params("slug"))
	if err != nil {
		return tournamentDetailDTO{}, err
	}
	qs, err := s.cfg.Store.ListQuestions(ctx, t.ID)
	if err != nil {
		return tournamentDetailDTO{}, err
	}
	if err := s.crowd.Sync(ctx); err != nil {
		return tournamentDetailDTO{}, err
	}
	proposals, err := s.cfg.Store.PendingProposals(ctx, t.ID)
	if err != nil {
		return tournamentDetailDTO{}, err
	}
	out := tournamentDetailDTO{tournamentDTO: toTournamentDTO(t), Questions: make([]questionDTO, len(qs))}
	for i := range qs {
		if out.Questions[i], err = s.syncedView(c, &qs[i]); err != nil {
			return tournamentDetailDTO{}, err
		}
		if p, ok := proposals[qs[i].ID]; ok {
			out.Questions[i].Proposal = toProposalDTO(p)
		}
	}
	return out, nil
}
