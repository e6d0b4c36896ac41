package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// branchSummary describes a branch's outcome for comparison:
// "open", "annulled: reason" or "resolved N at HH".
func branchSummary(t *testing.T, st *Store, id int64) string {
	t.Helper()
	q, err := st.FindQuestion(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case q.Annulled:
		return "annulled: " + q.AnnulReason
	case q.Resolution != nil:
		return fmt.Sprintf("resolved %d at %02d", q.Resolution.Outcome, q.Resolution.ResolvedAt.Hour())
	}
	return "open"
}

// step is one admin action on a parent: resolve to an outcome at an hour
// of condT0's day, or annul (outcome -1).
type step struct {
	parent  string // "ind" or "scen"
	outcome int
	hour    int
}

func TestBranchesFollowTheirParents(t *testing.T) {
	open, failed := "open", "annulled: "+ReasonConditionFailed
	for _, c := range []struct {
		name        string
		ordered     bool
		steps       []step
		ifYes, ifNo string
		autoActions int // audit rows the server wrote
	}{
		{"indicator Yes", false, []step{{"ind", 0, 1}}, open, failed, 1},
		{"indicator No", false, []step{{"ind", 1, 1}}, failed, open, 1},
		{"then the scenario", false, []step{{"ind", 0, 1}, {"scen", 2, 3}}, "resolved 2 at 03", failed, 2},
		{"scenario first", false, []step{{"scen", 2, 3}}, "resolved 2 at 03", "resolved 2 at 03", 2},
		{"scenario first, then indicator", false, []step{{"scen", 2, 3}, {"ind", 1, 4}}, failed, "resolved 2 at 03", 3},
		{"indicator corrected", false, []step{{"ind", 0, 1}, {"scen", 2, 3}, {"ind", 1, 1}}, failed, "resolved 2 at 03", 4},
		{"scenario corrected", false, []step{{"ind", 0, 1}, {"scen", 2, 3}, {"scen", 0, 2}}, "resolved 0 at 02", failed, 3},
		{"indicator annulled", false, []step{{"ind", 0, 1}, {"ind", -1, 0}},
			"annulled: " + ReasonIndicatorAnnulled, "annulled: " + ReasonIndicatorAnnulled, 3},
		{"scenario annulled", false, []step{{"ind", 1, 1}, {"scen", -1, 0}}, failed, "annulled: " + ReasonScenarioAnnulled, 2},
		{"ordered at the threshold", true, []step{{"ind", 2, 1}, {"scen", 1, 2}}, "resolved 1 at 02", failed, 2},
		{"ordered below the threshold", true, []step{{"ind", 1, 1}}, failed, open, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newCondFixture(t)
			ctx := context.Background()
			ind, threshold := f.binary, 0
			if c.ordered {
				ind, threshold = f.ordered, 2
			}
			p := f.pair(t, ind, threshold)
			for _, s := range c.steps {
				id := ind.ID
				if s.parent == "scen" {
					id = f.scen.ID
				}
				var err error
				if s.outcome < 0 {
					_, err = f.st.AnnulQuestion(ctx, id, "admin's reason", f.admin)
				} else {
					at := time.Date(2027, 1, 10, s.hour, 0, 0, 0, time.UTC)
					_, err = f.st.ResolveQuestion(ctx, id, Resolution{Outcome: s.outcome, ResolvedAt: at}, f.admin)
				}
				if err != nil {
					t.Fatalf("step %+v: %v", s, err)
				}
			}
			if got := branchSummary(t, f.st, p.IfYes.ID); got != c.ifYes {
				t.Errorf("if Yes: %s; want %s", got, c.ifYes)
			}
			if got := branchSummary(t, f.st, p.IfNo.ID); got != c.ifNo {
				t.Errorf("if No: %s; want %s", got, c.ifNo)
			}
			log, err := f.st.AuditLog(ctx, f.scen.TournamentID, 100)
			if err != nil {
				t.Fatal(err)
			}
			auto := 0
			for _, e := range log {
				if e.QuestionID == p.IfYes.ID || e.QuestionID == p.IfNo.ID {
					if e.ActorID != 0 || e.ActorUsername != "" {
						t.Errorf("audit %s on a branch by actor %d %q; want the server (none)", e.Action, e.ActorID, e.ActorUsername)
					}
					auto++
				}
			}
			if auto != c.autoActions {
				t.Errorf("%d automatic audit rows; want %d", auto, c.autoActions)
			}
		})
	}
}

func TestBranchesAreNotResolvedByHand(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	p := f.pair(t, f.binary, 0)
	if _, err := f.st.ResolveQuestion(ctx, p.IfYes.ID, Resolution{Outcome: 0, ResolvedAt: condT0}, f.admin); !errors.Is(err, ErrConflict) {
		t.Errorf("resolving a branch by hand: %v; want ErrConflict", err)
	}
	// An admin may annul a branch, and a parent's change leaves it so.
	if _, err := f.st.AnnulQuestion(ctx, p.IfYes.ID, "badly worded", f.admin); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ResolveQuestion(ctx, f.scen.ID, Resolution{Outcome: 1, ResolvedAt: condT0}, f.admin); err != nil {
		t.Fatal(err)
	}
	if got := branchSummary(t, f.st, p.IfYes.ID); got != "annulled: badly worded" {
		t.Errorf("admin-annulled branch: %s; want it to stay annulled", got)
	}
	if got := branchSummary(t, f.st, p.IfNo.ID); got != "resolved 1 at 12" {
		t.Errorf("other branch: %s; want resolved 1 at 12", got)
	}
}
