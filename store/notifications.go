package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Kinds of notification. Each belongs to one of the NotifyFlags (see
// notifyFlagColumns): a notice whose flag its user turned off is not written.
const (
	NoticeResolved = "resolved" // a question the user forecast resolved (data: outcome, score)
	NoticeAnnulled = "annulled" // ... was annulled (data: reason)
	NoticeReopened = "reopened" // ... is open again
	NoticeClosing  = "closing"  // ... closes within ClosingSoon (data: closes_at)
	NoticeStale    = "stale"    // the user's standing forecast is old (data: forecast_at, days)
	NoticeTripwire = "tripwire" // a tripwire the user owns fired (data: what its writer puts)
	NoticeReply    = "reply"    // a comment on a question the user commented on (data: comment_id, author)
	NoticeMention  = "mention"  // a comment that mentions the user (data: comment_id, author)
)

// notifyFlagColumns name the user_preferences column that gates each kind.
var notifyFlagColumns = map[string]string{
	NoticeResolved: "notify_resolved", NoticeAnnulled: "notify_resolved", NoticeReopened: "notify_resolved",
	NoticeClosing: "notify_closing", NoticeStale: "notify_stale", NoticeTripwire: "notify_tripwire",
	NoticeReply: "notify_replies", NoticeMention: "notify_replies",
}

// NewNotification is a notice to write for one user.
type NewNotification struct {
	UserID int64
	Kind   string // one of the Notice… kinds
	// QuestionID and TournamentID link the notice (0: none). A notice
	// with a question and no tournament gets the question's.
	QuestionID   int64
	TournamentID int64
	// Key is unique per user: a second notice with the same key is dropped,
	// so whatever may notice a thing twice (a sweep, a retry) writes it once.
	Key string
	// Data are the facts the notice's text is rendered from (a JSON
	// object; package api/notify renders each kind). A writer whose kind
	// has no renderer of its own may give the text itself as
	// {"text": {"en": …, "zh": …}}.
	Data map[string]any
}

// Notification is a notice as its user reads it.
type Notification struct {
	ID             int64
	UserID         int64
	Kind           string
	QuestionID     int64 // 0: none
	QuestionSlug   string
	QuestionTitle  Text
	TournamentSlug string // "": none
	Data           json.RawMessage
	CreatedAt      time.Time
	Read           bool
}

type notificationRow struct {
	ID           int64
	UserID       int64
	Kind         string
	QuestionID   *int64
	TournamentID *int64
	Data         string
	DedupeKey    string
	CreatedAt    int64
	ReadAt       *int64
	// filled by the joins in notificationQuery, never written
	QuestionSlug   string `gorm:"->;-:migration"`
	QuestionTitle  string `gorm:"->;-:migration"`
	TournamentSlug string `gorm:"->;-:migration"`
}

func (notificationRow) TableName() string { return "notifications" }

func (r notificationRow) toNotification() Notification {
	n := Notification{ID: r.ID, UserID: r.UserID, Kind: r.Kind, QuestionSlug: r.QuestionSlug,
		TournamentSlug: r.TournamentSlug, Data: json.RawMessage(r.Data), CreatedAt: fromMicros(r.CreatedAt),
		Read: r.ReadAt != nil}
	if r.QuestionID != nil {
		n.QuestionID = *r.QuestionID
		n.QuestionTitle = decodeText(r.QuestionTitle)
	}
	return n
}

// notifyBatch rows go in one INSERT: 8 columns × 500 stays far below both
// databases' limits on parameters.
const notifyBatch = 500

// Notify writes notices in a transaction of their own (see notifyTx).
func (s *Store) Notify(ctx context.Context, ns ...NewNotification) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.notifyTx(tx, ns...) })
}

// NotifyTx writes notices inside tx, the transaction of the change they
// tell of (see notifyTx).
func (s *Store) NotifyTx(tx *gorm.DB, ns ...NewNotification) error { return s.notifyTx(tx, ns...) }

