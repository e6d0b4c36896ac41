package scoring

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkImpliedByForecasts is one board's implied distribution: the
// seed's 17 indicators over 4 scenarios, forecasts a little off coherent.
func BenchmarkImpliedByForecasts(b *testing.B) {
	r := rand.New(rand.NewPCG(19, 20))
	tables := make([][]float64, len(seedSignals))
	for i, s := range seedSignals {
		tables[i] = s.table(b, 4)
	}
	open := coherentOpen(randDistribution(r, 4), tables)
	for i := range open {
		open[i].P = min(max(open[i].P+0.1*(r.Float64()-0.5), 0), 1)
	}
	evidence := []float64{0.25, 0.25, 0.25, 0.25}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ImpliedByForecasts(evidence, open); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImpliedRange is the range of one board: 200 resamples of 30
// forecasters over 17 indicators.
func BenchmarkImpliedRange(b *testing.B) {
	r := rand.New(rand.NewPCG(21, 22))
	evidence, inds, forecasts := rangeSetup(b, r, 30)
	opts := RangeOptions{Seed: 1, Resamples: 200}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ImpliedRange(evidence, inds, forecasts, opts); err != nil {
			b.Fatal(err)
		}
	}
}
