package scoring

import "fmt"

// ScoreTeams scores teams on q from their members' forecasts alone,
// against the daily crowd medians of an earlier ScoreQuestion of the same
// question and forecasts (its Result.Median).
//
// A team's score depends on the crowd only through m(d), and m(d) is a
// median of individuals, which no team change moves. So when members join
// or leave, the teams concerned are rescored from a handful of forecasts
// instead of the whole question's: fs need hold only the forecasts of the
// users teams maps (others are read but belong to no team), sorted as
// ScoreQuestion wants them, and teams maps those members to their teams.
//
// The result is the Teams of ScoreQuestion(q, all forecasts, teams) bit
// for bit: the same pass computes each team's daily forecast from the same
// standing forecasts on the same days, and sums its Brier and the given
// medians in the same order. It fails as ScoreQuestion does, and if
// median does not have one value per day of q.
func ScoreTeams(q Question, fs []Forecast, teams map[int64]int64, median []float64) ([]TeamScore, error) {
	e, err := newEngine(q, teams)
	if err != nil {
		return nil, err
	}
	if len(median) != e.w.n {
		return nil, fmt.Errorf("scoring: %d daily medians for a %d-day window", len(median), e.w.n)
	}
	e.medians, e.fixed = median, true
	if err := e.run(fs); err != nil {
		return nil, err
	}
	return e.result(true).Teams, nil
}
