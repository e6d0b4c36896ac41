package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// conditionalRoutes are the endpoints of conditional pairs.
func (s *Server) conditionalRoutes() []operation {
	return []operation{
		get("/questions/:id/conditionals", "listConditionalPairs",
			"An indicator's conditional pairs: the scenario question asked if it resolves Yes and if No",
			s.conditionalPairs).tagged("signposts"),
		post("/questions/:id/conditionals", "createConditionalPair",
			"Create the \"if Yes\" and \"if No\" branches of a scenario question under this indicator",
			s.createConditionalPair).admin().created().errors(409).tagged("signposts").
			describe("Each branch is a multiple-choice question with the scenario's options. The server annuls the " +
				"branch whose condition fails when the indicator resolves, and resolves the other with the scenario " +
				"question (same outcome and resolved_at); corrections re-derive both, and every such change is in " +
				"the audit trail with no actor."),
		patch("/tournaments/:slug", "updateTournament", "Change a tournament's settings",
			s.updateTournament).admin().
			describe("Each field present is changed, and audited. conditionals_on_main counts the conditional branches on " +
				"the main leaderboard too (a change rescores the boards); crowd_aggregate picks the aggregate the crowd of " +
				"every question, the signpost board, the pulse and tripwires use (see /tournaments/{slug}/aggregates)."),
	}
}

// tournamentSettingsRequest changes a tournament's settings.
type tournamentSettingsRequest struct {
	ConditionalsOnMain *bool   `json:"conditionals_on_main" doc:"count conditional branches on the main leaderboard too"`
	CrowdAggregate     *string `json:"crowd_aggregate" enum:"median,mean_logodds,recency_median,skill_weighted,extremized" doc:"the aggregate the tournament's crowd is"`
}

// updateTournament changes a tournament's settings: whether its
// conditional branches count on the main leaderboard too, and which
// aggregate its crowd is. At least one must be given.
func (s *Server) updateTournament(c *fiber.Ctx, req *tournamentSettingsRequest) (tournamentDTO, error) {
	if req.ConditionalsOnMain == nil && req.CrowdAggregate == nil {
		return tournamentDTO{}, invalid("conditionals_on_main", "conditionals_on_main or crowd_aggregate is required")
	}
	if req.CrowdAggregate != nil {
		if err := store.ValidateCrowdAggregate(*req.CrowdAggregate); err != nil {
			return tournamentDTO{}, err // before any change: all or nothing
		}
	}
	ctx := c.UserContext()
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, c.Params("slug"))
	if err != nil {
		return tournamentDTO{}, err
	}
	p, _ := caller(c)
	if req.ConditionalsOnMain != nil {
		if t, err = s.cfg.Store.SetConditionalsOnMain(ctx, t.ID, *req.ConditionalsOnMain, p.ID); err != nil {
			return tournamentDTO{}, err
		}
	}
	if req.CrowdAggregate != nil {
		if t, err = s.cfg.Store.SetCrowdAggregate(ctx, t.ID, *req.CrowdAggregate, p.ID); err != nil {
			return tournamentDTO{}, err
		}
		s.crowd.Forget(t.ID)
	}
	return toTournamentDTO(t), nil
}

// conditionDTO is what a branch assumes of its indicator.
type conditionDTO struct {
	QuestionID int64  `json:"question_id" doc:"the indicator question"`
	Outcome    string `json:"outcome" enum:"yes,no"`
	Threshold  *int   `json:"threshold" doc:"ordered indicator: Yes means it lands at or above this bucket; null for binary"`
}

func toConditionDTO(q *store.Question) (*conditionDTO, *int64) {
	if q.Condition == nil {
		return nil, nil
	}
	c := &conditionDTO{QuestionID: q.Condition.QuestionID, Outcome: q.Condition.Outcome}
	if q.Condition.Threshold > 0 {
		th := q.Condition.Threshold
		c.Threshold = &th
	}
	m := q.Mirrors
	return c, &m
}

type conditionalRequest struct {
	ScenarioQuestionID *int64 `json:"scenario_question_id" required:"true" doc:"a multiple-choice question of the same tournament"`
	Threshold          *int   `json:"threshold" doc:"required for an ordered indicator: the bucket at or above which it counts as Yes (1 to buckets-1); absent for binary"`
}

type pairDTO struct {
	IfYes questionDTO `json:"if_yes"`
	IfNo  questionDTO `json:"if_no"`
}

type pairEntryDTO struct {
	ScenarioQuestionID int64       `json:"scenario_question_id"`
	Threshold          *int        `json:"threshold"`
	IfYes              questionDTO `json:"if_yes"`
	IfNo               questionDTO `json:"if_no"`
}

type pairsDTO struct {
	Pairs []pairEntryDTO `json:"pairs"`
}

func (s *Server) createConditionalPair(c *fiber.Ctx, in *conditionalRequest) (pairDTO, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return pairDTO{}, notFound("no such question")
	}
	if in.ScenarioQuestionID == nil {
		return pairDTO{}, invalid("scenario_question_id", "scenario_question_id is required")
	}
	threshold := 0
	if in.Threshold != nil {
		if threshold = *in.Threshold; threshold < 1 {
			return pairDTO{}, invalid("threshold", "threshold is a bucket index of at least 1")
		}
	}
	p, _ := caller(c)
	pair, err := s.cfg.Store.CreateConditionalPair(c.UserContext(), id, *in.ScenarioQuestionID, threshold, s.now(), p.ID)
	if err != nil {
		return pairDTO{}, err
	}
	if err := s.crowd.Sync(c.UserContext()); err != nil {
		return pairDTO{}, err
	}
	var out pairDTO
	if out.IfYes, err = s.syncedView(c, &pair.IfYes); err != nil {
		return pairDTO{}, err
	}
	out.IfNo, err = s.syncedView(c, &pair.IfNo)
	return out, err
}

func (s *Server) conditionalPairs(c *fiber.Ctx) (pairsDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return pairsDTO{}, err
	}
	pairs, err := s.cfg.Store.ConditionalPairs(c.UserContext(), q.ID)
	if err != nil {
		return pairsDTO{}, err
	}
	if err := s.crowd.Sync(c.UserContext()); err != nil {
		return pairsDTO{}, err
	}
	out := pairsDTO{Pairs: make([]pairEntryDTO, len(pairs))}
	for i := range pairs {
		p := &pairs[i]
		e := pairEntryDTO{ScenarioQuestionID: p.ScenarioID}
		if p.Threshold > 0 {
			th := p.Threshold
			e.Threshold = &th
		}
		if e.IfYes, err = s.syncedView(c, &p.IfYes); err != nil {
			return pairsDTO{}, err
		}
		if e.IfNo, err = s.syncedView(c, &p.IfNo); err != nil {
			return pairsDTO{}, err
		}
		out.Pairs[i] = e
	}
	return out, nil
}
