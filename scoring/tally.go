package scoring

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// ErrNotTallied is returned by Tally.Score when the tally cannot give the
// asked scoring: the question's shape differs from the tally's, or a
// tallied forecast was made at or after the question's end (which
// ScoreQuestion would leave out). The caller scores from the forecasts.
var ErrNotTallied = errors.New("scoring: the tally does not cover this scoring")

// ErrLate is returned by Tally.Add for a forecast made on a day the tally
// has already closed, or after Seal: the days since would have to be
// summed again.
var ErrLate = errors.New("scoring: forecast is older than a day already closed")

// Tally is one question's scoring state, kept as its forecasts arrive, so
// that a resolution, a correction of the outcome or of the resolution date,
// scores the question in time proportional to its forecasters and days,
// not its forecasts.
//
// A forecaster's daily Brier only changes on the days they forecast, so for
// each possible outcome the tally keeps, per forecaster and per team, the
// sum of their daily Briers up to their latest change and the Brier they
// stand at since; and, per outcome, the daily crowd medians of the days
// already closed with the median set that gives the next ones. Score adds
// the days from the open one to the question's end, doing exactly the
// operations ScoreQuestion does in the same order, so the result equals
// ScoreQuestion over the same forecasts bit for bit.
//
// The cost is that of ScoreQuestion times the number of options per
// closed day, and memory of a few words per forecaster and option. A Tally
// is not safe for concurrent use.
type Tally struct {
	kind  Kind
	k     int
	w     window // from the opening day; its end is unknown until Score
	teams map[int64]int64
	slots map[int64]int32
	users []talliedUser
	// standing holds every user's standing forecast, k per slot.
	standing []float64
	teamIdx  map[int64]int32
	tms      []talliedTeam
	// per outcome o, slot s: sums/curs[s*k+o]; teams alike.
	sums, curs         []float64
	teamSums, teamCurs []float64
	meds               []medianSet // per outcome
	medians            [][]float64 // per outcome, the closed days
	day                int         // the open day: days before it are closed
	sealed             bool        // no day is open (Seal)
	latest             time.Time   // the latest forecast's time
	count              int
	dirtyU, dirtyT     []int32
	members            []int32
	probs, buf         []float64
}

type talliedUser struct {
	id           int64
	at           int64 // the standing forecast's time, in Unix nanoseconds
	first, since int32 // first active day (-1 before any), last change
	team, next   int32 // as in userState
	dirty        bool
}

type talliedTeam struct {
	id           int64
	first, since int32
	head         int32
	dirty        bool
}

// NewTally returns the empty tally of a question of q's kind, options and
// opening; teams maps users to their teams (nil: no team scores). q need
// not be resolved.
func NewTally(q Question, teams map[int64]int64) (*Tally, error) {
	probe := q
	if !probe.Resolved() {
		probe.ResolvedAt, probe.Outcome = q.ClosesAt, 0
	}
	if err := checkQuestion(probe); err != nil {
		return nil, err
	}
	t := &Tally{kind: q.Kind, k: q.Options, w: newWindow(q.OpensAt, q.OpensAt), teams: teams,
		slots: make(map[int64]int32), teamIdx: make(map[int64]int32),
		meds: make([]medianSet, q.Options), medians: make([][]float64, q.Options),
		probs: make([]float64, q.Options)}
	return t, nil
}

// Count returns the number of forecasts added.
func (t *Tally) Count() int { return t.count }

// Add tallies forecast f. Forecasts must come in time order, except that
// within the latest day they may come in any order: a user's forecast older
// than their standing one of that day is counted and superseded, and at
// equal times the later added wins (the database's order breaks ties by
// ID). A forecast of a day already closed fails with ErrLate; the tally
// must then be built again.
func (t *Tally) Add(f Forecast) error {
	if err := Validate(f.Probs, t.k); err != nil {
		return fmt.Errorf("scoring: forecast of user %d: %w", f.User, err)
	}
	d := t.w.index(f.At)
	switch {
	case t.sealed:
		return ErrLate
	case d >= MaxDays:
		return fmt.Errorf("scoring: forecast %d days after the window opens, over %d", d, MaxDays)
	case d < t.day:
		return ErrLate
	}
	for ; t.day < d; t.day++ {
		t.closeDay(t.day)
	}
	t.count++
	if f.At.After(t.latest) {
		t.latest = f.At
	}
	s, ok := t.slots[f.User]
	if !ok {
		s = int32(len(t.users))
		t.slots[f.User] = s
		t.users = append(t.users, talliedUser{id: f.User, first: -1, team: t.teamSlot(f.User), next: -1})
		t.standing = append(t.standing, f.Probs...)
		t.sums = append(t.sums, make([]float64, t.k)...)
		t.curs = append(t.curs, make([]float64, t.k)...)
	} else if at := f.At.UnixNano(); at < t.users[s].at {
		return nil // superseded by a later forecast of the same day
	} else {
		copy(t.standing[int(s)*t.k:], f.Probs)
	}
	u := &t.users[s]
	u.at = f.At.UnixNano()
	if !u.dirty {
		u.dirty = true
		t.dirtyU = append(t.dirtyU, s)
	}
	return nil
}

