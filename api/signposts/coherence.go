package signposts

import (
	"context"
	"math"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Coherence compares a forecaster's scenario forecast with what their own
// indicator forecasts imply under the board's rule.
type Coherence struct {
	ScenarioQuestionID int64
	Prior              string // reference or uniform
	Implied            []float64
	Forecast           []float64 // the forecaster's scenario forecast, or nil
	Distance           *float64  // total variation distance; nil without a forecast
	Threshold          float64
	Incoherent         bool
	OwnIndicators      int // open indicators the forecaster has forecast
	Drivers            []Driver
	// Conditionals is the total-probability check of each conditional
	// pair the forecaster answered in full.
	Conditionals []ConditionalCheck
	// CrowdLinks are the indicators whose links were the crowd's, as on
	// the board; the others used the admin's links.
	CrowdLinks []int64
}

// Driver is one indicator's part in the gap: what the forecaster's
// scenario forecast predicts for its trigger beside their forecast of it
// (see scoring.Gap), and how it moves the implied distribution.
type Driver struct {
	QuestionID int64
	Title      store.Text
	Effect     float64 // |Forecast − Expected|: how far the indicator drives the gap
	Option     int     // the scenario whose implied probability it moves most
	Shift      float64 // that move
	Expected   float64 // Σ_k forecast_k · P(trigger | S_k)
	Forecast   float64 // the forecaster's probability of the trigger
	Own        bool    // the forecaster forecast this indicator (else the crowd's view or its resolution is used)
	Source     string  // crowd or admin, as on the board
}

// ConditionalCheck is the total-probability check of one conditional
// pair from the forecaster's own forecasts.
type ConditionalCheck struct {
	IndicatorQuestionID int64
	Threshold           *int // nil for a binary indicator
	IfYes, IfNo         int64
	TotalProbability    []float64
	Distance            float64 // total variation distance to the forecaster's scenario forecast
}

// Coherence applies the board's rule to a user's own forecasts in
// tournament t: the evidence posterior of the resolved indicators (shared
// by everyone), read through their own open indicator forecasts
// (scoring.TableCoherenceOf), and compares the result with their
// scenario forecast. It is a nudge: incoherent needs a gap above the
// threshold and at least one indicator the user forecast, so that
// disagreeing with the crowd alone is never called incoherence.
func (s *Service) Coherence(ctx context.Context, t store.Tournament, userID int64) (Coherence, error) {
	set, err := s.load(ctx, t.Slug)
	if err != nil {
		return Coherence{}, err
	}
	if err := s.cfg.Crowds.Sync(ctx); err != nil {
		return Coherence{}, err
	}
	// The board's tables: the crowd's where its conditional pairs say how
	// strongly an indicator bears.
	crowdLinked, err := s.applyCrowdLinks(ctx, &set)
	if err != nil {
		return Coherence{}, err
	}
	mine, err := s.cfg.Store.TournamentUserForecasts(ctx, t.ID, userID)
	if err != nil {
		return Coherence{}, err
	}
	latest := map[int64][]float64{} // ordered by question and time: the last one stands
	for _, f := range mine {
		latest[f.QuestionID] = f.Probs
	}
	prior, kind := set.prior()
	tables := set.tables(s.shownCrowdOnly)
	res, own := set.inputs(tables, s.cfg.Now().Add(time.Microsecond), func(id int64) []float64 { return latest[id] })
	evidence, _, err := readRule(prior, res, nil)
	if err != nil {
		return Coherence{}, err
	}
	out := Coherence{ScenarioQuestionID: set.scenario.ID, Prior: kind, Forecast: latest[set.scenario.ID],
		Threshold: s.cfg.CoherenceThreshold, OwnIndicators: len(own), Drivers: []Driver{},
		Conditionals: conditionalChecks(&set, latest), CrowdLinks: crowdLinked}
	if out.Forecast == nil || len(out.Forecast) != len(prior) {
		out.Forecast = nil
		out.Implied, err = scoring.ImpliedByForecasts(evidence, own)
		return out, err
	}
	co, err := scoring.TableCoherenceOf(evidence, out.Forecast, own)
	if err != nil {
		return Coherence{}, err
	}
	out.Implied, out.Distance = co.Implied, &co.Distance
	out.Incoherent = co.Distance > out.Threshold && len(own) > 0
	for _, g := range co.Drivers {
		without, err := impliedWithout(evidence, nil, own, g.Indicator)
		if err != nil {
			return Coherence{}, err
		}
		d := Driver{QuestionID: g.Indicator, Title: set.indicators[g.Indicator].Title,
			Effect: math.Abs(g.Forecast - g.Expected), Expected: g.Expected, Forecast: g.Forecast,
			Own: true, Source: sourceOf(g.Indicator, crowdLinked)}
		for k := range without {
			// The margin keeps rounding from preferring a later scenario
			// that moves as much (with two, both always move as much).
			if shift := co.Implied[k] - without[k]; math.Abs(shift) > math.Abs(d.Shift)+1e-9 {
				d.Option, d.Shift = k, shift
			}
		}
		out.Drivers = append(out.Drivers, d)
	}
	return out, nil
}

// conditionalChecks applies the law of total probability to every pair
// on the set's scenario question whose branches, indicator and scenario
// the user has all forecast (latest: their standing forecast per
// question). A resolved indicator counts as 1 or 0.
func conditionalChecks(set *signpostSet, latest map[int64][]float64) []ConditionalCheck {
	out := []ConditionalCheck{}
	scen := latest[set.scenario.ID]
	for _, p := range set.pairsOn() {
		ind := set.indicators[p.indicator]
		yes, no, pi := latest[p.ifYes], latest[p.ifNo], latest[p.indicator]
		if ind == nil || ind.Annulled || scen == nil || yes == nil || no == nil {
			continue
		}
		var q float64
		switch tr := scoring.ConditionTrigger(p.threshold); {
		case ind.Resolution != nil:
			q = tr.Resolved(ind.Resolution.Outcome, len(ind.Options))
		case pi != nil:
			q = tr.Probability(pi)
		default:
			continue
		}
		tp, err := scoring.TotalProbability(q, yes, no)
		if err != nil || len(tp) != len(scen) {
			continue
		}
		c := ConditionalCheck{IndicatorQuestionID: p.indicator, IfYes: p.ifYes, IfNo: p.ifNo,
			TotalProbability: tp, Distance: scoring.TVDistance(tp, scen)}
		if p.threshold > 0 {
			th := p.threshold
			c.Threshold = &th
		}
		out = append(out, c)
	}
	return out
}
