package mail

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"signpost/store"
)

// How long the links in mails work.
const (
	VerifyTTL      = 24 * time.Hour
	ResetTTL       = time.Hour
	ReaffirmTTL    = 7 * 24 * time.Hour
	UnsubscribeTTL = 365 * 24 * time.Hour
)

// Composer renders messages for the outbox: it knows the sender, the
// server's public address for links, and mints the tokens links carry.
type Composer struct {
	from      string
	domain    string
	publicURL string
}

// NewComposer renders mails from the address from with links under
// publicURL (e.g. https://signpost.example.org).
func NewComposer(from, publicURL string) *Composer {
	domain := "signpost.invalid"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = strings.Trim(d, "> ")
	}
	return &Composer{from: from, domain: domain, publicURL: strings.TrimRight(publicURL, "/")}
}

// From is the sender's address.
func (c *Composer) From() string { return c.from }

// NewToken makes a link's secret and the hash the store keeps of it.
func NewToken() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken is the stored form of a link's secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// messageID is a new Message-ID (without its angle brackets) in the
// sender's domain.
func (c *Composer) messageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "@" + c.domain
}

// page is the address of an app page, in the reader's language, carrying
// a token.
func (c *Composer) page(route, lang, secret string) string {
	return c.publicURL + "/#/" + route + "?token=" + url.QueryEscape(secret) + "&lang=" + lang
}

// token mints a token of a purpose for a user.
func token(userID int64, purpose, payload string, at time.Time, ttl time.Duration) (string, store.MailToken) {
	secret, hash := NewToken()
	return secret, store.MailToken{Hash: hash, UserID: userID, Purpose: purpose, Payload: payload,
		ExpiresAt: at.Add(ttl), CreatedAt: at}
}

// message renders b into an outbox message to a user.
func (c *Composer) message(u store.User, kind, to string, b body, at time.Time) (store.OutboxMessage, error) {
	text, html, err := b.render()
	if err != nil {
		return store.OutboxMessage{}, err
	}
	return store.OutboxMessage{UserID: u.ID, Kind: kind, MessageID: c.messageID(), To: to, Subject: b.Title,
		Text: text, HTML: html, CreatedAt: at, NextAttemptAt: at}, nil
}

// Verification is the mail that verifies address for u, with its token.
func (c *Composer) Verification(u store.User, lang, address string, at time.Time) (store.MailToken, store.OutboxMessage, error) {
	lang = language(lang)
	secret, tok := token(u.ID, store.TokenVerify, address, at, VerifyTTL)
	b := body{Lang: lang, Title: tr(lang, "verify.subject"),
		Paras:  []string{tr(lang, "verify.hello", u.DisplayName), tr(lang, "verify.body")},
		Button: &link{Text: tr(lang, "verify.button"), URL: c.page("verify-email", lang, secret)},
		Footer: []string{tr(lang, "verify.expiry")}}
	msg, err := c.message(u, store.MailVerify, address, b, at)
	return tok, msg, err
}

// Reset is the mail with a password reset link for u, with its token.
func (c *Composer) Reset(u store.User, lang, address string, at time.Time) (store.MailToken, store.OutboxMessage, error) {
	lang = language(lang)
	secret, tok := token(u.ID, store.TokenReset, "", at, ResetTTL)
	b := body{Lang: lang, Title: tr(lang, "reset.subject"),
		Paras:  []string{tr(lang, "reset.hello", u.DisplayName), tr(lang, "reset.body", u.Username)},
		Button: &link{Text: tr(lang, "reset.button"), URL: c.page("reset-password", lang, secret)},
		Footer: []string{tr(lang, "reset.expiry")}}
	msg, err := c.message(u, store.MailReset, address, b, at)
	return tok, msg, err
}

// unsubscribe mints the token of a mail's unsubscribe links: the page
// that asks for confirmation (for people) and the one-click address of
// RFC 8058 (for mail clients), both carrying it.
func (c *Composer) unsubscribe(u store.User, lang, what string, at time.Time) (page *link, oneClick string, tok store.MailToken) {
	secret, tok := token(u.ID, store.TokenUnsubscribe, what, at, UnsubscribeTTL)
	return &link{Text: tr(lang, "footer.unsubscribe"), URL: c.page("unsubscribe", lang, secret)},
		c.publicURL + "/api/v1/unsubscribe?token=" + url.QueryEscape(secret), tok
}
