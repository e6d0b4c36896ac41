package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

type commentRow struct {
	ID         int64
	QuestionID int64
	UserID     int64
	Body       string
	CreatedAt  int64
	EditedAt   *int64
	RemovedAt  *int64
	RemovedBy  *int64
	// filled by the join in commentQuery, never written
	Username    string `gorm:"->;-:migration"`
	DisplayName string `gorm:"->;-:migration"`
}

func (commentRow) TableName() string { return "comments" }

func (r commentRow) toComment() Comment {
	c := Comment{ID: r.ID, QuestionID: r.QuestionID, UserID: r.UserID, Username: r.Username,
		DisplayName: r.DisplayName, Body: r.Body, CreatedAt: fromMicros(r.CreatedAt)}
	if r.EditedAt != nil {
		at := fromMicros(*r.EditedAt)
		c.EditedAt = &at
	}
	return c
}

// Comment is a forecaster's remark on a question, with its author's names.
type Comment struct {
	ID          int64
	QuestionID  int64
	UserID      int64
	Username    string
	DisplayName string
	Body        string
	CreatedAt   time.Time
	EditedAt    *time.Time
}

func commentQuery(db *gorm.DB) *gorm.DB {
	return db.Table("comments").
		Select("comments.*, users.username, users.display_name").
		Joins("JOIN users ON users.id = comments.user_id").
		Where("comments.removed_at IS NULL")
}

// CreateComment stores a comment made at c.CreatedAt, with the notices of
// the accounts it mentions or answers. The caller has validated the body;
// a missing question is ErrNotFound.
func (s *Store) CreateComment(ctx context.Context, c Comment) (Comment, error) {
	var out Comment
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row := commentRow{QuestionID: c.QuestionID, UserID: c.UserID, Body: c.Body, CreatedAt: micros(c.CreatedAt)}
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "")
		}
		var err error
		if out, err = findComment(tx, row.ID); err != nil {
			return err
		}
		return s.noticeComment(tx, out)
	})
	return out, err
}

// FindComment returns a comment that has not been removed.
func (s *Store) FindComment(ctx context.Context, id int64) (Comment, error) {
	return findComment(s.r.WithContext(ctx), id)
}

func findComment(db *gorm.DB, id int64) (Comment, error) {
	var rows []commentRow
	if err := commentQuery(db).Where("comments.id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return Comment{}, err
	}
	if len(rows) == 0 {
		return Comment{}, notFound("no comment %d", id)
	}
	return rows[0].toComment(), nil
}

// QuestionComments returns up to limit comments of a question, newest
// first, with IDs below beforeID (0: from the newest).
func (s *Store) QuestionComments(ctx context.Context, questionID, beforeID int64, limit int) ([]Comment, error) {
	q := commentQuery(s.r.WithContext(ctx)).Where("comments.question_id = ?", questionID)
	if beforeID > 0 {
		q = q.Where("comments.id < ?", beforeID)
	}
	var rows []commentRow
	if err := q.Order("comments.id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Comment, len(rows))
	for i, r := range rows {
		out[i] = r.toComment()
	}
	return out, nil
}

// EditComment replaces a comment's body, recording when. The caller has
// checked who may edit and until when.
func (s *Store) EditComment(ctx context.Context, id int64, body string, at time.Time) (Comment, error) {
	db := s.w.WithContext(ctx)
	res := db.Model(&commentRow{}).Where("id = ? AND removed_at IS NULL", id).
		Updates(map[string]any{"body": body, "edited_at": micros(at)})
	if res.Error != nil {
		return Comment{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Comment{}, notFound("no comment %d", id)
	}
	return findComment(db, id)
}

// RemoveComment takes a comment off the question. When the actor is not
// its author (an admin hiding it), the audit log records who hid what.
func (s *Store) RemoveComment(ctx context.Context, id, actorID int64, at time.Time) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := findComment(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Model(&commentRow{}).Where("id = ?", id).
			Updates(map[string]any{"removed_at": micros(at), "removed_by": actorID}).Error; err != nil {
			return err
		}
		if actorID == c.UserID {
			return nil
		}
		var tournamentID int64
		if err := tx.Raw("SELECT tournament_id FROM questions WHERE id = ?", c.QuestionID).
			Scan(&tournamentID).Error; err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: tournamentID, QuestionID: c.QuestionID, ActorID: actorID,
			Action: "hide_comment", Old: rawJSON(map[string]any{"comment_id": c.ID, "author": c.Username, "body": c.Body})})
	})
}
