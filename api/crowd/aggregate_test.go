package crowd

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"

	"signpost/scoring"
)

// A question's current crowd is the tournament's aggregate: a change of
// setting shows at once after Forget (this instance's own change), and
// within recheckSetting otherwise.
func TestCurrentFollowsTheSetting(t *testing.T) {
	w := newWorld(t, 3)
	probs := [][]float64{{0.9, 0.1}, {0.6, 0.4}, {0.3, 0.7}}
	for i, u := range w.users {
		w.clock = testStart.Add(time.Duration(i) * time.Hour)
		w.forecast(t, w.bin, u, probs[i]...)
	}
	cc := New(w.st, slog.Default(), Rule{Min: 1, Now: func() time.Time { return w.clock }})
	if got, n := read(t, cc, w.bin); n != 3 || got[0] != 0.6 {
		t.Fatalf("median crowd = %v of %d; want Yes 0.6 of 3", got, n)
	}
	if _, err := w.st.SetCrowdAggregate(context.Background(), w.tournament, "mean_logodds", w.users[0]); err != nil {
		t.Fatal(err)
	}
	if got, _ := read(t, cc, w.bin); got[0] != 0.6 {
		t.Fatalf("within the recheck, crowd = %v; want the median still", got)
	}
	cc.Forget(w.tournament)
	want := scoring.MeanLogOdds(probs)
	if got, _ := read(t, cc, w.bin); math.Abs(got[0]-want[0]) > 1e-12 {
		t.Fatalf("after Forget, crowd = %v; want mean_logodds %v", got, want)
	}
	if a, err := cc.Aggregate(context.Background(), w.tournament); err != nil || a != scoring.AggregateMeanLogOdds {
		t.Fatalf("Aggregate = %v, %v; want mean_logodds", a, err)
	}
	// recency_median: the newest two of three weigh e^√2 + e^√3 against e.
	if _, err := w.st.SetCrowdAggregate(context.Background(), w.tournament, "recency_median", w.users[0]); err != nil {
		t.Fatal(err)
	}
	cc.Forget(w.tournament)
	if got, _ := read(t, cc, w.bin); math.Abs(got[0]-0.6) > 1e-12 {
		t.Fatalf("recency_median crowd = %v; want Yes 0.6 (the middle forecast reaches half the weight)", got)
	}
}
