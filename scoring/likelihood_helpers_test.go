package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// signal is an indicator's links as an admin states them: which
// scenarios its trigger raises and lowers, and how strongly.
type signal struct {
	raises, lowers []int
	strength       Strength
}

// table is the likelihood table of s over k scenarios.
func (s signal) table(t testing.TB, k int) []float64 {
	t.Helper()
	var links []StrengthLink
	for _, j := range s.raises {
		links = append(links, StrengthLink{Scenario: j, Direction: 1, Strength: s.strength})
	}
	for _, j := range s.lowers {
		links = append(links, StrengthLink{Scenario: j, Direction: -1, Strength: s.strength})
	}
	table, err := LikelihoodFromStrengths(k, links)
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// randSignal draws an indicator's links over k scenarios: each scenario
// raised, lowered or left alone, one strength for all.
func randSignal(r *rand.Rand, k int) signal {
	s := signal{strength: Strength(1 + r.IntN(3))}
	for j := range k {
		switch r.IntN(3) {
		case 0:
			s.raises = append(s.raises, j)
		case 1:
			s.lowers = append(s.lowers, j)
		}
	}
	return s
}

// randStrengthTable is the table of a random signal.
func randStrengthTable(t testing.TB, r *rand.Rand, k int) []float64 {
	t.Helper()
	return randSignal(r, k).table(t, k)
}

// randDistribution draws a distribution over k scenarios with every
// entry positive (a Dirichlet(1, …, 1) draw).
func randDistribution(r *rand.Rand, k int) []float64 {
	p := make([]float64, k)
	for j := range p {
		p[j] = r.ExpFloat64()
	}
	normalise(p)
	return p
}

// rank is the numerical rank of the rows (each of length k) by Gaussian
// elimination with partial pivoting.
func rank(rows [][]float64, k int) int {
	m := make([][]float64, len(rows))
	for i, row := range rows {
		m[i] = append([]float64(nil), row...)
	}
	r := 0
	for c := 0; c < k && r < len(m); c++ {
		piv := r
		for i := r + 1; i < len(m); i++ {
			if math.Abs(m[i][c]) > math.Abs(m[piv][c]) {
				piv = i
			}
		}
		if math.Abs(m[piv][c]) < 1e-6 {
			continue
		}
		m[r], m[piv] = m[piv], m[r]
		for i := r + 1; i < len(m); i++ {
			f := m[i][c] / m[r][c]
			for j := c; j < k; j++ {
				m[i][j] -= f * m[r][j]
			}
		}
		r++
	}
	return r
}

// coherentOpen returns the open indicators whose forecasts are exactly
// what the scenario forecast f predicts through their tables.
func coherentOpen(f []float64, tables [][]float64) []OpenIndicator {
	out := make([]OpenIndicator, len(tables))
	for i, t := range tables {
		out[i] = OpenIndicator{Indicator: int64(i + 1), Likelihood: t, P: ExpectedTrigger(f, t)}
	}
	return out
}

func maxAbsDiff(p, q []float64) float64 {
	var d float64
	for i := range p {
		d = max(d, math.Abs(p[i]-q[i]))
	}
	return d
}
