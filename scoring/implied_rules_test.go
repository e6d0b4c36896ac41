package scoring

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// seedSignals are the default tournament's 17 indicators as links to its
// four scenarios: which scenarios a trigger raises and lowers, and how
// strongly (store/seed).
var seedSignals = []signal{
	{[]int{1, 2}, []int{0}, Moderate},
	{[]int{1, 2}, []int{0}, Strong},
	{[]int{1, 2}, []int{0}, Moderate},
	{[]int{1, 2}, []int{0}, Weak},
	{[]int{1, 2}, []int{0}, Weak},
	{[]int{1, 3}, []int{0, 2}, Moderate},
	{[]int{1, 3}, []int{0, 2}, Moderate},
	{[]int{1, 3}, []int{0, 2}, Weak},
	{[]int{1, 3}, []int{0, 2}, Moderate},
	{[]int{1, 3}, []int{0, 2}, Moderate},
	{[]int{0, 2}, []int{1, 3}, Weak},
	{[]int{0, 3}, []int{1, 2}, Weak},
	{[]int{0, 3}, []int{1, 2}, Strong},
	{[]int{0, 3}, []int{1, 2}, Moderate},
	{[]int{1, 3}, []int{0}, Weak},
	{[]int{1, 3}, []int{0}, Weak},
	{[]int{1, 3}, []int{0}, Weak},
}

// TestRulesOnCoherentCrowds runs both signpost rules on crowds whose
// indicator forecasts are exactly what their scenario forecast predicts
// through the tables: such a crowd has nothing to learn from its own
// indicator forecasts, so the board should show it its own forecast. The
// likelihood rule (ImpliedByForecasts, from uniform evidence) does; the
// likelihood-ratio rule (Implied, with the crowd as prior and the
// indicator forecasts as evidence) counts the crowd's belief twice.
func TestRulesOnCoherentCrowds(t *testing.T) {
	const crowds = 1000
	r := rand.New(rand.NewPCG(17, 18))
	seedTables := make([][]float64, len(seedSignals))
	for i, s := range seedSignals {
		seedTables[i] = s.table(t, 4)
	}
	if got := rank(seedTables, 4); got != 4 {
		t.Fatalf("the seed's tables have rank %d; want 4", got)
	}
	for _, setup := range []string{"seed links", "random links"} {
		var oldTV, newTV []float64
		for range crowds {
			tables, signals := seedTables, seedSignals
			if setup == "random links" {
				tables, signals = nil, nil
				for range len(seedSignals) {
					s := randSignal(r, 4)
					signals = append(signals, s)
					tables = append(tables, s.table(t, 4))
				}
			}
			crowd := randDistribution(r, 4)
			open := coherentOpen(crowd, tables)
			var ev []Evidence
			for i, s := range signals {
				ev = append(ev, seedLinks(int64(i+1), open[i].P, s.strength, s.raises, s.lowers)...)
			}
			old, err := Implied(crowd, ev)
			if err != nil {
				t.Fatal(err)
			}
			now, err := ImpliedByForecasts([]float64{0.25, 0.25, 0.25, 0.25}, open)
			if err != nil {
				t.Fatal(err)
			}
			oldTV = append(oldTV, TVDistance(old, crowd))
			newTV = append(newTV, TVDistance(now, crowd))
		}
		slices.Sort(oldTV)
		slices.Sort(newTV)
		t.Logf("%s, %d coherent crowds: TV(implied, crowd) median / 90th percentile / max: likelihood rule %.2g / %.2g / %.2g; likelihood-ratio rule %.3f / %.3f / %.3f",
			setup, crowds, percentile(newTV, 0.5), percentile(newTV, 0.9), newTV[len(newTV)-1],
			percentile(oldTV, 0.5), percentile(oldTV, 0.9), oldTV[len(oldTV)-1])
		if m := percentile(newTV, 0.5); m > 0.001 {
			t.Errorf("%s: median distance of the likelihood rule %v; want about 0", setup, m)
		}
	}
}