// notifyTx writes notices inside the transaction of the change they tell
// of, so the change and its notices commit together. A notice whose user
// turned its kind off is skipped, and one whose key its user already has
// is dropped (ON CONFLICT DO NOTHING: no check-then-insert race between
// instances).
func (s *Store) notifyTx(tx *gorm.DB, ns ...NewNotification) error {
	if len(ns) == 0 {
		return nil
	}
	off := map[string]map[int64]bool{} // flag column → users who turned it off
	questions := map[int64]int64{}     // question → tournament
	now := micros(s.now())
	rows := make([]notificationRow, 0, len(ns))
	for _, n := range ns {
		col, ok := notifyFlagColumns[n.Kind]
		if !ok {
			return fmt.Errorf("store: unknown notification kind %q", n.Kind)
		}
		if n.Key == "" {
			return fmt.Errorf("store: a %s notification needs a key", n.Kind)
		}
		if _, seen := off[col]; !seen {
			users, err := optedOut(tx, col)
			if err != nil {
				return err
			}
			off[col] = users
		}
		if off[col][n.UserID] {
			continue
		}
		data, err := json.Marshal(n.Data)
		if err != nil {
			return fmt.Errorf("store: %s notification data: %w", n.Kind, err)
		}
		if n.Data == nil {
			data = []byte("{}")
		}
		r := notificationRow{UserID: n.UserID, Kind: n.Kind, Data: string(data), DedupeKey: n.Key, CreatedAt: now}
		if n.QuestionID != 0 {
			r.QuestionID = &n.QuestionID
			if n.TournamentID == 0 {
				t, ok := questions[n.QuestionID]
				if !ok {
					if err := tx.Raw("SELECT tournament_id FROM questions WHERE id = ?", n.QuestionID).
						Scan(&t).Error; err != nil {
						return err
					}
					questions[n.QuestionID] = t
				}
				n.TournamentID = t
			}
		}
		if n.TournamentID != 0 {
			r.TournamentID = &n.TournamentID
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}, {Name: "dedupe_key"}}, DoNothing: true}).
		CreateInBatches(&rows, notifyBatch).Error
	return translate(err, "")
}

// optedOut is the set of users whose preference column col is off. Few
// users turn a notice off, so one query for them all beats one per user.
func optedOut(tx *gorm.DB, col string) (map[int64]bool, error) {
	var ids []int64
	if err := tx.Raw("SELECT user_id FROM user_preferences WHERE " + col + " = 0").Scan(&ids).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

func notificationQuery(db *gorm.DB) *gorm.DB {
	return db.Table("notifications").
		Select("notifications.*, questions.slug AS question_slug, questions.title AS question_title, " +
			"tournaments.slug AS tournament_slug").
		Joins("LEFT JOIN questions ON questions.id = notifications.question_id").
		Joins("LEFT JOIN tournaments ON tournaments.id = notifications.tournament_id")
}

// UserNotifications returns up to limit of a user's notices, newest first,
// with IDs below beforeID (0: from the newest); only the unread ones when
// unread is set.
func (s *Store) UserNotifications(ctx context.Context, userID, beforeID int64, limit int, unread bool) ([]Notification, error) {
	q := notificationQuery(s.r.WithContext(ctx)).Where("notifications.user_id = ?", userID)
	if beforeID > 0 {
		q = q.Where("notifications.id < ?", beforeID)
	}
	if unread {
		q = q.Where("notifications.read_at IS NULL")
	}
	var rows []notificationRow
	if err := q.Order("notifications.id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = r.toNotification()
	}
	return out, nil
}

// UnreadNotifications counts a user's unread notices.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&notificationRow{}).
		Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// MarkNotificationsRead marks a user's notices with the given IDs read, or
// all of them when all is set. IDs of other users' notices, or of none,
// are ignored: marking read is idempotent.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64, all bool) error {
	q := s.w.WithContext(ctx).Model(&notificationRow{}).Where("user_id = ? AND read_at IS NULL", userID)
	if !all {
		if len(ids) == 0 {
			return nil
		}
		q = q.Where("id IN ?", ids)
	}
	return q.Update("read_at", micros(s.now())).Error
}
