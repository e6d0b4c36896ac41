package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/api/signposts"
	"signpost/store"
)

// DefaultCoherenceThreshold is the total variation distance above which a
// forecaster's scenario forecast is called out as not matching their own
// indicator forecasts.
const DefaultCoherenceThreshold = 0.2

type driverDTO struct {
	QuestionID int64      `json:"question_id"`
	Title      store.Text `json:"title"`
	Effect     float64    `json:"effect" doc:"|forecast − expected|: how far the caller's forecast of the trigger is from what their scenario forecast expects; drivers come largest first"`
	Option     int        `json:"option" doc:"the scenario whose implied probability the indicator moves most"`
	Shift      float64    `json:"shift" doc:"that move (positive: raised)"`
	Expected   float64    `json:"expected" doc:"what the caller's scenario forecast predicts for the indicator's trigger, Σ_k forecast_k·P(trigger | S_k)"`
	Forecast   float64    `json:"forecast" doc:"the caller's probability of the trigger"`
	Own        bool       `json:"own" doc:"true: the caller forecast this indicator (every driver is one of their own open indicator forecasts)"`
	Source     string     `json:"source" enum:"crowd,admin" doc:"crowd: the indicator's links were estimated from the crowd's conditional pair, as on the board; admin: an admin's links"`
}

type coherenceDTO struct {
	ScenarioQuestionID int64       `json:"scenario_question_id"`
	Prior              string      `json:"prior" enum:"reference,uniform" doc:"where the evidence starts, as on the board"`
	Implied            []float64   `json:"implied"`
	Forecast           probsOrNull `json:"forecast" doc:"the caller's scenario forecast, or null"`
	Distance           *float64    `json:"distance" doc:"total variation distance; null without a scenario forecast"`
	Threshold          float64     `json:"threshold"`
	Incoherent         bool        `json:"incoherent"`
	OwnIndicators      int         `json:"own_indicators" doc:"open indicators the caller has forecast"`
	Drivers            []driverDTO `json:"drivers"`
	// Conditionals is the total-probability check of each conditional
	// pair the caller answered in full.
	Conditionals []conditionalCheckDTO `json:"conditionals"`
	// CrowdLinks says which links the implied figure used.
	CrowdLinks []int64 `json:"crowd_links" doc:"indicators whose links were the crowd's (as on the board: a conditional pair answered in full by at least SIGNPOST_CONDITIONAL_MIN forecasters); the others used the admin's links"`
}

// myCoherence is the caller's coherence (see signposts.Service.Coherence)
// in the tournament of the query.
func (s *Server) myCoherence(c *fiber.Ctx) (coherenceDTO, error) {
	t, err := s.tournamentParam(c)
	if err != nil {
		return coherenceDTO{}, err
	}
	me, _ := caller(c)
	co, err := s.signs.Coherence(c.UserContext(), t, me.ID)
	if err != nil {
		return coherenceDTO{}, err
	}
	return toCoherenceDTO(co), nil
}

func toCoherenceDTO(co signposts.Coherence) coherenceDTO {
	out := coherenceDTO{ScenarioQuestionID: co.ScenarioQuestionID, Prior: co.Prior, Implied: co.Implied,
		Forecast: co.Forecast, Distance: co.Distance, Threshold: co.Threshold, Incoherent: co.Incoherent,
		OwnIndicators: co.OwnIndicators, Drivers: make([]driverDTO, len(co.Drivers)),
		Conditionals: toConditionalCheckDTOs(co.Conditionals), CrowdLinks: orEmptyIDs(co.CrowdLinks)}
	for i, d := range co.Drivers {
		out.Drivers[i] = driverDTO{QuestionID: d.QuestionID, Title: d.Title, Effect: d.Effect, Option: d.Option,
			Shift: d.Shift, Expected: d.Expected, Forecast: d.Forecast, Own: d.Own, Source: d.Source}
	}
	return out
}

// probsOrNull is a probability vector that may be absent (null).
type probsOrNull []float64

func (probsOrNull) openAPISchema(s *schemas) map[string]any {
	return nullable(s.of(typeOf[[]float64](), false))
}

func (s *Server) coherenceThreshold() float64 {
	if s.cfg.CoherenceThreshold > 0 {
		return s.cfg.CoherenceThreshold
	}
	return DefaultCoherenceThreshold
}
