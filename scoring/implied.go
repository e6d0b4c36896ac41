package scoring

import (
	"fmt"
	"math"
)

// OpenIndicator is an open indicator as [ImpliedByForecasts] reads it: its
// likelihood table and a forecast of its trigger (the crowd's, or one
// forecaster's).
type OpenIndicator struct {
	Indicator  int64     // identifies the indicator in [TableCoherence]'s drivers
	Likelihood []float64 // P(trigger | S_k)
	P          float64   // forecast probability of the trigger
}

// ImpliedPenalty is the weight λ of the pull towards the evidence
// posterior in [ImpliedByForecasts]: small enough to move a neutral
// answer by well under 0.001, large enough to decide every direction the
// indicator forecasts leave open.
const ImpliedPenalty = 1e-8

// The Newton iteration of ImpliedByForecasts stops once no probability
// moves by more than impliedTolerance in a step, or the step could raise
// the objective by no more than its rounding (about 1e-15 of it: along a
// direction only the penalty decides, steps of 1e-11 go back and forth
// in the last bits); impliedMaxSteps is a backstop that random tests
// never reach (boards like the seed's take at most about 30 steps; 255
// indicators over 20 scenarios with entries at the bounds, about 120).
const (
	impliedTolerance = 1e-10
	impliedMaxSteps  = 500
)

// startFloor is how far the start and the penalty's target are kept from
// 0: a scenario the evidence gives 0 (a prior of 0) can still be implied
// by the indicators, and the penalty stays strictly concave.
const startFloor = 1e-9

// ImpliedByForecasts returns the scenario distribution that best explains
// the open indicators' forecasts: the p on the simplex maximising
//
//	Σ_I [ q_I ln a_I(p) + (1 − q_I) ln(1 − a_I(p)) ] − λ · KL(e ‖ p),
//	a_I(p) = Σ_k p_k · P_Ik ([ExpectedTrigger])
//
// where q_I is indicator I's forecast, P_I its table (clamped to
// [LikelihoodMin, LikelihoodMax]), e the evidence posterior ([Posterior])
// and λ = [ImpliedPenalty]. The first sum is the log-likelihood of the
// forecasts read as fractional outcomes; it is concave in p and largest
// where every a_I equals q_I, if some p achieves that. So a crowd whose
// indicator forecasts are exactly what its scenario forecast predicts
// gets its own scenario forecast back (up to the penalty's pull, far
// below a displayed digit) whenever the tables determine p (the tables,
// as rows of an n × K matrix, have rank K): nothing is counted twice.
// Where the indicators leave a direction undetermined (fewer indicators
// than scenarios, identical tables) or tie, the penalty settles it
// towards the evidence posterior: among the distributions that explain
// the forecasts equally well, the one closest to e. With no open
// indicator the result is e itself.
//
// The maximum is found by Newton's method on the simplex, started from e
// (kept at least startFloor from 0): each step solves the quadratic model
// under Σ Δ = 0, is shortened so that every p_k keeps at least 1 % of its
// value, and halved until the objective rises enough (Armijo); the
// penalty's λ e_k / p_k² curvature makes the Hessian negative definite, so
// each step is defined and the maximum unique. It stops when no p_k moves
// by more than 1e-10 or the objective cannot rise beyond its rounding,
// typically after 5 to 30 steps. The EM (multiplicative) iteration for
// mixture weights would need no linear algebra, but its rate is the
// share of information the indicators leave out, close to 1 for tables
// as alike as weak and moderate links make them, and it barely moves
// along the directions only the penalty decides: thousands of steps where
// Newton's method takes a few.
//
// Worked example (ExampleImpliedByForecasts): two scenarios, uniform
// evidence, one indicator with table 0.8/0.2 forecast at 0.62. The
// scenario forecast that predicts 0.62 is p with 0.8·p_1 + 0.2·(1 − p_1)
// = 0.62, p_1 = 0.7: the implied distribution is 70/30. The example's
// second part gives a crowd forecast 25/20/15/40 and four indicators
// forecast at what it predicts: the implied distribution is 25/20/15/40,
// where [Implied] would move it by the crowd's indicator forecasts a
// second time.
//
// It fails if evidence is not a distribution or an indicator's table or
// forecast is malformed.
func ImpliedByForecasts(evidence []float64, open []OpenIndicator) ([]float64, error) {
	if err := checkScenarios(evidence); err != nil {
		return nil, fmt.Errorf("scoring: evidence: %w", err)
	}
	for i, o := range open {
		if err := checkOpen(o, len(evidence)); err != nil {
			return nil, fmt.Errorf("scoring: open indicator %d: %w", i, err)
		}
	}
	return impliedByForecasts(evidence, open), nil
}

func checkOpen(o OpenIndicator, k int) error {
	if err := checkTable(o.Likelihood, k); err != nil {
		return err
	}
	if !(o.P >= 0 && o.P <= 1) {
		return fmt.Errorf("scoring: forecast %v is not in [0, 1]", o.P)
	}
	return nil
}

// impliedByForecasts is ImpliedByForecasts on checked input.
func impliedByForecasts(evidence []float64, open []OpenIndicator) []float64 {
	k := len(evidence)
	if len(open) == 0 || k == 1 {
		out := append([]float64(nil), evidence...)
		normalise(out)
		return out
	}
	s := newImpliedSolver(evidence, open)
	return s.solve()
}

