package scoreboard

import (
	"context"

	"signpost/scoring"
	"signpost/store"
)

// EachResult calls fn with every scored question of a tournament and its
// (cached) result, in the tournament's order.
func (bc *Scoreboard) EachResult(ctx context.Context, tournamentID int64, fn func(q *store.Question, res scoring.Result) error) error {
	qs, m, err := bc.questionsOf(ctx, tournamentID)
	if err != nil {
		return err
	}
	for i := range qs {
		q := &qs[i]
		if !q.Scored() {
			continue
		}
		res, err := bc.Result(ctx, q, m)
		if err != nil {
			return err
		}
		if err := fn(q, res); err != nil {
			return err
		}
	}
	return nil
}

// questionsOf reads a tournament's questions and its membership.
func (bc *Scoreboard) questionsOf(ctx context.Context, tournamentID int64) ([]store.Question, store.Membership, error) {
	qs, err := bc.st.ListQuestions(ctx, tournamentID)
	if err != nil {
		return nil, store.Membership{}, err
	}
	m, err := bc.Membership(ctx, tournamentID)
	return qs, m, err
}
