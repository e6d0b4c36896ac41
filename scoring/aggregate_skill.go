package scoring

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// The track-record weight of skill_weighted (see [SkillWeight]).
const (
	// SkillPseudoCount is how many questions of average skill (relative
	// 0) a newcomer is assumed to have: a record of n questions counts
	// n / (n + SkillPseudoCount) of its mean.
	SkillPseudoCount = 10
	// SkillSharpness is how fast the weight grows with skill: a
	// shrunk relative Brier 0.1 better than the median's multiplies the
	// weight by e^(SkillSharpness · 0.1).
	// 10 rather than a gentler 5: on simulated tournaments (seeds apart
	// from the ones the README reports) the sharper weights scored about
	// 1 % better, at every crowd size tried; 20 with a cap of 1 gained
	// at most 0.3 % more, letting one long record outweigh any crowd.
	SkillSharpness = 10
	// SkillCap bounds the shrunk relative Brier, and so the weights to
	// [e^−5, e^5], so that no one forecaster outweighs a crowd.
	SkillCap = 0.5
)

// SkillWeight returns the weight skill_weighted gives a forecaster whose
// relative Brier scores on n questions resolved before the day average
// skill (lower is better):
//
//	s = clamp( skill · n / (n + SkillPseudoCount), −SkillCap, SkillCap )
//	w = e^(−SkillSharpness · s)
//
// The prior is a newcomer's: n = 0 gives weight 1, the weight of a
// forecaster exactly as good as the median, and a short record moves
// the weight only a little, so that a lucky first question does not
// take over the crowd. Worked example: relative −0.2 over 30 questions
// shrinks to −0.15 and weighs e^1.5 = 4.482; the same mean over 2
// questions shrinks to −0.033 and weighs 1.396.
func SkillWeight(skill float64, n int) float64 {
	if n <= 0 || math.IsNaN(skill) {
		return 1
	}
	s := skill * float64(n) / float64(n+SkillPseudoCount)
	return math.Exp(-SkillSharpness * min(max(s, -SkillCap), SkillCap))
}

// SkillWeighted returns the weighted mean of log-odds of fs, each
// forecaster weighing [SkillWeight](Skill, SkillN); for more than two
// options, the weighted normalised geometric mean, the same clamp to
// [LogOddsMin, LogOddsMax] first:
//
//	p_k ∝ exp( Σ_f w_f ln clamp(p_fk) / Σ_f w_f )
//
// With no track records it is [MeanLogOdds]. Worked example
// (ExampleSkillWeighted): Yes at 0.8 from a forecaster with relative
// −0.2 over 30 questions (weight 4.482) and Yes at 0.4 from a newcomer
// (weight 1): log-odds 1.386 and −0.405 average to
// (4.482·1.386 − 0.405) / 5.482 = 1.059, so the aggregate is 0.743,
// where the unweighted mean of log-odds gives 0.620.
//
// It is nil if fs is empty or the vectors differ in length.
func SkillWeighted(fs []StandingForecast) []float64 {
	w := make([]float64, len(fs))
	for i, f := range fs {
		w[i] = SkillWeight(f.Skill, f.SkillN)
	}
	return geometricPool(probsOf(fs), w)
}

// Extremize returns p pushed away from uniform by the factor d:
//
//	e_k ∝ p_k^d
//
// For a binary question this multiplies the log-odds by d. A crowd
// whose members share part of their information is less confident
// than the sum of its evidence warrants; d > 1 makes up for it, d = 1
// changes nothing. Worked example (ExampleExtremize): Yes 0.7 with
// d = 2 gives 0.49 / (0.49 + 0.09) = 0.845 (log-odds 0.847 doubled to
// 1.695). It is nil if p is nil.
func Extremize(p []float64, d float64) []float64 {
	if p == nil {
		return nil
	}
	out := make([]float64, len(p))
	for i, x := range p {
		out[i] = math.Pow(x, d)
	}
	normalise(out)
	return out
}

// The fit of the extremizing factor (see [FitExtremizing]).
const (
	// ExtremizeMinQuestions is how many resolved questions the fit
	// needs: with fewer, d stays 1, as the factor fitted on a handful of
	// outcomes mostly fits their luck.
	ExtremizeMinQuestions = 20
	ExtremizeMax          = 3    // the largest d tried
	ExtremizeStep         = 0.05 // the grid of d over [1, ExtremizeMax]
)

// ResolvedSeries is an aggregate's daily forecasts of one resolved
// question, with the question's kind and the option that happened.
type ResolvedSeries struct {
	Kind    Kind
	Days    [][]float64
	Outcome int
}

