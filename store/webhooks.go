package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Webhook is an admin's subscription of a URL to a tournament's events.
type Webhook struct {
	ID           int64
	TournamentID int64
	URL          string
	Format       string
	Events       []string
	Secret       string
	CreatedBy    int64
	CreatedAt    time.Time
}

// Delivery is one event on its way to one webhook.
type Delivery struct {
	ID            int64
	WebhookID     int64
	Event         string
	Payload       string // the generic JSON body
	Message       string // the human message, in the tournament's language
	Status        string
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	DeliveredAt   *time.Time
}

// DueDelivery is a delivery with the webhook it goes to.
type DueDelivery struct {
	Delivery
	Webhook Webhook
}

type webhookRow struct {
	ID           int64
	TournamentID int64
	URL          string
	Format       string
	Events       string
	Secret       string
	CreatedBy    *int64
	CreatedAt    int64
}

func (webhookRow) TableName() string { return "webhooks" }

func (r webhookRow) toWebhook() Webhook {
	w := Webhook{ID: r.ID, TournamentID: r.TournamentID, URL: r.URL, Format: r.Format, Secret: r.Secret,
		CreatedAt: fromMicros(r.CreatedAt)}
	if r.CreatedBy != nil {
		w.CreatedBy = *r.CreatedBy
	}
	_ = json.Unmarshal([]byte(r.Events), &w.Events)
	return w
}

type deliveryRow struct {
	ID            int64
	WebhookID     int64
	Event         string
	Payload       string
	Message       string
	Status        string
	Attempts      int
	LastError     string
	NextAttemptAt int64
	CreatedAt     int64
	DeliveredAt   *int64
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

func (r deliveryRow) toDelivery() Delivery {
	d := Delivery{ID: r.ID, WebhookID: r.WebhookID, Event: r.Event, Payload: r.Payload, Message: r.Message,
		Status: r.Status, Attempts: r.Attempts, LastError: r.LastError, NextAttemptAt: fromMicros(r.NextAttemptAt),
		CreatedAt: fromMicros(r.CreatedAt)}
	if r.DeliveredAt != nil {
		at := fromMicros(*r.DeliveredAt)
		d.DeliveredAt = &at
	}
	return d
}

// CreateWebhook stores a webhook; the caller has validated it.
func (s *Store) CreateWebhook(ctx context.Context, w Webhook) (Webhook, error) {
	events, err := encodeJSON(w.Events)
	if err != nil {
		return Webhook{}, err
	}
	row := webhookRow{TournamentID: w.TournamentID, URL: w.URL, Format: w.Format, Events: events, Secret: w.Secret,
		CreatedBy: nullableID(w.CreatedBy), CreatedAt: micros(w.CreatedAt)}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "webhook exists")
		}
		return addAudit(tx, AuditEntry{TournamentID: w.TournamentID, ActorID: w.CreatedBy, Action: "create_webhook",
			New: rawJSON(map[string]any{"id": row.ID, "url": w.URL, "format": w.Format, "events": w.Events})})
	})
	if err != nil {
		return Webhook{}, err
	}
	return row.toWebhook(), nil
}

// ListWebhooks returns a tournament's webhooks, oldest first.
func (s *Store) ListWebhooks(ctx context.Context, tournamentID int64) ([]Webhook, error) {
	var rows []webhookRow
	if err := s.r.WithContext(ctx).Where("tournament_id = ?", tournamentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.toWebhook()
	}
	return out, nil
}

// FindWebhook returns a tournament's webhook; one of another tournament is
// ErrNotFound.
func (s *Store) FindWebhook(ctx context.Context, tournamentID, id int64) (Webhook, error) {
	var rows []webhookRow
	if err := s.r.WithContext(ctx).Where("id = ? AND tournament_id = ?", id, tournamentID).Limit(1).
		Find(&rows).Error; err != nil {
		return Webhook{}, err
	}
	if len(rows) == 0 {
		return Webhook{}, notFound("no webhook %d in this tournament", id)
	}
	return rows[0].toWebhook(), nil
}

// DeleteWebhook removes a webhook with its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, tournamentID, id, actorID int64) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND tournament_id = ?", id, tournamentID).Delete(&webhookRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("no webhook %d in this tournament", id)
		}
		return addAudit(tx, AuditEntry{TournamentID: tournamentID, ActorID: actorID, Action: "delete_webhook",
			Old: rawJSON(map[string]any{"id": id})})
	})
}

// ListDeliveries returns a webhook's latest deliveries, newest first.
func (s *Store) ListDeliveries(ctx context.Context, webhookID int64, limit int) ([]Delivery, error) {
	var rows []deliveryRow
	if err := s.r.WithContext(ctx).Where("webhook_id = ?", webhookID).Order("id DESC").Limit(limit).
		Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Delivery, len(rows))
	for i, r := range rows {
		out[i] = r.toDelivery()
	}
	return out, nil
}

