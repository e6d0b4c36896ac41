package store

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"

	"signpost/scoring"
	"signpost/store/storetest"
)

// A tournament's crowd aggregate is median until an admin picks another;
// a change is audited, an unknown name is ErrInvalid naming the field,
// and an archive carries the choice.
func TestSetCrowdAggregate(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	tid := f.scen.TournamentID
	tr, err := f.st.FindTournamentByID(ctx, tid)
	if err != nil || tr.CrowdAggregate != "median" {
		t.Fatalf("a new tournament's aggregate = %q, %v; want median", tr.CrowdAggregate, err)
	}
	if tr, err = f.st.SetCrowdAggregate(ctx, tid, "extremized", f.admin); err != nil || tr.CrowdAggregate != "extremized" {
		t.Fatalf("SetCrowdAggregate(extremized) = %q, %v", tr.CrowdAggregate, err)
	}
	audit, err := f.st.AuditLog(ctx, tid, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a := audit[0]; a.Action != "edit_tournament" || a.ActorID != f.admin || string(a.New) != `{"crowd_aggregate":"extremized"}` ||
		string(a.Old) != `{"crowd_aggregate":"median"}` {
		t.Fatalf("latest audit %+v; want the admin's edit_tournament median -> extremized", a)
	}
	var ve *Error
	if _, err := f.st.SetCrowdAggregate(ctx, tid, "mean", f.admin); !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Field != "crowd_aggregate" {
		t.Fatalf("unknown aggregate: %v; want ErrInvalid on crowd_aggregate", err)
	}
	if _, err := f.st.SetCrowdAggregate(ctx, tid+100, "median", f.admin); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown tournament: %v; want ErrNotFound", err)
	}
	var archive bytes.Buffer
	if err := f.st.Export(ctx, tid, &archive); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, storetest.Address(t, "copy.db"), Options{Now: f.st.now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ImportReader(ctx, &archive, condT0, 0, func(string) (string, error) { return "!", nil }); err != nil {
		t.Fatal(err)
	}
	if tr, err := other.FindTournamentBySlug(ctx, "t"); err != nil || tr.CrowdAggregate != "extremized" {
		t.Fatalf("imported aggregate = %q, %v; want extremized", tr.CrowdAggregate, err)
	}
}

// The store's evaluation scores each aggregate on the scored questions
// only: with one forecaster, every aggregate is their forecast.
func TestEvaluateAggregatesFromStore(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	if _, err := f.st.CreateForecast(ctx, Forecast{QuestionID: f.binary.ID, TournamentID: f.binary.TournamentID, UserID: f.admin,
		Probs: []float64{0.8, 0.2}, CreatedAt: f.binary.OpensAt.Add(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ResolveQuestion(ctx, f.binary.ID, Resolution{Outcome: 0, ResolvedAt: condT0.Add(-1)}, f.admin); err != nil {
		t.Fatal(err)
	}
	_, scores, err := f.st.EvaluateAggregates(ctx, f.binary.TournamentID)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 1 || scores[0].ID != f.binary.ID {
		t.Fatalf("scores %+v; want the resolved question's only", scores)
	}
	for a, agg := range scoring.Aggregates {
		if s := scores[0].Scores[a]; math.Abs(s.Brier-0.08) > 1e-9 || s.Relative != 0 {
			t.Errorf("%v scored %+v; want Brier 0.08 (2 · 0.2²), relative 0", agg, s)
		}
	}
}
