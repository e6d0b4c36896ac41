package scoring

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// AggregateQuestion is one resolved question of a tournament as the
// aggregates read it.
type AggregateQuestion struct {
	ID        int64
	Question  Question
	Forecasts []Forecast // sorted as for ScoreQuestion
	// Result is ScoreQuestion's: its users' relatives are their track
	// records, its Median the yardstick the aggregates are scored by.
	Result Result
}

// AggregateScores is every aggregate's score on one question, indexed
// by Aggregate, scored as a forecaster by [ScoreSeries].
type AggregateScores struct {
	ID     int64
	Scores []UserScore // by Aggregate; User is unset
}

// EvaluateAggregates walks a tournament's resolved questions in the order
// they resolved (then by ID) and returns the past they make (track
// records and d; see [AggregatePast]) with each aggregate's score on
// each question that has a forecast, in the order of qs. Every day of a
// question reads only the questions resolved before it, so the scores
// are out of sample: a question's own outcome never weighs its
// forecasters nor fits its d. Unresolved questions in qs are ignored.
//
// The cost is one aggregate of each aggregate per question-day, plus the
// grid of d over each question's days once.
func EvaluateAggregates(qs []AggregateQuestion) (*AggregatePast, []AggregateScores) {
	order := make([]int, 0, len(qs))
	for i := range qs {
		if qs[i].Question.Resolved() {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := qs[a].Question.ResolvedAt.Compare(qs[b].Question.ResolvedAt); c != 0 {
			return c
		}
		return cmp.Compare(qs[a].ID, qs[b].ID)
	})
	past := &AggregatePast{records: make(map[int64][]skillStep)}
	var total []float64
	fitted := 0
	scores := make(map[int]AggregateScores, len(order))
	for _, i := range order {
		aq := &qs[i]
		series := make([][]CrowdPoint, len(Aggregates))
		var skilled [][]float64
		standingDays(aq.Question, aq.Forecasts, aq.Question.End(), func(day time.Time, sf []StandingForecast) {
			past.fill(sf, day)
			d := past.D(day)
			for a, agg := range Aggregates {
				series[a] = append(series[a], CrowdPoint{Day: day, Probs: agg.Of(sf, d), Forecasters: len(sf)})
			}
			skilled = append(skilled, series[AggregateSkillWeighted][len(series[AggregateSkillWeighted])-1].Probs)
		})
		if len(skilled) > 0 {
			s := AggregateScores{ID: aq.ID, Scores: make([]UserScore, len(Aggregates))}
			for a := range Aggregates {
				s.Scores[a], _ = ScoreSeries(aq.Question, series[a], aq.Result.Median)
			}
			scores[i] = s
		}
		if loss := extremizingLoss(ResolvedSeries{Kind: aq.Question.Kind, Days: skilled, Outcome: aq.Question.Outcome}); loss != nil {
			total = addLoss(total, loss)
			fitted++
		}
		past.add(aq.Question.ResolvedAt, aq.Result.Users, fittedD(total, fitted))
	}
	out := make([]AggregateScores, 0, len(scores))
	for i := range qs {
		if s, ok := scores[i]; ok {
			out = append(out, s)
		}
	}
	return past, out
}

// ScoreSeries scores an aggregate's daily series on a resolved question
// as a forecaster is scored (section 3 of the package documentation):
// its daily Brier b(d) against the crowd median m(d) of the humans'
// scores (median is [Result].Median), its active days those of the
// series (from its first day on, a standing aggregate exists every day).
// The aggregate is no member of the crowd: it does not move m(d). It is
// false if the series has no day in q's window or q is unresolved.
func ScoreSeries(q Question, points []CrowdPoint, median []float64) (UserScore, bool) {
	n := q.Days()
	if !q.Resolved() || n == 0 {
		return UserScore{}, false
	}
	first := dayNumber(q.OpensAt)
	var s UserScore
	var brier, crowd, rel float64
	for _, p := range points {
		d := int(dayNumber(p.Day) - first)
		if d < 0 || d >= n || d >= len(median) || math.IsNaN(median[d]) {
			continue
		}
		b := Brier(q.Kind, p.Probs, q.Outcome)
		brier += b
		crowd += median[d]
		rel += b - median[d]
		s.DaysForecast++
	}
	if s.DaysForecast == 0 {
		return UserScore{}, false
	}
	s.Brier = brier / float64(s.DaysForecast)
	s.CrowdBrier = crowd / float64(s.DaysForecast)
	s.Relative = rel / float64(n)
	s.DaysTotal = n
	return s, true
}
