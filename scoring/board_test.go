package scoring

import (
	"math"
	"testing"
)

func TestBoardTiesShareRanks(t *testing.T) {
	b := NewBoard()
	b.Add(4, "dora", 0.4, -0.1)
	b.Add(1, "carol", 0.3, -0.2)
	b.Add(2, "alice", 0.5, 0.1)
	b.Add(3, "bob", 0.5, 0.1)
	b.Add(5, "eve", 0.6, 0.1)
	got := b.Entries()
	want := []struct {
		id   int64
		rank int
	}{{1, 1}, {4, 2}, {2, 3}, {3, 3}, {5, 5}}
	if len(got) != len(want) {
		t.Fatalf("Entries() = %+v", got)
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Rank != w.rank {
			t.Errorf("Entries()[%d] = %+v; want ID %d rank %d", i, got[i], w.id, w.rank)
		}
	}

	// 1, 2, 2, 4 exactly as the package documentation puts it.
	b = NewBoard()
	b.Add(1, "a", 0.1, -0.5)
	b.Add(2, "c", 0.2, 0)
	b.Add(3, "b", 0.2, 0)
	b.Add(4, "d", 0.2, 0.5)
	var ranks []int
	var names string
	for _, e := range b.Entries() {
		ranks = append(ranks, e.Rank)
		names += e.Name
	}
	if names != "abcd" || ranks[0] != 1 || ranks[1] != 2 || ranks[2] != 2 || ranks[3] != 4 {
		t.Errorf("ranks %v, names %q; want [1 2 2 4], \"abcd\"", ranks, names)
	}
}

func TestBoardAccumulates(t *testing.T) {
	b := NewBoard()
	b.Add(7, "old", 0.2, 0.1)
	b.Add(7, "new", 0.6, -0.3)
	b.Add(8, "x", 1, 0.3)
	got := b.Entries()
	if len(got) != 2 {
		t.Fatalf("Entries() = %+v", got)
	}
	e := got[0]
	if e.ID != 7 || e.Name != "new" || e.Questions != 2 || !near(e.Brier, 0.4) || !near(e.Relative, -0.2) || e.Rank != 1 {
		t.Errorf("Entries()[0] = %+v; want {7 new 1 2 0.4 -0.2}", e)
	}
	// Entries must not disturb the running sums.
	b.Add(8, "x", 0, 0)
	if e := b.Entries()[1]; e.Questions != 2 || !near(e.Brier, 0.5) {
		t.Errorf("after a second Entries: %+v; want 2 questions, brier 0.5", e)
	}
}

// TestBoardRoundingTies: sums equal but for floating-point rounding must
// tie, and be ordered by name.
func TestBoardRoundingTies(t *testing.T) {
	b := NewBoard()
	for _, x := range []float64{0.1, 0.2, 0.3} {
		b.Add(1, "zed", 0.5, x)
	}
	for _, x := range []float64{0.3, 0.2, 0.1} {
		b.Add(2, "amy", 0.5, x)
	}
	e := b.Entries()
	if e[0].Relative == e[1].Relative {
		t.Skip("sums came out equal; the test needs them to differ in the last bit")
	}
	if e[0].Name != "amy" || e[0].Rank != 1 || e[1].Rank != 1 || math.Abs(e[0].Relative-e[1].Relative) > 1e-15 {
		t.Errorf("Entries() = %+v; want a tie with amy first", e)
	}
}
