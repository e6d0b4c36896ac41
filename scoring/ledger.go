package scoring

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
// ScoreQuestion (SCORING.md section 3: relative = (1/N) Σ (b − m)); the
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
