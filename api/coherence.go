package api

import (
	"math"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

// DefaultCoherenceThreshold is the total variation distance above which a
// forecaster's scenario forecast is called out as not matching their own
// indicator forecasts.
const DefaultCoherenceThreshold = 0.2

type driverDTO struct {
	QuestionID int64      `json:"question_id"`
	Title      store.Text `json:"title"`
	Effect     float64    `json:"effect" doc:"distance with the indicator minus without it: positive drives the gap"`
	Option     int        `json:"option" doc:"the scenario whose implied probability the indicator moves most"`
	Shift      float64    `json:"shift" doc:"that move (positive: raised)"`
	Own        bool       `json:"own" doc:"true if the caller forecast this indicator; else the crowd's view or its resolution is used"`
	Source     string     `json:"source" enum:"crowd,admin" doc:"crowd: the indicator's links were estimated from the crowd's conditional pair, as on the board; admin: an admin's links"`
}

type coherenceDTO struct {
	ScenarioQuestionID int64       `json:"scenario_question_id"`
	Prior              string      `json:"prior" enum:"crowd,reference,uniform"`
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

// myCoherence applies the board's rule to the caller's own indicator
// forecasts (the crowd's for those they have not forecast, the resolution
// for resolved ones), from the board's prior, and compares the result
// with their scenario forecast. It is a nudge: incoherent needs a gap
// above the threshold and at least one indicator the caller forecast, so
// that disagreeing with the crowd alone is never called incoherence.
func (s *Server) myCoherence(c *fiber.Ctx) (coherenceDTO, error) {
	ctx := c.UserContext()
	t, err := s.tournamentParam(c)
	if err != nil {
		return coherenceDTO{}, err
	}
	set, err := s.loadSignposts(ctx, t.Slug)
	if err != nil {
		return coherenceDTO{}, err
	}
	if err := s.crowd.sync(ctx); err != nil {
		return coherenceDTO{}, err
	}
	// The board's links: the crowd's where its conditional pairs say how
	// strongly an indicator bears, the admin's elsewhere.
	crowdLinked, err := s.applyCrowdLinks(ctx, &set)
	if err != nil {
		return coherenceDTO{}, err
	}
	me, _ := caller(c)
	mine, err := s.cfg.Store.TournamentUserForecasts(ctx, t.ID, me.ID)
	if err != nil {
		return coherenceDTO{}, err
	}
	latest := map[int64][]float64{} // ordered by question and time: the last one stands
	for _, f := range mine {
		latest[f.QuestionID] = f.Probs
	}
	crowd, _ := s.shownCrowd(set.scenario.ID)
	prior, kind := set.prior(crowd)
	now := s.now()
	probs, err := s.triggerProbabilities(ctx, &set, now, true)
	if err != nil {
		return coherenceDTO{}, err
	}
	own := map[int64]bool{}
	for i, l := range set.links {
		if _, settled := set.settled(i, now.Add(time.Microsecond)); settled || set.indicators[l.IndicatorID].Annulled {
			continue
		}
		if p := latest[l.IndicatorID]; p != nil {
			probs[i] = set.triggers[i].Probability(p)
			own[l.IndicatorID] = true
		}
	}
	ev := set.evidence(probs)
	out := coherenceDTO{ScenarioQuestionID: set.scenario.ID, Prior: kind, Forecast: latest[set.scenario.ID],
		Threshold: s.coherenceThreshold(), OwnIndicators: len(own), Drivers: []driverDTO{},
		Conditionals: conditionalChecks(&set, latest), CrowdLinks: orEmptyIDs(crowdLinked)}
	if out.Forecast == nil {
		out.Implied, err = scoring.Implied(prior, ev)
		return out, err
	}
	co, err := scoring.CoherenceOf(prior, out.Forecast, ev)
	if err != nil {
		return coherenceDTO{}, err
	}
	out.Implied, out.Distance = co.Implied, &co.Distance
	out.Incoherent = co.Distance > out.Threshold && len(own) > 0
	for _, d := range co.Drivers {
		if math.Abs(d.Effect) < 1e-12 && math.Abs(d.Shift) < 1e-12 {
			continue // carries no evidence
		}
		out.Drivers = append(out.Drivers, driverDTO{QuestionID: d.Indicator, Title: set.indicators[d.Indicator].Title,
			Effect: d.Effect, Option: d.Scenario, Shift: d.Shift, Own: own[d.Indicator],
			Source: sourceOf(d.Indicator, crowdLinked)})
	}
	return out, nil
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
