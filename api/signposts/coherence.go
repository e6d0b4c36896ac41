package signposts

import (
	"context"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Coherence compares a forecaster's scenario forecast with what their own
// indicator forecasts imply under the board's rule.
type Coherence struct {
	ScenarioQuestionID int64
	Prior              string // crowd, reference or uniform
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

// Driver is one indicator's part in the gap (see scoring.Driver).
type Driver struct {
	QuestionID int64
	Title      store.Text
	Effect     float64
	Option     int
	Shift      float64
	Own        bool   // the forecaster forecast this indicator (else the crowd's view or its resolution is used)
	Source     string // crowd or admin, as on the board
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

// Coherence applies the board's rule to a user's own indicator forecasts
// in tournament t (the crowd's for those they have not forecast, the
// resolution for resolved ones), from the board's prior, and compares
// the result with their scenario forecast. It is a nudge: incoherent
// needs a gap above the threshold and at least one indicator the user
// forecast, so that disagreeing with the crowd alone is never called
// incoherence.
func (s *Service) Coherence(ctx context.Context, t store.Tournament, userID int64) (Coherence, error) {
	set, err := s.load(ctx, t.Slug)
	if err != nil {
		return Coherence{}, err
	}
	if err := s.cfg.Crowds.Sync(ctx); err != nil {
		return Coherence{}, err
	}
	// The board's links: the crowd's where its conditional pairs say how
	// strongly an indicator bears, the admin's elsewhere.
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
	crowd, _ := s.shownCrowd(set.scenario.ID)
	prior, kind := set.prior(crowd)
	now := s.cfg.Now()
	probs, err := s.triggerProbabilities(ctx, &set, now, true)
	if err != nil {
		return Coherence{}, err
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
	out := Coherence{ScenarioQuestionID: set.scenario.ID, Prior: kind, Forecast: latest[set.scenario.ID],
		Threshold: s.cfg.CoherenceThreshold, OwnIndicators: len(own), Drivers: []Driver{},
		Conditionals: conditionalChecks(&set, latest), CrowdLinks: crowdLinked}
	if out.Forecast == nil {
		out.Implied, err = scoring.Implied(prior, ev)
		return out, err
	}
	co, err := scoring.CoherenceOf(prior, out.Forecast, ev)
	if err != nil {
		return Coherence{}, err
	}
	out.Implied, out.Distance = co.Implied, &co.Distance
	out.Incoherent = co.Distance > out.Threshold && len(own) > 0
	for _, d := range co.Drivers {
		if !d.Moves() {
			continue // carries no evidence
		}
		out.Drivers = append(out.Drivers, Driver{QuestionID: d.Indicator, Title: set.indicators[d.Indicator].Title,
			Effect: d.Effect, Option: d.Scenario, Shift: d.Shift, Own: own[d.Indicator],
			Source: sourceOf(d.Indicator, crowdLinked)})
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
