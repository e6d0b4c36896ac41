package store

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"signpost/scoring"
)

// TestStandingBeforeMatchesScoring compares the indexed query with
// scoring.Standing over all forecasts, at instants between, on and around
// forecast times, with ties in time.
func TestStandingBeforeMatchesScoring(t *testing.T) {
	ctx := context.Background()
	a := testArchive("standing", 1, 7, 300)
	r := rand.New(rand.NewPCG(5, 5))
	for i := range a.Forecasts {
		// Few distinct instants: many users forecast at the same time.
		a.Forecasts[i].CreatedAt = formatArchiveTime(importStart.Add(time.Duration(r.IntN(40)) * time.Hour))
	}
	slices.SortStableFunc(a.Forecasts, func(x, y ArchiveForecast) int { return strings.Compare(x.CreatedAt, y.CreatedAt) })
	st := openTestStore(t)
	if _, err := st.Import(ctx, a, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	tr, _ := st.FindTournamentBySlug(ctx, "standing")
	qs, _ := st.ListQuestions(ctx, tr.ID)
	fs, err := st.ScoringForecasts(ctx, qs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for h := -1; h <= 41; h++ {
		at := importStart.Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(2))*time.Minute)
		got, err := st.StandingBefore(ctx, qs[0].ID, at)
		if err != nil {
			t.Fatal(err)
		}
		want := scoring.Standing(fs, at)
		if !slices.EqualFunc(got, want, slices.Equal[[]float64]) {
			t.Fatalf("StandingBefore(%v) = %v; want %v", at, got, want)
		}
	}
}