func (t *Tally) teamSlot(user int64) int32 {
	id, ok := t.teams[user]
	if !ok {
		return -1
	}
	i, ok := t.teamIdx[id]
	if !ok {
		i = int32(len(t.tms))
		t.teamIdx[id] = i
		t.tms = append(t.tms, talliedTeam{id: id, first: -1, head: -1})
		t.teamSums = append(t.teamSums, make([]float64, t.k)...)
		t.teamCurs = append(t.teamCurs, make([]float64, t.k)...)
	}
	return i
}

// closeDay scores day d for every outcome, as engine.closeDay does for one.
func (t *Tally) closeDay(d int) {
	k := t.k
	for _, s := range t.dirtyU {
		u := &t.users[s]
		u.dirty = false
		row := t.standing[int(s)*k : (int(s)+1)*k]
		if u.team >= 0 {
			tm := &t.tms[u.team]
			if u.first < 0 {
				u.next, tm.head = tm.head, s
			}
			if !tm.dirty {
				tm.dirty = true
				t.dirtyT = append(t.dirtyT, u.team)
			}
		}
		first, since := u.first, u.since
		for o := range k {
			b := Brier(t.kind, row, o)
			u.first, u.since = first, since
			advanceSum(&u.first, &u.since, &t.sums[int(s)*k+o], &t.curs[int(s)*k+o], d, b)
			t.meds[o].set(s, b)
		}
	}
	t.dirtyU = t.dirtyU[:0]
	for o := range k {
		t.medians[o] = append(t.medians[o], t.meds[o].median())
	}
	for _, ti := range t.dirtyT {
		tm := &t.tms[ti]
		tm.dirty = false
		p := t.teamForecast(tm.head, nil)
		first, since := tm.first, tm.since
		for o := range k {
			tm.first, tm.since = first, since
			advanceSum(&tm.first, &tm.since, &t.teamSums[int(ti)*k+o], &t.teamCurs[int(ti)*k+o], d, Brier(t.kind, p, o))
		}
	}
	t.dirtyT = t.dirtyT[:0]
}

// teamForecast is the per-option median of the standing forecasts of the
// members linked from head, and of extra (slots not linked yet).
func (t *Tally) teamForecast(head int32, extra []int32) []float64 {
	t.members = t.members[:0]
	for s := head; s >= 0; s = t.users[s].next {
		t.members = append(t.members, s*int32(t.k))
	}
	for _, s := range extra {
		t.members = append(t.members, s*int32(t.k))
	}
	t.buf = memberMedian(t.probs, t.standing, t.members, t.buf)
	return t.probs
}

// Seal closes the open day for good, when the question takes no more
// forecasts (it is resolved), and drops what only adding forecasts needs:
// a sealed tally holds a few words per forecaster and option. Add fails
// with ErrLate afterwards; Score answers as before.
func (t *Tally) Seal() {
	if t.sealed {
		return
	}
	if t.count > 0 {
		t.closeDay(t.day)
		t.day++
	}
	t.sealed = true
	t.standing, t.meds, t.slots, t.teamIdx, t.dirtyU, t.dirtyT, t.members, t.buf = nil, nil, nil, nil, nil, nil, nil, nil
	t.users = slices.Clip(t.users)
	t.sums, t.curs, t.teamSums, t.teamCurs = slices.Clip(t.sums), slices.Clip(t.curs), slices.Clip(t.teamSums), slices.Clip(t.teamCurs)
}

