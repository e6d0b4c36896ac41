package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Scopes of personal API tokens.
const (
	ScopeRead     = "read"
	ScopeForecast = "forecast"
	ScopeAdmin    = "admin"
)

// APIToken is a personal API token without its secret: only the secret's
// SHA-256 (Hash, hex) is stored.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string
	Scope     string
	Hash      string
	CreatedAt time.Time
	ExpiresAt *time.Time
}

// TokenOwner is a token looked up by its hash, with the user it acts for.
type TokenOwner struct {
	TokenID   int64
	Scope     string
	ExpiresAt *time.Time
	User      User
}

type apiTokenRow struct {
	ID        int64
	UserID    int64
	Name      string
	Scope     string
	Hash      string
	CreatedAt int64
	ExpiresAt *int64
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func (r apiTokenRow) toAPIToken() APIToken {
	t := APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, Scope: r.Scope, Hash: r.Hash, CreatedAt: fromMicros(r.CreatedAt)}
	if r.ExpiresAt != nil {
		at := fromMicros(*r.ExpiresAt)
		t.ExpiresAt = &at
	}
	return t
}

// CreateAPIToken stores a token; the caller has made the secret and hashed it.
func (s *Store) CreateAPIToken(ctx context.Context, t APIToken) (APIToken, error) {
	row := apiTokenRow{UserID: t.UserID, Name: t.Name, Scope: t.Scope, Hash: t.Hash, CreatedAt: micros(t.CreatedAt)}
	if t.ExpiresAt != nil {
		at := micros(*t.ExpiresAt)
		row.ExpiresAt = &at
	}
	if err := s.w.WithContext(ctx).Create(&row).Error; err != nil {
		return APIToken{}, translate(err, "a token with this secret exists")
	}
	return row.toAPIToken(), nil
}

// ListAPITokens returns a user's tokens, oldest first.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var rows []apiTokenRow
	if err := s.r.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.toAPIToken()
	}
	return out, nil
}

// DeleteAPIToken revokes one of a user's tokens: its row goes, so the very
// next use fails on every instance. Another user's token is ErrNotFound.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	res := s.w.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Delete(&apiTokenRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return notFound("no token %d", id)
	}
	return nil
}

const tokenOwnerSQL = `SELECT t.id, t.scope, t.expires_at, u.id, u.username, u.display_name, u.role, u.bot
	FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`

// FindTokenOwner looks a token up by the hex SHA-256 of its secret: one
// indexed read with a prepared statement, cheap enough to do on every use,
// so a revocation shows at once on every instance sharing the database.
func (s *Store) FindTokenOwner(ctx context.Context, hash string) (TokenOwner, error) {
	row, err := s.queryRow(ctx, tokenOwnerSQL, hash)
	if err != nil {
		return TokenOwner{}, err
	}
	var o TokenOwner
	var exp sql.NullInt64
	err = row.Scan(&o.TokenID, &o.Scope, &exp, &o.User.ID, &o.User.Username, &o.User.DisplayName, &o.User.Role, &o.User.Bot)
	if errors.Is(err, sql.ErrNoRows) {
		return TokenOwner{}, notFound("no such token")
	}
	if err != nil {
		return TokenOwner{}, err
	}
	if exp.Valid {
		at := fromMicros(exp.Int64)
		o.ExpiresAt = &at
	}
	return o, nil
}
