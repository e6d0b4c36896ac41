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
// The values are split into two heaps, lo (the lower half, largest on
// top) and hi (the upper half, smallest on top), with len(lo) == len(hi)
// or len(hi)+1 and every value of lo <= every value of hi. The median is
// then read from the tops exactly as a sort would give it, so it matches
// a sort-based median bit for bit. hi stores its values negated, which is
// exact, so that both halves are the same max-heap code.
type medianSet struct {
	where []int32 // by slot: i+1 if at lo[i], -(i+1) if at hi[i], 0 if absent
	lo    heap
	hi    heap
}

// heap is a max-heap of keys, each remembering its slot.
type heap []item

type item struct {
	key  float64
	slot int32
}

// len returns the number of slots holding a value.
func (m *medianSet) len() int { return len(m.lo) + len(m.hi) }

// set gives slot s the value v, adding the slot if it has none.
func (m *medianSet) set(s int32, v float64) {
	for int(s) >= len(m.where) {
		m.where = append(m.where, 0)
	}
	switch w := m.where[s]; {
	case w == 0:
		m.insert(s, v)
		return
	case w > 0:
		m.lo[w-1].key = v
		m.fix(&m.lo, 1, int(w-1))
	default:
		m.hi[-w-1].key = -v
		m.fix(&m.hi, -1, int(-w-1))
	}
	// Only one value moved, so at most one pair is out of order across
	// the halves, and it sits at the two tops.
	if len(m.hi) > 0 && m.lo[0].key > -m.hi[0].key {
		a, b := m.lo[0], m.hi[0]
		m.place(m.lo, 1, 0, item{-b.key, b.slot})
		m.place(m.hi, -1, 0, item{-a.key, a.slot})
		m.down(m.lo, 1, 0)
		m.down(m.hi, -1, 0)
	}
}

func (m *medianSet) insert(s int32, v float64) {
	if len(m.lo) == 0 || v <= m.lo[0].key {
		m.push(&m.lo, 1, item{v, s})
	} else {
		m.push(&m.hi, -1, item{-v, s})
	}
	switch {
	case len(m.lo) > len(m.hi)+1:
		it := m.pop(&m.lo, 1)
		m.push(&m.hi, -1, item{-it.key, it.slot})
	case len(m.hi) > len(m.lo):
		it := m.pop(&m.hi, -1)
		m.push(&m.lo, 1, item{-it.key, it.slot})
	}
}

// median returns the median of the values held (the mean of the two
// middle ones for an even count), or NaN if there are none.
func (m *medianSet) median() float64 {
	switch {
	case len(m.lo) == 0:
		return math.NaN()
	case len(m.lo) > len(m.hi):
		return m.lo[0].key
	}
	return (m.lo[0].key + -m.hi[0].key) / 2
}

// place puts it at h[i]; sign tells which half h is, for where.
func (m *medianSet) place(h heap, sign int32, i int, it item) {
	h[i] = it
	m.where[it.slot] = sign * int32(i+1)
}

func (m *medianSet) up(h heap, sign int32, i int) bool {
	it := h[i]
	moved := false
	for i > 0 {
		p := (i - 1) / 2
		if !(it.key > h[p].key) {
			break
		}
		m.place(h, sign, i, h[p])
		i, moved = p, true
	}
	m.place(h, sign, i, it)
	return moved
}

func (m *medianSet) down(h heap, sign int32, i int) {
	it := h[i]
	for {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h[c+1].key > h[c].key {
			c++
		}
		if !(h[c].key > it.key) {
			break
		}
		m.place(h, sign, i, h[c])
		i = c
	}
	m.place(h, sign, i, it)
}

func (m *medianSet) fix(h *heap, sign int32, i int) {
	if !m.up(*h, sign, i) {
		m.down(*h, sign, i)
	}
}

func (m *medianSet) push(h *heap, sign int32, it item) {
	*h = append(*h, it)
	m.up(*h, sign, len(*h)-1)
}

func (m *medianSet) pop(h *heap, sign int32) item {
	old := *h
	top, last := old[0], old[len(old)-1]
	*h = old[:len(old)-1]
	m.where[top.slot] = 0
	if len(*h) > 0 {
		m.place(*h, sign, 0, last)
		m.down(*h, sign, 0)
	}
	return top
}

// median returns the median of xs (NaN if empty), reordering xs. xs must
// hold no NaN.
func median(xs []float64) float64 {
	// Team medians are over a handful of members, once per option per
	// team per day: the bulk of a recompute. Below six values min/max
	// networks give the same values as sorting without its unpredictable
	// branches.
	switch n := len(xs); n {
	case 0:
		return math.NaN()
	case 1:
		return xs[0]
	case 2:
		return (xs[0] + xs[1]) / 2
	case 3:
		return median3(xs[0], xs[1], xs[2])
	case 4:
		// The middle two are the larger of the pair minima and the
		// smaller of the pair maxima.
		a, b := min(xs[0], xs[1]), max(xs[0], xs[1])
		c, d := min(xs[2], xs[3]), max(xs[2], xs[3])
		return (max(a, c) + min(b, d)) / 2
	case 5:
		// Drop the minimum and the maximum of the first four, neither of
		// which can be the third of five; the median of the rest is.
		a, b := min(xs[0], xs[1]), max(xs[0], xs[1])
		c, d := min(xs[3], xs[4]), max(xs[3], xs[4])
		return median3(max(a, c), min(b, d), xs[2])
	default:
		slices.Sort(xs)
		if n%2 == 1 {
			return xs[n/2]
		}
		return (xs[n/2-1] + xs[n/2]) / 2
	}
}

func median3(a, b, c float64) float64 {
	return max(min(a, b), min(max(a, b), c))
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
