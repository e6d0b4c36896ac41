package scoring_test

import (
	"fmt"
	"time"

	"signpost/scoring"
)

func ExampleBrier() {
	// A binary 70 % Yes that resolves No: the two-sided score.
	fmt.Printf("%.2f\n", scoring.Brier(scoring.Binary, []float64{0.7, 0.3}, 1))
	// Ordered buckets: a near miss costs less than the plain Brier score.
	p := []float64{0.15, 0.45, 0.25, 0.15}
	fmt.Printf("%.2f %.2f\n", scoring.Brier(scoring.Ordered, p, 2), scoring.Brier(scoring.MultipleChoice, p, 2))
	// Output:
	// 0.98
	// 0.27 0.81
}

func ExampleScoreQuestion() {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	q := scoring.Question{
		Kind: scoring.Binary, Options: 2,
		OpensAt:    at("2016-11-01T00:00:00Z"),
		ClosesAt:   at("2016-11-08T00:00:00Z"),
		ResolvedAt: at("2016-11-09T05:00:00Z"),
		Outcome:    1, // Trump
	}
	const george, kramer = 1, 2
	fs := []scoring.Forecast{
		{User: george, At: at("2016-11-01T10:00:00Z"), Probs: []float64{0.7, 0.3}},
		{User: kramer, At: at("2016-11-02T12:00:00Z"), Probs: []float64{0.4, 0.6}},
		{User: george, At: at("2016-11-03T09:09:00Z"), Probs: []float64{0.5, 0.5}},
		{User: george, At: at("2016-11-03T21:42:00Z"), Probs: []float64{0.6, 0.4}},
		{User: kramer, At: at("2016-11-05T12:00:00Z"), Probs: []float64{0.3, 0.7}},
	}
	r, err := scoring.ScoreQuestion(q, fs, nil)
	if err != nil {
		panic(err)
	}
	for _, u := range r.Users {
		fmt.Printf("user %d: brier %.6f crowd %.6f relative %+.2f days %d/%d\n",
			u.User, u.Brier, u.CrowdBrier, u.Relative, u.DaysForecast, u.DaysTotal)
	}
	// Output:
	// user 1: brier 0.794286 crowd 0.574286 relative +0.22 days 7/7
	// user 2: brier 0.250000 crowd 0.506667 relative -0.22 days 6/7
}

func ExampleBoard() {
	b := scoring.NewBoard()
	// One Add per question a user has a score on.
	b.Add(1, "george", 0.794286, 0.22)
	b.Add(2, "kramer", 0.25, -0.22)
	b.Add(3, "elaine", 0.30, -0.10)
	b.Add(3, "elaine", 0.20, -0.12)
	b.Add(4, "jerry", 0.25, -0.22)
	for _, e := range b.Entries() {
		fmt.Printf("%d. %-6s questions %d brier %.2f relative %+.2f\n", e.Rank, e.Name, e.Questions, e.Brier, e.Relative)
	}
	// Output:
	// 1. elaine questions 2 brier 0.25 relative -0.22
	// 1. jerry  questions 1 brier 0.25 relative -0.22
	// 1. kramer questions 1 brier 0.25 relative -0.22
	// 4. george questions 1 brier 0.79 relative +0.22
}

func ExampleCrowd() {
	// The per-option medians 0.4, 0.2, 0.2 sum to 0.8, so they are
	// renormalised.
	crowd := scoring.Crowd([][]float64{
		{0.4, 0.2, 0.4},
		{0.6, 0.2, 0.2},
		{0.2, 0.6, 0.2},
	})
	fmt.Printf("%.3f\n", crowd)
	// Output:
	// [0.500 0.250 0.250]
}

