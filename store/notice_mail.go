package store

import (
	"time"

	"gorm.io/gorm"
)

// NoticeMailer renders the mail that tells a notification to a verified
// address, in lang, with the tokens of its links.
type NoticeMailer func(n Notification, to Email, lang string, at time.Time) ([]MailToken, OutboxMessage, error)

// SetNoticeMailer makes every notification written from now on also
// write its mail to the outbox, in the notification's transaction, when
// its user has a verified address (the mail worker sets it: without
// e-mail, notifications stay in the app).
func (s *Store) SetNoticeMailer(f NoticeMailer) { s.noticeMail.Store(&f) }

// mailNotices writes the mails of the notifications just written (rows;
// a repeated key wrote nothing and mails nothing) for users with a
// verified address. The notification's flag has let it through already:
// the flags choose what reaches a person, in the app and by mail.
func (s *Store) mailNotices(tx *gorm.DB, rows []notificationRow, at int64) error {
	f := s.noticeMail.Load()
	if f == nil || *f == nil || len(rows) == 0 {
		return nil
	}
	keys := make(map[int64]map[string]bool)
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if keys[r.UserID] == nil {
			keys[r.UserID] = map[string]bool{}
			ids = append(ids, r.UserID)
		}
		keys[r.UserID][r.DedupeKey] = true
	}
	var emails []userEmailRow
	if err := tx.Where("user_id IN ? AND verified_at IS NOT NULL", ids).Find(&emails).Error; err != nil {
		return err
	}
	if len(emails) == 0 {
		return nil
	}
	to := make(map[int64]Email, len(emails))
	mailed := make([]int64, 0, len(emails))
	for _, e := range emails {
		to[e.UserID] = e.toEmail()
		mailed = append(mailed, e.UserID)
	}
	// Read back as written in this transaction, with the question's title.
	var written []notificationRow
	if err := notificationQuery(tx).Where("notifications.user_id IN ? AND notifications.created_at = ?", mailed, at).
		Order("notifications.id").Find(&written).Error; err != nil {
		return err
	}
	var toks []MailToken
	var msgs []OutboxMessage
	for _, r := range written {
		if !keys[r.UserID][r.DedupeKey] {
			continue
		}
		prefs, err := userPreferences(tx, r.UserID)
		if err != nil {
			return err
		}
		ts, m, err := (*f)(r.toNotification(), to[r.UserID], prefs.Language, fromMicros(at))
		if err != nil {
			return err
		}
		toks, msgs = append(toks, ts...), append(msgs, m)
	}
	return addMail(tx, toks, msgs)
}
