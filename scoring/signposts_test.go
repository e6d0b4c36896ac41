package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// seedLinks builds the links of one indicator as the seed states them: one
// trigger probability and strength, raising some scenarios, lowering others.
func seedLinks(id int64, p float64, s Strength, raises, lowers []int) []Evidence {
	var ev []Evidence
	for _, k := range raises {
		ev = append(ev, Evidence{Indicator: id, Scenario: k, Direction: 1, Strength: s, P: p})
	}
	for _, k := range lowers {
		ev = append(ev, Evidence{Indicator: id, Scenario: k, Direction: -1, Strength: s, P: p})
	}
	return ev
}

// workedExample is the case in the package documentation: one resolved
// and two open indicators on four scenarios.
func workedExample() ([]float64, []Evidence) {
	prior := []float64{0.25, 0.20, 0.15, 0.40}
	ev := seedLinks(1, 1, Strong, []int{1, 2}, []int{0})
	ev = append(ev, seedLinks(2, 0.7, Moderate, []int{1, 3}, []int{0, 2})...)
	ev = append(ev, seedLinks(3, 0.4, Strong, []int{0, 3}, []int{1, 2})...)
	return prior, ev
}

func TestImpliedWorkedExample(t *testing.T) {
	prior, ev := workedExample()
	got, err := Implied(prior, ev)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: log-weight moves −2.2978, +2.2978, +1.5648, +0.0446, so
	// weights 0.25/5/2.5^0.4/5^0.2 = 0.025119, 0.2·5·2.5^0.4·5^0.2 =
	// 1.990536, 0.15·5·5^0.2/2.5^0.4 = 0.717264, 0.4·2.5^0.4/5^0.2 =
	// 0.418256; sum 3.151175.
	a, b := math.Pow(2.5, 0.4), math.Pow(5, 0.2)
	w := []float64{0.25 / 5 / a / b, 0.2 * 5 * a * b, 0.15 * 5 * b / a, 0.4 * a / b}
	sum := w[0] + w[1] + w[2] + w[3]
	for k := range w {
		if want := w[k] / sum; !near(got[k], want) {
			t.Errorf("Implied[%d] = %v; want %v", k, got[k], want)
		}
	}
	for k, want := range []float64{0.007971, 0.631681, 0.227618, 0.132730} {
		if math.Abs(got[k]-want) > 1e-6 {
			t.Errorf("Implied[%d] = %.6f; want %.6f (documented)", k, got[k], want)
		}
	}
}

