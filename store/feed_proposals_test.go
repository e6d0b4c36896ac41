package store

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// goodSnapshot gives question qid a feed and one good snapshot of value v
// fetched at at.
func goodSnapshot(t *testing.T, st *Store, qid int64, v float64, at time.Time) Snapshot {
	t.Helper()
	ctx := context.Background()
	f := Feed{QuestionID: qid, URL: "https://example.org/a.json", Extract: FeedExtract{Format: FeedJSON, Pointer: "/v"},
		Every: time.Hour, Rule: json.RawMessage(`{"op":">=","value":1}`)}
	if _, err := st.PutFeed(ctx, f, 0); err != nil {
		t.Fatal(err)
	}
	sn, err := st.AddSnapshot(ctx, Snapshot{QuestionID: qid, URL: f.URL, Extract: f.Extract, Status: SnapshotOK,
		Value: v, SHA256: "00", Body: []byte(`{"v":1}`), FetchedAt: at}, at.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	return sn
}

func TestProposalChallengeAndDecisions(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	qid := seededQuestion(t, st)
	u, err := st.CreateUser(ctx, User{Username: "ann", DisplayName: "Ann", Role: "forecaster"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	sn := goodSnapshot(t, st, qid, 2, at)
	failed, err := st.AddSnapshot(ctx, Snapshot{QuestionID: qid, Status: SnapshotError, Error: "503", FetchedAt: at}, at, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ProposeResolution(ctx, failed.ID, 0, at, at.Add(time.Hour)); !errors.Is(err, ErrConflict) {
		t.Fatalf("ProposeResolution from a failed fetch: %v; want ErrConflict", err)
	}
	p, err := st.ProposeResolution(ctx, sn.ID, 0, at, at.Add(48*time.Hour))
	if err != nil || p.Value != 2 || p.Status != ProposalPending {
		t.Fatalf("ProposeResolution = %+v, %v", p, err)
	}
	if _, err := st.ProposeResolution(ctx, sn.ID, 0, at, at.Add(48*time.Hour)); !errors.Is(err, ErrConflict) {
		t.Fatalf("a second pending proposal: %v; want ErrConflict", err)
	}
	if p, err = st.ChallengeProposal(ctx, qid, u.ID, "the source restated", at.Add(time.Hour)); err != nil ||
		len(p.Challenges) != 1 || p.Challenges[0].Username != "ann" {
		t.Fatalf("ChallengeProposal = %+v, %v; want ann's challenge", p, err)
	}
	if _, err := st.ChallengeProposal(ctx, qid, u.ID, "again", at.Add(2*time.Hour)); !errors.Is(err, ErrConflict) {
		t.Fatalf("a second challenge by ann: %v; want ErrConflict", err)
	}
	if _, err := st.ChallengeProposal(ctx, qid, u.ID, "late", at.Add(48*time.Hour)); !errors.Is(err, ErrConflict) {
		t.Fatalf("a challenge after the window: %v; want ErrConflict", err)
	}
	if _, err := st.DecideProposal(ctx, qid, false, ProposalRejected, u.ID, at.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PendingProposal(ctx, qid); !errors.Is(err, ErrNotFound) {
		t.Fatalf("PendingProposal after a rejection: %v; want ErrNotFound", err)
	}
	if last, err := st.LastProposedSnapshot(ctx, qid); err != nil || last != sn.ID {
		t.Fatalf("LastProposedSnapshot = %d, %v; want %d", last, err, sn.ID)
	}
	later := goodSnapshot(t, st, qid, 3, at.Add(24*time.Hour))
	if _, err := st.ProposeResolution(ctx, later.ID, 1, at.Add(24*time.Hour), at.Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	due, err := st.DueProposals(ctx, at.Add(72*time.Hour))
	if err != nil || len(due) != 1 {
		t.Fatalf("DueProposals = %v, %v; want one", due, err)
	}
	q, err := st.DecideProposal(ctx, qid, true, ProposalAutoResolved, 0, at.Add(72*time.Hour))
	if err != nil || q.Resolution == nil || q.Resolution.Outcome != 1 || !q.Resolution.ResolvedAt.Equal(later.FetchedAt) {
		t.Fatalf("DecideProposal(auto) = %+v, %v; want outcome 1 dated %v", q.Resolution, err, later.FetchedAt)
	}
	log, err := st.AuditLog(ctx, q.TournamentID, 1)
	if err != nil || len(log) != 1 || log[0].Action != "resolve" || log[0].ActorID != 0 {
		t.Fatalf("AuditLog = %+v, %v; want a resolve by the server (no actor)", log, err)
	}
}
