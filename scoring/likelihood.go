package scoring

import (
	"fmt"
	"math"
)

// Likelihood tables are described in the package documentation (section
// 7): sources, evidence, expected and implied, with a worked example each.

// The bounds of a likelihood table's entries. A table entry of 0 or 1
// would let one indicator's resolution rule out a scenario for good,
// which no real signpost justifies.
const (
	LikelihoodMin = 0.01
	LikelihoodMax = 0.99
)

// StrengthBaseRate is P(trigger | S) for a scenario that no link of the
// indicator names, in [LikelihoodFromStrengths]. Half is the rate that
// says nothing: an indicator whose links name no scenario is a coin flip
// under every future, and a link's strength reads as an odds ratio
// against that coin.
const StrengthBaseRate = 0.5

// StrengthLink is one admin link of an indicator, as the table derived
// from strengths reads it: the indicator's trigger raises (Direction +1)
// or lowers (−1) scenario Scenario, with a strength whose [Strength.Weight]
// is the likelihood ratio L.
type StrengthLink struct {
	Scenario  int
	Direction int
	Strength  Strength
}

// LikelihoodFromStrengths derives an indicator's likelihood table over k
// scenarios from its links:
//
//	logit P_k = logit(StrengthBaseRate) + Σ over links to k of direction · ln L
//
// then clamped to [LikelihoodMin, LikelihoodMax]. With the base rate ½,
// a raised scenario's odds of the trigger are L to 1 and a lowered one's
// 1 to L, so a link keeps its meaning under [Implied] ("the trigger is L
// times as likely in this future"), read as odds.
//
// Worked example (ExampleLikelihoodFromStrengths): four scenarios; the
// trigger raises S2 and S3 moderately (L = 2.5) and lowers S1 moderately.
// S1's odds are 1 : 2.5, so P_1 = 1/3.5 = 0.2857; S2 and S3 have odds
// 2.5 : 1, P = 2.5/3.5 = 0.7143; S4 is named by no link and keeps the
// base rate 0.5. Two links to one scenario add: raising it strongly
// twice gives odds 25 : 1, P = 0.9615.
//
// It fails on a scenario outside [0, k), a direction other than ±1 or an
// invalid strength.
func LikelihoodFromStrengths(k int, links []StrengthLink) ([]float64, error) {
	if k < 1 {
		return nil, fmt.Errorf("scoring: a likelihood table needs at least 1 scenario (got %d)", k)
	}
	logit := make([]float64, k)
	base := math.Log(StrengthBaseRate / (1 - StrengthBaseRate))
	for i := range logit {
		logit[i] = base
	}
	for i, l := range links {
		switch {
		case l.Scenario < 0 || l.Scenario >= k:
			return nil, fmt.Errorf("scoring: link %d: scenario %d is not an option of %d", i, l.Scenario, k)
		case l.Direction != 1 && l.Direction != -1:
			return nil, fmt.Errorf("scoring: link %d: direction %d is neither +1 nor -1", i, l.Direction)
		case l.Strength.Weight() == 0:
			return nil, fmt.Errorf("scoring: link %d: invalid strength %d", i, l.Strength)
		}
		logit[l.Scenario] += float64(l.Direction) * math.Log(l.Strength.Weight())
	}
	out := make([]float64, k)
	for i, x := range logit {
		out[i] = clampLikelihood(1 / (1 + math.Exp(-x)))
	}
	return out, nil
}

// LikelihoodFromBranches derives an indicator's likelihood table from the
// crowds of a conditional pair on the scenario question: ifYes is the
// crowd's P(S | trigger), ifNo its P(S | no trigger), and q the crowd's
// probability of the trigger. By Bayes' rule
//
//	P(trigger | S_k) = q·P(S_k | Yes) / (q·P(S_k | Yes) + (1 − q)·P(S_k | No))
//
// then clamped to [LikelihoodMin, LikelihoodMax]. The branches are first
// kept within [ε, 1−ε] as [LikelihoodRatios] keeps them, so that no entry
// is 0/0.
//
// Worked example: the branches 10/40/20/30 and 30/10/20/40 of
// [LikelihoodRatios]'s example with q = 0.6 give
// 0.06/(0.06+0.12) = 1/3, 0.24/0.28 = 6/7, 0.12/0.20 = 0.6 and
// 0.18/0.34 = 0.5294: S2 makes the trigger likely, S1 unlikely.
func LikelihoodFromBranches(q float64, ifYes, ifNo []float64) ([]float64, error) {
	if err := checkBranches(ifYes, ifNo); err != nil {
		return nil, err
	}
	if !(q >= 0 && q <= 1) {
		return nil, fmt.Errorf("scoring: probability of the trigger %v is not in [0, 1]", q)
	}
	yes, no := clampProbs(ifYes), clampProbs(ifNo)
	out := make([]float64, len(yes))
	for i := range out {
		y := q * yes[i]
		out[i] = clampLikelihood(y / (y + (1-q)*no[i]))
	}
	return out, nil
}

// LikelihoodGiven checks an admin's likelihood table over k scenarios
// (every entry a probability) and returns a copy clamped to
// [LikelihoodMin, LikelihoodMax]. The entries need not sum to anything:
// each is the trigger's probability under a different future.
func LikelihoodGiven(table []float64, k int) ([]float64, error) {
	if err := checkTable(table, k); err != nil {
		return nil, err
	}
	out := make([]float64, k)
	for i, x := range table {
		out[i] = clampLikelihood(x)
	}
	return out, nil
}

// ExpectedTrigger is the probability of an indicator's trigger that the
// scenario forecast p predicts through the indicator's table: Σ_k p_k ·
// P(trigger | S_k). An open indicator's crowd forecast that differs from
// the crowd's ExpectedTrigger is where the crowd's indicator and scenario
// forecasts disagree. p and table must have the same length.
//
// Worked example (ExampleExpectedTrigger): the crowd's scenario forecast
// 25/20/15/40 and the table 0.2857/0.7143/0.7143/0.5 of
// [LikelihoodFromStrengths]'s example predict 0.25·0.2857 + 0.20·0.7143
// + 0.15·0.7143 + 0.40·0.5 = 0.5214.
func ExpectedTrigger(p, table []float64) float64 {
	var s float64
	for k, x := range p {
		s += x * table[k]
	}
	return s
}

// checkTable checks that table has k entries, each a probability.
func checkTable(table []float64, k int) error {
	if len(table) != k {
		return fmt.Errorf("scoring: a likelihood table over %d scenarios has %d entries", k, len(table))
	}
	for i, x := range table {
		if !(x >= 0 && x <= 1) { // also rejects NaN
			return fmt.Errorf("scoring: likelihood %d is %v, not in [0, 1]", i, x)
		}
	}
	return nil
}

// checkScenarios checks that p is a distribution over k ≥ 1 scenarios:
// [Validate]'s rules, which ask for two options, with one scenario
// allowed (a board with a single future is trivial, not an error).
func checkScenarios(p []float64) error {
	switch len(p) {
	case 0:
		return invalid("no scenarios")
	case 1:
		if math.Abs(p[0]-1) > SumTolerance {
			return invalid("probabilities must sum to 1 (got %v)", p[0])
		}
		return nil
	}
	return Validate(p, len(p))
}

func clampLikelihood(x float64) float64 {
	return min(max(x, LikelihoodMin), LikelihoodMax)
}
