package store

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword hashes a password with bcrypt at cost, or bcrypt's default
// cost when cost is 0: the one place a password hash is made (registration,
// the admin command, imports).
func HashPassword(password string, cost int) (string, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	return string(h), err
}

// CheckPassword reports whether password matches a hash HashPassword made.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// NewAccount validates and hashes a new account: registration and the admin
// sub-command share it so both apply the same rules (NormalizeUsername,
// ValidatePassword, a display name of at most 64 characters that defaults
// to the username). It does not store the account: see CreateUser.
func NewAccount(username, password, displayName, role string, cost int) (User, error) {
	u, err := ValidateAccount(username, password, displayName, role)
	if err != nil {
		return User{}, err
	}
	if u.PasswordHash, err = HashPassword(password, cost); err != nil {
		return User{}, err
	}
	return u, nil
}

// ValidateAccount is NewAccount without the hashing, for callers that hash
// elsewhere (the server bounds how many hashes run at once).
func ValidateAccount(username, password, displayName, role string) (User, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		return User{}, err
	}
	if err := ValidatePassword(password); err != nil {
		return User{}, err
	}
	if displayName, err = NormalizeDisplayName(displayName, name); err != nil {
		return User{}, err
	}
	return User{Username: name, DisplayName: displayName, Role: role}, nil
}

// NormalizeDisplayName trims a new account's display name, falling back to
// its username when blank, and checks it as ValidateDisplayName does.
func NormalizeDisplayName(displayName, username string) (string, error) {
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		displayName = username
	}
	return ValidateDisplayName(displayName)
}

// ValidateDisplayName trims a display name and checks it: 1-64 characters
// of one line, none of them invisible (CheckName).
func ValidateDisplayName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Invalid("display_name", "display_name must not be empty")
	}
	if utf8.RuneCountInString(name) > 64 {
		return "", Invalid("display_name", "display_name is longer than 64 characters")
	}
	return name, CheckName("display_name", name)
}

// Hasher is HashPassword at a fixed cost, in the shape Import takes.
func Hasher(cost int) func(password string) (string, error) {
	return func(password string) (string, error) { return HashPassword(password, cost) }
}
