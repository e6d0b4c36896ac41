package api

import (
	"context"

	"signpost/api/mail"
	"signpost/store"
)

// MailSources gives the mail worker what digests read from the server's
// caches: the crowds as shown and the scores.
func (s *Server) MailSources() mail.Sources {
	return mail.Sources{Crowd: s.crowd.Shown, Score: s.userScore}
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
