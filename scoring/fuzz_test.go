package scoring

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func FuzzValidate(f *testing.F) {
	f.Add([]byte{}, 2)
	for _, p := range [][]float64{{0.5, 0.5}, {0.1, 0.2, 0.7}, {1, 0}, {0.5, 0.4}, {math.NaN(), 1}, {1.2, -0.2}} {
		b := make([]byte, 8*len(p))
		for i, x := range p {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
		}
		f.Add(b, len(p))
	}
	f.Fuzz(func(t *testing.T, data []byte, k int) {
		p := make([]float64, len(data)/8)
		for i := range p {
			p[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		err := Validate(p, k)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Message == "" {
				t.Fatalf("Validate(%v, %d) = %#v; want a *ValidationError with a message", p, k, err)
			}
			return
		}
		var sum float64
		for _, x := range p {
			if !(x >= 0 && x <= 1) {
				t.Fatalf("Validate accepted %v", p)
			}
			sum += x
		}
		if len(p) != k || math.Abs(sum-1) > SumTolerance {
			t.Fatalf("Validate accepted %v for %d options", p, k)
		}
		for _, kind := range []Kind{Binary, MultipleChoice, Ordered} {
			for j := range p {
				if b := Brier(kind, p, j); !(b >= 0 && b <= 2.0001) {
					t.Fatalf("Brier(%v, %v, %d) = %v for a valid forecast", kind, p, j, b)
				}
			}
		}
	})
}

// byteSource feeds math/rand from the fuzzer's bytes, one byte a draw
// spread over the 64 bits so that IntN(n) covers [0, n), then from a
// fixed generator once the bytes run out (a constant stream would make
// rand's rejection sampling loop forever).
type byteSource struct {
	b    []byte
	tail rand.PCG
}

func (s *byteSource) Uint64() uint64 {
	if len(s.b) == 0 {
		return s.tail.Uint64()
	}
	x := uint64(s.b[0]) * 0x0101010101010101
	s.b = s.b[1:]
	return x
}

func FuzzScoreQuestion(f *testing.F) {
	f.Add([]byte{}, false)
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, false)
	f.Add([]byte{255, 0, 255, 0, 17, 200, 3, 90}, true)
	f.Add([]byte("question at midnight with teams"), true)
	f.Fuzz(func(t *testing.T, data []byte, wild bool) {
		r := rand.New(&byteSource{b: data})
		c := genQuestion(r, 60)
		if wild {
			corrupt(r, &c)
		}
		res, err := ScoreQuestion(c.q, c.fs, c.teams)
		if err == nil {
			checkFinite(t, c, res)
			if !wild {
				if err := compareWithReference(c); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, p := range CrowdSeries(c.q, c.fs, c.until) {
			var sum float64
			for _, x := range p.Probs {
				if !(x >= 0 && x <= 1) {
					t.Fatalf("CrowdSeries point %+v", p)
				}
				sum += x
			}
			if math.Abs(sum-1) > 1e-9 || p.Forecasters < 1 {
				t.Fatalf("CrowdSeries point %+v", p)
			}
		}
		if days, err := UserDays(c.q, c.fs, 1); err == nil {
			for _, d := range days {
				if math.IsNaN(d.Brier) || math.IsNaN(d.Median) {
					t.Fatalf("UserDays: %+v", d)
				}
			}
		}
	})
}

// corrupt breaks c the ways bad data could: any kind, option count and
// outcome, times anywhere in time.Time's range, invalid probabilities,
// forecasts out of order.
func corrupt(r *rand.Rand, c *genCase) {
	q := &c.q
	switch r.IntN(8) {
	case 0:
		q.Kind = Kind(r.IntN(5))
	case 1:
		q.Options = r.IntN(6)
	case 2:
		q.Outcome = r.IntN(q.Options+2) - 1
	case 3:
		q.OpensAt = time.Unix(int64(r.Uint64()), 0)
	case 4:
		q.ClosesAt = time.Unix(int64(r.Uint64()), int64(r.IntN(1e9)))
	}
	for i := range c.fs {
		switch r.IntN(10) {
		case 0:
			c.fs[i].Probs[r.IntN(len(c.fs[i].Probs))] = math.Float64frombits(r.Uint64())
		case 1:
			c.fs[i].Probs = c.fs[i].Probs[:r.IntN(len(c.fs[i].Probs)+1)]
		case 2:
			c.fs[i].At = time.Unix(int64(r.Uint64()), 0)
		}
	}
}

func checkFinite(t *testing.T, c genCase, res Result) {
	t.Helper()
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	for _, u := range res.Users {
		if !finite(u.Brier) || !finite(u.CrowdBrier) || !finite(u.Relative) ||
			u.DaysForecast < 1 || u.DaysForecast > u.DaysTotal || u.Brier < 0 || u.Brier > 2+1e-9 {
			t.Fatalf("user score %+v for %+v", u, c.q)
		}
	}
	for _, tm := range res.Teams {
		if !finite(tm.Brier) || !finite(tm.Relative) || tm.DaysForecast < 1 || tm.DaysForecast > tm.DaysTotal {
			t.Fatalf("team score %+v for %+v", tm, c.q)
		}
	}
	if len(res.Median) != c.q.Days() {
		t.Fatalf("%d medians for %d days", len(res.Median), c.q.Days())
	}
	for _, m := range res.Median {
		if !math.IsNaN(m) && !(m >= 0 && m <= 2+1e-9) {
			t.Fatalf("median %v", m)
		}
	}
}
