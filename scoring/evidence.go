package scoring

import (
	"fmt"
	"math"
)

// Observation is a resolved indicator as evidence about the scenarios.
type Observation struct {
	Likelihood []float64 // the indicator's table, P(trigger | S_k)
	// Happened is 1 if the trigger happened and 0 if it did not, as
	// [Trigger.Resolved] gives it for the indicator's outcome. For an
	// ordered indicator the outcome bucket either satisfies a "higher",
	// "lower" or one-bucket trigger or not; the middle bucket of an odd
	// count, which "higher" and "lower" share half and half, gives ½.
	Happened float64
}

// Posterior returns the scenario distribution given the resolved
// indicators, by exact Bayes:
//
//	P(S_k | resolved) ∝ prior_k · Π over observations of f_k,
//	f_k = h·P_k + (1 − h)·(1 − P_k)
//
// with P_k the observation's table entry for scenario k and h its
// Happened: the factor is P_k if the trigger happened and 1 − P_k if it
// did not, and a middle bucket (h = ½) is a constant factor ½, no
// evidence. The indicators are taken as independent given the scenario,
// which is what a table per indicator states. The order of the
// observations does not matter, and with none the posterior is the prior.
//
// Worked example (ExamplePosterior): prior 25/20/15/40; indicator A with
// table 0.2857/0.7143/0.7143/0.5 resolved Yes, indicator B with table
// 0.8/0.4/0.6/0.2 resolved No. The weights are 0.25·0.2857·0.2,
// 0.20·0.7143·0.6, 0.15·0.7143·0.4 and 0.40·0.5·0.8 = 0.01429, 0.08571,
// 0.04286 and 0.16 (sum 0.30286), so the posterior is 4.7 %, 28.3 %,
// 14.2 % and 52.8 %.
//
// The product is taken in logarithms, so hundreds of indicators cannot
// underflow it. It fails if prior is not a distribution, a table does not
// match it, Happened is outside [0, 1], or the outcomes are impossible
// under every scenario the prior allows (only possible with table entries
// of 0 or 1, which the table sources never give).
func Posterior(prior []float64, obs []Observation) ([]float64, error) {
	if err := checkScenarios(prior); err != nil {
		return nil, fmt.Errorf("scoring: prior: %w", err)
	}
	k := len(prior)
	logw := make([]float64, k)
	for i, x := range prior {
		logw[i] = math.Log(x)
	}
	for j, o := range obs {
		if err := checkTable(o.Likelihood, k); err != nil {
			return nil, fmt.Errorf("scoring: observation %d: %w", j, err)
		}
		h := o.Happened
		if !(h >= 0 && h <= 1) {
			return nil, fmt.Errorf("scoring: observation %d: happened %v is not in [0, 1]", j, h)
		}
		for i, p := range o.Likelihood {
			logw[i] += math.Log(h*p + (1-h)*(1-p))
		}
	}
	out, ok := normaliseLog(logw)
	if !ok {
		return nil, fmt.Errorf("scoring: the resolved outcomes are impossible under every scenario")
	}
	return out, nil
}

// normaliseLog returns exp(logw) scaled to sum to 1, subtracting the
// largest first so that nothing overflows or underflows as a whole. It
// reports false if every weight is 0.
func normaliseLog(logw []float64) ([]float64, bool) {
	top := math.Inf(-1)
	for _, x := range logw {
		top = max(top, x)
	}
	if math.IsInf(top, -1) {
		return nil, false
	}
	out := make([]float64, len(logw))
	var sum float64
	for i, x := range logw {
		out[i] = math.Exp(x - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out, true
}
