package scoring

import (
	"fmt"
	"math"
)

// LedgerDay is one day of a forecaster's score ledger on a question.
type LedgerDay struct {
	DayScore
	Difference   float64 // Brier − Median: below 0, better than the crowd that day
	Contribution float64 // Difference / N: the day's share of the question's relative score
}

// Ledger returns user's day-by-day ledger on the resolved question q: for
// each active day, the standing forecast (its index in fs), its Brier, the
// crowd median, their difference and the day's contribution to the
// relative score. The contributions sum to the user's Relative from
// ScoreQuestion (package doc, section 3: relative = (1/N) Σ (b − m)); the
// days come from UserDays, so there is one implementation of the rules.
func Ledger(q Question, fs []Forecast, user int64) ([]LedgerDay, error) {
	days, err := UserDays(q, fs, user)
	if err != nil {
		return nil, err
	}
	n := float64(q.Days())
	out := make([]LedgerDay, len(days))
	for i, d := range days {
		diff := d.Brier - d.Median
		out[i] = LedgerDay{DayScore: d, Difference: diff, Contribution: diff / n}
	}
	return out, nil
}

// ReferenceScore scores a fixed reference forecast (one that stood
// unchanged over the whole window, such as a source's published estimate)
// against the daily crowd medians of a scored question, without taking
// part in them: it competes with no one. medians is Result.Median; days
// with no crowd count as if the reference scored the median. It fails as
// ScoreQuestion does, or if ref is not a forecast on q.
func ReferenceScore(q Question, ref []float64, medians []float64) (UserScore, error) {
	if err := checkQuestion(q); err != nil {
		return UserScore{}, err
	}
	if err := Validate(ref, q.Options); err != nil {
		return UserScore{}, err
	}
	n := q.Days()
	if len(medians) != n {
		return UserScore{}, fmt.Errorf("scoring: %d medians for %d days", len(medians), n)
	}
	b := Brier(q.Kind, ref, q.Outcome)
	var crowd, rel float64
	for _, m := range medians {
		if math.IsNaN(m) {
			crowd += b
			continue
		}
		crowd += m
		rel += b - m
	}
	s := UserScore{Brier: b, DaysForecast: n, DaysTotal: n}
	if n > 0 {
		s.CrowdBrier, s.Relative = crowd/float64(n), rel/float64(n)
	}
	return s, nil
}
