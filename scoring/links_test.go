package scoring

import (
	"math"
	"testing"
)

func TestConditionTrigger(t *testing.T) {
	if got := ConditionTrigger(0); got != (Trigger{Kind: TriggerYes}) {
		t.Errorf("ConditionTrigger(0) = %v; want yes", got)
	}
	// Buckets 10/20/30/40 %: at or above bucket 2 is 30 + 40 = 70 %.
	tr := ConditionTrigger(2)
	if got := tr.Probability([]float64{0.1, 0.2, 0.3, 0.4}); math.Abs(got-0.7) > 1e-12 {
		t.Errorf("ConditionTrigger(2).Probability(10/20/30/40) = %v; want 0.7", got)
	}
	if got := tr.Resolved(1, 4); got != 0 {
		t.Errorf("ConditionTrigger(2).Resolved(1, 4) = %v; want 0", got)
	}
}

func TestNearestStrength(t *testing.T) {
	// The boundaries lie at √(1.5·2.5) ≈ 1.936 and √(2.5·5) ≈ 3.536.
	for _, c := range []struct {
		ratio float64
		want  Strength
	}{{1, Weak}, {1.5, Weak}, {1.93, Weak}, {1.94, Moderate}, {2.5, Moderate}, {3.53, Moderate},
		{3.54, Strong}, {4, Strong}, {100, Strong}} {
		if got := NearestStrength(c.ratio); got != c.want {
			t.Errorf("NearestStrength(%v) = %v; want %v", c.ratio, got, c.want)
		}
	}
}

func TestStrengthRatio(t *testing.T) {
	for _, c := range []struct {
		s    Strength
		dir  int
		want float64
	}{{Weak, 1, 1.5}, {Moderate, -1, 0.4}, {Strong, 1, 5}, {Strong, -1, 0.2}} {
		if got := c.s.Ratio(c.dir); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%v.Ratio(%d) = %v; want %v", c.s, c.dir, got, c.want)
		}
	}
}

func TestUniform(t *testing.T) {
	got := Uniform(4)
	if len(got) != 4 {
		t.Fatalf("Uniform(4) = %v; want 4 entries", got)
	}
	for k, p := range got {
		if p != 0.25 {
			t.Errorf("Uniform(4)[%d] = %v; want 0.25", k, p)
		}
	}
}

func TestImpliedWithout(t *testing.T) {
	// Indicator 1 resolved Yes, strong, raises S1: odds 1:1 become 5:1.
	// Indicator 2 at 50 % carries no evidence.
	prior := []float64{0.5, 0.5}
	ev := []Evidence{
		{Indicator: 1, Scenario: 0, Direction: 1, Strength: Strong, P: 1},
		{Indicator: 2, Scenario: 1, Direction: 1, Strength: Moderate, P: 0.5},
	}
	for _, c := range []struct {
		indicator int64
		want      float64
	}{{1, 0.5}, {2, 5.0 / 6}, {3, 5.0 / 6}} {
		got, err := ImpliedWithout(prior, ev, c.indicator)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got[0]-c.want) > 1e-12 {
			t.Errorf("ImpliedWithout(50/50, ev, %d)[0] = %v; want %v", c.indicator, got[0], c.want)
		}
	}
	if len(ev) != 2 {
		t.Errorf("ImpliedWithout changed its evidence: %v", ev)
	}
}

func TestDriverMoves(t *testing.T) {
	for _, c := range []struct {
		d    Driver
		want bool
	}{{Driver{}, false}, {Driver{Effect: 1e-13, Shift: -1e-13}, false}, {Driver{Shift: 0.01}, true},
		{Driver{Effect: -0.02}, true}} {
		if got := c.d.Moves(); got != c.want {
			t.Errorf("%+v.Moves() = %v; want %v", c.d, got, c.want)
		}
	}
}
