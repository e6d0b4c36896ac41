package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/api/signposts"
	"signpost/store"
)

// signpostIndicatorDTO is one link of an indicator as the board shows it
// under a scenario.
type signpostIndicatorDTO struct {
	QuestionID  int64      `json:"question_id"`
	LinkID      int64      `json:"link_id"`
	Title       store.Text `json:"title"`
	State       string     `json:"state" enum:"upcoming,open,closed,resolved,annulled"`
	Trigger     string     `json:"trigger"`
	Direction   int        `json:"direction"`
	Probability *float64   `json:"probability" doc:"crowd probability of the trigger, 0 or 1 once resolved; null with no forecasts"`
	Change30d   *float64   `json:"change_30d" doc:"probability now minus 30 days ago; null without both"`
	Strength    string     `json:"strength" enum:"weak,moderate,strong"`
	Weight      float64    `json:"weight"`
	Shift       float64    `json:"shift" doc:"implied probability of this scenario with the indicator minus without it"`
	ResolvedAt  *string    `json:"resolved_at" format:"date-time"`
	Source      string     `json:"source" enum:"crowd,admin" doc:"crowd: estimated from the crowd's conditional pair (link_id 0, strength the nearest name); admin: an admin's link"`
	// LikelihoodRatio is how the trigger multiplies this scenario's odds.
	LikelihoodRatio  float64  `json:"likelihood_ratio" doc:"P(scenario | trigger) / P(scenario | no trigger) from the crowd's branches; for an admin link weight^direction"`
	TotalProbability *float64 `json:"total_probability" doc:"crowd links: P(I)·P(S | Yes) + (1 − P(I))·P(S | No), to set beside the crowd's direct P(S); null otherwise"`
}

type signpostScenarioDTO struct {
	Option    int                    `json:"option"`
	Label     store.Text             `json:"label"`
	Crowd     *float64               `json:"crowd"`
	Implied   float64                `json:"implied"`
	Reference *float64               `json:"reference"`
	For       []signpostIndicatorDTO `json:"for" doc:"links that raise this scenario"`
	Against   []signpostIndicatorDTO `json:"against" doc:"links that lower this scenario"`
}

type signpostsDTO struct {
	ScenarioQuestionID int64                 `json:"scenario_question_id"`
	Prior              string                `json:"prior" enum:"crowd,reference,uniform"`
	Forecasters        int                   `json:"forecasters"`
	Scenarios          []signpostScenarioDTO `json:"scenarios"`
}

// signposts is the signpost board of a tournament.
func (s *Server) signposts(c *fiber.Ctx) (signpostsDTO, error) {
	b, err := s.signs.Board(c.UserContext(), c.Params("slug"))
	if err != nil {
		return signpostsDTO{}, err
	}
	return toSignpostsDTO(b), nil
}

func toSignpostsDTO(b signposts.Board) signpostsDTO {
	out := signpostsDTO{ScenarioQuestionID: b.ScenarioQuestionID, Prior: b.Prior, Forecasters: b.Forecasters}
	for _, sc := range b.Scenarios {
		out.Scenarios = append(out.Scenarios, signpostScenarioDTO{Option: sc.Option, Label: sc.Label, Crowd: sc.Crowd,
			Implied: sc.Implied, Reference: sc.Reference, For: toSignpostIndicatorDTOs(sc.For),
			Against: toSignpostIndicatorDTOs(sc.Against)})
	}
	return out
}

func toSignpostIndicatorDTOs(ls []signposts.Link) []signpostIndicatorDTO {
	out := make([]signpostIndicatorDTO, len(ls))
	for i, l := range ls {
		out[i] = signpostIndicatorDTO{QuestionID: l.QuestionID, LinkID: l.LinkID, Title: l.Title, State: l.State,
			Trigger: l.Trigger, Direction: l.Direction, Probability: l.Probability, Change30d: l.Change30d,
			Strength: l.Strength, Weight: l.Weight, Shift: l.Shift, Source: l.Source,
			LikelihoodRatio: l.LikelihoodRatio, TotalProbability: l.TotalProbability}
		if l.ResolvedAt != nil {
			at := formatTime(*l.ResolvedAt)
			out[i].ResolvedAt = &at
		}
	}
	return out
}
