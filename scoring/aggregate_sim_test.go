package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// A synthetic tournament whose truth is known: each question has true
// log-odds per option, its outcome is drawn from them, and forecasters
// see them ever more clearly as the question nears its end, through
// their own noise, bias and confidence, updating on some days only.
type simForecaster struct {
	noise      float64 // sd of the log-odds error of each look
	bias       float64 // added to option 0's log-odds
	confidence float64 // scales the log-odds read: below 1 is underconfident
	update     float64 // chance of a new forecast on each later day
}

type simQuestion struct {
	kind    Kind
	outcome int
	days    [][]StandingForecast // standing forecasts by day, Skill unset
	users   [][]int              // the forecaster of each, by day
}

const simDays = 12

func newSimForecasters(r *rand.Rand, n int) []simForecaster {
	fs := make([]simForecaster, n)
	for i := range fs {
		fs[i] = simForecaster{
			noise:      0.3 + 1.7*r.Float64(),
			bias:       0.3 * r.NormFloat64(),
			confidence: 0.5 + 0.6*r.Float64(),
			update:     0.05 + 0.55*r.Float64(),
		}
	}
	return fs
}

func newSimQuestion(r *rand.Rand, fc []simForecaster, t0 time.Time) simQuestion {
	k := 2
	if r.IntN(10) < 3 {
		k = 3 + r.IntN(3)
	}
	logits := make([]float64, k)
	for j := range logits {
		logits[j] = 1.5 * r.NormFloat64()
	}
	truth := softmax(logits)
	q := simQuestion{kind: MultipleChoice, outcome: k - 1, days: make([][]StandingForecast, simDays), users: make([][]int, simDays)}
	if k == 2 {
		q.kind = Binary
	}
	u, cum := r.Float64(), 0.0
	for j, p := range truth {
		if cum += p; u < cum {
			q.outcome = j
			break
		}
	}
	standing := make(map[int]StandingForecast)
	joins := make([]int, len(fc))
	for f := range fc {
		joins[f] = -1
		if r.Float64() < 0.35 {
			joins[f] = r.IntN(simDays)
		}
	}
	for d := 0; d < simDays; d++ {
		seen := 0.3 + 0.7*float64(d+1)/simDays // share of the truth visible
		for f, sf := range fc {
			if joins[f] < 0 || d < joins[f] || (d > joins[f] && r.Float64() >= sf.update) {
				continue
			}
			l := make([]float64, k)
			for j := range l {
				l[j] = sf.confidence * (seen*logits[j] + sf.noise*r.NormFloat64())
			}
			l[0] += sf.bias
			at := t0.Add(time.Duration(d)*24*time.Hour + time.Duration(r.IntN(86400))*time.Second)
			standing[f] = StandingForecast{Probs: softmax(l), At: at}
		}
		for f := range fc {
			if s, ok := standing[f]; ok {
				q.days[d] = append(q.days[d], s)
				q.users[d] = append(q.users[d], f)
			}
		}
	}
	return q
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

// simResult is each aggregate's mean question Brier on the second half
// of the questions, with the fitted d.
type simResult struct {
	d     float64
	brier [][]float64 // by aggregate, by scored question
}

// simulate runs a tournament of n questions in sequence, each resolved
// before the next opens: skills come from the questions before, d is
// fitted on the first half and every aggregate scored on the second.
func simulate(seed uint64, forecasters, n int) simResult {
	r := rand.New(rand.NewPCG(seed, 99))
	fc := newSimForecasters(r, forecasters)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	relSum, relN := make([]float64, forecasters), make([]int, forecasters)
	var fit []ResolvedSeries
	res := simResult{d: 1, brier: make([][]float64, len(Aggregates))}
	for i := 0; i < n; i++ {
		q := newSimQuestion(r, fc, t0.Add(time.Duration(i)*simDays*24*time.Hour))
		if i == n/2 {
			res.d = FitExtremizing(fit)
		}
		sums := make([]float64, len(Aggregates))
		userSum, userDays := make(map[int]float64), make(map[int]int)
		var skilled [][]float64
		days := 0
		for d, fs := range q.days {
			if len(fs) == 0 {
				continue
			}
			days++
			for j, u := range q.users[d] {
				fs[j].Skill, fs[j].SkillN = 0, relN[u]
				if relN[u] > 0 {
					fs[j].Skill = relSum[u] / float64(relN[u])
				}
			}
			m := Brier(q.kind, AggregateMedian.Of(fs, 1), q.outcome)
			for j, u := range q.users[d] {
				userSum[u] += Brier(q.kind, fs[j].Probs, q.outcome) - m
				userDays[u]++
			}
			skilled = append(skilled, SkillWeighted(fs))
			for a, agg := range Aggregates {
				sums[a] += Brier(q.kind, agg.Of(fs, res.d), q.outcome)
			}
		}
		if days == 0 {
			continue
		}
		for u, s := range userSum {
			relSum[u] += s / float64(userDays[u])
			relN[u]++
		}
		if i < n/2 {
			fit = append(fit, ResolvedSeries{Kind: q.kind, Days: skilled, Outcome: q.outcome})
			continue
		}
		for a := range Aggregates {
			res.brier[a] = append(res.brier[a], sums[a]/float64(days))
		}
	}
	return res
}

func TestAggregatesSimulation(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a simulated tournament")
	}
	for _, seed := range []uint64{1, 2, 3} {
		res := simulate(seed, 40, 400)
		med := res.brier[AggregateMedian]
		for a, agg := range Aggregates {
			c, err := CompareToMedian(res.brier[a], med, seed, 1000)
			if err != nil {
				t.Fatal(err)
			}
			ratio := c.Brier / c.Median
			t.Logf("seed %d, d %.2f, %d questions: %-14v Brier %.4f  %.3f × median  relative %+.4f [%+.4f, %+.4f]",
				seed, res.d, c.Questions, agg, c.Brier, ratio, c.Relative, c.Low, c.High)
			if (agg == AggregateMeanLogOdds || agg == AggregateExtremized) && ratio > 1.02 {
				t.Errorf("seed %d: %v scores %.3f × the median; want at most 1.02", seed, agg, ratio)
			}
		}
	}
}

func BenchmarkAggregates(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	fs := randomStanding(r, 50, 4)
	for _, a := range Aggregates {
		b.Run(a.String(), func(b *testing.B) {
			for range b.N {
				a.Of(fs, 1.5)
			}
		})
	}
}
