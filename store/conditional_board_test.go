package store

import (
	"context"
	"errors"
	"testing"
)

// Flipping ConditionalsOnMain moves the score version (cached boards key
// on it) and is audited; setting the value it has changes nothing.
func TestSetConditionalsOnMain(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	tid := f.scen.TournamentID
	version := func() int64 {
		t.Helper()
		tr, err := f.st.FindTournamentByID(ctx, tid)
		if err != nil {
			t.Fatal(err)
		}
		return tr.ScoreVersion
	}
	v0 := version()
	tr, err := f.st.SetConditionalsOnMain(ctx, tid, false, f.admin)
	if err != nil || tr.ConditionalsOnMain || version() != v0 {
		t.Fatalf("setting false again = %+v, %v, version %d; want false and version %d unchanged", tr, err, version(), v0)
	}
	tr, err = f.st.SetConditionalsOnMain(ctx, tid, true, f.admin)
	if err != nil || !tr.ConditionalsOnMain || version() != v0+1 {
		t.Fatalf("opting in = %+v, %v, version %d; want true and version %d", tr, err, version(), v0+1)
	}
	audit, err := f.st.AuditLog(ctx, tid, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a := audit[0]; a.Action != "edit_tournament" || a.ActorID != f.admin || string(a.New) != `{"conditionals_on_main":true}` ||
		string(a.Old) != `{"conditionals_on_main":false}` {
		t.Fatalf("latest audit %+v; want the admin's edit_tournament false -> true", a)
	}
	if _, err := f.st.SetConditionalsOnMain(ctx, tid+100, true, f.admin); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown tournament: %v; want ErrNotFound", err)
	}
}