// Score scores q, a resolved question of the tally's kind, options and
// opening day, from the forecasts added so far, as ScoreQuestion would
// from them: with team scores if the tally was given teams. The tally is
// left as it was, so forecasts may still be added and Score asked again.
// It fails with ErrNotTallied when a tallied forecast was made at or after
// q's end, and as ScoreQuestion does for a malformed q.
func (t *Tally) Score(q Question) (Result, error) {
	if err := checkQuestion(q); err != nil {
		return Result{}, err
	}
	w := newWindow(q.OpensAt, q.End())
	if q.Kind != t.kind || q.Options != t.k || w.first != t.w.first || (t.count > 0 && !t.latest.Before(w.end)) {
		return Result{}, ErrNotTallied
	}
	n, o, k := w.n, q.Outcome, t.k
	medians := make([]float64, n)
	if n == 0 {
		return Result{Median: medians, Users: []UserScore{}, Teams: t.emptyTeams()}, nil
	}
	if t.day > n {
		return Result{}, ErrNotTallied // sealed after the last forecast's day, and n ends on it
	}
	copy(medians, t.medians[o])
	if t.sealed {
		return t.finish(medians, t.day, n, o, nil, nil), nil
	}
	// Close the open day on copies: of the median set, and of the sums of
	// those who changed that day.
	d := t.day
	changedU := make(map[int32]change, len(t.dirtyU))
	med := t.meds[o].clone()
	var newMembers map[int32][]int32
	var dirtyT []int32
	seenT := make(map[int32]bool)
	for _, s := range t.dirtyU {
		u := &t.users[s]
		b := Brier(t.kind, t.standing[int(s)*k:(int(s)+1)*k], o)
		c := change{first: u.first, since: u.since, sum: t.sums[int(s)*k+o], cur: t.curs[int(s)*k+o]}
		advanceSum(&c.first, &c.since, &c.sum, &c.cur, d, b)
		changedU[s] = c
		med.set(s, b)
		if u.team >= 0 {
			if u.first < 0 {
				if newMembers == nil {
					newMembers = make(map[int32][]int32)
				}
				newMembers[u.team] = append(newMembers[u.team], s)
			}
			if !seenT[u.team] {
				seenT[u.team] = true
				dirtyT = append(dirtyT, u.team)
			}
		}
	}
	medians[d] = med.median()
	var changedT map[int32]change
	if t.teams != nil {
		changedT = make(map[int32]change, len(dirtyT))
		for _, ti := range dirtyT {
			tm := &t.tms[ti]
			b := Brier(t.kind, t.teamForecast(tm.head, newMembers[ti]), o)
			c := change{first: tm.first, since: tm.since, sum: t.teamSums[int(ti)*k+o], cur: t.teamCurs[int(ti)*k+o]}
			advanceSum(&c.first, &c.since, &c.sum, &c.cur, d, b)
			changedT[ti] = c
		}
	}
	return t.finish(medians, d+1, n, o, changedU, changedT), nil
}

// finish scores every user and team on outcome o for an n-day window:
// medians holds the days before closed, the days from it on repeat the
// last closed day's median (no forecast changes them), and the running
// sums are the tally's, or changedU's and changedT's for those who changed
// on the open day.
func (t *Tally) finish(medians []float64, closed, n, o int, changedU, changedT map[int32]change) Result {
	k := t.k
	tail := math.NaN()
	if closed > 0 {
		tail = medians[closed-1]
	}
	for day := closed; day < n; day++ {
		medians[day] = tail
	}
	after := crowdAfter(medians)
	r := Result{Median: medians, Users: make([]UserScore, 0, len(t.users))}
	for s := range t.users {
		u := &t.users[s]
		c, ok := changedU[int32(s)]
		if !ok {
			c = change{first: u.first, since: u.since, sum: t.sums[s*k+o], cur: t.curs[s*k+o]}
		}
		if first, sum, ok := c.until(n); ok {
			r.Users = append(r.Users, userScore(u.id, sum, first, n, after))
		}
	}
	slices.SortFunc(r.Users, func(a, b UserScore) int { return cmp.Compare(a.User, b.User) })
	if t.teams == nil {
		return r
	}
	r.Teams = make([]TeamScore, 0, len(t.tms))
	for i := range t.tms {
		tm := &t.tms[i]
		c, ok := changedT[int32(i)]
		if !ok {
			c = change{first: tm.first, since: tm.since, sum: t.teamSums[i*k+o], cur: t.teamCurs[i*k+o]}
		}
		if first, sum, ok := c.until(n); ok {
			r.Teams = append(r.Teams, teamScore(tm.id, sum, first, n, after))
		}
	}
	slices.SortFunc(r.Teams, func(a, b TeamScore) int { return cmp.Compare(a.Team, b.Team) })
	return r
}

// change is a user's or a team's running sum on one outcome.
type change struct {
	first, since int32
	sum, cur     float64
}

// until returns the first active day and the sum of daily Briers up to day
// n, ok false if there is no active day.
func (c change) until(n int) (first int, sum float64, ok bool) {
	if c.first < 0 {
		return 0, 0, false
	}
	advanceSum(&c.first, &c.since, &c.sum, &c.cur, n, 0)
	return int(c.first), c.sum, true
}

// emptyTeams is the Teams of a result with no scored day.
func (t *Tally) emptyTeams() []TeamScore {
	if t.teams == nil {
		return nil
	}
	return []TeamScore{}
}

// clone returns a copy of m that can change without changing m.
func (m *medianSet) clone() medianSet {
	return medianSet{where: slices.Clone(m.where), lo: slices.Clone(m.lo), hi: slices.Clone(m.hi)}
}
