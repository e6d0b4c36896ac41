package api

import (
	"context"

	"signpost/api/scoreboard"
	"signpost/api/webhook"
	"signpost/store"
)

// WebhookSources gives the webhook worker what it reads from the server's
// caches: the leaderboard's top, the crowds as shown, and the delivery
// metrics.
func (s *Server) WebhookSources() webhook.Sources {
	return webhook.Sources{Top: s.boardTop, SyncCrowds: s.crowd.Sync, Crowd: s.crowd.Shown, CrowdRule: s.crowd.Rule(), Delivered: s.metrics.delivery}
}

// boardTop is the first n of a tournament's leaderboard of all participants.
func (s *Server) boardTop(ctx context.Context, t store.Tournament, n int) ([]webhook.TopEntry, error) {
	b, err := s.scores.Boards(ctx, t.ID, t.ScoreVersion)
	if err != nil {
		return nil, err
	}
	entries := b.People(scoreboard.All)
	top := make([]webhook.TopEntry, 0, n)
	for _, e := range entries[:min(n, len(entries))] {
		top = append(top, webhook.TopEntry{Rank: e.Rank, UserID: e.User.ID, Username: e.User.Username,
			DisplayName: e.User.DisplayName, Brier: e.Brier, Relative: e.Relative})
	}
	return top, nil
}
