package api

import (
	"context"
	"errors"

	"signpost/api/mail"
	"signpost/store"
)

// MailSources gives the mail worker what digests read from the server's
// caches: the crowds as shown, the scores and the signpost boards.
func (s *Server) MailSources() mail.Sources {
	return mail.Sources{Crowd: s.crowd.Shown, Score: s.userScore, Board: s.boardShares}
}

// boardShares is what a tournament's signpost board implies for each
// scenario; nothing when it has no board.
func (s *Server) boardShares(ctx context.Context, slug string) ([]mail.Share, error) {
	b, err := s.signs.Board(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]mail.Share, len(b.Scenarios))
	for i, sc := range b.Scenarios {
		out[i] = mail.Share{Label: sc.Label, Probability: sc.Implied}
	}
	return out, nil
}

// userScore is a user's Brier score on a resolved question beside the
// crowd's, as the question's scores page shows it.
func (s *Server) userScore(ctx context.Context, q *store.Question, userID int64) (float64, float64, bool, error) {
	m, err := s.scores.Membership(ctx, q.TournamentID)
	if err != nil {
		return 0, 0, false, err
	}
	res, err := s.scores.Result(ctx, q, m)
	if err != nil {
		return 0, 0, false, err
	}
	for _, us := range res.Users {
		if us.User == userID {
			return us.Brier, us.CrowdBrier, true, nil
		}
	}
	return 0, 0, false, nil
}
