package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// expectedBrier is the expected score of report r when outcomes are drawn
// from the true distribution q.
func expectedBrier(kind Kind, r, q []float64) float64 {
	var s float64
	for j, qj := range q {
		s += qj * Brier(kind, r, j)
	}
	return s
}

// TestPropriety checks that the score is proper: reporting the true
// distribution minimises the expected score, so honesty pays.
func TestPropriety(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, kind := range []Kind{Binary, MultipleChoice, Ordered} {
		for range rounds(500) {
			k := 2
			if kind != Binary {
				k = 2 + r.IntN(8)
			}
			q := randProbs(r, k)
			truth := expectedBrier(kind, q, q)
			for range 50 {
				report := randProbs(r, k)
				if r.IntN(2) == 0 { // a report near the truth
					for i := range report {
						report[i] = 0.9*q[i] + 0.1*report[i]
					}
				}
				if got := expectedBrier(kind, report, q); got < truth-1e-12 {
					t.Fatalf("%v: E[Brier(%v)] = %v < E[Brier(truth %v)] = %v", kind, report, got, q, truth)
				}
			}
		}
	}
}

func TestBrierRange(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, kind := range []Kind{Binary, MultipleChoice, Ordered} {
		for range 5000 {
			k := 2
			if kind != Binary {
				k = 2 + r.IntN(19)
			}
			p, j := randProbs(r, k), r.IntN(k)
			if b := Brier(kind, p, j); !(b >= 0 && b <= 2+1e-12) {
				t.Fatalf("Brier(%v, %v, %d) = %v; want within [0, 2]", kind, p, j, b)
			}
		}
		// The extremes: certain and right, certain and wrong by the most.
		for _, k := range []int{2, 3, 7} {
			p := make([]float64, k)
			p[0] = 1
			if b := Brier(kind, p, 0); b != 0 {
				t.Errorf("Brier(%v, %v, 0) = %v; want 0", kind, p, b)
			}
			if b := Brier(kind, p, k-1); !near(b, 2) {
				t.Errorf("Brier(%v, %v, %d) = %v; want 2", kind, p, k-1, b)
			}
		}
	}
}

// TestTwoForecastersRelativeSumsToZero: with two forecasters the median
// is their mean on shared days and the lone score otherwise, so what one
// gains the other loses.
func TestTwoForecastersRelativeSumsToZero(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	checked := 0
	for range rounds(3000) {
		c := genQuestion(r, 100)
		for i := range c.fs {
			c.fs[i].User = 1 + c.fs[i].User%2
		}
		res, err := ScoreQuestion(c.q, c.fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Users) != 2 {
			continue
		}
		checked++
		if s := res.Users[0].Relative + res.Users[1].Relative; math.Abs(s) > 1e-12 {
			t.Fatalf("relatives %v and %v sum to %v; want 0", res.Users[0].Relative, res.Users[1].Relative, s)
		}
	}
	if checked < rounds(500) {
		t.Errorf("only %d two-forecaster questions checked", checked)
	}
}

// TestMedianSet drives the two-heap median through random updates and
// compares it with sorting after each one.
func TestMedianSet(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range rounds(200) {
		var m medianSet
		vals := map[int32]float64{}
		for range 300 {
			s := int32(r.IntN(40))
			v := float64(r.IntN(8)) / 4 // many ties
			if r.IntN(2) == 0 {
				v = r.Float64() * 2
			}
			m.set(s, v)
			vals[s] = v
			var xs []float64
			for _, x := range vals {
				xs = append(xs, x)
			}
			if got, want := m.median(), refMedian(xs); got != want || m.len() != len(xs) {
				t.Fatalf("median = %v of %d; want %v of %d", got, m.len(), want, len(xs))
			}
		}
	}
}

// TestMedianSmall checks the min/max networks of median against sorting,
// with many ties.
func TestMedianSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range rounds(100000) {
		xs := make([]float64, 1+r.IntN(8))
		for i := range xs {
			xs[i] = float64(r.IntN(4)) / 3
			if r.IntN(2) == 0 {
				xs[i] = r.Float64()
			}
		}
		want := refMedian(xs)
		if got := median(slices.Clone(xs)); got != want {
			t.Fatalf("median(%v) = %v; want %v", xs, got, want)
		}
	}
}
