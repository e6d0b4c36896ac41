package store

import (
	"context"
	"encoding/json"
	"strconv"

	"gorm.io/gorm"
)

type auditRow struct {
	ID           int64
	TournamentID *int64
	QuestionID   *int64
	ActorID      *int64
	Action       string
	OldValue     *string
	NewValue     *string
	Reason       string
	ReasonEn     string
	ReasonZh     string
	CreatedAt    int64
	// filled by the join in AuditLog; read-only, so Create skips it
	ActorUsername string `gorm:"->"`
}

func (auditRow) TableName() string { return "audit_log" }

func nullableID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func nullableJSON(v json.RawMessage) *string {
	if len(v) == 0 {
		return nil
	}
	s := string(v)
	return &s
}

func addAudit(tx *gorm.DB, e AuditEntry) error {
	row := auditRow{TournamentID: nullableID(e.TournamentID), QuestionID: nullableID(e.QuestionID),
		ActorID: nullableID(e.ActorID), Action: e.Action, OldValue: nullableJSON(e.Old),
		NewValue: nullableJSON(e.New), Reason: e.Reason, ReasonEn: e.ReasonText["en"], ReasonZh: e.ReasonText["zh"],
		CreatedAt: clock(tx)}
	return tx.Create(&row).Error
}

// AuditLog returns a tournament's audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, tournamentID int64, limit int) ([]AuditEntry, error) {
	return s.auditWhere(ctx, "audit_log.tournament_id = ?", []any{tournamentID}, limit)
}

func (s *Store) auditWhere(ctx context.Context, where string, args []any, limit int) ([]AuditEntry, error) {
	var rows []auditRow
	err := s.r.WithContext(ctx).Table("audit_log").
		Select("audit_log.*, COALESCE(users.username, '') AS actor_username").
		Joins("LEFT JOIN users ON users.id = audit_log.actor_id").
		Where(where, args...).
		Order("audit_log.id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{ID: r.ID, Action: r.Action, Reason: r.Reason, ReasonText: joinText(r.ReasonEn, r.ReasonZh),
			CreatedAt:     fromMicros(r.CreatedAt),
			ActorUsername: r.ActorUsername, Old: rawOrNil(r.OldValue), New: rawOrNil(r.NewValue)}
		if r.TournamentID != nil {
			out[i].TournamentID = *r.TournamentID
		}
		if r.QuestionID != nil {
			out[i].QuestionID = *r.QuestionID
		}
		if r.ActorID != nil {
			out[i].ActorID = *r.ActorID
		}
	}
	return out, nil
}

func rawOrNil(s *string) json.RawMessage {
	if s == nil {
		return nil
	}
	return json.RawMessage(*s)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
