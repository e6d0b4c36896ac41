package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

type userRow struct {
	ID           int64
	Username     string
	DisplayName  string
	PasswordHash string
	Role         string
	CreatedAt    int64
	Disabled     flag
	TokenVersion int64
	Bot          flag
}

func (userRow) TableName() string { return "users" }

func (r userRow) toUser() User {
	return User{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Role: r.Role,
		PasswordHash: r.PasswordHash, CreatedAt: fromMicros(r.CreatedAt), Bot: bool(r.Bot),
		Disabled: bool(r.Disabled), TokenVersion: r.TokenVersion}
}

// CreateUser inserts a user; a taken username is ErrConflict. Username must
// already be normalised (lower-case) and validated by the caller.
func (s *Store) CreateUser(ctx context.Context, u User) (User, error) {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
	}
	row := userRow{Username: u.Username, DisplayName: u.DisplayName, PasswordHash: u.PasswordHash,
		Role: u.Role, CreatedAt: micros(u.CreatedAt)}
	if err := s.w.WithContext(ctx).Create(&row).Error; err != nil {
		return User{}, translate(err, "username "+u.Username+" is taken")
	}
	return row.toUser(), nil
}

// FindUserByUsername looks a user up by (lower-case) username.
func (s *Store) FindUserByUsername(ctx context.Context, username string) (User, error) {
	var row userRow
	if err := s.r.WithContext(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return User{}, MissingUser(username)
		}
		return User{}, err
	}
	return row.toUser(), nil
}

// MissingUser is the error for a username no one has: also what the API
// answers for a profile its owner hides, which must not tell the two
// apart.
func MissingUser(username string) error {
	return notFound("no user %q", username)
}

// FindUserByID looks a user up by ID.
func (s *Store) FindUserByID(ctx context.Context, id int64) (User, error) {
	var row userRow
	if err := s.r.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return User{}, missing(err, "no user %d", id)
	}
	return row.toUser(), nil
}

// UsersByID returns the users with the given IDs, keyed by ID.
func (s *Store) UsersByID(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := make(map[int64]User, len(ids))
	const chunk = 500 // stay under SQLite's bound-parameter limit
	for start := 0; start < len(ids); start += chunk {
		var rows []userRow
		part := ids[start:min(start+chunk, len(ids))]
		if err := s.r.WithContext(ctx).Where("id IN ?", part).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = r.toUser()
		}
	}
	return out, nil
}

// CountAdmins returns how many admin accounts exist.
func (s *Store) CountAdmins(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&userRow{}).Where("role = ?", RoleAdmin).Count(&n).Error
	return n, err
}
