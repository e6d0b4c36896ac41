package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPosteriorWorkedExample(t *testing.T) {
	a := []float64{1 / 3.5, 2.5 / 3.5, 2.5 / 3.5, 0.5}
	b := []float64{0.8, 0.4, 0.6, 0.2}
	got, err := Posterior([]float64{0.25, 0.20, 0.15, 0.40}, []Observation{{a, 1}, {b, 0}})
	if err != nil {
		t.Fatal(err)
	}
	w := []float64{0.25 * a[0] * 0.2, 0.20 * a[1] * 0.6, 0.15 * a[2] * 0.4, 0.40 * 0.5 * 0.8}
	sum := w[0] + w[1] + w[2] + w[3]
	for k := range w {
		if !near(got[k], w[k]/sum) {
			t.Errorf("Posterior[%d] = %v; want %v", k, got[k], w[k]/sum)
		}
	}
}

// bruteIndicator is an indicator of the brute-force model: a
// distribution over its outcomes under every scenario.
type bruteIndicator struct {
	trigger  Trigger
	options  int
	outcome  []([]float64) // by scenario: P(outcome b | S_k)
	table    []float64
	resolved int // the outcome, or -1 while open
}

// randBruteIndicator draws a binary or ordered indicator. An ordered
// indicator's outcome distribution under scenario k puts P_k on the
// trigger's buckets and 1 − P_k on the others, spread within each side the
// same way under every scenario: the model in which a table per trigger
// says all there is to say. "Higher" and "lower" share a middle bucket
// half and half; their spread is symmetric, so that both sides weigh the
// same and a middle outcome says nothing.
func randBruteIndicator(r *rand.Rand, k int) bruteIndicator {
	table := make([]float64, k)
	for j := range table {
		table[j] = 0.01 + 0.98*r.Float64()
	}
	if r.IntN(3) == 0 {
		ind := bruteIndicator{trigger: Trigger{Kind: TriggerYes}, options: 2, table: table}
		for _, p := range table {
			ind.outcome = append(ind.outcome, []float64{p, 1 - p})
		}
		return ind
	}
	n := 2 + r.IntN(4)
	ind := bruteIndicator{options: n, table: table}
	spread := make([]float64, n)
	for b := range spread {
		spread[b] = 0.2 + r.Float64()
	}
	share := make([]float64, n) // how much of bucket b is the trigger
	switch r.IntN(3) {
	case 0:
		ind.trigger = Trigger{Kind: TriggerOption, Option: r.IntN(n)}
		share[ind.trigger.Option] = 1
	default:
		ind.trigger = Trigger{Kind: TriggerHigher}
		if r.IntN(2) == 0 {
			ind.trigger.Kind = TriggerLower
		}
		for b := range spread[:n/2] {
			spread[n-1-b] = spread[b]
		}
		for b := range share {
			p := make([]float64, n)
			p[b] = 1
			share[b] = ind.trigger.Probability(p)
		}
	}
	var in, out float64
	for b, c := range spread {
		in += share[b] * c
		out += (1 - share[b]) * c
	}
	for _, p := range table {
		dist := make([]float64, n)
		for b, c := range spread {
			dist[b] = p*share[b]*c/in + (1-p)*(1-share[b])*c/out
		}
		ind.outcome = append(ind.outcome, dist)
	}
	return ind
}

// brutePosterior enumerates every scenario and every joint outcome of the
// indicators, keeps those that agree with the resolved ones, and sums.
func brutePosterior(prior []float64, inds []bruteIndicator) []float64 {
	post := make([]float64, len(prior))
	outcome := make([]int, len(inds))
	var walk func(i int, w []float64)
	walk = func(i int, w []float64) {
		if i == len(inds) {
			for k := range post {
				post[k] += w[k]
			}
			return
		}
		for b := range inds[i].options {
			if inds[i].resolved >= 0 && b != inds[i].resolved {
				continue
			}
			outcome[i] = b
			next := make([]float64, len(w))
			for k := range w {
				next[k] = w[k] * inds[i].outcome[k][b]
			}
			walk(i+1, next)
		}
	}
	walk(0, prior)
	normalise(post)
	return post
}

func TestPosteriorMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		k := 1 + r.IntN(5)
		prior := randDistribution(r, k)
		if r.IntN(4) == 0 {
			prior[r.IntN(k)] = 0
			normalise(prior)
		}
		inds := make([]bruteIndicator, r.IntN(6))
		var obs []Observation
		for i := range inds {
			inds[i] = randBruteIndicator(r, k)
			inds[i].resolved = -1
			if r.IntN(4) > 0 {
				// Draw the outcome from a random scenario's distribution.
				dist := inds[i].outcome[r.IntN(k)]
				u, b := r.Float64(), 0
				for ; b < len(dist)-1 && u >= dist[b]; b++ {
					u -= dist[b]
				}
				inds[i].resolved = b
				obs = append(obs, Observation{inds[i].table, inds[i].trigger.Resolved(b, inds[i].options)})
			}
		}
		if slices.Max(prior) == 0 || math.IsNaN(prior[0]) {
			continue
		}
		want := brutePosterior(prior, inds)
		got, err := Posterior(prior, obs)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(got, want); d > 1e-12 {
			t.Fatalf("Posterior(%v, %v) = %v; brute force %v (off by %v)", prior, obs, got, want, d)
		}
	}
}

func TestPosteriorProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 500 {
		k := 1 + r.IntN(6)
		prior := randDistribution(r, k)
		got, err := Posterior(prior, nil)
		if err != nil || maxAbsDiff(got, prior) > 1e-15 {
			t.Fatalf("Posterior(%v, nil) = %v, %v; want the prior", prior, got, err)
		}
		obs := make([]Observation, r.IntN(30))
		for i := range obs {
			obs[i] = Observation{randStrengthTable(t, r, k), float64(r.IntN(2))}
			if r.IntN(10) == 0 {
				obs[i].Happened = 0.5
			}
		}
		got, err = Posterior(prior, obs)
		if err != nil {
			t.Fatal(err)
		}
		checkDistribution(t, "Posterior", got, k)
		shuffled := slices.Clone(obs)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		again, _ := Posterior(prior, shuffled)
		if d := maxAbsDiff(got, again); d > 1e-12 {
			t.Errorf("Posterior depends on the order of the observations: %v vs %v", got, again)
		}
	}
}

func TestPosteriorRobust(t *testing.T) {
	// Hundreds of indicators pointing one way do not underflow.
	var obs []Observation
	for range 400 {
		obs = append(obs, Observation{[]float64{0.01, 0.99}, 1})
	}
	got, err := Posterior([]float64{0.999, 0.001}, obs)
	if err != nil || !(got[1] == 1 && got[0] == 0) && !(got[1] > 1-1e-300) {
		t.Errorf("Posterior with 400 decisive indicators = %v, %v; want S2 certain", got, err)
	}
	// Table entries at the bounds rule scenarios out; ruling out all fails.
	got, err = Posterior([]float64{0.5, 0.5}, []Observation{{[]float64{0, 1}, 1}})
	if err != nil || got[0] != 0 || got[1] != 1 {
		t.Errorf("Posterior with a 0 entry = %v, %v; want [0 1]", got, err)
	}
	if _, err := Posterior([]float64{1, 0}, []Observation{{[]float64{0, 1}, 1}}); err == nil {
		t.Error("Posterior with impossible outcomes succeeded; want an error")
	}
	if got, err := Posterior([]float64{1}, []Observation{{[]float64{0.3}, 0}}); err != nil || got[0] != 1 {
		t.Errorf("Posterior over one scenario = %v, %v; want [1]", got, err)
	}
	bad := [][]Observation{
		{{[]float64{0.5}, 1}},
		{{[]float64{0.5, 1.2}, 1}},
		{{[]float64{0.5, 0.5}, 2}},
		{{[]float64{0.5, 0.5}, math.NaN()}},
	}
	for _, obs := range bad {
		if _, err := Posterior([]float64{0.5, 0.5}, obs); err == nil {
			t.Errorf("Posterior(%v) succeeded; want an error", obs)
		}
	}
	for _, prior := range [][]float64{nil, {0.5, 0.6}, {math.NaN(), 1}, {0.5}} {
		if _, err := Posterior(prior, nil); err == nil {
			t.Errorf("Posterior(%v, nil) succeeded; want an error", prior)
		}
	}
}

// TestPosteriorCalibration simulates tournaments in which the world
// follows the model: the true scenario is drawn from the prior and each
// indicator's outcome from its table. Resolving the indicators one at a
// time, the posterior's probabilities are calibrated, and it beats the
// prior's Brier score on the true scenario.
func TestPosteriorCalibration(t *testing.T) {
	const (
		tournaments = 10_000
		scenarios   = 4
		indicators  = 17
		bins        = 10
		enough      = 2000 // samples for a bin to be checked
	)
	r := rand.New(rand.NewPCG(9, 10))
	var n, hits [bins]float64
	var sum [bins]float64
	var brierPost, brierPrior float64
	var steps int
	for range tournaments {
		prior := randDistribution(r, scenarios)
		truth := draw(r, prior)
		post := slices.Clone(prior)
		for range indicators {
			table := randStrengthTable(t, r, scenarios)
			happened := 0.0
			if r.Float64() < table[truth] {
				happened = 1
			}
			// One step of Posterior is the whole of it, as the order does
			// not matter: update the running posterior.
			var err error
			post, err = Posterior(post, []Observation{{table, happened}})
			if err != nil {
				t.Fatal(err)
			}
			steps++
			for k, p := range post {
				b := min(int(p*bins), bins-1)
				n[b]++
				sum[b] += p
				if k == truth {
					hits[b]++
				}
			}
			brierPost += Brier(MultipleChoice, post, truth)
			brierPrior += Brier(MultipleChoice, prior, truth)
		}
	}
	for b := range bins {
		if n[b] < enough {
			continue
		}
		mean, freq := sum[b]/n[b], hits[b]/n[b]
		if math.Abs(mean-freq) > 0.02 {
			t.Errorf("bin %d: mean posterior %.4f, observed %.4f over %v samples; want within 0.02", b, mean, freq, n[b])
		}
	}
	brierPost /= float64(steps)
	brierPrior /= float64(steps)
	if brierPost > brierPrior {
		t.Errorf("mean Brier of the posterior %v; prior's %v: want no worse", brierPost, brierPrior)
	}
	t.Logf("mean Brier: posterior %.4f, prior %.4f over %d steps", brierPost, brierPrior, steps)
}

// draw returns an index drawn from the distribution p.
func draw(r *rand.Rand, p []float64) int {
	u := r.Float64()
	for k, x := range p[:len(p)-1] {
		if u < x {
			return k
		}
		u -= x
	}
	return len(p) - 1
}

// checkDistribution fails t unless p is a distribution over k options.
func checkDistribution(t *testing.T, name string, p []float64, k int) {
	t.Helper()
	if len(p) != k {
		t.Fatalf("%s has %d entries; want %d", name, len(p), k)
	}
	var s float64
	for _, x := range p {
		if !(x >= 0 && x <= 1) {
			t.Fatalf("%s = %v; want every entry in [0, 1]", name, p)
		}
		s += x
	}
	if math.Abs(s-1) > 1e-9 {
		t.Fatalf("%s = %v sums to %v; want 1", name, p, s)
	}
}
