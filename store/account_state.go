package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Account audit actions; their entries belong to no tournament.
const (
	AuditPasswordChange    = "password_change"
	AuditPasswordReset     = "password_reset"
	AuditSignOutEverywhere = "sign_out_everywhere"
	AuditUserUpdate        = "user_update"
)

// UserAuth is what a token is checked against on each use.
type UserAuth struct {
	Role         string
	Disabled     bool
	TokenVersion int64
}

// FindUserAuth reads a user's role, state and token version (one indexed
// row, with a prepared statement: it runs on authenticated requests).
func (s *Store) FindUserAuth(ctx context.Context, id int64) (UserAuth, error) {
	row, err := s.queryRow(ctx, "SELECT role, disabled, token_version FROM users WHERE id = ?", id)
	if err != nil {
		return UserAuth{}, err
	}
	var a UserAuth
	var disabled flag // 0/1 on both databases
	err = row.Scan(&a.Role, &disabled, &a.TokenVersion)
	a.Disabled = bool(disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return UserAuth{}, notFound("no user %d", id)
	}
	return a, err
}

// ChangePassword stores a new password hash, raises the token version,
// revoking every session token issued before, and deletes the user's
// personal API tokens; audited.
func (s *Store) ChangePassword(ctx context.Context, id int64, hash string, at time.Time) error {
	return s.revokeTokens(ctx, id, at, AuditPasswordChange, "password_hash", hash)
}

// SignOutEverywhere raises the user's token version and deletes the user's
// personal API tokens; audited.
func (s *Store) SignOutEverywhere(ctx context.Context, id int64, at time.Time) error {
	return s.revokeTokens(ctx, id, at, AuditSignOutEverywhere, "", "")
}

// revokeTokens revokes every credential of a user, API tokens included: a
// password change or a sign-out everywhere is what someone does who fears
// their account was used by another, who may have minted a token with it.
func (s *Store) revokeTokens(ctx context.Context, id int64, at time.Time, action, column, value string) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return revokeTokensIn(tx, id, at, action, column, value)
	})
}

// revokeTokensIn is revokeTokens inside the caller's transaction.
func revokeTokensIn(tx *gorm.DB, id int64, at time.Time, action, column, value string) error {
	updates := map[string]any{"token_version": gorm.Expr("token_version + 1")}
	if column != "" {
		updates[column] = value
	}
	res := tx.Model(&userRow{}).Where("id = ?", id).Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return notFound("no user %d", id)
	}
	if err := tx.Where("user_id = ?", id).Delete(&apiTokenRow{}).Error; err != nil {
		return err
	}
	return addAudit(tx, AuditEntry{ActorID: id, Action: action, CreatedAt: at})
}

// UserChange is an admin's change to an account; nil fields stay as they are.
type UserChange struct {
	Role     *string
	Disabled *bool
}

type userState struct {
	Role     string `json:"role"`
	Disabled bool   `json:"disabled"`
}

// UpdateUser applies an admin's change to the named user, audited with the
// old and new state. Demoting or disabling the last active admin is
// ErrConflict: nobody could administer the server any more. Disabling an
// account also revokes its tokens.
func (s *Store) UpdateUser(ctx context.Context, actorID int64, username string, ch UserChange, at time.Time) (User, error) {
	if ch.Role != nil && *ch.Role != RoleAdmin && *ch.Role != RoleForecaster {
		return User{}, Invalid("role", "role must be forecaster or admin")
	}
	var out User
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []userRow
		if err := tx.Where("username = ?", username).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("no user %q", username)
		}
		r := rows[0]
		old := userState{Role: r.Role, Disabled: bool(r.Disabled)}
		next := old
		if ch.Role != nil {
			next.Role = *ch.Role
		}
		if ch.Disabled != nil {
			next.Disabled = *ch.Disabled
		}
		if err := keepAnAdmin(tx, r.ID, old, next); err != nil {
			return err
		}
		updates := map[string]any{"role": next.Role, "disabled": flag(next.Disabled)}
		if next.Disabled && !old.Disabled {
			updates["token_version"] = gorm.Expr("token_version + 1")
		}
		if err := tx.Model(&userRow{}).Where("id = ?", r.ID).Updates(updates).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", r.ID).Take(&r).Error; err != nil {
			return err
		}
		out = r.toUser()
		return addAudit(tx, AuditEntry{ActorID: actorID, Action: AuditUserUpdate, CreatedAt: at,
			Old: rawJSON(old), New: rawJSON(next), Reason: "user " + username})
	})
	return out, err
}

// keepAnAdmin refuses a change that leaves no active admin.
func keepAnAdmin(tx *gorm.DB, id int64, old, next userState) error {
	wasActiveAdmin := old.Role == RoleAdmin && !old.Disabled
	isActiveAdmin := next.Role == RoleAdmin && !next.Disabled
	if !wasActiveAdmin || isActiveAdmin {
		return nil
	}
	var others int64
	if err := tx.Model(&userRow{}).Where("role = ? AND disabled = 0 AND id <> ?", RoleAdmin, id).
		Count(&others).Error; err != nil {
		return err
	}
	if others == 0 {
		return conflict("this is the last active admin: make another admin first")
	}
	return nil
}

// AccountAudit returns the audit entries that belong to no tournament
// (account changes), newest first.
func (s *Store) AccountAudit(ctx context.Context, limit int) ([]AuditEntry, error) {
	return s.auditWhere(ctx, "audit_log.tournament_id IS NULL", nil, limit)
}
