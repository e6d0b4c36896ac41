package store

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Feed formats.
const (
	FeedJSON = "json"
	FeedCSV  = "csv"
)

// DefaultChallengeWindow is how long forecasters may challenge a proposed
// resolution when the feed does not say.
const DefaultChallengeWindow = 48 * time.Hour

// FeedExtract says how to read one number from a fetched document: a JSON
// Pointer, or a CSV column and row. The api/feeds package interprets it;
// the store keeps it as given, and a snapshot keeps the one it was read
// with.
type FeedExtract struct {
	Format  string `json:"format"`
	Pointer string `json:"pointer,omitempty"`
	Column  string `json:"column,omitempty"`
	// Row is the JSON of "last", "first" or {"column": …, "equals": …}.
	Row json.RawMessage `json:"row,omitempty"`
}

// Feed is a question's data source: where to fetch, what to read, how
// often, and the rule from the number to an outcome.
type Feed struct {
	QuestionID int64
	URL        string
	Extract    FeedExtract
	Every      time.Duration
	// Rule is the JSON of {"op", "value"} (binary) or {"bounds"} (ordered).
	Rule            json.RawMessage
	EarlyYes        bool
	AutoResolve     bool
	ChallengeWindow time.Duration
	Enabled         bool
	// Headers go with every request. They are write-only for clients; on
	// PutFeed a nil map keeps the stored ones.
	Headers     map[string]string
	NextFetchAt time.Time
	Failures    int
	UpdatedBy   int64
	UpdatedAt   time.Time
}

type feedRow struct {
	QuestionID    int64 `gorm:"primaryKey;autoIncrement:false"`
	URL           string
	Format        string
	Pointer       string
	ColumnName    string
	RowSpec       string
	EverySeconds  int64
	Rule          string
	EarlyYes      flag
	AutoResolve   flag
	WindowSeconds int64
	Enabled       flag
	Headers       string
	NextFetchAt   int64
	Failures      int
	UpdatedBy     *int64
	UpdatedAt     int64
}

func (feedRow) TableName() string { return "feeds" }

func (r feedRow) toFeed() Feed {
	f := Feed{QuestionID: r.QuestionID, URL: r.URL,
		Extract: FeedExtract{Format: r.Format, Pointer: r.Pointer, Column: r.ColumnName},
		Every:   time.Duration(r.EverySeconds) * time.Second, Rule: json.RawMessage(r.Rule),
		EarlyYes: bool(r.EarlyYes), AutoResolve: bool(r.AutoResolve),
		ChallengeWindow: time.Duration(r.WindowSeconds) * time.Second, Enabled: bool(r.Enabled),
		Headers: map[string]string{}, NextFetchAt: fromMicros(r.NextFetchAt), Failures: r.Failures,
		UpdatedAt: fromMicros(r.UpdatedAt)}
	if r.RowSpec != "" {
		f.Extract.Row = json.RawMessage(r.RowSpec)
	}
	if r.UpdatedBy != nil {
		f.UpdatedBy = *r.UpdatedBy
	}
	_ = json.Unmarshal([]byte(r.Headers), &f.Headers)
	return f
}

// HeaderNames lists the names of a feed's headers, sorted: what an admin
// may see of them.
func (f Feed) HeaderNames() []string {
	return slices.Sorted(maps.Keys(f.Headers))
}

// PutFeed creates or replaces a question's feed; the caller has validated
// it. A nil Headers keeps the stored headers. Changing a feed schedules a
// fetch at once when it is enabled and clears the failure count.
func (s *Store) PutFeed(ctx context.Context, f Feed, actorID int64) (Feed, error) {
	var out Feed
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := findQuestion(tx, f.QuestionID)
		if err != nil {
			return err
		}
		old, err := findFeed(tx, f.QuestionID)
		switch {
		case err == nil && f.Headers == nil:
			f.Headers = old.Headers
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		if f.Headers == nil {
			f.Headers = map[string]string{}
		}
		if f.ChallengeWindow <= 0 {
			f.ChallengeWindow = DefaultChallengeWindow
		}
		headers, err := encodeJSON(f.Headers)
		if err != nil {
			return err
		}
		now := clock(tx)
		row := feedRow{QuestionID: f.QuestionID, URL: f.URL, Format: f.Extract.Format, Pointer: f.Extract.Pointer,
			ColumnName: f.Extract.Column, RowSpec: string(f.Extract.Row), EverySeconds: int64(f.Every / time.Second),
			Rule: string(f.Rule), EarlyYes: flag(f.EarlyYes), AutoResolve: flag(f.AutoResolve),
			WindowSeconds: int64(f.ChallengeWindow / time.Second), Enabled: flag(f.Enabled), Headers: headers,
			NextFetchAt: now, UpdatedBy: nullableID(actorID), UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return translate(err, "feed exists")
		}
		if err := addAudit(tx, AuditEntry{TournamentID: q.TournamentID, QuestionID: q.ID, ActorID: actorID,
			Action: "put_feed", New: rawJSON(map[string]any{"url": f.URL, "extract": f.Extract, "every": f.Every.String(),
				"rule": f.Rule, "enabled": f.Enabled, "header_names": f.HeaderNames()})}); err != nil {
			return err
		}
		out = row.toFeed()
		return nil
	})
	return out, err
}

// FindFeed returns a question's feed.
func (s *Store) FindFeed(ctx context.Context, questionID int64) (Feed, error) {
	return findFeed(s.r.WithContext(ctx), questionID)
}

func findFeed(db *gorm.DB, questionID int64) (Feed, error) {
	var row feedRow
	if err := db.Where("question_id = ?", questionID).Take(&row).Error; err != nil {
		return Feed{}, missing(err, "question %d has no feed", questionID)
	}
	return row.toFeed(), nil
}

// DeleteFeed removes a question's feed. Its snapshots stay: resolutions
// cite them.
func (s *Store) DeleteFeed(ctx context.Context, questionID, actorID int64) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := findQuestion(tx, questionID)
		if err != nil {
			return err
		}
		res := tx.Where("question_id = ?", questionID).Delete(&feedRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("question %d has no feed", questionID)
		}
		return addAudit(tx, AuditEntry{TournamentID: q.TournamentID, QuestionID: questionID, ActorID: actorID,
			Action: "delete_feed"})
	})
}

// DueFeeds returns the enabled feeds whose next fetch is at or before now,
// the most overdue first.
func (s *Store) DueFeeds(ctx context.Context, now time.Time) ([]Feed, error) {
	var rows []feedRow
	if err := s.r.WithContext(ctx).Where("enabled = 1 AND next_fetch_at <= ?", micros(now)).
		Order("next_fetch_at, question_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Feed, len(rows))
	for i, r := range rows {
		out[i] = r.toFeed()
	}
	return out, nil
}

// EnabledFeeds returns every enabled feed.
func (s *Store) EnabledFeeds(ctx context.Context) ([]Feed, error) {
	var rows []feedRow
	if err := s.r.WithContext(ctx).Where("enabled = 1").Order("question_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Feed, len(rows))
	for i, r := range rows {
		out[i] = r.toFeed()
	}
	return out, nil
}
