package store

import (
	"context"

	"gorm.io/gorm"
)

// boardFilter says which scored questions a leaderboard ranks: with
// conditional, the tournament's conditional branches only (their own
// board); else its ordinary questions, and its branches too when the
// tournament counts them on the main board (ConditionalsOnMain).
func (s *Store) boardFilter(ctx context.Context, tournamentID int64, conditional bool) (func(*Question) bool, error) {
	if conditional {
		return func(q *Question) bool { return q.Condition != nil }, nil
	}
	t, err := s.FindTournamentByID(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	if t.ConditionalsOnMain {
		return func(*Question) bool { return true }, nil
	}
	return func(q *Question) bool { return q.Condition == nil }, nil
}

// SetConditionalsOnMain sets whether the tournament's conditional branches
// also count on its main leaderboard. A change moves the score version
// (cached boards key on it) and is audited; setting the current value
// changes nothing.
func (s *Store) SetConditionalsOnMain(ctx context.Context, tournamentID int64, on bool, actorID int64) (Tournament, error) {
	var out Tournament
	ctx, announce := s.trackScoreMoves(ctx)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := findTournament(tx, "id = ?", tournamentID)
		if err != nil || t.ConditionalsOnMain == on {
			out = t
			return err
		}
		if err := tx.Model(&tournamentRow{}).Where("id = ?", tournamentID).
			Update("conditionals_on_main", flag(on)).Error; err != nil {
			return err
		}
		if err := bumpScoreVersion(tx, tournamentID); err != nil {
			return err
		}
		if err := addAudit(tx, AuditEntry{TournamentID: tournamentID, ActorID: actorID, Action: "edit_tournament",
			Old: rawJSON(map[string]bool{"conditionals_on_main": !on}),
			New: rawJSON(map[string]bool{"conditionals_on_main": on})}); err != nil {
			return err
		}
		out, err = findTournament(tx, "id = ?", tournamentID)
		return err
	})
	announce(err)
	return out, err
}
