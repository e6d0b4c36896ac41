package store

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Snapshot statuses.
const (
	SnapshotOK    = "ok"
	SnapshotError = "error"
)

// Snapshot is one fetch of a feed: the number read (when Status is
// SnapshotOK), or why there is none, with the raw body and its SHA-256 so
// that the value can be checked again offline.
type Snapshot struct {
	ID         int64
	QuestionID int64
	URL        string
	Extract    FeedExtract
	Status     string
	Value      float64
	Error      string
	SHA256     string
	// Body is filled only by the functions that say so.
	Body      []byte
	FetchedAt time.Time
}

type snapshotRow struct {
	ID         int64
	QuestionID int64
	URL        string
	Extract    string
	Status     string
	Value      string
	Error      string
	SHA256     string `gorm:"column:sha256"`
	Body       []byte
	FetchedAt  int64
}

func (snapshotRow) TableName() string { return "feed_snapshots" }

// snapshotColumns are the columns of a snapshot without its body.
const snapshotColumns = "feed_snapshots.id, feed_snapshots.question_id, feed_snapshots.url, feed_snapshots.extract, " +
	"feed_snapshots.status, feed_snapshots.value, feed_snapshots.error, feed_snapshots.sha256, feed_snapshots.fetched_at"

func (r snapshotRow) toSnapshot() Snapshot {
	sn := Snapshot{ID: r.ID, QuestionID: r.QuestionID, URL: r.URL, Status: r.Status, Error: r.Error,
		SHA256: r.SHA256, Body: r.Body, FetchedAt: fromMicros(r.FetchedAt)}
	_ = json.Unmarshal([]byte(r.Extract), &sn.Extract)
	if r.Value != "" {
		sn.Value, _ = strconv.ParseFloat(r.Value, 64)
	}
	return sn
}

// FormatValue prints a feed value so that it parses back to the same
// float64: how snapshots store it.
func FormatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// AddSnapshot records a fetch and, in the same transaction, moves the
// feed's schedule: its next fetch at next, with failures fetches in a row
// failed. A good snapshot must carry a finite value.
func (s *Store) AddSnapshot(ctx context.Context, sn Snapshot, next time.Time, failures int) (Snapshot, error) {
	if sn.Status != SnapshotOK && sn.Status != SnapshotError {
		return Snapshot{}, Invalid("status", "snapshot status must be ok or error")
	}
	if sn.Status == SnapshotOK && (math.IsNaN(sn.Value) || math.IsInf(sn.Value, 0)) {
		return Snapshot{}, Invalid("value", "a snapshot's value must be a finite number")
	}
	extract, err := encodeJSON(sn.Extract)
	if err != nil {
		return Snapshot{}, err
	}
	row := snapshotRow{QuestionID: sn.QuestionID, URL: sn.URL, Extract: extract, Status: sn.Status,
		Error: sn.Error, SHA256: sn.SHA256, Body: sn.Body, FetchedAt: micros(sn.FetchedAt)}
	if row.Body == nil {
		row.Body = []byte{}
	}
	if sn.Status == SnapshotOK {
		row.Value = FormatValue(sn.Value)
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "snapshot exists")
		}
		return tx.Model(&feedRow{}).Where("question_id = ?", sn.QuestionID).
			Updates(map[string]any{"next_fetch_at": micros(next), "failures": failures}).Error
	})
	if err != nil {
		return Snapshot{}, err
	}
	return row.toSnapshot(), nil
}

// LatestSnapshot returns a question's newest snapshot, good or failed,
// without its body; ErrNotFound when there is none.
func (s *Store) LatestSnapshot(ctx context.Context, questionID int64) (Snapshot, error) {
	return s.latestSnapshot(ctx, questionID, "")
}

// LatestOKSnapshot returns a question's newest good snapshot (its value
// and fetched time), without its body; ErrNotFound when there is none.
func (s *Store) LatestOKSnapshot(ctx context.Context, questionID int64) (Snapshot, error) {
	return s.latestSnapshot(ctx, questionID, SnapshotOK)
}

func (s *Store) latestSnapshot(ctx context.Context, questionID int64, status string) (Snapshot, error) {
	q := s.r.WithContext(ctx).Select(snapshotColumns).Where("question_id = ?", questionID)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var rows []snapshotRow
	if err := q.Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return Snapshot{}, err
	}
	if len(rows) == 0 {
		return Snapshot{}, notFound("question %d has no snapshot", questionID)
	}
	return rows[0].toSnapshot(), nil
}

// LatestOKSnapshots returns, for each question of a tournament with a good
// snapshot, its newest good one (without body), keyed by question ID.
func (s *Store) LatestOKSnapshots(ctx context.Context, tournamentID int64) (map[int64]Snapshot, error) {
	var rows []snapshotRow
	err := s.r.WithContext(ctx).Table("feed_snapshots").Select(snapshotColumns).
		Joins("JOIN questions ON questions.id = feed_snapshots.question_id").
		Where(`questions.tournament_id = ? AND feed_snapshots.id IN (SELECT MAX(id) FROM feed_snapshots
			WHERE status = ? GROUP BY question_id)`, tournamentID, SnapshotOK).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Snapshot, len(rows))
	for _, r := range rows {
		out[r.QuestionID] = r.toSnapshot()
	}
	return out, nil
}

// FindSnapshot returns one snapshot with its body.
func (s *Store) FindSnapshot(ctx context.Context, id int64) (Snapshot, error) {
	var row snapshotRow
	if err := s.r.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return Snapshot{}, missing(err, "no snapshot %d", id)
	}
	return row.toSnapshot(), nil
}

// ListSnapshots returns up to limit of a question's snapshots, newest
// first, without bodies, older than the snapshot ID before (0: from the
// newest).
func (s *Store) ListSnapshots(ctx context.Context, questionID, before int64, limit int) ([]Snapshot, error) {
	q := s.r.WithContext(ctx).Select(snapshotColumns).Where("question_id = ?", questionID)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var rows []snapshotRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Snapshot, len(rows))
	for i, r := range rows {
		out[i] = r.toSnapshot()
	}
	return out, nil
}

// snapshotBatch snapshots, bodies included (up to 1 MiB each), are read
// at a time by EachSnapshot.
const snapshotBatch = 16

// EachSnapshot calls fn with every snapshot, bodies included, oldest
// first, a few at a time so that memory stays bounded; it stops at fn's
// first error.
func (s *Store) EachSnapshot(ctx context.Context, fn func(Snapshot) error) error {
	var after int64
	for {
		var rows []snapshotRow
		if err := s.r.WithContext(ctx).Where("id > ?", after).Order("id").Limit(snapshotBatch).
			Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r.toSnapshot()); err != nil {
				return err
			}
			after = r.ID
		}
		if len(rows) < snapshotBatch {
			return nil
		}
	}
}
