package scoring

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Aggregate names a way of turning one question-day's standing forecasts
// into a single forecast. The zero value is AggregateMedian, today's
// crowd.
type Aggregate int

// The aggregates, in the order the API lists them.
const (
	AggregateMedian        Aggregate = iota // per-option median ([Crowd])
	AggregateMeanLogOdds                    // mean of log-odds ([MeanLogOdds])
	AggregateRecencyMedian                  // recency-weighted median ([RecencyMedian])
	AggregateSkillWeighted                  // track-record-weighted log-odds ([SkillWeighted])
	AggregateExtremized                     // skill_weighted pushed away from ½ ([Extremize])
)

// Aggregates lists every aggregate, in the order the API lists them.
var Aggregates = []Aggregate{AggregateMedian, AggregateMeanLogOdds, AggregateRecencyMedian, AggregateSkillWeighted, AggregateExtremized}

var aggregateNames = [...]string{"median", "mean_logodds", "recency_median", "skill_weighted", "extremized"}

// ParseAggregate parses the API spelling of an aggregate: "median",
// "mean_logodds", "recency_median", "skill_weighted" or "extremized".
func ParseAggregate(s string) (Aggregate, error) {
	for i, n := range aggregateNames {
		if n == s {
			return Aggregate(i), nil
		}
	}
	return 0, fmt.Errorf("scoring: unknown aggregate %q", s)
}

// String returns the API spelling of a, the inverse of ParseAggregate.
func (a Aggregate) String() string {
	if a >= 0 && int(a) < len(aggregateNames) {
		return aggregateNames[a]
	}
	return fmt.Sprintf("Aggregate(%d)", int(a))
}

// StandingForecast is one forecaster's standing forecast on a
// question-day, as the aggregates read it.
type StandingForecast struct {
	User  int64     // the forecaster, whose track record Skill is
	Probs []float64 // a valid forecast of the question's options
	At    time.Time // when it was made: the recency of recency_median
	// Skill is the forecaster's mean relative Brier score on the
	// questions of the tournament resolved before the day (lower is
	// better, as every score here), and SkillN how many questions that
	// mean is over; 0 for a newcomer. Only skill_weighted and extremized
	// read them.
	Skill  float64
	SkillN int
}

// Of returns aggregate a of one question-day's standing forecasts fs,
// all over the same options; d is the extremizing factor (see
// [FitExtremizing]), read only by AggregateExtremized. It is nil if fs is
// empty, the vectors differ in length or a is unknown.
func (a Aggregate) Of(fs []StandingForecast, d float64) []float64 {
	if len(fs) == 0 {
		return nil
	}
	k := len(fs[0].Probs)
	for _, f := range fs {
		if len(f.Probs) != k {
			return nil
		}
	}
	switch a {
	case AggregateMedian:
		return Crowd(probsOf(fs))
	case AggregateMeanLogOdds:
		return MeanLogOdds(probsOf(fs))
	case AggregateRecencyMedian:
		return RecencyMedian(fs)
	case AggregateSkillWeighted:
		return SkillWeighted(fs)
	case AggregateExtremized:
		return Extremize(SkillWeighted(fs), d)
	}
	return nil
}

func probsOf(fs []StandingForecast) [][]float64 {
	ps := make([][]float64, len(fs))
	for i, f := range fs {
		ps[i] = f.Probs
	}
	return ps
}

// The clamp applied to every probability before its logarithm is taken,
// so that one forecaster certain of an option cannot veto it (a log of 0
// would outweigh every other forecaster).
const (
	LogOddsMin = 0.001
	LogOddsMax = 0.999
)

// MeanLogOdds returns the normalised geometric mean of the probability
// vectors ps, each probability first clamped to [LogOddsMin, LogOddsMax]:
//
//	p_k ∝ exp( (1/n) · Σ_f ln clamp(p_fk) )
//
// For a binary question this is exactly the mean of log-odds,
// logit p = (1/n) · Σ_f logit clamp(p_f), since the normalised
// geometric mean of p and 1 − p has log-odds Σ ln p_f − Σ ln(1 − p_f)
// over n. Worked example (ExampleMeanLogOdds): Yes at 0.5, 0.8 and 0.9
// have log-odds 0, 1.386 and 2.197, mean 1.194, so the aggregate is
// 1/(1 + e^−1.194) = 0.768.
//
// It is nil if ps is empty or the vectors differ in length.
func MeanLogOdds(ps [][]float64) []float64 {
	return geometricPool(ps, nil)
}

