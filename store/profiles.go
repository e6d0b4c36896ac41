package store

import (
	"context"
	"database/sql"
	"errors"
)

// ProfileChange is a forecaster's edit of their own account; nil fields
// stay as they are.
type ProfileChange struct {
	DisplayName *string
	Public      *bool
}

// ProfilePublic reports whether a user's profile page is open to everyone.
func (s *Store) ProfilePublic(ctx context.Context, userID int64) (bool, error) {
	row, err := s.queryRow(ctx, "SELECT profile_public FROM users WHERE id = ?", userID)
	if err != nil {
		return false, err
	}
	var public bool
	err = row.Scan(&public)
	if errors.Is(err, sql.ErrNoRows) {
		return false, notFound("no user %d", userID)
	}
	return public, err
}

// UpdateProfile applies a profile change. A new display name appears on
// every leaderboard, which are cached per score version, so it moves the
// score version of every tournament.
func (s *Store) UpdateProfile(ctx context.Context, userID int64, ch ProfileChange) error {
	upd := map[string]any{}
	if ch.DisplayName != nil {
		upd["display_name"] = *ch.DisplayName
	}
	if ch.Public != nil {
		upd["profile_public"] = flag(*ch.Public)
	}
	if len(upd) == 0 {
		return nil
	}
	db := s.w.WithContext(ctx)
	res := db.Model(&userRow{}).Where("id = ?", userID).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return notFound("no user %d", userID)
	}
	if ch.DisplayName != nil {
		ctx, announce := s.trackScoreMoves(ctx)
		err := bumpAllScoreVersions(db.WithContext(ctx))
		announce(err)
		return err
	}
	return nil
}
