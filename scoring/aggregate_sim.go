package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// SimOptions shape a synthetic tournament (see [SimulateTournament]).
type SimOptions struct {
	Seed        uint64 // the same seed gives the same tournament
	Forecasters int
	Questions   int
	Days        int // each question's window
	// Stride is how many days apart questions open: below Days they
	// overlap, and a question's forecasters carry only the track records
	// of the questions resolved before each day.
	Stride int
	// Noise and Update bound the forecasters' noise (sd of each look's
	// log-odds error) and update frequency (chance of a new forecast on
	// each later day), drawn uniformly; zero: [0.3, 2] and [0.05, 0.6].
	Noise, Update [2]float64
}

// simForecaster is one synthetic forecaster: how they read the truth.
type simForecaster struct {
	noise      float64 // sd of the log-odds error of each look
	bias       float64 // added to option 0's log-odds
	confidence float64 // scales the log-odds read: below 1 is underconfident
	update     float64 // chance of a new forecast on each later day
	join       float64 // chance of forecasting a question at all
}

// SimulateTournament returns a synthetic tournament whose truth is known:
// each question has true log-odds per option (30 % have 3 to 5 options,
// the rest are binary), its outcome is drawn from them, and forecasters
// see them ever more clearly as the question nears its end (a share
// 0.3 → 1 of the true log-odds), through their own noise (sd 0.3 to 2 by
// default), bias (sd 0.3 on option 0), confidence (0.5 to 1.1: mostly
// underconfident, as crowds of people are) and update frequency (5 to
// 60 % of later days by default), joining a question on a random day with a chance
// of 15 to 55 %. Every question resolves at its close. The questions
// come with their scores (ScoreQuestion's Result), ready for
// [EvaluateAggregates]. Truth is each question's true probabilities, by
// question (ID − 1): the floor no aggregate can beat on average.
func SimulateTournament(o SimOptions) (qs []AggregateQuestion, truth [][]float64, err error) {
	r := rand.New(rand.NewPCG(o.Seed, 0x61676772))
	if o.Noise == [2]float64{} {
		o.Noise = [2]float64{0.3, 2}
	}
	if o.Update == [2]float64{} {
		o.Update = [2]float64{0.05, 0.6}
	}
	between := func(b [2]float64) float64 { return b[0] + (b[1]-b[0])*r.Float64() }
	fc := make([]simForecaster, o.Forecasters)
	for i := range fc {
		fc[i] = simForecaster{
			noise:      between(o.Noise),
			bias:       0.3 * r.NormFloat64(),
			confidence: 0.5 + 0.6*r.Float64(),
			update:     between(o.Update),
			join:       0.15 + 0.4*r.Float64(),
		}
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	qs, truth = make([]AggregateQuestion, o.Questions), make([][]float64, o.Questions)
	for i := range qs {
		opens := t0.AddDate(0, 0, i*o.Stride)
		q, fs, p := simQuestion(r, fc, opens, o.Days)
		res, err := ScoreQuestion(q, fs, nil)
		if err != nil {
			return nil, nil, err
		}
		qs[i], truth[i] = AggregateQuestion{ID: int64(i + 1), Question: q, Forecasts: fs, Result: res}, p
	}
	return qs, truth, nil
}

func simQuestion(r *rand.Rand, fc []simForecaster, opens time.Time, days int) (Question, []Forecast, []float64) {
	k := 2
	if r.IntN(10) < 3 {
		k = 3 + r.IntN(3)
	}
	logits := make([]float64, k)
	for j := range logits {
		logits[j] = 1.5 * r.NormFloat64()
	}
	closes := opens.AddDate(0, 0, days)
	q := Question{Kind: MultipleChoice, Options: k, OpensAt: opens, ClosesAt: closes, ResolvedAt: closes, Outcome: k - 1}
	if k == 2 {
		q.Kind = Binary
	}
	truth := softmax(logits)
	u, cum := r.Float64(), 0.0
	for j, p := range truth {
		if cum += p; u < cum {
			q.Outcome = j
			break
		}
	}
	joins := make([]int, len(fc))
	for f := range fc {
		joins[f] = -1
		if r.Float64() < fc[f].join {
			joins[f] = r.IntN(days)
		}
	}
	var fs []Forecast
	for d := 0; d < days; d++ {
		seen := 0.3 + 0.7*float64(d+1)/float64(days) // share of the truth visible
		var today []Forecast
		for f, sf := range fc {
			if joins[f] < 0 || d < joins[f] || (d > joins[f] && r.Float64() >= sf.update) {
				continue
			}
			l := make([]float64, k)
			for j := range l {
				l[j] = sf.confidence * (seen*logits[j] + sf.noise*r.NormFloat64())
			}
			l[0] += sf.bias
			at := opens.Add(time.Duration(d)*24*time.Hour + time.Duration(r.IntN(86400))*time.Second)
			today = append(today, Forecast{User: int64(f + 1), At: at, Probs: softmax(l)})
		}
		sortForecasts(today)
		fs = append(fs, today...)
	}
	return q, fs, truth
}

func sortForecasts(fs []Forecast) {
	slices.SortStableFunc(fs, func(a, b Forecast) int { return a.At.Compare(b.At) })
}

func softmax(l []float64) []float64 {
	top := math.Inf(-1)
	for _, x := range l {
		top = max(top, x)
	}
	p := make([]float64, len(l))
	for j, x := range l {
		p[j] = math.Exp(x - top)
	}
	normalise(p)
	return p
}