// geometricPool is the weighted normalised geometric mean of ps with
// clamped probabilities; nil weights are equal weights.
func geometricPool(ps [][]float64, w []float64) []float64 {
	if len(ps) == 0 {
		return nil
	}
	k := len(ps[0])
	logs := make([]float64, k)
	var total float64
	for f, p := range ps {
		if len(p) != k {
			return nil
		}
		wf := 1.0
		if w != nil {
			wf = w[f]
		}
		total += wf
		for i, x := range p {
			logs[i] += wf * math.Log(min(max(x, LogOddsMin), LogOddsMax))
		}
	}
	top := math.Inf(-1)
	for i := range logs {
		logs[i] /= total
		top = max(top, logs[i])
	}
	// Subtracting the largest log keeps exp in range; it cancels in the
	// normalisation.
	for i := range logs {
		logs[i] = math.Exp(logs[i] - top)
	}
	normalise(logs)
	return logs
}

// RecencyMedian returns the recency-weighted median of fs, as Metaculus's
// community prediction weighs forecasts: ordered by At, the i-th oldest
// of n (i = 1 … n) weighs e^√i, so the newest count most. Forecasts made
// at the same instant share the mean weight of the ranks they span,
// which keeps the result independent of the order of fs.
//
// Each option's weighted median is the smallest value whose cumulative
// weight (values in increasing order) reaches half the total; where it
// reaches exactly half, the mean of that value and the next, so that
// equal weights give the plain median. The per-option medians are then
// normalised to sum to 1 (uniform if all are 0), as [Crowd] does.
//
// Worked example (ExampleRecencyMedian): Yes at 0.9, 0.8, 0.3 and 0.2,
// made in that order, weigh e^1 = 2.718, e^√2 = 4.113, e^√3 = 5.652
// and e^2 = 7.389 (total 19.872, half 9.936). In increasing order Yes
// reaches 7.389 at 0.2 and 13.041 at 0.3, so its median is 0.3; No
// (0.1, 0.2, 0.7, 0.8 with the same weights) reaches 2.718, 6.831 then
// 12.483 at 0.7. The aggregate is 0.3/0.7, where the plain median is
// 0.55/0.45: the two newest forecasts carry the day.
//
// It is nil if fs is empty or the vectors differ in length.
func RecencyMedian(fs []StandingForecast) []float64 {
	if len(fs) == 0 {
		return nil
	}
	k := len(fs[0].Probs)
	for _, f := range fs {
		if len(f.Probs) != k {
			return nil
		}
	}
	w := recencyWeights(fs)
	out := make([]float64, k)
	vals := make([]weighted, len(fs))
	for i := range out {
		for j, f := range fs {
			vals[j] = weighted{f.Probs[i], w[j]}
		}
		out[i] = weightedMedian(vals)
	}
	normalise(out)
	return out
}

// recencyWeights returns e^√rank for each of fs, ranks 1 … n from the
// oldest, ties sharing the mean weight of their ranks.
func recencyWeights(fs []StandingForecast) []float64 {
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return fs[a].At.Compare(fs[b].At) })
	w := make([]float64, len(fs))
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && fs[order[hi]].At.Equal(fs[order[lo]].At) {
			hi++
		}
		var s float64
		for r := lo; r < hi; r++ {
			s += math.Exp(math.Sqrt(float64(r + 1)))
		}
		for r := lo; r < hi; r++ {
			w[order[r]] = s / float64(hi-lo)
		}
		lo = hi
	}
	return w
}

type weighted struct{ v, w float64 }

// weightedMedian returns the weighted median of vals (see RecencyMedian),
// reordering vals.
func weightedMedian(vals []weighted) float64 {
	slices.SortFunc(vals, func(a, b weighted) int {
		if c := compareFloat(a.v, b.v); c != 0 {
			return c
		}
		return compareFloat(a.w, b.w)
	})
	var total float64
	for _, x := range vals {
		total += x.w
	}
	half := total / 2
	var cum float64
	for i, x := range vals {
		cum += x.w
		// Sums of equal weights reach exactly half only up to rounding.
		if math.Abs(cum-half) <= 1e-12*total && i+1 < len(vals) {
			return (x.v + vals[i+1].v) / 2
		}
		if cum >= half {
			return x.v
		}
	}
	return vals[len(vals)-1].v
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
