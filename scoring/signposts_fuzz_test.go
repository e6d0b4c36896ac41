package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzImplied drives Implied with seeds for random priors and evidence,
// including extreme trigger probabilities and hundreds of links: whatever
// it accepts, the answer is a distribution within [ε, 1−ε].
func FuzzImplied(f *testing.F) {
	f.Add(uint64(1), uint8(4), uint8(3))
	f.Add(uint64(2), uint8(2), uint8(200))
	f.Add(uint64(3), uint8(9), uint8(0))
	f.Fuzz(func(t *testing.T, seed uint64, k, n uint8) {
		r := rand.New(rand.NewPCG(seed, 7))
		scenarios := 2 + int(k)%20
		prior := randProbs(r, scenarios) // may hold zeros and ones
		ev := randEvidence(r, scenarios, int(n))
		got, err := Implied(prior, ev)
		if err != nil {
			t.Fatalf("Implied(%v, %d links): %v", prior, len(ev), err)
		}
		var sum float64
		for _, x := range got {
			if !(x >= ImpliedEpsilon-1e-12 && x <= 1-ImpliedEpsilon+1e-12) {
				t.Fatalf("Implied = %v: %v outside [ε, 1−ε]", got, x)
			}
			sum += x
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("Implied = %v sums to %v", got, sum)
		}
	})
}
