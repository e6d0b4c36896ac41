package scoring

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// RangeIndicator is an open indicator as [ImpliedRange] reads it: its
// likelihood table, its trigger, and its number of options, against which
// every forecast of it is checked.
type RangeIndicator struct {
	Indicator  int64
	Likelihood []float64
	Trigger    Trigger
	Options    int
}

// RangeOptions sets up the bootstrap of [ImpliedRange].
type RangeOptions struct {
	Seed      uint64 // the same seed gives the same range
	Resamples int    // how many resampled crowds (200 is plenty for two digits)
	// Aggregate turns one indicator's forecasts into the crowd's; nil
	// means [Crowd], the per-option median the board shows.
	Aggregate func(ps [][]float64) []float64
	// Min leaves out an indicator with fewer drawn forecasts than Min
	// (a forecaster drawn twice counts twice), as the board leaves out a
	// crowd of too few forecasters; 0 or 1 keeps any.
	Min int
}

// The percentiles of ImpliedRange.
const (
	RangeLow  = 0.10
	RangeHigh = 0.90
)

// ImpliedRange returns, per scenario, the 10th and 90th percentiles of the
// implied probability ([ImpliedByForecasts]) over a bootstrap of the
// forecasters: how much the implied figure owes to who happened to
// forecast. forecasts[f][i] is forecaster f's forecast of indicator i
// (nil if they have none). Each resample draws as many forecasters as
// there are, with replacement, from a PCG generator seeded with
// opts.Seed; rebuilds each indicator's crowd from the drawn forecasters'
// forecasts with opts.Aggregate and reads its trigger probability; leaves
// out an indicator none of them (or fewer than opts.Min) forecast; and computes the implied
// distribution from evidence. Percentiles interpolate linearly between
// the sorted resamples (the usual "type 7" definition), so with one
// resample both ends are that resample.
//
// It fails if opts.Resamples is below 1, a table or forecast does not
// match its indicator, or evidence is not a distribution.
func ImpliedRange(evidence []float64, indicators []RangeIndicator, forecasts [][][]float64, opts RangeOptions) ([][2]float64, error) {
	if opts.Resamples < 1 {
		return nil, fmt.Errorf("scoring: %d resamples; need at least 1", opts.Resamples)
	}
	if err := checkScenarios(evidence); err != nil {
		return nil, fmt.Errorf("scoring: evidence: %w", err)
	}
	k := len(evidence)
	for i, ind := range indicators {
		if err := checkTable(ind.Likelihood, k); err != nil {
			return nil, fmt.Errorf("scoring: indicator %d: %w", i, err)
		}
		if ind.Trigger.Kind < TriggerYes || ind.Trigger.Kind > TriggerAtLeast || ind.Trigger.Option < 0 || ind.Trigger.Option >= ind.Options {
			return nil, fmt.Errorf("scoring: indicator %d: trigger %v beyond %d options", i, ind.Trigger, ind.Options)
		}
	}
	for f, row := range forecasts {
		if len(row) != len(indicators) {
			return nil, fmt.Errorf("scoring: forecaster %d has %d forecasts for %d indicators", f, len(row), len(indicators))
		}
		for i, p := range row {
			if p == nil {
				continue
			}
			if err := Validate(p, indicators[i].Options); err != nil {
				return nil, fmt.Errorf("scoring: forecaster %d, indicator %d: %w", f, i, err)
			}
		}
	}
	aggregate := opts.Aggregate
	if aggregate == nil {
		aggregate = Crowd
	}

	rng := rand.New(rand.NewPCG(opts.Seed, 0x5349474e504f5354)) // "SIGNPOST": a fixed stream
	draws := make([][]float64, k)                               // by scenario, one per resample
	picked := make([]int, len(forecasts))
	var ps [][]float64
	open := make([]OpenIndicator, 0, len(indicators))
	for range opts.Resamples {
		for j := range picked {
			picked[j] = rng.IntN(len(forecasts))
		}
		open = open[:0]
		for i, ind := range indicators {
			ps = ps[:0]
			for _, f := range picked {
				if p := forecasts[f][i]; p != nil {
					ps = append(ps, p)
				}
			}
			if len(ps) == 0 || len(ps) < opts.Min {
				continue
			}
			crowd := aggregate(ps)
			if Validate(crowd, ind.Options) != nil {
				return nil, fmt.Errorf("scoring: the aggregate of indicator %d is not a forecast: %v", i, crowd)
			}
			open = append(open, OpenIndicator{Indicator: ind.Indicator, Likelihood: ind.Likelihood, P: ind.Trigger.Probability(crowd)})
		}
		imp := impliedByForecasts(evidence, open)
		for s, x := range imp {
			draws[s] = append(draws[s], x)
		}
	}
	out := make([][2]float64, k)
	for s, xs := range draws {
		slices.Sort(xs)
		out[s] = [2]float64{percentile(xs, RangeLow), percentile(xs, RangeHigh)}
	}
	return out, nil
}

// percentile is the q-quantile of the sorted, non-empty xs, interpolating
// linearly between order statistics.
func percentile(xs []float64, q float64) float64 {
	h := q * float64(len(xs)-1)
	i := int(h)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}
