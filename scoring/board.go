package scoring

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Entry is one ranked row of a leaderboard (section 4 of the package documentation).
type Entry struct {
	ID        int64
	Name      string // username or team name: the final tie-break
	Rank      int
	Questions int     // questions on which the user or team has a score
	Brier     float64 // mean of the question Briers
	Relative  float64 // sum of the question relatives
}

// Board accumulates question scores into a leaderboard, for users or for
// teams alike. The zero Board is not usable; call NewBoard.
type Board struct {
	index map[int64]int
	rows  []Entry // Brier holds the sum until Entries
}

// NewBoard returns an empty leaderboard.
func NewBoard() *Board {
	return &Board{index: make(map[int64]int)}
}

// Add records one question's score for id. name is the tie-break key; if
// it changes between calls the last one is kept.
func (b *Board) Add(id int64, name string, brier, relative float64) {
	i, ok := b.index[id]
	if !ok {
		i = len(b.rows)
		b.index[id] = i
		b.rows = append(b.rows, Entry{ID: id})
	}
	r := &b.rows[i]
	r.Name = name
	r.Questions++
	r.Brier += brier
	r.Relative += relative
}

// Entries returns the ranked leaderboard: by Relative ascending, then
// Brier ascending, then Name (then ID, so the order is total). Entries
// equal in both Relative and Brier share a rank, and the next rank skips
// (1, 2, 2, 4).
//
// Relative and Brier are compared rounded to 1e-9 (the precision
// the package documentation promises): sums over different questions or in a different
// order can differ in the last bits while being equal in every digit a
// user sees, and they must tie.
func (b *Board) Entries() []Entry {
	out := make([]Entry, len(b.rows))
	for i, r := range b.rows {
		r.Brier /= float64(r.Questions)
		out[i] = r
	}
	slices.SortFunc(out, func(x, y Entry) int {
		if c := cmp.Compare(tieKey(x.Relative), tieKey(y.Relative)); c != 0 {
			return c
		}
		if c := cmp.Compare(tieKey(x.Brier), tieKey(y.Brier)); c != 0 {
			return c
		}
		if c := strings.Compare(x.Name, y.Name); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	for i := range out {
		if i > 0 && tieKey(out[i].Relative) == tieKey(out[i-1].Relative) &&
			tieKey(out[i].Brier) == tieKey(out[i-1].Brier) {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}

// tieKey rounds x to 1e-9 for ranking.
func tieKey(x float64) float64 { return math.Round(x * 1e9) }