// FitExtremizing returns the extremizing factor d for the questions
// resolved before the day (the un-extremized aggregate's series): the d
// of the grid 1, 1 + ExtremizeStep, …, ExtremizeMax minimising the
// mean over questions of each question's mean daily Brier score of
// [Extremize](day, d), the smallest such d on ties. With fewer than
// ExtremizeMinQuestions questions it is 1. A grid rather than a
// bisection: the mean Brier need not be unimodal in d, and 41 points
// are cheap beside the daily aggregates. Questions without days are
// ignored and do not count.
func FitExtremizing(past []ResolvedSeries) float64 {
	var total []float64
	n := 0
	for _, s := range past {
		if loss := extremizingLoss(s); loss != nil {
			total = addLoss(total, loss)
			n++
		}
	}
	return fittedD(total, n)
}

// extremizingSteps is the number of steps of the grid of d.
var extremizingSteps = int(math.Round((ExtremizeMax - 1) / ExtremizeStep))

// extremizingLoss is one question's mean daily Brier score of
// Extremize(day, d) at each d of the grid, nil if it has no days.
func extremizingLoss(s ResolvedSeries) []float64 {
	if len(s.Days) == 0 {
		return nil
	}
	loss := make([]float64, extremizingSteps+1)
	for i := range loss {
		d := 1 + float64(i)*ExtremizeStep
		var q float64
		for _, p := range s.Days {
			q += Brier(s.Kind, Extremize(p, d), s.Outcome)
		}
		loss[i] = q / float64(len(s.Days))
	}
	return loss
}

// addLoss adds one question's loss to the running total (nil: none yet).
func addLoss(total, loss []float64) []float64 {
	if total == nil {
		total = make([]float64, len(loss))
	}
	for i, x := range loss {
		total[i] += x
	}
	return total
}

// fittedD is the d of the grid with the least total loss over n
// questions (the smallest on ties), or 1 below ExtremizeMinQuestions.
func fittedD(total []float64, n int) float64 {
	if n < ExtremizeMinQuestions {
		return 1
	}
	best, bestD := math.Inf(1), 1.0
	for i, x := range total {
		if x < best {
			best, bestD = x, 1+float64(i)*ExtremizeStep
		}
	}
	return bestD
}

// Comparison is an aggregate's score on resolved questions beside the
// median's on the same questions.
type Comparison struct {
	Questions int
	Brier     float64 // the aggregate's mean question Brier
	Median    float64 // the median's mean question Brier
	Relative  float64 // Brier − Median: negative is better than the median
	// Low and High bound Relative: the 2.5th and 97.5th percentiles of
	// its value over resampled sets of questions.
	Low, High float64
}

// Beats reports whether the aggregate beats the median by more than its
// interval: the whole interval is below 0, by more than the 1e-9 the
// package promises (two aggregates giving the same forecasts by
// different sums differ by rounding, and neither beats the other).
func (c Comparison) Beats() bool { return c.Questions > 0 && c.High < -1e-9 }

// CompareToMedian compares an aggregate's question Brier scores brier
// with the median's, median[i] being the same question as brier[i].
// The interval is a bootstrap over questions: each of resamples draws as
// many questions as there are, with replacement, from a PCG generator
// seeded with seed (the same seed gives the same interval), and takes
// the mean difference; percentiles interpolate linearly between the
// sorted resamples. It fails if the slices differ in length or are
// empty, or resamples is below 1.
func CompareToMedian(brier, median []float64, seed uint64, resamples int) (Comparison, error) {
	n := len(brier)
	if n == 0 || n != len(median) {
		return Comparison{}, fmt.Errorf("scoring: %d aggregate and %d median scores; need as many, at least 1", n, len(median))
	}
	if resamples < 1 {
		return Comparison{}, fmt.Errorf("scoring: %d resamples; need at least 1", resamples)
	}
	c := Comparison{Questions: n}
	diff := make([]float64, n)
	for i := range brier {
		c.Brier += brier[i]
		c.Median += median[i]
		diff[i] = brier[i] - median[i]
	}
	c.Brier /= float64(n)
	c.Median /= float64(n)
	c.Relative = c.Brier - c.Median
	rng := rand.New(rand.NewPCG(seed, 0x5349474e504f5354))
	means := make([]float64, resamples)
	for r := range means {
		var s float64
		for range n {
			s += diff[rng.IntN(n)]
		}
		means[r] = s / float64(n)
	}
	slices.Sort(means)
	c.Low, c.High = percentile(means, 0.025), percentile(means, 0.975)
	return c, nil
}
