package scoring

import (
	"math"
	"slices"
)

// medianSet holds one value per slot (a user) and gives their median in
// O(1) after O(log n) updates. The daily crowd median changes by a few
// users' values a day, so re-sorting every user every day would dominate
// the cost of a tournament recompute.
//
// The values are split into two heaps, lo (a max-heap of the lower half)
// and hi (a min-heap of the upper half), with len(lo) == len(hi) or
// len(hi)+1 and every value of lo <= every value of hi. The median is then
// read from the tops exactly as a sort would give it, so it matches a
// sort-based median bit for bit.
type medianSet struct {
	val   []float64 // by slot
	where []int32   // by slot: i+1 if at lo[i], -(i+1) if at hi[i], 0 if absent
	lo    []int32
	hi    []int32
}

// len returns the number of slots holding a value.
func (m *medianSet) len() int { return len(m.lo) + len(m.hi) }

// set gives slot s the value v, adding the slot if it has none.
func (m *medianSet) set(s int32, v float64) {
	for int(s) >= len(m.val) {
		m.val = append(m.val, 0)
		m.where = append(m.where, 0)
	}
	m.val[s] = v
	w := m.where[s]
	switch {
	case w == 0:
		m.insert(s)
		return
	case w > 0:
		m.fix(false, int(w-1))
	default:
		m.fix(true, int(-w-1))
	}
	// Only one value moved, so at most one pair is out of order across
	// the halves, and it sits at the two tops.
	if len(m.hi) > 0 && m.val[m.lo[0]] > m.val[m.hi[0]] {
		a, b := m.lo[0], m.hi[0]
		m.place(false, 0, b)
		m.place(true, 0, a)
		m.down(false, 0)
		m.down(true, 0)
	}
}

func (m *medianSet) insert(s int32) {
	if len(m.lo) == 0 || m.val[s] <= m.val[m.lo[0]] {
		m.push(false, s)
	} else {
		m.push(true, s)
	}
	switch {
	case len(m.lo) > len(m.hi)+1:
		m.push(true, m.pop(false))
	case len(m.hi) > len(m.lo):
		m.push(false, m.pop(true))
	}
}

// median returns the median of the values held (the mean of the two
// middle ones for an even count), or NaN if there are none.
func (m *medianSet) median() float64 {
	switch {
	case len(m.lo) == 0:
		return math.NaN()
	case len(m.lo) > len(m.hi):
		return m.val[m.lo[0]]
	}
	return (m.val[m.lo[0]] + m.val[m.hi[0]]) / 2
}

func (m *medianSet) heap(upper bool) []int32 {
	if upper {
		return m.hi
	}
	return m.lo
}

// above reports whether slot a belongs nearer the top than slot b.
func (m *medianSet) above(upper bool, a, b int32) bool {
	if upper {
		return m.val[a] < m.val[b]
	}
	return m.val[a] > m.val[b]
}

func (m *medianSet) place(upper bool, i int, s int32) {
	if upper {
		m.hi[i] = s
		m.where[s] = -int32(i + 1)
	} else {
		m.lo[i] = s
		m.where[s] = int32(i + 1)
	}
}

func (m *medianSet) up(upper bool, i int) bool {
	h := m.heap(upper)
	s := h[i]
	moved := false
	for i > 0 {
		p := (i - 1) / 2
		if !m.above(upper, s, h[p]) {
			break
		}
		m.place(upper, i, h[p])
		i, moved = p, true
	}
	m.place(upper, i, s)
	return moved
}

func (m *medianSet) down(upper bool, i int) {
	h := m.heap(upper)
	s := h[i]
	for {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && m.above(upper, h[c+1], h[c]) {
			c++
		}
		if !m.above(upper, h[c], s) {
			break
		}
		m.place(upper, i, h[c])
		i = c
	}
	m.place(upper, i, s)
}

func (m *medianSet) fix(upper bool, i int) {
	if !m.up(upper, i) {
		m.down(upper, i)
	}
}

func (m *medianSet) push(upper bool, s int32) {
	if upper {
		m.hi = append(m.hi, s)
	} else {
		m.lo = append(m.lo, s)
	}
	m.up(upper, len(m.heap(upper))-1)
}

func (m *medianSet) pop(upper bool) int32 {
	h := m.heap(upper)
	top, last := h[0], h[len(h)-1]
	if upper {
		m.hi = h[:len(h)-1]
	} else {
		m.lo = h[:len(h)-1]
	}
	m.where[top] = 0
	if len(h) > 1 {
		m.place(upper, 0, last)
		m.down(upper, 0)
	}
	return top
}

// median sorts xs in place and returns its median (NaN if empty).
func median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// normalise scales p to sum to 1, or makes it uniform if it sums to 0
// (every option's median can be 0, e.g. three users each certain of a
// different option).
func normalise(p []float64) {
	var s float64
	for _, x := range p {
		s += x
	}
	if s == 0 {
		for k := range p {
			p[k] = 1 / float64(len(p))
		}
		return
	}
	for k := range p {
		p[k] /= s
	}
}
