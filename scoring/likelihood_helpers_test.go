package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randStrengthTable draws an indicator's links as an admin might state
// them (each scenario raised, lowered or left alone, one strength for all)
// and returns its table over k scenarios.
func randStrengthTable(t testing.TB, r *rand.Rand, k int) []float64 {
	t.Helper()
	s := Strength(1 + r.IntN(3))
	var links []StrengthLink
	for j := range k {
		switch r.IntN(3) {
		case 0:
			links = append(links, StrengthLink{Scenario: j, Direction: 1, Strength: s})
		case 1:
			links = append(links, StrengthLink{Scenario: j, Direction: -1, Strength: s})
		}
	}
	table, err := LikelihoodFromStrengths(k, links)
	if err != nil {
		t.Fatal(err)
	}
	return table
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
