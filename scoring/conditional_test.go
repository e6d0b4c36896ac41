package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// conditionalExample is the worked example of LikelihoodRatios: three
// forecasters' branches over four scenarios.
func conditionalExample() (ifYes, ifNo []float64) {
	ifYes = Crowd([][]float64{{0.10, 0.50, 0.20, 0.20}, {0.20, 0.40, 0.10, 0.30}, {0.10, 0.40, 0.20, 0.30}})
	ifNo = Crowd([][]float64{{0.30, 0.10, 0.20, 0.40}, {0.20, 0.20, 0.10, 0.50}, {0.30, 0.10, 0.20, 0.40}})
	return ifYes, ifNo
}

func TestLikelihoodRatiosWorkedExample(t *testing.T) {
	ifYes, ifNo := conditionalExample()
	got, err := LikelihoodRatios(ifYes, ifNo)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: medians 10/40/20/30 and 30/10/20/40.
	want := []float64{1.0 / 3, 4, 1, 0.75}
	for k := range want {
		if math.Abs(got[k]-want[k]) > 1e-9 {
			t.Errorf("LikelihoodRatios(%v, %v)[%d] = %v; want %v", ifYes, ifNo, k, got[k], want[k])
		}
	}
	tp, err := TotalProbability(0.6, ifYes, ifNo)
	if err != nil {
		t.Fatal(err)
	}
	wantTP := []float64{0.18, 0.28, 0.20, 0.34}
	for k := range wantTP {
		if math.Abs(tp[k]-wantTP[k]) > 1e-9 {
			t.Errorf("TotalProbability(0.6, …)[%d] = %v; want %v", k, tp[k], wantTP[k])
		}
	}
	if d := TVDistance(tp, []float64{0.25, 0.20, 0.15, 0.40}); math.Abs(d-0.13) > 1e-9 {
		t.Errorf("gap to the direct forecast = %v; want 0.13", d)
	}
}

// randomForecast returns a random forecast over k options, sometimes with
// zeros so that the clamping is exercised.
func randomForecast(r *rand.Rand, k int) []float64 {
	p := make([]float64, k)
	var s float64
	for i := range p {
		if r.IntN(5) > 0 {
			p[i] = r.Float64()
		}
		s += p[i]
	}
	if s == 0 {
		p[r.IntN(k)], s = 1, 1
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

func TestLikelihoodRatiosProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	for n := 0; n < 2000; n++ {
		k := 2 + r.IntN(5)
		yes, no := randomForecast(r, k), randomForecast(r, k)
		same, err := LikelihoodRatios(yes, yes)
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range same {
			if math.Abs(x-1) > 1e-12 {
				t.Fatalf("branches agree on %v but ratio[%d] = %v; want 1", yes, i, x)
			}
		}
		lr, err := LikelihoodRatios(yes, no)
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range lr {
			if math.IsInf(x, 0) || math.IsNaN(x) || x <= 0 {
				t.Fatalf("ratio[%d] = %v for %v / %v; want finite and positive", i, x, yes, no)
			}
			// Direction follows the branches. The margin covers the
			// clamping, which rescales each branch by less than 1 %.
			y, o := math.Max(yes[i], ImpliedEpsilon), math.Max(no[i], ImpliedEpsilon)
			switch {
			case y > 1.01*o && x <= 1:
				t.Fatalf("P(S%d|Yes) %v > P(S%d|No) %v but ratio %v <= 1", i, yes[i], i, no[i], x)
			case o > 1.01*y && x >= 1:
				t.Fatalf("P(S%d|Yes) %v < P(S%d|No) %v but ratio %v >= 1", i, yes[i], i, no[i], x)
			}
			if dir, o := Oriented(x); o < 1 || (dir > 0) != (x >= 1) || math.Abs(math.Pow(o, float64(dir))-x) > 1e-9*x {
				t.Fatalf("Oriented(%v) = %d, %v", x, dir, o)
			}
		}
		// Total probability lies between the branches and sums to 1.
		q := r.Float64()
		tp, err := TotalProbability(q, yes, no)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for i, x := range tp {
			sum += x
			if x < math.Min(yes[i], no[i])-1e-12 || x > math.Max(yes[i], no[i])+1e-12 {
				t.Fatalf("TotalProbability(%v)[%d] = %v outside its branches %v, %v", q, i, x, yes[i], no[i])
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("TotalProbability sums to %v", sum)
		}
	}
}

func TestLikelihoodRatiosRejects(t *testing.T) {
	for _, c := range []struct {
		name    string
		yes, no []float64
	}{
		{"lengths differ", []float64{0.5, 0.5}, []float64{0.2, 0.3, 0.5}},
		{"one option", []float64{1}, []float64{1}},
		{"not a forecast", []float64{0.5, 0.6}, []float64{0.5, 0.5}},
		{"NaN", []float64{0.5, 0.5}, []float64{math.NaN(), 0.5}},
	} {
		if _, err := LikelihoodRatios(c.yes, c.no); err == nil {
			t.Errorf("%s: LikelihoodRatios(%v, %v) succeeded; want an error", c.name, c.yes, c.no)
		}
		if _, err := TotalProbability(0.5, c.yes, c.no); err == nil {
			t.Errorf("%s: TotalProbability(%v, %v) succeeded; want an error", c.name, c.yes, c.no)
		}
	}
	if _, err := TotalProbability(1.5, []float64{0.5, 0.5}, []float64{0.5, 0.5}); err == nil {
		t.Error("TotalProbability(1.5, …) succeeded; want an error")
	}
}

// A crowd ratio equal to a strength's weight moves the implied figures
// exactly as that strength does: the crowd replaces the admin's number,
// not the rule.
func TestImpliedWithCrowdRatio(t *testing.T) {
	prior, ev := workedExample()
	want, err := Implied(prior, ev)
	if err != nil {
		t.Fatal(err)
	}
	crowd := make([]Evidence, len(ev))
	for i, e := range ev {
		e.Ratio, e.Strength = e.Strength.Weight(), 0
		crowd[i] = e
	}
	got, err := Implied(prior, crowd)
	if err != nil {
		t.Fatal(err)
	}
	for k := range want {
		if math.Abs(got[k]-want[k]) > 1e-12 {
			t.Errorf("Implied with ratios [%d] = %v; want %v", k, got[k], want[k])
		}
	}
	for _, bad := range []float64{0.5, math.Inf(1), math.NaN(), -2} {
		e := crowd[0]
		e.Ratio = bad
		if _, err := Implied(prior, []Evidence{e}); err == nil {
			t.Errorf("Implied with ratio %v succeeded; want an error", bad)
		}
	}
}

func TestTriggerAtLeast(t *testing.T) {
	tr := Trigger{Kind: TriggerAtLeast, Option: 2}
	p := []float64{0.1, 0.2, 0.3, 0.4}
	if got := tr.Probability(p); math.Abs(got-0.7) > 1e-12 {
		t.Errorf("P(at or above bucket 2 of %v) = %v; want 0.7", p, got)
	}
	if tr.Resolved(2, 4) != 1 || tr.Resolved(1, 4) != 0 || tr.String() != ">=2" {
		t.Errorf("Resolved(2) %v, Resolved(1) %v, String %q; want 1, 0, >=2", tr.Resolved(2, 4), tr.Resolved(1, 4), tr.String())
	}
}
