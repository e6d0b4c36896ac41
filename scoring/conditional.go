package scoring

import (
	"fmt"
	"math"
)

// LikelihoodRatios returns, for every scenario k, the crowd's likelihood
// ratio P(S_k | Yes) / P(S_k | No): how many times likelier the crowd
// finds scenario k if the indicator's condition happens than if it does
// not. ifYes and ifNo are the crowds of the two branches of a conditional
// pair (each the per-option median of the branch's forecasts, [Crowd]).
// Both are first kept within [ε, 1−ε] exactly as [Implied] keeps its
// prior, so that no ratio is 0 or infinite: one forecaster-crowd that
// calls a scenario impossible on one branch cannot make the indicator
// decisive.
//
// A ratio above 1 says the condition raises the scenario, below 1 that
// it lowers it, and 1 (both branches agree) that the indicator says
// nothing about it. On the signpost board the ratio takes the place of
// the admin's strength ([Evidence.Ratio], [Oriented]), in the same rule.
//
// Worked example (ExampleLikelihoodRatios): four scenarios S1…S4, three
// forecasters. Their "if Yes" forecasts are 10/50/20/20, 20/40/10/30 and
// 10/40/20/30, whose per-option medians 10/40/20/30 already sum to 1; their
// "if No" forecasts are 30/10/20/40, 20/20/10/50 and 30/10/20/40, medians
// 30/10/20/40. The ratios are
//
//	S1 0.10/0.30 = 1/3   S2 0.40/0.10 = 4   S3 0.20/0.20 = 1   S4 0.30/0.40 = 3/4
//
// so a Yes raises S2 strongly (4, close to the admin's "strong" 5), lowers
// S1 (1/3, a moderate-to-strong 3 against) and S4 slightly, and says
// nothing about S3. With the crowd at 60 % on the indicator, the total
// probability of the scenarios ([TotalProbability]) is
// 0.6·(10/40/20/30) + 0.4·(30/10/20/40) = 18/28/20/34; if the crowd's
// direct scenario forecast is 25/20/15/40, the two are 0.13 apart (total
// variation distance): worth discussing, not an error.
func LikelihoodRatios(ifYes, ifNo []float64) ([]float64, error) {
	k := len(ifYes)
	if err := checkBranches(ifYes, ifNo); err != nil {
		return nil, err
	}
	yes, no := clampProbs(ifYes), clampProbs(ifNo)
	out := make([]float64, k)
	for i := range out {
		out[i] = yes[i] / no[i]
	}
	return out, nil
}

// TotalProbability returns P(I)·P(S | Yes) + (1 − P(I))·P(S | No) for
// every scenario: what the branches and the indicator forecast imply for
// the scenario question by the law of total probability. A coherent
// forecaster's (or crowd's) direct scenario forecast equals it; the gap,
// measured with [TVDistance], is shown as a question worth discussing.
func TotalProbability(pYes float64, ifYes, ifNo []float64) ([]float64, error) {
	if err := checkBranches(ifYes, ifNo); err != nil {
		return nil, err
	}
	if !(pYes >= 0 && pYes <= 1) {
		return nil, fmt.Errorf("scoring: probability of the condition %v is not in [0, 1]", pYes)
	}
	out := make([]float64, len(ifYes))
	for i := range out {
		out[i] = pYes*ifYes[i] + (1-pYes)*ifNo[i]
	}
	return out, nil
}

func checkBranches(ifYes, ifNo []float64) error {
	k := len(ifYes)
	if float64(k)*ImpliedEpsilon >= 1 {
		return fmt.Errorf("scoring: %d scenarios are too many to keep each above %v", k, ImpliedEpsilon)
	}
	if err := Validate(ifYes, k); err != nil {
		return fmt.Errorf("scoring: if-yes branch: %w", err)
	}
	if err := Validate(ifNo, k); err != nil {
		return fmt.Errorf("scoring: if-no branch: %w", err)
	}
	return nil
}

// Oriented splits a likelihood ratio into the direction and the ratio ≥ 1
// that [Evidence] carries, so that a crowd-estimated link reads like an
// admin's: a ratio of 1/3 lowers its scenario (direction −1) with ratio 3.
func Oriented(ratio float64) (direction int, r float64) {
	if ratio < 1 {
		return -1, 1 / ratio
	}
	return 1, ratio
}

// logRatio is the log of the link's likelihood ratio: the crowd's ratio
// when it has one, else the strength's weight.
func (e Evidence) logRatio() float64 {
	if e.Ratio != 0 {
		return math.Log(e.Ratio)
	}
	return math.Log(e.Strength.Weight())
}
