package store

import (
	"context"

	"gorm.io/gorm"
)

// LeaveTeam takes a user out of their team in a tournament; not being in
// one is ErrNotFound. The team stays (with its invite code) even when it
// empties. Team scores follow: the score version moves.
func (s *Store) LeaveTeam(ctx context.Context, tournamentID, userID int64) error {
	ctx, announce := s.trackScoreMoves(ctx)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("tournament_id = ? AND user_id = ?", tournamentID, userID).Delete(&teamMemberRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("not in a team in this tournament")
		}
		return bumpScoreVersion(tx, tournamentID)
	})
	announce(err)
	return err
}

// FindTeam returns a tournament's team with its members' IDs in joining order.
func (s *Store) FindTeam(ctx context.Context, tournamentID, teamID int64) (Team, error) {
	db := s.r.WithContext(ctx)
	var rows []teamRow
	if err := db.Where("id = ? AND tournament_id = ?", teamID, tournamentID).Limit(1).Find(&rows).Error; err != nil {
		return Team{}, err
	}
	if len(rows) == 0 {
		return Team{}, notFound("no team %d in this tournament", teamID)
	}
	r := rows[0]
	t := Team{ID: r.ID, TournamentID: r.TournamentID, Name: r.Name, InviteCode: r.InviteCode, Members: []int64{}}
	err := db.Raw("SELECT user_id FROM team_members WHERE team_id = ? ORDER BY joined_at, user_id", r.ID).
		Scan(&t.Members).Error
	return t, err
}
