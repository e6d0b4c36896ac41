package store

import (
	"context"
	"errors"
	"testing"
)

// TestBranchesFollowScenarioClose: moving the scenario question's close
// earlier moves its branches' in the same transaction (a branch open
// after its scenario closed took forecasts nobody else could make), and
// a branch's own close date is not an admin's to move.
func TestBranchesFollowScenarioClose(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	p := f.pair(t, f.binary, 0)
	closes := condT0.AddDate(0, 0, 3)
	if _, err := f.st.EditQuestion(ctx, f.scen.ID, QuestionEdit{ClosesAt: &closes}, condT0, f.admin); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{p.IfYes.ID, p.IfNo.ID} {
		b, err := f.st.FindQuestion(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !b.ClosesAt.Equal(closes) {
			t.Errorf("branch %d closes %v after its scenario moved to %v; want the same", id, b.ClosesAt, closes)
		}
	}
	later := closes.AddDate(0, 1, 0)
	if _, err := f.st.EditQuestion(ctx, p.IfYes.ID, QuestionEdit{ClosesAt: &later}, condT0, f.admin); !errors.Is(err, ErrConflict) {
		t.Errorf("moving a branch's close by hand: %v; want ErrConflict", err)
	}
}

// TestLastLiveBranchIsNotAnnulledByHand: once the condition has failed for
// one branch, the other is the pair's only live branch; an admin may not
// annul it (the pair would follow nothing), while annulling one of two
// live branches stays allowed (TestBranchesAreNotResolvedByHand).
func TestLastLiveBranchIsNotAnnulledByHand(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	p := f.pair(t, f.binary, 0)
	if _, err := f.st.ResolveQuestion(ctx, f.binary.ID, Resolution{Outcome: 1, ResolvedAt: condT0}, f.admin); err != nil {
		t.Fatal(err)
	}
	if got := branchSummary(t, f.st, p.IfYes.ID); got != "annulled: "+ReasonConditionFailed {
		t.Fatalf("if-Yes branch after No: %s", got)
	}
	if _, err := f.st.AnnulQuestion(ctx, p.IfNo.ID, "not needed", f.admin); !errors.Is(err, ErrConflict) {
		t.Fatalf("annulling the last live branch: %v; want ErrConflict", err)
	}
	if got := branchSummary(t, f.st, p.IfNo.ID); got != "open" {
		t.Fatalf("the last live branch: %s; want it still open", got)
	}
}
