package api

import (
	"context"

	"signpost/scoring"
	"signpost/store"
)

// eachResult calls fn with every scored question of a tournament and its
// (cached) result, in the tournament's order.
func (s *Server) eachResult(ctx context.Context, tournamentID int64, fn func(q *store.Question, res scoring.Result) error) error {
	qs, err := s.cfg.Store.ListQuestions(ctx, tournamentID)
	if err != nil {
		return err
	}
	m, err := s.boards.membership(ctx, tournamentID)
	if err != nil {
		return err
	}
	for i := range qs {
		q := &qs[i]
		if !scorable(q) {
			continue
		}
		res, err := s.boards.result(ctx, q, m)
		if err != nil {
			return err
		}
		if err := fn(q, res); err != nil {
			return err
		}
	}
	return nil
}
