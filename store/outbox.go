package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Outbox statuses.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
)

// Kinds of outgoing mail.
const (
	MailVerify       = "verify"
	MailReset        = "reset"
	MailDigest       = "digest"
	MailNotification = "notification"
)

// OutboxMessage is one mail on its way, rendered when it was written.
// MessageID is fixed then too, so that every attempt sends the same
// Message-ID and receivers drop a repeat.
type OutboxMessage struct {
	ID             int64
	UserID         int64
	Kind           string
	MessageID      string
	To             string
	Subject        string
	Text           string
	HTML           string
	UnsubscribeURL string
	Status         string
	Attempts       int
	LastError      string
	NextAttemptAt  time.Time
	CreatedAt      time.Time
	SentAt         *time.Time
}

type outboxRow struct {
	ID             int64
	UserID         *int64
	Kind           string
	MessageID      string
	ToAddress      string
	Subject        string
	TextBody       string
	HTMLBody       string `gorm:"column:html_body"`
	UnsubscribeURL string `gorm:"column:unsubscribe_url"`
	Status         string
	Attempts       int
	LastError      string
	NextAttemptAt  int64
	CreatedAt      int64
	SentAt         *int64
}

func (outboxRow) TableName() string { return "mail_outbox" }

func toOutboxRow(m OutboxMessage) outboxRow {
	status := m.Status
	if status == "" {
		status = MailPending
	}
	next := m.NextAttemptAt
	if next.IsZero() {
		next = m.CreatedAt
	}
	return outboxRow{UserID: nullableID(m.UserID), Kind: m.Kind, MessageID: m.MessageID, ToAddress: m.To,
		Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML, UnsubscribeURL: m.UnsubscribeURL, Status: status,
		NextAttemptAt: micros(next), CreatedAt: micros(m.CreatedAt)}
}

func (r outboxRow) toMessage() OutboxMessage {
	m := OutboxMessage{ID: r.ID, Kind: r.Kind, MessageID: r.MessageID, To: r.ToAddress, Subject: r.Subject,
		Text: r.TextBody, HTML: r.HTMLBody, UnsubscribeURL: r.UnsubscribeURL, Status: r.Status, Attempts: r.Attempts,
		LastError: r.LastError, NextAttemptAt: fromMicros(r.NextAttemptAt), CreatedAt: fromMicros(r.CreatedAt)}
	if r.UserID != nil {
		m.UserID = *r.UserID
	}
	m.SentAt = fromMicrosOrNil(r.SentAt)
	return m
}

// DueMail returns pending messages whose next attempt has come, oldest
// first.
func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error) {
	var rows []outboxRow
	if err := s.w.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", MailPending, micros(now)).
		Order("next_attempt_at, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	return out, nil
}

// Outbox returns a user's messages, oldest first (every user's when
// userID is 0).
func (s *Store) Outbox(ctx context.Context, userID int64) ([]OutboxMessage, error) {
	var rows []outboxRow
	q := s.r.WithContext(ctx).Order("id")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	return out, nil
}

// MarkMailSent records that the SMTP server took a message.
func (s *Store) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	return s.w.WithContext(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(map[string]any{
		"status": MailSent, "attempts": gorm.Expr("attempts + 1"), "sent_at": micros(at), "last_error": ""}).Error
}

// MarkMailFailed records a failed attempt: tried again at next, or given
// up when next is nil.
func (s *Store) MarkMailFailed(ctx context.Context, id int64, reason string, next *time.Time) error {
	upd := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_error": reason}
	if next == nil {
		upd["status"] = MailFailed
	} else {
		upd["next_attempt_at"] = micros(*next)
	}
	return s.w.WithContext(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(upd).Error
}

// PruneMail deletes sent and failed messages written before before;
// pending ones stay.
func (s *Store) PruneMail(ctx context.Context, before time.Time) error {
	return s.w.WithContext(ctx).Where("status <> ? AND created_at < ?", MailPending, micros(before)).
		Delete(&outboxRow{}).Error
}
