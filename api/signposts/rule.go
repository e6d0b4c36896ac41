package signposts

import (
	"context"
	"math"
	"time"

	"signpost/scoring"
)

// observed is a resolved indicator as evidence.
type observed struct {
	indicator int64
	obs       scoring.Observation
}

// inputs splits the indicators of tables into the resolved before
// `before` (evidence) and the open ones forecastOf has a forecast of (nil:
// none), with that forecast's probability of the table's trigger.
func (set *signpostSet) inputs(tables []*Table, before time.Time, forecastOf func(id int64) []float64) (
	[]observed, []scoring.OpenIndicator) {
	var res []observed
	var open []scoring.OpenIndicator
	for _, t := range tables {
		ind := set.indicators[t.IndicatorID]
		if r := ind.Resolution; r != nil && r.ResolvedAt.Before(before) {
			res = append(res, observed{indicator: ind.ID, obs: scoring.Observation{Likelihood: t.Probabilities,
				Happened: t.trigger.Resolved(r.Outcome, len(ind.Options))}})
			continue
		}
		if p := forecastOf(ind.ID); p != nil {
			open = append(open, scoring.OpenIndicator{Indicator: ind.ID, Likelihood: t.Probabilities,
				P: t.trigger.Probability(p)})
		}
	}
	return res, open
}

// readRule is the rule on one moment: the evidence posterior of the
// resolved indicators from prior, and the scenario distribution the open
// indicators' forecasts imply from it.
func readRule(prior []float64, res []observed, open []scoring.OpenIndicator) (evidence, implied []float64, err error) {
	obs := make([]scoring.Observation, len(res))
	for i, r := range res {
		obs[i] = r.obs
	}
	if evidence, err = scoring.Posterior(prior, obs); err != nil {
		return nil, nil, err
	}
	implied, err = scoring.ImpliedByForecasts(evidence, open)
	return evidence, implied, err
}

// impliedWithout is readRule's implied distribution with indicator id
// left out, whether it is resolved or open.
func impliedWithout(prior []float64, res []observed, open []scoring.OpenIndicator, id int64) ([]float64, error) {
	var r []observed
	for _, x := range res {
		if x.indicator != id {
			r = append(r, x)
		}
	}
	var o []scoring.OpenIndicator
	for _, x := range open {
		if x.Indicator != id {
			o = append(o, x)
		}
	}
	_, implied, err := readRule(prior, r, o)
	return implied, err
}

// likelihoodRatio is how indicator table t's trigger multiplies scenario
// k's odds under prior: P(trigger | S_k) / P(trigger | not S_k), the
// other scenarios weighted by the prior.
func likelihoodRatio(t *Table, prior []float64, k int) float64 {
	var num, den float64
	for j, p := range t.Probabilities {
		if j != k {
			num += prior[j] * p
			den += prior[j]
		}
	}
	if den == 0 || num == 0 {
		return 1
	}
	return t.Probabilities[k] / (num / den)
}

// RangeResamples is how many resampled crowds the implied range is taken
// over: enough for two digits.
const RangeResamples = 200

// impliedRange is scoring.ImpliedRange over the forecasters of the open
// indicators, seeded by the tournament and its latest forecast so that
// the same forecasts show the same range.
func (s *Service) impliedRange(ctx context.Context, set *signpostSet, evidence []float64, tables []*Table,
	open []scoring.OpenIndicator) ([][2]float64, error) {
	byID := map[int64]*Table{}
	for _, t := range tables {
		byID[t.IndicatorID] = t
	}
	inds := make([]scoring.RangeIndicator, len(open))
	forecaster := map[int64]int{} // user ID → row of forecasts
	var forecasts [][][]float64
	for i, o := range open {
		t := byID[o.Indicator]
		inds[i] = scoring.RangeIndicator{Indicator: o.Indicator, Likelihood: t.Probabilities, Trigger: t.trigger,
			Options: len(set.indicators[o.Indicator].Options)}
		latest, err := s.cfg.Store.LatestForecastsOn(ctx, o.Indicator)
		if err != nil {
			return nil, err
		}
		for _, f := range latest {
			row, ok := forecaster[f.UserID]
			if !ok {
				row = len(forecasts)
				forecaster[f.UserID] = row
				forecasts = append(forecasts, make([][]float64, len(open)))
			}
			forecasts[row][i] = f.Probs
		}
	}
	if len(forecasts) == 0 {
		out := make([][2]float64, len(evidence))
		for k, x := range evidence {
			out[k] = [2]float64{x, x}
		}
		return out, nil
	}
	seed := uint64(set.scenario.TournamentID)<<40 ^ uint64(s.cfg.Crowds.LastForecast())
	return scoring.ImpliedRange(evidence, inds, forecasts,
		scoring.RangeOptions{Seed: seed, Resamples: RangeResamples, Min: s.cfg.Crowds.Min()})
}

// expected is what the scenario forecast p predicts for table t's
// trigger; nil without p.
func expected(p []float64, t *Table) *float64 {
	if p == nil || len(p) != len(t.Probabilities) {
		return nil
	}
	e := scoring.ExpectedTrigger(p, t.Probabilities)
	return &e
}

// gap is how far an indicator's probability is from what the scenarios
// expect; -1 (last) without either.
func gap(expected, probability *float64) float64 {
	if expected == nil || probability == nil {
		return -1
	}
	return math.Abs(*expected - *probability)
}
