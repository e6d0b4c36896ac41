package store

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Purposes of mail tokens: what the link in a mail may do.
const (
	TokenVerify      = "verify"
	TokenReset       = "reset"
	TokenReaffirm    = "reaffirm"
	TokenUnsubscribe = "unsubscribe"
)

// Email is a user's address; only a verified one receives mail.
type Email struct {
	UserID     int64
	Address    string
	VerifiedAt *time.Time
}

// Verified says whether the address receives mail.
func (e Email) Verified() bool { return e.VerifiedAt != nil }

// MailToken is the stored side of a link in a mail: the SHA-256 (hex) of
// its secret, whose it is, what it may do and on what (Payload).
type MailToken struct {
	Hash      string
	UserID    int64
	Purpose   string
	Payload   string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

type userEmailRow struct {
	UserID     int64 `gorm:"primaryKey"`
	Email      string
	VerifiedAt *int64
	CreatedAt  int64
}

func (userEmailRow) TableName() string { return "user_emails" }

func (r userEmailRow) toEmail() Email {
	e := Email{UserID: r.UserID, Address: r.Email}
	e.VerifiedAt = fromMicrosOrNil(r.VerifiedAt)
	return e
}

type mailTokenRow struct {
	Hash      string `gorm:"primaryKey"`
	UserID    int64
	Purpose   string
	Payload   string
	ExpiresAt int64
	UsedAt    *int64
	CreatedAt int64
}

func (mailTokenRow) TableName() string { return "mail_tokens" }

func (r mailTokenRow) toMailToken() MailToken {
	t := MailToken{Hash: r.Hash, UserID: r.UserID, Purpose: r.Purpose, Payload: r.Payload,
		ExpiresAt: fromMicros(r.ExpiresAt), CreatedAt: fromMicros(r.CreatedAt)}
	t.UsedAt = fromMicrosOrNil(r.UsedAt)
	return t
}

func toMailTokenRow(t MailToken) mailTokenRow {
	return mailTokenRow{Hash: t.Hash, UserID: t.UserID, Purpose: t.Purpose, Payload: t.Payload,
		ExpiresAt: micros(t.ExpiresAt), CreatedAt: micros(t.CreatedAt)}
}

// NormalizeEmail trims an address and checks it is one plain address
// (no display name) of at most 254 bytes; the domain is lower-cased.
func NormalizeEmail(address string) (string, error) {
	address = strings.TrimSpace(address)
	a, err := mail.ParseAddress(address)
	if err != nil || a.Name != "" || a.Address != address || len(address) > 254 {
		return "", Invalid("email", "email must be one address like name@example.org")
	}
	local, domain, _ := strings.Cut(a.Address, "@")
	if domain == "" {
		return "", Invalid("email", "email must be one address like name@example.org")
	}
	return local + "@" + strings.ToLower(domain), nil
}

// FindEmail returns a user's address (ErrNotFound: none).
func (s *Store) FindEmail(ctx context.Context, userID int64) (Email, error) {
	var r userEmailRow
	err := s.r.WithContext(ctx).Where("user_id = ?", userID).Take(&r).Error
	return r.toEmail(), missing(err, "no address for user %d", userID)
}

// SetEmail gives a user a new, unverified address and, in the same
// transaction, the token and the mail that verify it: without the mail
// nobody could verify it, without the address the mail's link would lead
// nowhere. An address another account has verified stays theirs: the
// call then changes nothing and reports false, so that the caller answers
// the same either way and nobody learns whose address it is. An address
// another account holds unverified passes to this one (a typo must not
// lock its owner out). Setting the address in use again, verified, is a
// no-op reporting false too.
func (s *Store) SetEmail(ctx context.Context, userID int64, address string, tok MailToken, msg OutboxMessage) (bool, error) {
	at := micros(tok.CreatedAt)
	changed := false
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var holders []userEmailRow
		if err := tx.Where("email = ?", address).Find(&holders).Error; err != nil {
			return err
		}
		for _, h := range holders {
			if h.VerifiedAt != nil {
				return nil
			}
			if err := tx.Where("user_id = ?", h.UserID).Delete(&userEmailRow{}).Error; err != nil {
				return err
			}
		}
		row := userEmailRow{UserID: userID, Email: address, CreatedAt: at}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"email", "verified_at", "created_at"})}).
			Create(&row).Error; err != nil {
			return translate(err, "address is taken")
		}
		changed = true
		return addMail(tx, []MailToken{tok}, []OutboxMessage{msg})
	})
	return changed, err
}

