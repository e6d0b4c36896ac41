package crowd

import (
	"slices"
	"testing"
	"time"

	"signpost/store"
)

// TestGapsFollowOutOfOrderCommits: IDs stepped over are remembered, one
// that shows up later is forgotten, and old gaps (rolled-back inserts) are
// dropped after gapTTL.
func TestGapsFollowOutOfOrderCommits(t *testing.T) {
	var g gaps
	t0 := time.Now()
	g.note(10, []store.ForecastDelta{{ID: 11}, {ID: 14}, {ID: 15}}, t0)
	if got := g.open(t0); !slices.Equal(got, []int64{12, 13}) {
		t.Fatalf("gaps after 11, 14, 15 = %v; want [12 13]", got)
	}
	g.note(15, []store.ForecastDelta{{ID: 12}}, t0) // 12 committed late
	if got := g.open(t0); !slices.Equal(got, []int64{13}) {
		t.Fatalf("gaps after 12 arrived = %v; want [13]", got)
	}
	if got := g.open(t0.Add(gapTTL + time.Second)); len(got) != 0 {
		t.Fatalf("gaps after their TTL = %v; want none", got)
	}
	g.note(0, []store.ForecastDelta{{ID: 5}}, t0)
	if got := g.open(t0); len(got) != 0 {
		t.Fatalf("a first batch opened gaps %v below its first ID", got)
	}
}
