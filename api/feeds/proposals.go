package feeds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"time"

	"signpost/scoring"
	"signpost/store"
)

// Hash is the SHA-256 of a body, in hex: what a snapshot records.
func Hash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Due says what a feed's newest snapshot proposes for its question at
// now: the outcome, and whether it is time to propose it. It is time once
// the question has closed and the snapshot was fetched after the close
// (data read before the close may predate what the question asks about),
// or, for a binary question whose feed has EarlyYes, as soon as the rule
// holds before the close.
func Due(q store.Question, f store.Feed, sn store.Snapshot, now time.Time) (outcome int, due bool, err error) {
	if sn.Status != store.SnapshotOK || q.Annulled || q.Resolution != nil || q.Condition != nil {
		return 0, false, nil
	}
	rule, err := ParseRule(f.Rule, q.Kind, len(q.Options))
	if err != nil {
		return 0, false, err
	}
	outcome = rule.Outcome(sn.Value)
	switch {
	case !now.Before(q.ClosesAt) && !sn.FetchedAt.Before(q.ClosesAt):
		return outcome, true, nil
	case f.EarlyYes && q.Kind == scoring.Binary && now.Before(q.ClosesAt) && outcome == outcomeYes:
		return outcome, true, nil
	}
	return outcome, false, nil
}

// consider proposes a resolution from the feed's newest snapshot when it
// is due and was not proposed from before. A newest snapshot that failed
// proposes nothing, even with an older good one behind it.
func (w *Worker) consider(ctx context.Context, f store.Feed, now time.Time) error {
	q, err := w.st.FindQuestion(ctx, f.QuestionID)
	if err != nil {
		return err
	}
	if q.Annulled || q.Resolution != nil {
		return nil
	}
	sn, err := w.st.LatestSnapshot(ctx, f.QuestionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	outcome, due, err := Due(q, f, sn, now)
	if err != nil || !due {
		return err
	}
	if _, err := w.st.PendingProposal(ctx, q.ID); err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	last, err := w.st.LastProposedSnapshot(ctx, q.ID)
	if err != nil || last == sn.ID {
		return err
	}
	_, err = w.st.ProposeResolution(ctx, sn.ID, outcome, now, now.Add(f.ChallengeWindow))
	if errors.Is(err, store.ErrConflict) {
		return nil // settled or proposed meanwhile
	}
	return err
}

// settle resolves the proposals whose window ended unchallenged on feeds
// with AutoResolve, and withdraws those whose question was settled by
// hand meanwhile. A challenged proposal waits for an admin.
func (w *Worker) settle(ctx context.Context, now time.Time) error {
	due, err := w.st.DueProposals(ctx, now)
	if err != nil {
		return err
	}
	for _, p := range due {
		q, err := w.st.FindQuestion(ctx, p.QuestionID)
		if err != nil {
			return err
		}
		if q.Annulled || q.Resolution != nil {
			if _, err := w.st.DecideProposal(ctx, p.QuestionID, false, store.ProposalRejected, 0, now); err != nil &&
				!errors.Is(err, store.ErrNotFound) {
				return err
			}
			continue
		}
		if len(p.Challenges) > 0 {
			continue
		}
		f, err := w.st.FindFeed(ctx, p.QuestionID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if !f.AutoResolve {
			continue
		}
		if _, err := w.st.DecideProposal(ctx, p.QuestionID, true, store.ProposalAutoResolved, 0, now); err != nil &&
			!errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return nil
}
