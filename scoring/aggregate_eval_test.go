package scoring

import (
	"math"
	"testing"
	"time"
)

// The scores EvaluateAggregates reports are ScoreSeries of the series
// AggregateSeries gives with the final past: a day reads only what
// resolved before it, so the past built later answers it the same.
func TestEvaluateAggregatesScoresTheSeries(t *testing.T) {
	qs, _, err := SimulateTournament(SimOptions{Seed: 7, Forecasters: 15, Questions: 40, Days: 6, Stride: 1})
	if err != nil {
		t.Fatal(err)
	}
	past, scores := EvaluateAggregates(qs)
	if len(scores) == 0 {
		t.Fatal("no scores")
	}
	byID := make(map[int64]AggregateQuestion)
	for _, q := range qs {
		byID[q.ID] = q
	}
	for _, s := range scores {
		q := byID[s.ID]
		for a, agg := range Aggregates {
			want, ok := ScoreSeries(q.Question, AggregateSeries(agg, q.Question, q.Forecasts, q.Question.End(), past), q.Result.Median)
			if !ok || s.Scores[a] != want {
				t.Fatalf("question %d %v: evaluated %+v; the series scores %+v", s.ID, agg, s.Scores[a], want)
			}
		}
	}
	// d is FitExtremizing of the skill_weighted series resolved before.
	day := qs[len(qs)-1].Question.ClosesAt
	var fit []ResolvedSeries
	for _, q := range qs {
		if q.Question.ResolvedAt.Before(day) {
			var days [][]float64
			for _, p := range AggregateSeries(AggregateSkillWeighted, q.Question, q.Forecasts, q.Question.End(), past) {
				days = append(days, p.Probs)
			}
			fit = append(fit, ResolvedSeries{Kind: q.Question.Kind, Days: days, Outcome: q.Question.Outcome})
		}
	}
	if got, want := past.D(day), FitExtremizing(fit); got != want {
		t.Errorf("D(%v) = %v; FitExtremizing of the past gives %v", day, got, want)
	}
}

