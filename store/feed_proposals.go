package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// EventQuestionProposed: the server proposed a question's outcome from
// its feed; forecasters may challenge it until the window ends.
const EventQuestionProposed = "question.proposed"

// Proposal statuses.
const (
	ProposalPending      = "pending"
	ProposalConfirmed    = "confirmed"
	ProposalRejected     = "rejected"
	ProposalAutoResolved = "auto_resolved"
)

// Proposal is an outcome the server proposes from a good snapshot.
type Proposal struct {
	ID             int64
	QuestionID     int64
	SnapshotID     int64
	Outcome        int
	Status         string
	ProposedAt     time.Time
	ChallengeUntil time.Time
	// from the snapshot
	Value     float64
	SHA256    string
	URL       string
	FetchedAt time.Time
	// Challenges, oldest first.
	Challenges []Challenge
}

// Challenge is a forecaster's objection to a proposal.
type Challenge struct {
	UserID   int64
	Username string
	Reason   string
	At       time.Time
}

type proposalRow struct {
	ID             int64
	QuestionID     int64
	SnapshotID     int64
	Outcome        int
	Status         string
	ProposedAt     int64
	ChallengeUntil int64
	DecidedBy      *int64
	DecidedAt      *int64
}

func (proposalRow) TableName() string { return "feed_proposals" }

type challengeRow struct {
	ID         int64
	ProposalID int64
	UserID     int64
	Reason     string
	CreatedAt  int64
}

func (challengeRow) TableName() string { return "feed_challenges" }

// ProposeResolution records a pending proposal of outcome from a good
// snapshot, open to challenges until until, and fires question.proposed
// in the same transaction. A question already resolved or annulled, or
// with a pending proposal, is ErrConflict.
func (s *Store) ProposeResolution(ctx context.Context, snapshotID int64, outcome int, at, until time.Time) (Proposal, error) {
	var out Proposal
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sn snapshotRow
		if err := tx.Select(snapshotColumns).Where("id = ?", snapshotID).Take(&sn).Error; err != nil {
			return missing(err, "no snapshot %d", snapshotID)
		}
		if sn.Status != SnapshotOK {
			return conflict("snapshot %d is not a good fetch: nothing is proposed from it", snapshotID)
		}
		q, err := findQuestion(tx, sn.QuestionID)
		if err != nil {
			return err
		}
		if q.Annulled || q.Resolution != nil {
			return conflict("question %d is already settled", q.ID)
		}
		if outcome < 0 || outcome >= len(q.Options) {
			return Invalid("outcome", "outcome must be an option index from 0 to %d", len(q.Options)-1)
		}
		row := proposalRow{QuestionID: q.ID, SnapshotID: snapshotID, Outcome: outcome, Status: ProposalPending,
			ProposedAt: micros(at), ChallengeUntil: micros(until)}
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "question "+strconv.FormatInt(q.ID, 10)+" has a pending proposal")
		}
		if err := addAudit(tx, AuditEntry{TournamentID: q.TournamentID, QuestionID: q.ID, Action: "propose",
			New: rawJSON(map[string]any{"outcome": outcome, "snapshot_id": snapshotID, "value": FormatValue(sn.toSnapshot().Value),
				"sha256": sn.SHA256, "challenge_until": fromMicros(row.ChallengeUntil)})}); err != nil {
			return err
		}
		if out, err = findProposal(tx, "feed_proposals.id = ?", row.ID); err != nil {
			return err
		}
		return s.questionEventWith(tx, EventQuestionProposed, q, out)
	})
	return out, err
}

