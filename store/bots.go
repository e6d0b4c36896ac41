package store

import (
	"context"

	"gorm.io/gorm"
)

// SetBot marks or unmarks a user as a bot. Leaderboards filtered by
// participants change with it, so every tournament's score version moves
// (the key of cached leaderboards); the change is audited.
func (s *Store) SetBot(ctx context.Context, username string, bot bool, actorID int64) (User, error) {
	var out User
	ctx, announce := s.trackScoreMoves(ctx)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&userRow{}).Where("username = ?", username).Update("bot", flag(bot))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("no user %q", username)
		}
		var row userRow
		if err := tx.Where("username = ?", username).Take(&row).Error; err != nil {
			return err
		}
		out = row.toUser()
		if err := bumpAllScoreVersions(tx); err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{ActorID: actorID, Action: "set_bot",
			New: rawJSON(map[string]any{"username": username, "bot": bot})})
	})
	announce(err)
	return out, err
}