func ExampleImplied() {
	// Four scenarios with the reference forecast as prior; one resolved
	// indicator and two open ones (the package documentation's example).
	prior := []float64{0.25, 0.20, 0.15, 0.40}
	links := func(id int64, p float64, s scoring.Strength, raises, lowers []int) []scoring.Evidence {
		var ev []scoring.Evidence
		for _, k := range raises {
			ev = append(ev, scoring.Evidence{Indicator: id, Scenario: k, Direction: 1, Strength: s, P: p})
		}
		for _, k := range lowers {
			ev = append(ev, scoring.Evidence{Indicator: id, Scenario: k, Direction: -1, Strength: s, P: p})
		}
		return ev
	}
	ev := links(1, 1, scoring.Strong, []int{1, 2}, []int{0})                      // resolved Yes
	ev = append(ev, links(2, 0.7, scoring.Moderate, []int{1, 3}, []int{0, 2})...) // open, crowd 70 %
	ev = append(ev, links(3, 0.4, scoring.Strong, []int{0, 3}, []int{1, 2})...)   // open, crowd 40 %
	p, err := scoring.Implied(prior, ev)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3f %.3f %.3f %.3f\n", p[0], p[1], p[2], p[3])
	// Output:
	// 0.008 0.632 0.228 0.133
}

func ExampleLikelihoodRatios() {
	// Three forecasters answer both branches of a conditional pair: the
	// scenario question if the indicator resolves Yes, and if it resolves No.
	ifYes := scoring.Crowd([][]float64{{0.10, 0.50, 0.20, 0.20}, {0.20, 0.40, 0.10, 0.30}, {0.10, 0.40, 0.20, 0.30}})
	ifNo := scoring.Crowd([][]float64{{0.30, 0.10, 0.20, 0.40}, {0.20, 0.20, 0.10, 0.50}, {0.30, 0.10, 0.20, 0.40}})
	lr, _ := scoring.LikelihoodRatios(ifYes, ifNo)
	for k, r := range lr {
		dir, ratio := scoring.Oriented(r)
		fmt.Printf("S%d ratio %.3f (direction %+d, %.2f)\n", k+1, r, dir, ratio)
	}
	// With the crowd at 60 % on the indicator, against a direct 25/20/15/40:
	tp, _ := scoring.TotalProbability(0.6, ifYes, ifNo)
	fmt.Printf("total probability %.2f, gap %.2f\n", tp, scoring.TVDistance(tp, []float64{0.25, 0.20, 0.15, 0.40}))
	// Output:
	// S1 ratio 0.333 (direction -1, 3.00)
	// S2 ratio 4.000 (direction +1, 4.00)
	// S3 ratio 1.000 (direction +1, 1.00)
	// S4 ratio 0.750 (direction -1, 1.33)
	// total probability [0.18 0.28 0.20 0.34], gap 0.13
}

func ExampleScoreTeams() {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	q := scoring.Question{
		Kind: scoring.Binary, Options: 2,
		OpensAt:    at("2016-11-01T00:00:00Z"),
		ClosesAt:   at("2016-11-08T00:00:00Z"),
		ResolvedAt: at("2016-11-09T05:00:00Z"),
		Outcome:    1,
	}
	const george, kramer, elaine = 1, 2, 3
	fs := []scoring.Forecast{
		{User: george, At: at("2016-11-01T10:00:00Z"), Probs: []float64{0.7, 0.3}},
		{User: kramer, At: at("2016-11-02T12:00:00Z"), Probs: []float64{0.4, 0.6}},
		{User: elaine, At: at("2016-11-03T09:00:00Z"), Probs: []float64{0.2, 0.8}},
		{User: kramer, At: at("2016-11-05T12:00:00Z"), Probs: []float64{0.3, 0.7}},
	}
	// Score the question once, with George alone in team 7.
	full, err := scoring.ScoreQuestion(q, fs, map[int64]int64{george: 7})
	if err != nil {
		panic(err)
	}
	fmt.Printf("before: relative %+.4f days %d\n", full.Teams[0].Relative, full.Teams[0].DaysForecast)
	// Elaine joins George: only their forecasts are read again, against
	// the crowd medians kept from the first scoring.
	teams := map[int64]int64{george: 7, elaine: 7}
	members := []scoring.Forecast{fs[0], fs[2]}
	ts, err := scoring.ScoreTeams(q, members, teams, full.Median)
	if err != nil {
		panic(err)
	}
	fmt.Printf("after:  relative %+.4f days %d\n", ts[0].Relative, ts[0].DaysForecast)
	// The same as scoring every forecast again.
	again, err := scoring.ScoreQuestion(q, fs, teams)
	if err != nil {
		panic(err)
	}
	fmt.Println(again.Teams[0] == ts[0])
	// Output:
	// before: relative +0.5786 days 7
	// after:  relative +0.1679 days 7
	// true
}