// QueueDelivery records a pending delivery to one webhook, due at once (a
// test an admin asked for); events reach their webhooks in the event's
// own transaction instead.
func (s *Store) QueueDelivery(ctx context.Context, webhookID int64, event, payload, message string, now time.Time) (Delivery, error) {
	d := deliveryRow{WebhookID: webhookID, Event: event, Payload: payload, Message: message, Status: DeliveryPending,
		NextAttemptAt: micros(now), CreatedAt: micros(now)}
	if err := s.w.WithContext(ctx).Create(&d).Error; err != nil {
		return Delivery{}, translate(err, "")
	}
	return d.toDelivery(), nil
}

// DueDeliveries returns pending deliveries whose next attempt has come,
// oldest first, with their webhooks.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]DueDelivery, error) {
	var rows []deliveryRow
	if err := s.w.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", DeliveryPending, micros(now)).
		Order("next_attempt_at, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	hooks := make(map[int64]Webhook)
	out := make([]DueDelivery, 0, len(rows))
	for _, r := range rows {
		w, ok := hooks[r.WebhookID]
		if !ok {
			var hr webhookRow
			if err := s.w.WithContext(ctx).Where("id = ?", r.WebhookID).Take(&hr).Error; err != nil {
				return nil, translate(err, "")
			}
			w = hr.toWebhook()
			hooks[r.WebhookID] = w
		}
		out = append(out, DueDelivery{Delivery: r.toDelivery(), Webhook: w})
	}
	return out, nil
}

// MarkDelivered records a successful attempt.
func (s *Store) MarkDelivered(ctx context.Context, id int64, at time.Time) error {
	return s.w.WithContext(ctx).Model(&deliveryRow{}).Where("id = ?", id).Updates(map[string]any{
		"status": DeliveryDelivered, "attempts": gorm.Expr("attempts + 1"), "delivered_at": micros(at),
		"last_error": ""}).Error
}

// MarkAttemptFailed records a failed attempt: the delivery is tried again
// at next, or given up (failed) when next is nil.
func (s *Store) MarkAttemptFailed(ctx context.Context, id int64, reason string, next *time.Time) error {
	upd := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_error": reason}
	if next == nil {
		upd["status"] = DeliveryFailed
	} else {
		upd["next_attempt_at"] = micros(*next)
	}
	return s.w.WithContext(ctx).Model(&deliveryRow{}).Where("id = ?", id).Updates(upd).Error
}

// PruneDeliveries deletes delivered and failed deliveries made before
// before, so the table does not grow for ever; pending ones stay. It
// returns how many went.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) (int64, error) {
	res := s.w.WithContext(ctx).Where("status <> ? AND created_at < ?", DeliveryPending, micros(before)).
		Delete(&deliveryRow{})
	return res.RowsAffected, res.Error
}

// AcquireLease takes or renews the named lease for holder until now+ttl.
// It succeeds when the lease is free, expired or already holder's: one
// atomic upsert, so of several instances exactly one holds it. The SQL is
// valid for SQLite and PostgreSQL alike.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	res := s.w.WithContext(ctx).Exec(`INSERT INTO worker_leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE worker_leases.holder = excluded.holder OR worker_leases.expires_at <= ?`,
		name, holder, micros(now.Add(ttl)), micros(now))
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}

// ReleaseLease gives the lease up, so another instance takes over at once.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.w.WithContext(ctx).Exec(`UPDATE worker_leases SET expires_at = 0 WHERE name = ? AND holder = ?`,
		name, holder).Error
}

// WebhookTournaments returns the IDs of tournaments with a webhook
// subscribed to event.
func (s *Store) WebhookTournaments(ctx context.Context, event string) ([]int64, error) {
	var rows []webhookRow
	if err := s.r.WithContext(ctx).Select("tournament_id, events").Find(&rows).Error; err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range rows {
		if w := r.toWebhook(); slices.Contains(w.Events, event) && !slices.Contains(ids, r.TournamentID) {
			ids = append(ids, r.TournamentID)
		}
	}
	return ids, nil
}

// Mark returns what the webhook worker noted under key; ok is false when
// nothing was.
func (s *Store) Mark(ctx context.Context, key string) (value string, at time.Time, ok bool, err error) {
	var rows []struct {
		Value string
		At    int64
	}
	if err := s.r.WithContext(ctx).Raw("SELECT value, at FROM webhook_marks WHERE key = ?", key).
		Scan(&rows).Error; err != nil {
		return "", time.Time{}, false, err
	}
	if len(rows) == 0 {
		return "", time.Time{}, false, nil
	}
	return rows[0].Value, fromMicros(rows[0].At), true, nil
}

// SetMark notes value under key and, when ev is not nil, enqueues the event
// in the same transaction: the note and the messages it stands for are
// never apart.
func (s *Store) SetMark(ctx context.Context, key, value string, at time.Time, ev *Event) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := setMark(tx, key, value, at); err != nil {
			return err
		}
		if ev == nil {
			return nil
		}
		return s.enqueue(tx, *ev)
	})
}

func setMark(tx *gorm.DB, key, value string, at time.Time) error {
	return tx.Exec(`INSERT INTO webhook_marks (key, value, at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = excluded.at`, key, value, micros(at)).Error
}
