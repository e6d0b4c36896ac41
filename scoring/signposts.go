package scoring

import (
	"fmt"
	"math"
)

// Strength is how strongly a link's trigger bears on its scenario.
type Strength uint8

// The strengths. The zero Strength is invalid, as for Kind.
const (
	Weak Strength = iota + 1
	Moderate
	Strong
)

// ImpliedEpsilon bounds implied probabilities away from 0 and 1.
const ImpliedEpsilon = 0.001

// ParseStrength parses "weak", "moderate" or "strong".
func ParseStrength(s string) (Strength, error) {
	switch s {
	case "weak":
		return Weak, nil
	case "moderate":
		return Moderate, nil
	case "strong":
		return Strong, nil
	}
	return 0, fmt.Errorf("scoring: unknown strength %q", s)
}

// String returns the API spelling of s, the inverse of ParseStrength.
func (s Strength) String() string {
	switch s {
	case Weak:
		return "weak"
	case Moderate:
		return "moderate"
	case Strong:
		return "strong"
	}
	return fmt.Sprintf("Strength(%d)", uint8(s))
}

// Weight returns the likelihood ratio of s: 1.5, 2.5 or 5 (0 if invalid).
func (s Strength) Weight() float64 {
	switch s {
	case Weak:
		return 1.5
	case Moderate:
		return 2.5
	case Strong:
		return 5
	}
	return 0
}

// Evidence is one link of an indicator to a scenario, with what is known
// of its trigger.
type Evidence struct {
	Indicator int64 // groups the links of one indicator (for Drivers)
	Scenario  int   // option index of the scenario question
	Direction int   // +1: the trigger raises the scenario; -1: lowers it
	Strength  Strength
	P         float64 // probability the trigger happens; 0 or 1 once resolved
	// Ratio, when not 0, is a crowd-estimated likelihood ratio (at least
	// 1, see Oriented) used in place of Strength's weight.
	Ratio float64
}

// Implied returns the signpost-implied scenario probabilities from prior
// and the evidence. It fails if prior is not a forecast over at least 2
// scenarios or a piece of evidence is malformed.
//
// A scenario question (K mutually exclusive futures) is linked to
// indicator questions. A link says that the indicator's trigger (a Yes, a
// bucket, the upper or lower half of the buckets) happening raises
// (direction +1) or lowers (direction -1) one scenario, weakly, moderately
// or strongly. Each strength is a likelihood ratio L, "the trigger is L
// times as likely in this future as in the others":
//
//	weak 1.5, moderate 2.5, strong 5
//
// From a 50 % start, one resolved link alone moves a scenario to 60 %, 71 %
// or 83 %. Those steps are deliberately modest: the default tournament has
// 17 indicators with about four links each, and larger ratios would let a
// handful of indicators pin the implied figure to one future, which no
// single public indicator can justify.
//
// The rule. Start from the prior p⁰ (the crowd's scenario forecast, or the
// reference forecast while there is no crowd). Let q be the probability
// that a link's trigger happens: the crowd's current probability for an
// open indicator, 1 or 0 once it has resolved. The link's evidence is
//
//	e = 2q − 1   (−1 … +1)
//
// so a resolved indicator counts fully in one direction or the other, an
// open one in proportion to how far the crowd leans, and a coin flip
// (q = ½) carries no evidence at all. Why 2q − 1 rather than q: "no
// evidence" must mean "we have learnt nothing", which is q = ½, not q = 0;
// and a signpost that fails to appear is evidence too (a No on "hyperscaler
// capex keeps growing" tells against the build-out futures exactly as a Yes
// tells for them). Each scenario's weight in log space then moves by every
// link to it:
//
//	log w_k = log p⁰_k + Σ_links to k  e · direction · log L
//
// and the implied probabilities are the weights rescaled to sum to 1. This
// is Bayes' rule with the likelihood ratio L^(e·direction) per link,
// applied in log-odds space, so the order of indicators does not matter.
// Finally every probability is kept within [ε, 1−ε], ε = 0.001 (entries
// below ε are raised to ε and the rest scaled down to keep the sum 1), so
// that no future is ever called impossible or certain; the prior is
// clamped the same way first, so that a scenario the crowd gives 0 can
// still be raised.
//
// Worked example (ExampleImplied): prior 25/20/15/40 (S1…S4); I1 resolved
// Yes, strong, raises S2 and S3, lowers S1; I2 open at 70 %, moderate,
// raises S2 and S4, lowers S1 and S3; I3 open at 40 %, strong, raises S1
// and S4, lowers S2 and S3. Evidence: I1 +1, I2 +0.4, I3 −0.2. Log-weight
// moves: S1 −ln5 −0.4·ln2.5 −0.2·ln5 = −2.2978; S2 +ln5 +0.4·ln2.5
// +0.2·ln5 = +2.2978; S3 +ln5 −0.4·ln2.5 +0.2·ln5 = +1.5648; S4
// +0.4·ln2.5 −0.2·ln5 = +0.0446. Weights 0.25·0.1005, 0.20·9.953,
// 0.15·4.782, 0.40·1.046 = 0.0251, 1.9905, 0.7173, 0.4183 (sum 3.1512);
// implied 0.8 %, 63.2 %, 22.8 %, 13.3 %: the resolved indicator has moved
// most of the weight to S2 and S3, and the open ones lean S2 over S3.
//
// Monotonicity: raising the trigger probability of a link raises (or for
// direction −1 lowers) its scenario's implied probability whenever that
// link is the indicator's strongest in its direction, as it is when all of
// an indicator's links share one trigger and one strength (as in the
// seed): then the scenario's odds against every other scenario move the
// same way.
func Implied(prior []float64, ev []Evidence) ([]float64, error) {
	k := len(prior)
	if err := Validate(prior, k); err != nil {
		return nil, err
	}
	if float64(k)*ImpliedEpsilon >= 1 {
		return nil, fmt.Errorf("scoring: %d scenarios are too many to keep each above %v", k, ImpliedEpsilon)
	}
	for i, e := range ev {
		if err := checkEvidence(e, k); err != nil {
			return nil, fmt.Errorf("scoring: evidence %d: %w", i, err)
		}
	}
	return implied(prior, ev), nil
}