// impliedSolver holds the problem and the work space of one solve.
type impliedSolver struct {
	k      int
	tables [][]float64 // clamped
	q      []float64
	target []float64 // e, floored
	p      []float64
	// work space
	grad, step, x, y, trial []float64
	hess                    []float64 // k×k, row-major
}

func newImpliedSolver(evidence []float64, open []OpenIndicator) *impliedSolver {
	k := len(evidence)
	s := &impliedSolver{k: k, tables: make([][]float64, len(open)), q: make([]float64, len(open))}
	for i, o := range open {
		t := make([]float64, k)
		for j, x := range o.Likelihood {
			t[j] = clampLikelihood(x)
		}
		s.tables[i], s.q[i] = t, o.P
	}
	s.target = make([]float64, k)
	for j, x := range evidence {
		s.target[j] = max(x, 0)*(1-startFloor) + startFloor/float64(k)
	}
	normalise(s.target)
	s.p = append([]float64(nil), s.target...)
	s.grad, s.step, s.x, s.y, s.trial = make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	s.hess = make([]float64, k*k)
	return s
}

// objective is the maximised function at p.
func (s *impliedSolver) objective(p []float64) float64 {
	var f float64
	for i, t := range s.tables {
		a := ExpectedTrigger(p, t)
		q := s.q[i]
		if q > 0 {
			f += q * math.Log(a)
		}
		if q < 1 {
			f += (1 - q) * math.Log(1-a)
		}
	}
	for j, e := range s.target {
		f += ImpliedPenalty * e * math.Log(p[j])
	}
	return f
}

// derivatives fills grad and the negated Hessian at s.p.
func (s *impliedSolver) derivatives() {
	k := s.k
	clear(s.grad)
	clear(s.hess)
	for i, t := range s.tables {
		a := ExpectedTrigger(s.p, t)
		q := s.q[i]
		c := q/a - (1-q)/(1-a)
		d := q/(a*a) + (1-q)/((1-a)*(1-a))
		for j := range k {
			s.grad[j] += c * t[j]
			row := s.hess[j*k:]
			for l := 0; l <= j; l++ {
				row[l] += d * t[j] * t[l]
			}
		}
	}
	for j, e := range s.target {
		s.grad[j] += ImpliedPenalty * e / s.p[j]
		s.hess[j*k+j] += ImpliedPenalty * e / (s.p[j] * s.p[j])
	}
}

func (s *impliedSolver) solve() []float64 {
	k := s.k
	f := s.objective(s.p)
	for range impliedMaxSteps {
		s.derivatives()
		if !choleskyLower(s.hess, k) {
			break // not reached: the penalty keeps the matrix positive definite
		}
		// Newton step under Σ Δ = 0: Δ = M⁻¹(g − ν·1) with M the negated
		// Hessian and ν chosen so that the step sums to 0.
		copy(s.x, s.grad)
		choleskySolve(s.hess, k, s.x)
		for j := range s.y {
			s.y[j] = 1
		}
		choleskySolve(s.hess, k, s.y)
		var sx, sy float64
		for j := range k {
			sx += s.x[j]
			sy += s.y[j]
		}
		nu := sx / sy
		var slope, largest float64
		t := 1.0
		for j := range k {
			s.step[j] = s.x[j] - nu*s.y[j]
			slope += s.grad[j] * s.step[j]
			largest = max(largest, math.Abs(s.step[j]))
			if s.step[j] < 0 {
				t = min(t, 0.99*s.p[j]/-s.step[j])
			}
		}
		if largest <= impliedTolerance || slope <= 1e-15*(1+math.Abs(f)) {
			break
		}
		// Near the maximum the rise is below the objective's rounding:
		// take the step as Newton's method would.
		tiny := slope <= 1e-13*(1+math.Abs(f))
		for range 60 {
			for j := range k {
				s.trial[j] = s.p[j] + t*s.step[j]
			}
			if tiny {
				break
			}
			if g := s.objective(s.trial); g >= f+1e-4*t*slope {
				f = g
				break
			}
			t /= 2
		}
		copy(s.p, s.trial)
		normalise(s.p)
		if tiny {
			f = s.objective(s.p)
		}
		if t*largest <= impliedTolerance {
			break
		}
	}
	return append([]float64(nil), s.p...)
}

// choleskyLower overwrites the lower triangle of the symmetric positive
// definite k×k matrix m (row-major) with its Cholesky factor L, m = L·Lᵀ.
// It reports false if m is not positive definite.
func choleskyLower(m []float64, k int) bool {
	for j := range k {
		d := m[j*k+j]
		for l := range j {
			d -= m[j*k+l] * m[j*k+l]
		}
		if !(d > 0) {
			return false
		}
		d = math.Sqrt(d)
		m[j*k+j] = d
		for i := j + 1; i < k; i++ {
			v := m[i*k+j]
			for l := range j {
				v -= m[i*k+l] * m[j*k+l]
			}
			m[i*k+j] = v / d
		}
	}
	return true
}

// choleskySolve solves L·Lᵀ·x = b in place, with L from choleskyLower.
func choleskySolve(m []float64, k int, b []float64) {
	for i := range k {
		v := b[i]
		for l := range i {
			v -= m[i*k+l] * b[l]
		}
		b[i] = v / m[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		v := b[i]
		for l := i + 1; l < k; l++ {
			v -= m[l*k+i] * b[l]
		}
		b[i] = v / m[i*k+i]
	}
}
