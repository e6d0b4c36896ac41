package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
)

func TestLikelihoodTableCRUD(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	qs, _ := seededLinks(t, st)
	scen, ind := qs[0], qs[1]
	if _, err := st.LikelihoodTable(ctx, ind.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("table before any = %v; want not found", err)
	}
	for _, c := range []struct {
		name  string
		table LikelihoodTable
		field string
	}{
		{"three probabilities", LikelihoodTable{ScenarioID: scen.ID, Trigger: "yes", Probabilities: []float64{0.5, 0.5, 0.5}}, "probabilities"},
		{"zero", LikelihoodTable{ScenarioID: scen.ID, Trigger: "yes", Probabilities: []float64{0, 0.5, 0.5, 0.5}}, "probabilities"},
		{"ordered trigger", LikelihoodTable{ScenarioID: scen.ID, Trigger: "higher", Probabilities: []float64{0.5, 0.5, 0.5, 0.5}}, "trigger"},
		{"binary scenario", LikelihoodTable{ScenarioID: ind.ID, Trigger: "yes", Probabilities: []float64{0.5, 0.5}}, "scenario_question_id"},
	} {
		c.table.IndicatorID = ind.ID
		var e *Error
		if _, err := st.PutLikelihoodTable(ctx, c.table, 0); !errors.As(err, &e) || e.Kind != ErrInvalid || e.Field != c.field {
			t.Errorf("%s: PutLikelihoodTable = %v; want invalid %s", c.name, err, c.field)
		}
	}
	want := LikelihoodTable{IndicatorID: ind.ID, ScenarioID: scen.ID, Trigger: "yes", Probabilities: []float64{0.2, 0.7, 0.6, 0.4}}
	for _, p := range [][]float64{{0.3, 0.3, 0.3, 0.3}, want.Probabilities} { // the second replaces the first
		want.Probabilities = p
		if _, err := st.PutLikelihoodTable(ctx, want, 0); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.LikelihoodTable(ctx, ind.ID)
	if err != nil || got.ScenarioID != scen.ID || got.Trigger != "yes" || !slices.Equal(got.Probabilities, want.Probabilities) {
		t.Fatalf("LikelihoodTable = %+v, %v; want %+v", got, err, want)
	}
	all, err := st.TournamentLikelihoodTables(ctx, ind.TournamentID)
	if err != nil || len(all) != 1 {
		t.Fatalf("TournamentLikelihoodTables = %+v, %v; want the one table", all, err)
	}

	// The archive carries the table to another server.
	var buf bytes.Buffer
	if err := st.Export(ctx, ind.TournamentID, &buf); err != nil {
		t.Fatal(err)
	}
	dst := openTestStore(t)
	if _, err := dst.ImportReader(ctx, bytes.NewReader(buf.Bytes()), importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	if got, err := dst.LikelihoodTable(ctx, ind.ID); err != nil || !slices.Equal(got.Probabilities, want.Probabilities) {
		t.Errorf("imported table = %+v, %v; want %v", got, err, want.Probabilities)
	}

	if err := st.DeleteLikelihoodTable(ctx, ind.ID, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteLikelihoodTable(ctx, ind.ID, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice = %v; want not found", err)
	}
	log, err := st.AuditLog(ctx, ind.TournamentID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if e.QuestionID == ind.ID {
			actions = append(actions, e.Action)
		}
	}
	if !slices.Equal(actions, []string{"delete_likelihoods", "put_likelihoods", "put_likelihoods"}) {
		t.Errorf("audit = %v; want two puts and a delete, newest first", actions)
	}
}
