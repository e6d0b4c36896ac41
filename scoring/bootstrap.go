package scoring

import (
	"cmp"
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
// out an indicator none of them (or fewer than opts.Min) forecast; and
// computes the implied distribution from evidence. Percentiles
// interpolate linearly between the sorted resamples (the usual "type 7"
// definition), so with one resample both ends are that resample.
//
// Worked example (ExampleImpliedRange): one indicator with table 0.8/0.2
// over two scenarios, forecast at 50, 60 and 70 % by three forecasters
// (a fourth has not forecast it). A resampled crowd is the median of the
// drawn forecasts, between 0.5 and 0.7, and implies p_1 = (q − 0.2)/0.6,
// between 0.5 and 0.83; over 200 resamples the 10th and 90th
// percentiles are those extremes, S1 50–83 %.
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
		if t := ind.Trigger; ind.Options < 2 || t.Kind < TriggerYes || t.Kind > TriggerAtLeast || t.Option < 0 || t.Option >= ind.Options {
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
	crowdOf := medianCrowds(indicators, forecasts)
	if opts.Aggregate != nil {
		crowdOf = aggregated(opts.Aggregate, forecasts)
	}

	rng := rand.New(rand.NewPCG(opts.Seed, 0x5349474e504f5354)) // "SIGNPOST": a fixed stream
	draws := make([][]float64, k)                               // by scenario, one per resample
	counts := make([]int, len(forecasts))                       // by forecaster: times drawn
	open := make([]OpenIndicator, 0, len(indicators))
	for range opts.Resamples {
		clear(counts)
		for range forecasts {
			counts[rng.IntN(len(forecasts))]++
		}
		open = open[:0]
		for i, ind := range indicators {
			crowd, n := crowdOf(i, counts)
			if n == 0 || n < opts.Min {
				continue
			}
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

// crowdFunc returns indicator i's crowd from the forecasters drawn
// counts[f] times each, and how many drawn forecasts it is made of.
type crowdFunc func(i int, counts []int) ([]float64, int)

// aggregated is a crowdFunc applying aggregate to the drawn forecasts,
// each as many times as its forecaster was drawn.
func aggregated(aggregate func([][]float64) []float64, forecasts [][][]float64) crowdFunc {
	var ps [][]float64
	return func(i int, counts []int) ([]float64, int) {
		ps = ps[:0]
		for f, c := range counts {
			if p := forecasts[f][i]; p != nil {
				for range c {
					ps = append(ps, p)
				}
			}
		}
		if len(ps) == 0 {
			return nil, 0
		}
		return aggregate(ps), len(ps)
	}
}

// medianCrowds is the crowdFunc of [Crowd], exactly: per option, the
// median of the drawn forecasts, then renormalised. Sorting each
// indicator's forecasts once and walking them with each forecaster's
// multiplicity finds the same middle values as sorting every resample,
// which would cost most of the bootstrap.
func medianCrowds(indicators []RangeIndicator, forecasts [][][]float64) crowdFunc {
	// order[i][o] lists the forecasters of indicator i by their
	// probability of option o.
	order := make([][][]int, len(indicators))
	for i, ind := range indicators {
		var who []int
		for f := range forecasts {
			if forecasts[f][i] != nil {
				who = append(who, f)
			}
		}
		order[i] = make([][]int, ind.Options)
		for o := range order[i] {
			byValue := slices.Clone(who)
			slices.SortFunc(byValue, func(a, b int) int { return cmp.Compare(forecasts[a][i][o], forecasts[b][i][o]) })
			order[i][o] = byValue
		}
	}
	return func(i int, counts []int) ([]float64, int) {
		n := 0
		for _, f := range order[i][0] {
			n += counts[f]
		}
		if n == 0 {
			return nil, 0
		}
		crowd := make([]float64, len(order[i]))
		for o, byValue := range order[i] {
			// The median is the value at rank n/2 (0-based) for odd n,
			// the mean of ranks n/2 − 1 and n/2 for even n, as median
			// computes it.
			lo, hi := (n-1)/2, n/2
			var vlo float64
			found, seen := false, 0
			for _, f := range byValue {
				v := forecasts[f][i][o]
				seen += counts[f] // v holds ranks seen − counts[f] … seen − 1
				if !found && seen > lo {
					vlo, found = v, true
				}
				if seen > hi {
					crowd[o] = v
					if n%2 == 0 {
						crowd[o] = (vlo + v) / 2
					}
					break
				}
			}
		}
		normalise(crowd)
		return crowd, n
	}
}