// LastProposedSnapshot returns the snapshot ID of a question's newest
// proposal of any status (0: none): a snapshot is proposed from once.
func (s *Store) LastProposedSnapshot(ctx context.Context, questionID int64) (int64, error) {
	var ids []int64
	if err := s.r.WithContext(ctx).Model(&proposalRow{}).Where("question_id = ?", questionID).
		Order("id DESC").Limit(1).Pluck("snapshot_id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// PendingProposal returns a question's pending proposal with its
// challenges; ErrNotFound when there is none.
func (s *Store) PendingProposal(ctx context.Context, questionID int64) (Proposal, error) {
	return findProposal(s.r.WithContext(ctx), "feed_proposals.question_id = ? AND feed_proposals.status = ?",
		questionID, ProposalPending)
}

// PendingProposals returns the pending proposals (with challenges) of a
// tournament's questions, keyed by question ID.
func (s *Store) PendingProposals(ctx context.Context, tournamentID int64) (map[int64]Proposal, error) {
	ps, err := findProposals(s.r.WithContext(ctx),
		"feed_proposals.status = ? AND feed_proposals.question_id IN (SELECT id FROM questions WHERE tournament_id = ?)",
		ProposalPending, tournamentID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Proposal, len(ps))
	for _, p := range ps {
		out[p.QuestionID] = p
	}
	return out, nil
}

// DueProposals returns the pending proposals whose window ended at or
// before now, with their challenges.
func (s *Store) DueProposals(ctx context.Context, now time.Time) ([]Proposal, error) {
	return findProposals(s.r.WithContext(ctx), "feed_proposals.status = ? AND feed_proposals.challenge_until <= ?",
		ProposalPending, micros(now))
}

func findProposal(db *gorm.DB, where string, args ...any) (Proposal, error) {
	ps, err := findProposals(db, where, args...)
	if err != nil {
		return Proposal{}, err
	}
	if len(ps) == 0 {
		return Proposal{}, notFound("no pending proposal")
	}
	return ps[0], nil
}

func findProposals(db *gorm.DB, where string, args ...any) ([]Proposal, error) {
	// gorm does not fill an unexported embedded struct: the row's fields
	// are spelled out.
	var rows []struct {
		ID, QuestionID, SnapshotID int64
		Outcome                    int
		Status                     string
		ProposedAt, ChallengeUntil int64
		Value                      string
		SHA256                     string `gorm:"column:sha256"`
		URL                        string
		FetchedAt                  int64
	}
	if err := db.Table("feed_proposals").Select("feed_proposals.*, feed_snapshots.value, feed_snapshots.sha256, "+
		"feed_snapshots.url, feed_snapshots.fetched_at").
		Joins("JOIN feed_snapshots ON feed_snapshots.id = feed_proposals.snapshot_id").
		Where(where, args...).Order("feed_proposals.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Proposal, len(rows))
	byID := make(map[int64]int, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		v, _ := strconv.ParseFloat(r.Value, 64)
		out[i] = Proposal{ID: r.ID, QuestionID: r.QuestionID, SnapshotID: r.SnapshotID, Outcome: r.Outcome,
			Status: r.Status, ProposedAt: fromMicros(r.ProposedAt), ChallengeUntil: fromMicros(r.ChallengeUntil),
			Value: v, SHA256: r.SHA256, URL: r.URL, FetchedAt: fromMicros(r.FetchedAt), Challenges: []Challenge{}}
		byID[r.ID], ids[i] = i, r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var cs []struct {
		ProposalID, UserID int64
		Reason             string
		CreatedAt          int64
		Username           string
	}
	if err := db.Session(&gorm.Session{NewDB: true}).Table("feed_challenges").
		Select("feed_challenges.*, users.username").Joins("JOIN users ON users.id = feed_challenges.user_id").
		Where("feed_challenges.proposal_id IN ?", ids).Order("feed_challenges.id").Find(&cs).Error; err != nil {
		return nil, err
	}
	for _, c := range cs {
		p := &out[byID[c.ProposalID]]
		p.Challenges = append(p.Challenges, Challenge{UserID: c.UserID, Username: c.Username, Reason: c.Reason,
			At: fromMicros(c.CreatedAt)})
	}
	return out, nil
}

// ChallengeProposal records a forecaster's challenge of a question's
// pending proposal during its window. Outside the window, or a second
// challenge by the same person, is ErrConflict.
func (s *Store) ChallengeProposal(ctx context.Context, questionID, userID int64, reason string, at time.Time) (Proposal, error) {
	var out Proposal
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := findProposal(tx, "feed_proposals.question_id = ? AND feed_proposals.status = ?", questionID, ProposalPending)
		if err != nil {
			return err
		}
		if !at.Before(p.ChallengeUntil) {
			return conflict("the challenge window of this proposal ended at %s", p.ChallengeUntil.Format(time.RFC3339))
		}
		c := challengeRow{ProposalID: p.ID, UserID: userID, Reason: reason, CreatedAt: micros(at)}
		if err := tx.Create(&c).Error; err != nil {
			return translate(err, "you have already challenged this proposal")
		}
		q, err := findQuestion(tx, questionID)
		if err != nil {
			return err
		}
		if err := addAudit(tx, AuditEntry{TournamentID: q.TournamentID, QuestionID: questionID, ActorID: userID,
			Action: "challenge_proposal", Reason: reason, New: rawJSON(map[string]any{"proposal_id": p.ID})}); err != nil {
			return err
		}
		out, err = findProposal(tx, "feed_proposals.id = ?", p.ID)
		return err
	})
	return out, err
}

// DecideProposal settles a question's pending proposal: accept resolves
// the question with the proposal's outcome, dated as its snapshot, with
// status (ProposalConfirmed by an admin, ProposalAutoResolved by the
// server: actorID 0); otherwise the proposal is rejected and the question
// stays as it was. It returns the question.
func (s *Store) DecideProposal(ctx context.Context, questionID int64, accept bool, status string, actorID int64, at time.Time) (Question, error) {
	if !accept {
		var out Question
		err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			p, err := s.closeProposal(tx, questionID, ProposalRejected, actorID, at)
			if err != nil {
				return err
			}
			q, err := findQuestion(tx, questionID)
			if err != nil {
				return err
			}
			out = q
			return addAudit(tx, AuditEntry{TournamentID: q.TournamentID, QuestionID: questionID, ActorID: actorID,
				Action: "reject_proposal", New: rawJSON(map[string]any{"proposal_id": p.ID})})
		})
		return out, err
	}
	return s.changeQuestion(ctx, questionID, actorID, "resolve", func(tx *gorm.DB, q *Question) (map[string]any, error) {
		if q.Resolution != nil {
			return nil, conflict("question %d is already resolved", questionID)
		}
		p, err := s.closeProposal(tx, questionID, status, actorID, at)
		if err != nil {
			return nil, err
		}
		q.Resolution = &Resolution{Outcome: p.Outcome, ResolvedAt: p.FetchedAt}
		return map[string]any{"outcome": p.Outcome, "resolved_at": p.FetchedAt, "proposal_id": p.ID,
			"snapshot_id": p.SnapshotID, "sha256": p.SHA256, "by": status}, nil
	})
}

// closeProposal moves a question's pending proposal to status.
func (s *Store) closeProposal(tx *gorm.DB, questionID int64, status string, actorID int64, at time.Time) (Proposal, error) {
	p, err := findProposal(tx, "feed_proposals.question_id = ? AND feed_proposals.status = ?", questionID, ProposalPending)
	if err != nil {
		return Proposal{}, err
	}
	res := tx.Model(&proposalRow{}).Where("id = ? AND status = ?", p.ID, ProposalPending).
		Updates(map[string]any{"status": status, "decided_by": nullableID(actorID), "decided_at": micros(at)})
	if res.Error != nil {
		return Proposal{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Proposal{}, conflict("the proposal was settled meanwhile")
	}
	p.Status = status
	return p, nil
}