func checkEvidence(e Evidence, k int) error {
	switch {
	case e.Scenario < 0 || e.Scenario >= k:
		return fmt.Errorf("scenario %d is not an option of %d", e.Scenario, k)
	case e.Direction != 1 && e.Direction != -1:
		return fmt.Errorf("direction %d is neither +1 nor -1", e.Direction)
	case e.Ratio == 0 && e.Strength.Weight() == 0:
		return fmt.Errorf("invalid strength %d", e.Strength)
	case e.Ratio != 0 && !(e.Ratio >= 1 && !math.IsInf(e.Ratio, 1)): // also rejects NaN
		return fmt.Errorf("likelihood ratio %v is not a finite number of at least 1", e.Ratio)
	case !(e.P >= 0 && e.P <= 1): // also rejects NaN
		return fmt.Errorf("probability %v is not in [0, 1]", e.P)
	}
	return nil
}

// implied is Implied on checked input.
func implied(prior []float64, ev []Evidence) []float64 {
	p := clampProbs(prior)
	logw := make([]float64, len(p))
	for i, x := range p {
		logw[i] = math.Log(x)
	}
	for _, e := range ev {
		logw[e.Scenario] += (2*e.P - 1) * float64(e.Direction) * e.logRatio()
	}
	// Subtract the largest before exponentiating, so that strong evidence
	// from many indicators cannot overflow.
	top := math.Inf(-1)
	for _, x := range logw {
		top = math.Max(top, x)
	}
	var sum float64
	for i, x := range logw {
		p[i] = math.Exp(x - top)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return clampInPlace(p)
}

// clampProbs returns a copy of p with every entry in [ε, 1−ε].
func clampProbs(p []float64) []float64 {
	return clampInPlace(append([]float64(nil), p...))
}

// clampInPlace sets p_j = max(ε, c·p_j) with the c that keeps the sum 1:
// entries below ε are raised to ε and the others share what is left in
// their existing proportions. With every entry at least ε and K ≥ 2, none
// can exceed 1−ε. p must sum to 1 and K·ε be below 1.
func clampInPlace(p []float64) []float64 {
	floored := make([]bool, len(p))
	nFloored := 0
	for {
		var rest float64
		for j, x := range p {
			if !floored[j] {
				rest += x
			}
		}
		c := (1 - float64(nFloored)*ImpliedEpsilon) / rest
		changed := false
		for j, x := range p {
			if !floored[j] && c*x < ImpliedEpsilon {
				floored[j], changed = true, true
				nFloored++
			}
		}
		if !changed {
			for j, x := range p {
				if floored[j] {
					p[j] = ImpliedEpsilon
				} else {
					p[j] = c * x
				}
			}
			return p
		}
	}
}
