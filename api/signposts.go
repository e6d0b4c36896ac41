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
	Shift       float64    `json:"shift" doc:"this scenario's implied probability with the indicator minus without it (a resolved indicator left out of the evidence, an open one out of the forecasts read through the tables)"`
	ResolvedAt  *string    `json:"resolved_at" format:"date-time"`
	Source      string     `json:"source" enum:"crowd,admin" doc:"crowd: estimated from the crowd's conditional pair (link_id 0, strength the nearest name); admin: an admin's link"`
	// LikelihoodRatio is how the trigger multiplies this scenario's odds.
	LikelihoodRatio  float64  `json:"likelihood_ratio" doc:"P(trigger | this scenario) / P(trigger | another scenario) under the indicator's likelihood table, the other scenarios weighted by the prior: how the table's trigger multiplies this scenario's odds; for an indicator without a table weight^direction"`
	TotalProbability *float64 `json:"total_probability" doc:"crowd links: P(I)·P(S | Yes) + (1 − P(I))·P(S | No), to set beside the crowd's direct P(S); null otherwise"`
	Expected         *float64 `json:"expected" doc:"what the crowd's scenario forecast predicts for the table's trigger, Σ_k crowd_k·P(trigger | S_k); null without a crowd scenario forecast or a table"`
	// Likelihoods is the indicator's table, so its source shows with its numbers.
	Likelihoods *boardTableDTO `json:"likelihoods" doc:"the indicator's likelihood table on the scenario question; null if it bears on no scenario"`
}

// boardTableDTO is an indicator's likelihood table as the board shows it.
type boardTableDTO struct {
	Trigger       string    `json:"trigger" doc:"the trigger the table describes, in the links' syntax (>=k: a conditional pair's threshold)"`
	Probabilities []float64 `json:"probabilities" doc:"P(trigger | S_k) for each scenario option k"`
	Source        string    `json:"source" enum:"admin,strengths,crowd" doc:"admin: entered by an admin; crowd: from a conditional pair answered in full by at least SIGNPOST_CONDITIONAL_MIN forecasters; strengths: from the links and their strengths"`
}

func toBoardTableDTO(t *signposts.Table) *boardTableDTO {
	if t == nil {
		return nil
	}
	return &boardTableDTO{Trigger: t.Trigger, Probabilities: t.Probabilities, Source: t.Source}
}

type signpostScenarioDTO struct {
	Option       int                    `json:"option"`
	Label        store.Text             `json:"label"`
	Crowd        *float64               `json:"crowd"`
	Evidence     float64                `json:"evidence" doc:"the prior updated by the resolved indicators through their likelihood tables (exact Bayes)"`
	Implied      float64                `json:"implied" doc:"the scenario probability that best explains the crowd's open-indicator forecasts through their likelihood tables, settled toward evidence; evidence itself without open-indicator forecasts"`
	ImpliedRange [2]float64             `json:"implied_range" doc:"[lo, hi]: 10th and 90th percentiles of implied over a seeded bootstrap of forecasters"`
	Reference    *float64               `json:"reference"`
	For          []signpostIndicatorDTO `json:"for" doc:"links that raise this scenario, largest |expected − probability| first"`
	Against      []signpostIndicatorDTO `json:"against" doc:"links that lower this scenario, largest |expected − probability| first"`
}

type signpostsDTO struct {
	ScenarioQuestionID int64                 `json:"scenario_question_id"`
	Prior              string                `json:"prior" enum:"reference,uniform" doc:"where evidence starts: the scenario question's reference forecast, else uniform"`
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
			Evidence: sc.Evidence, Implied: sc.Implied, ImpliedRange: sc.ImpliedRange, Reference: sc.Reference, For: toSignpostIndicatorDTOs(sc.For),
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
			LikelihoodRatio: l.LikelihoodRatio, TotalProbability: l.TotalProbability, Expected: l.Expected,
			Likelihoods: toBoardTableDTO(l.Likelihoods)}
		if l.ResolvedAt != nil {
			at := formatTime(*l.ResolvedAt)
			out[i].ResolvedAt = &at
		}
	}
	return out
}
