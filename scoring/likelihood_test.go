package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLikelihoodFromStrengthsWorkedExample(t *testing.T) {
	got, err := LikelihoodFromStrengths(4, []StrengthLink{
		{Scenario: 1, Direction: 1, Strength: Moderate},
		{Scenario: 2, Direction: 1, Strength: Moderate},
		{Scenario: 0, Direction: -1, Strength: Moderate},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1 / 3.5, 2.5 / 3.5, 2.5 / 3.5, 0.5}
	for k := range want {
		if !near(got[k], want[k]) {
			t.Errorf("LikelihoodFromStrengths[%d] = %v; want %v", k, got[k], want[k])
		}
	}
	// Two links to one scenario add in log-odds; three strong ones hit
	// the clamp.
	cases := []struct {
		links []StrengthLink
		want  float64
	}{
		{[]StrengthLink{{0, 1, Strong}, {0, 1, Strong}}, 25.0 / 26},
		{[]StrengthLink{{0, 1, Strong}, {0, -1, Strong}}, 0.5},
		{[]StrengthLink{{0, 1, Weak}}, 0.6},
		{[]StrengthLink{{0, 1, Strong}, {0, 1, Strong}, {0, 1, Strong}}, LikelihoodMax},
		{[]StrengthLink{{0, -1, Strong}, {0, -1, Strong}, {0, -1, Strong}}, LikelihoodMin},
	}
	for _, c := range cases {
		got, err := LikelihoodFromStrengths(2, c.links)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got[0], c.want) || got[1] != StrengthBaseRate {
			t.Errorf("LikelihoodFromStrengths(2, %v) = %v; want [%v 0.5]", c.links, got, c.want)
		}
	}
}

func TestLikelihoodFromStrengthsRejects(t *testing.T) {
	for _, links := range [][]StrengthLink{
		{{Scenario: 3, Direction: 1, Strength: Weak}},
		{{Scenario: -1, Direction: 1, Strength: Weak}},
		{{Scenario: 0, Direction: 0, Strength: Weak}},
		{{Scenario: 0, Direction: 1, Strength: 0}},
	} {
		if _, err := LikelihoodFromStrengths(3, links); err == nil {
			t.Errorf("LikelihoodFromStrengths(3, %v) succeeded; want an error", links)
		}
	}
	if _, err := LikelihoodFromStrengths(0, nil); err == nil {
		t.Error("LikelihoodFromStrengths(0, nil) succeeded; want an error")
	}
	// One scenario is trivial but fine.
	if got, err := LikelihoodFromStrengths(1, nil); err != nil || len(got) != 1 || got[0] != 0.5 {
		t.Errorf("LikelihoodFromStrengths(1, nil) = %v, %v; want [0.5]", got, err)
	}
}

func TestLikelihoodFromBranchesWorkedExample(t *testing.T) {
	got, err := LikelihoodFromBranches(0.6, []float64{0.1, 0.4, 0.2, 0.3}, []float64{0.3, 0.1, 0.2, 0.4})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1.0 / 3, 6.0 / 7, 0.6, 0.18 / 0.34}
	for k := range want {
		if !near(got[k], want[k]) {
			t.Errorf("LikelihoodFromBranches[%d] = %v; want %v", k, got[k], want[k])
		}
	}
}

// TestLikelihoodFromBranchesIsConsistent: the scenario forecast that the
// branches and q give by total probability predicts q for the trigger
// through the derived table, as Bayes' rule requires.
func TestLikelihoodFromBranchesIsConsistent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		k := 2 + r.IntN(5)
		q := 0.05 + 0.9*r.Float64()
		yes, no := randDistribution(r, k), randDistribution(r, k)
		table, err := LikelihoodFromBranches(q, yes, no)
		if err != nil {
			t.Fatal(err)
		}
		clamped := false
		for _, x := range table {
			clamped = clamped || x == LikelihoodMin || x == LikelihoodMax
		}
		for _, x := range append(yes, no...) {
			clamped = clamped || x < ImpliedEpsilon
		}
		if clamped {
			continue
		}
		total, _ := TotalProbability(q, yes, no)
		if got := ExpectedTrigger(total, table); math.Abs(got-q) > 1e-12 {
			t.Errorf("ExpectedTrigger(total probability, table) = %v; want q = %v", got, q)
		}
	}
}

func TestLikelihoodFromBranchesBounds(t *testing.T) {
	for _, q := range []float64{0, 1} {
		got, err := LikelihoodFromBranches(q, []float64{1, 0}, []float64{0, 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range got {
			if x < LikelihoodMin || x > LikelihoodMax || math.IsNaN(x) {
				t.Errorf("LikelihoodFromBranches(%v, certain branches) = %v; want within the bounds", q, got)
			}
		}
	}
	for _, q := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := LikelihoodFromBranches(q, []float64{0.5, 0.5}, []float64{0.5, 0.5}); err == nil {
			t.Errorf("LikelihoodFromBranches(%v, …) succeeded; want an error", q)
		}
	}
	if _, err := LikelihoodFromBranches(0.5, []float64{0.5, 0.5}, []float64{1}); err == nil {
		t.Error("LikelihoodFromBranches with branches of different lengths succeeded; want an error")
	}
}

func TestLikelihoodGiven(t *testing.T) {
	got, err := LikelihoodGiven([]float64{0, 0.3, 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{LikelihoodMin, 0.3, LikelihoodMax}; maxAbsDiff(got, want) != 0 {
		t.Errorf("LikelihoodGiven([0 0.3 1]) = %v; want %v", got, want)
	}
	for _, table := range [][]float64{{0.5, 0.5}, {0.5, 1.5, 0}, {0.5, math.NaN(), 0}, {-0.1, 0.5, 0.5}} {
		if _, err := LikelihoodGiven(table, 3); err == nil {
			t.Errorf("LikelihoodGiven(%v, 3) succeeded; want an error", table)
		}
	}
}

func TestExpectedTrigger(t *testing.T) {
	got := ExpectedTrigger([]float64{0.25, 0.20, 0.15, 0.40}, []float64{1 / 3.5, 2.5 / 3.5, 2.5 / 3.5, 0.5})
	if want := 0.25/3.5 + 0.35*2.5/3.5 + 0.2; !near(got, want) {
		t.Errorf("ExpectedTrigger = %v; want %v", got, want)
	}
}