// ScoreSeries applies the scoring rules: a forecaster whose forecast on
// each day is the series' scores what ScoreQuestion gives them against
// the same crowd median.
func TestScoreSeriesIsTheScoringRules(t *testing.T) {
	qs, _, err := SimulateTournament(SimOptions{Seed: 3, Forecasters: 8, Questions: 6, Days: 5, Stride: 1})
	if err != nil {
		t.Fatal(err)
	}
	const ghost = 1 << 40
	for _, q := range qs {
		series := AggregateSeries(AggregateMeanLogOdds, q.Question, q.Forecasts, q.Question.End(), nil)
		if len(series) == 0 {
			continue
		}
		fs := append([]Forecast(nil), q.Forecasts...)
		for _, p := range series {
			at := p.Day
			if at.Before(q.Question.OpensAt) {
				at = q.Question.OpensAt
			}
			fs = append(fs, Forecast{User: ghost, At: at, Probs: p.Probs})
		}
		sortForecasts(fs)
		res, err := ScoreQuestion(q.Question, fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := ScoreSeries(q.Question, series, res.Median)
		want := res.Users[len(res.Users)-1]
		want.User = 0
		if !ok || !closeTo(got.Brier, want.Brier, 1e-12) || !closeTo(got.Relative, want.Relative, 1e-12) ||
			!closeTo(got.CrowdBrier, want.CrowdBrier, 1e-12) || got.DaysForecast != want.DaysForecast || got.DaysTotal != want.DaysTotal {
			t.Errorf("question %d: ScoreSeries = %+v; ScoreQuestion gives %+v", q.ID, got, want)
		}
	}
}

// A hand-computed past: two questions resolve, then a third question's
// day reads both track records.
func TestAggregatePastHandComputed(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }
	one := func(opens, closes time.Time, fs ...Forecast) AggregateQuestion {
		q := Question{Kind: Binary, Options: 2, OpensAt: opens, ClosesAt: closes, ResolvedAt: closes, Outcome: 0}
		res, err := ScoreQuestion(q, fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		return AggregateQuestion{Question: q, Forecasts: fs, Result: res}
	}
	// Question 1 (one day): user 1 says 0.9, user 2 says 0.5, user 3 0.1;
	// Yes. Briers 0.02, 0.5, 1.62, median 0.5: relatives −0.48, 0, +1.12.
	q1 := one(day(1), day(2),
		Forecast{User: 1, At: day(1), Probs: []float64{0.9, 0.1}},
		Forecast{User: 2, At: day(1), Probs: []float64{0.5, 0.5}},
		Forecast{User: 3, At: day(1), Probs: []float64{0.1, 0.9}})
	q1.ID = 1
	// Question 2 (one day, resolves on the 3rd): user 1 alone, 0.9.
	q2 := one(day(2), day(3), Forecast{User: 1, At: day(2), Probs: []float64{0.9, 0.1}})
	q2.ID = 2
	past, _ := EvaluateAggregates([]AggregateQuestion{q2, q1})
	for _, c := range []struct {
		user    int64
		day     time.Time
		skill   float64
		n       int
		comment string
	}{
		{1, day(2), 0, 0, "question 1 resolves at the start of the 2nd: not before it"},
		{1, day(3), -0.48, 1, "question 1 only"},
		{1, day(4), -0.24, 2, "relative 0 alone on question 2"},
		{3, day(4), 1.12, 1, "question 1 only"},
		{9, day(4), 0, 0, "a newcomer"},
	} {
		skill, n := past.Skill(c.user, c.day)
		if !closeTo(skill, c.skill, 1e-12) || n != c.n {
			t.Errorf("Skill(%d, %v) = %v, %d; want %v, %d (%s)", c.user, c.day, skill, n, c.skill, c.n, c.comment)
		}
	}
	if d := past.D(day(10)); d != 1 {
		t.Errorf("D after 2 questions = %v; want 1 (fewer than %d)", d, ExtremizeMinQuestions)
	}
	var none *AggregatePast
	if s, n := none.Skill(1, day(4)); s != 0 || n != 0 || none.D(day(4)) != 1 {
		t.Error("the nil past knows a track record")
	}
	if got := none.Of(AggregateExtremized, []StandingForecast{{User: 1, Probs: []float64{0.7, 0.3}}}, day(4)); math.Abs(got[0]-0.7) > 1e-12 {
		t.Errorf("extremized with no past = %v; want 0.7", got)
	}
}

func TestAggregateBoardAndRecommend(t *testing.T) {
	if b := AggregateBoard(nil); len(b) != len(Aggregates) || b[AggregateMeanLogOdds].Questions != 0 {
		t.Fatalf("AggregateBoard(nil) = %+v; want a zero row per aggregate", b)
	}
	if _, ok := Recommend(AggregateBoard(nil)); ok {
		t.Error("Recommend(no questions) recommended one")
	}
	// mean_logodds 0.1 better on every question, extremized 0.2 better on
	// all but one: both beat the median; extremized has the lower Brier.
	var scores []AggregateScores
	for i := range 30 {
		s := AggregateScores{ID: int64(i), Scores: make([]UserScore, len(Aggregates))}
		for a := range Aggregates {
			s.Scores[a].Brier = 0.5
		}
		s.Scores[AggregateMeanLogOdds].Brier = 0.4
		s.Scores[AggregateExtremized].Brier = 0.3
		if i == 0 {
			s.Scores[AggregateExtremized].Brier = 0.6
		}
		s.Scores[AggregateRecencyMedian].Brier = 0.5 + 0.1*float64(i%2*2-1) // no better on average
		scores = append(scores, s)
	}
	b := AggregateBoard(scores)
	if c := b[AggregateMeanLogOdds]; c.Questions != 30 || !closeTo(c.Relative, -0.1, 1e-12) || !c.Beats() {
		t.Errorf("mean_logodds %+v; want relative −0.1 beating the median", c)
	}
	if b[AggregateRecencyMedian].Beats() {
		t.Errorf("recency_median %+v beats the median; want not", b[AggregateRecencyMedian])
	}
	if a, ok := Recommend(b); !ok || a != AggregateExtremized {
		t.Errorf("Recommend = %v, %v; want extremized", a, ok)
	}
}