func TestImpliedClampsAndFloorsPrior(t *testing.T) {
	// A scenario the prior gives 0 is floored at ε and can still rise.
	got, err := Implied([]float64{0, 1}, seedLinks(1, 1, Strong, []int{0}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !(got[0] > ImpliedEpsilon && got[1] < 1-ImpliedEpsilon) || !near(got[0]+got[1], 1) {
		t.Errorf("Implied([0 1], strong yes for 0) = %v; want 0 raised above ε", got)
	}
	// Overwhelming evidence stops at ε and 1−ε.
	var ev []Evidence
	for i := range 40 {
		ev = append(ev, seedLinks(int64(i), 1, Strong, []int{0}, []int{1, 2})...)
	}
	got, err = Implied([]float64{0.2, 0.3, 0.5}, ev)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1 - 2*ImpliedEpsilon, ImpliedEpsilon, ImpliedEpsilon}
	for k := range want {
		if !near(got[k], want[k]) {
			t.Errorf("Implied with 40 strong Yes = %v; want %v", got, want)
		}
	}
}

func TestImpliedRejectsBadInput(t *testing.T) {
	ok := Evidence{Indicator: 1, Scenario: 0, Direction: 1, Strength: Weak, P: 0.5}
	bad := func(f func(e *Evidence)) []Evidence { e := ok; f(&e); return []Evidence{e} }
	cases := map[string]struct {
		prior []float64
		ev    []Evidence
	}{
		"prior sums to 0.9": {[]float64{0.5, 0.4}, nil},
		"one scenario":      {[]float64{1}, nil},
		"scenario 2 of 2":   {[]float64{0.5, 0.5}, bad(func(e *Evidence) { e.Scenario = 2 })},
		"direction 0":       {[]float64{0.5, 0.5}, bad(func(e *Evidence) { e.Direction = 0 })},
		"strength 0":        {[]float64{0.5, 0.5}, bad(func(e *Evidence) { e.Strength = 0 })},
		"P NaN":             {[]float64{0.5, 0.5}, bad(func(e *Evidence) { e.P = math.NaN() })},
		"P 1.5":             {[]float64{0.5, 0.5}, bad(func(e *Evidence) { e.P = 1.5 })},
	}
	for name, c := range cases {
		if got, err := Implied(c.prior, c.ev); err == nil {
			t.Errorf("%s: Implied = %v; want an error", name, got)
		}
	}
}

// randEvidence draws indicators shaped like the seed's: each with one
// trigger probability and strength, raising and lowering disjoint sets of
// scenarios; resolved (P 0 or 1) a quarter of the time.
func randEvidence(r *rand.Rand, k, n int) []Evidence {
	var ev []Evidence
	for i := range n {
		p := r.Float64()
		if r.IntN(4) == 0 {
			p = float64(r.IntN(2))
		}
		var raises, lowers []int
		for _, s := range r.Perm(k)[:1+r.IntN(k)] {
			if r.IntN(2) == 0 {
				raises = append(raises, s)
			} else {
				lowers = append(lowers, s)
			}
		}
		ev = append(ev, seedLinks(int64(i+1), p, Strength(1+r.IntN(3)), raises, lowers)...)
	}
	return ev
}

// randPrior is a random forecast bounded away from 0 and 1 by ε.
func randPrior(r *rand.Rand, k int) []float64 {
	p := randProbs(r, k)
	for i := range p {
		p[i] = ImpliedEpsilon + p[i]*(1-float64(k)*ImpliedEpsilon)
	}
	return p
}

func TestImpliedProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(90, 91))
	for range rounds(2000) {
		k := 2 + r.IntN(6)
		prior := randPrior(r, k)
		ev := randEvidence(r, k, r.IntN(20))
		got, err := Implied(prior, ev)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for _, x := range got {
			sum += x
			if x < ImpliedEpsilon-1e-15 || x > 1-ImpliedEpsilon+1e-15 {
				t.Fatalf("Implied(%v, %v) = %v: not within [ε, 1−ε]", prior, ev, got)
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("Implied(%v, %v) = %v sums to %v", prior, ev, got, sum)
		}

		// The order of indicators (and of links) does not matter.
		shuffled := slices.Clone(ev)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		again, _ := Implied(prior, shuffled)
		for i := range got {
			if math.Abs(again[i]-got[i]) > 1e-12 {
				t.Fatalf("Implied depends on order: %v then %v", got, again)
			}
		}

		// No evidence: every trigger at ½, or no links at all.
		neutral := slices.Clone(ev)
		for i := range neutral {
			neutral[i].P = 0.5
		}
		for _, e := range [][]Evidence{nil, neutral} {
			same, _ := Implied(prior, e)
			for i := range prior {
				if math.Abs(same[i]-prior[i]) > 1e-12 {
					t.Fatalf("Implied(%v) without evidence = %v; want the prior", prior, same)
				}
			}
		}

		// Monotonic: raise one indicator's trigger probability and each
		// linked scenario moves in its link's direction.
		if len(ev) == 0 {
			continue
		}
		id := ev[r.IntN(len(ev))].Indicator
		higher, step := slices.Clone(ev), r.Float64()
		for i := range higher {
			if higher[i].Indicator == id {
				higher[i].P += (1 - higher[i].P) * step
			}
		}
		up, _ := Implied(prior, higher)
		for _, e := range ev {
			if e.Indicator != id {
				continue
			}
			if d := (up[e.Scenario] - got[e.Scenario]) * float64(e.Direction); d < -1e-12 {
				t.Fatalf("raising indicator %d moved scenario %d against direction %d: %v -> %v",
					id, e.Scenario, e.Direction, got, up)
			}
		}
	}
}

func TestImpliedStrictlyMonotonic(t *testing.T) {
	prior := []float64{0.25, 0.20, 0.15, 0.40}
	prev := -1.0
	for _, p := range []float64{0, 0.1, 0.5, 0.9, 1} {
		got, _ := Implied(prior, seedLinks(1, p, Moderate, []int{1}, []int{0}))
		if got[1] <= prev {
			t.Errorf("Implied[1] at trigger %v = %v; want above %v", p, got[1], prev)
		}
		prev = got[1]
	}
}

func TestStrengths(t *testing.T) {
	for _, c := range []struct {
		s    string
		want float64
	}{{"weak", 1.5}, {"moderate", 2.5}, {"strong", 5}} {
		s, err := ParseStrength(c.s)
		if err != nil || s.Weight() != c.want || s.String() != c.s {
			t.Errorf("ParseStrength(%q) = %v (%v, weight %v); want weight %v", c.s, s, err, s.Weight(), c.want)
		}
	}
	if _, err := ParseStrength("huge"); err == nil {
		t.Error("ParseStrength(huge): no error")
	}
}