// VerifyEmail uses a verification token: the address it was issued for
// becomes verified, provided it is still the user's address.
func (s *Store) VerifyEmail(ctx context.Context, hash string, at time.Time) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := useToken(tx, hash, TokenVerify, at)
		if err != nil {
			return err
		}
		res := tx.Model(&userEmailRow{}).Where("user_id = ? AND email = ?", t.UserID, t.Payload).
			Update("verified_at", micros(at))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return Invalid("token", "the address of this link has been replaced since")
		}
		return nil
	})
}

// FindVerifiedLogin returns the user and verified address a password reset
// goes to, by username or address (ErrNotFound: none, or no verified
// address, or a disabled account).
func (s *Store) FindVerifiedLogin(ctx context.Context, login string) (User, Email, error) {
	login = strings.TrimSpace(login)
	var e userEmailRow
	q := s.r.WithContext(ctx).Where("verified_at IS NOT NULL")
	if strings.Contains(login, "@") {
		address, err := NormalizeEmail(login)
		if err != nil {
			return User{}, Email{}, notFound("no such account")
		}
		q = q.Where("email = ?", address)
	} else {
		name, err := NormalizeUsername(login)
		if err != nil {
			return User{}, Email{}, notFound("no such account")
		}
		q = q.Where("user_id = (SELECT id FROM users WHERE username = ?)", name)
	}
	if err := q.Take(&e).Error; err != nil {
		return User{}, Email{}, missing(err, "no such account")
	}
	u, err := s.FindUserByID(ctx, e.UserID)
	if err != nil {
		return User{}, Email{}, err
	}
	if u.Disabled {
		return User{}, Email{}, notFound("no such account")
	}
	return u, e.toEmail(), nil
}

// IssueMail stores tokens and the mails carrying them in one transaction.
func (s *Store) IssueMail(ctx context.Context, toks []MailToken, msgs []OutboxMessage) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return addMail(tx, toks, msgs) })
}

// addMail writes tokens and outbox messages inside a transaction.
func addMail(tx *gorm.DB, toks []MailToken, msgs []OutboxMessage) error {
	for _, t := range toks {
		row := toMailTokenRow(t)
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "token exists")
		}
	}
	for _, m := range msgs {
		row := toOutboxRow(m)
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "message exists")
		}
	}
	return nil
}

// ResetPassword uses a reset token: the new password hash is stored and
// every older session and API token revoked, as a password change does,
// in the token's transaction. It returns whose password it was.
func (s *Store) ResetPassword(ctx context.Context, hash, passwordHash string, at time.Time) (int64, error) {
	var userID int64
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := useToken(tx, hash, TokenReset, at)
		if err != nil {
			return err
		}
		userID = t.UserID
		return revokeTokensIn(tx, t.UserID, at, AuditPasswordReset, "password_hash", passwordHash)
	})
	return userID, err
}

// UseToken marks a token of the purpose used and returns it: a token
// works once, before it expires. An unknown, used, expired or
// other-purpose token is ErrInvalid on field "token".
func (s *Store) UseToken(ctx context.Context, hash, purpose string, at time.Time) (MailToken, error) {
	var t MailToken
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		t, err = useToken(tx, hash, purpose, at)
		return err
	})
	return t, err
}

// FindToken returns a live token of the purpose without using it.
func (s *Store) FindToken(ctx context.Context, hash, purpose string, at time.Time) (MailToken, error) {
	var rows []mailTokenRow
	if err := s.r.WithContext(ctx).Where("hash = ?", hash).Limit(1).Find(&rows).Error; err != nil {
		return MailToken{}, err
	}
	if len(rows) == 0 || rows[0].Purpose != purpose || rows[0].ExpiresAt <= micros(at) {
		return MailToken{}, badToken
	}
	return rows[0].toMailToken(), nil
}

var badToken = &Error{Kind: ErrInvalid, Field: "token", Message: "this link is invalid, used or expired"}

func useToken(tx *gorm.DB, hash, purpose string, at time.Time) (MailToken, error) {
	var rows []mailTokenRow
	if err := tx.Where("hash = ?", hash).Limit(1).Find(&rows).Error; err != nil {
		return MailToken{}, err
	}
	if len(rows) == 0 || rows[0].Purpose != purpose || rows[0].ExpiresAt <= micros(at) {
		return MailToken{}, badToken
	}
	// The condition on used_at makes two concurrent uses one success.
	res := tx.Model(&mailTokenRow{}).Where("hash = ? AND used_at IS NULL", hash).Update("used_at", micros(at))
	if res.Error != nil {
		return MailToken{}, res.Error
	}
	if res.RowsAffected == 0 {
		return MailToken{}, badToken
	}
	return rows[0].toMailToken(), nil
}

// PruneTokens deletes tokens expired before before.
func (s *Store) PruneTokens(ctx context.Context, before time.Time) error {
	return s.w.WithContext(ctx).Where("expires_at < ?", micros(before)).Delete(&mailTokenRow{}).Error
}
