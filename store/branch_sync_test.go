package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
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

// TestImportRefusesBranchMirroringABranch: an archive whose branch mirrors
// itself or another branch (which then never resolves) is refused, naming
// the field; the archive as exported imports.
func TestImportRefusesBranchMirroringABranch(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	p := f.pair(t, f.binary, 0)
	var buf bytes.Buffer
	if err := f.st.Export(ctx, f.scen.TournamentID, &buf); err != nil {
		t.Fatal(err)
	}
	tamper := func(mirrors func(yes, no string) string) []byte {
		var a map[string]any
		if err := json.Unmarshal(buf.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		for _, q := range a["questions"].([]any) {
			if q := q.(map[string]any); q["slug"] == p.IfYes.Slug {
				q["mirrors"] = mirrors(p.IfYes.Slug, p.IfNo.Slug)
			}
		}
		b, _ := json.Marshal(a)
		return b
	}
	for name, mirrors := range map[string]func(yes, no string) string{
		"itself":         func(yes, _ string) string { return yes },
		"another branch": func(_, no string) string { return no },
	} {
		_, err := openTestStore(t).ImportReader(ctx, bytes.NewReader(tamper(mirrors)), condT0, 0, noHash)
		var se *Error
		if !errors.As(err, &se) || !strings.HasSuffix(se.Field, "mirrors") {
			t.Errorf("a branch mirroring %s: %v; want ErrInvalid on its mirrors", name, err)
		}
	}
	if _, err := openTestStore(t).ImportReader(ctx, bytes.NewReader(buf.Bytes()), condT0, 0, noHash); err != nil {
		t.Fatalf("the archive as exported: %v", err)
	}
}
