package scoring

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Forecast is one forecast on one question.
type Forecast struct {
	User  int64
	At    time.Time // server timestamp
	Probs []float64
}

// UserScore is one user's score on one question (section 3 of the package documentation).
type UserScore struct {
	User         int64
	Brier        float64 // mean daily Brier over the user's active days
	CrowdBrier   float64 // mean daily crowd median over the same days
	Relative     float64 // (1/N) Σ over active days of (Brier - median)
	DaysForecast int     // n_u, the user's active days
	DaysTotal    int     // N
}

// TeamScore is one team's score on one question (section 4 of the package documentation).
type TeamScore struct {
	Team         int64
	Brier        float64
	Relative     float64
	DaysForecast int
	DaysTotal    int
}

// Result is the scoring of one question.
type Result struct {
	Users  []UserScore // sorted by User; users with no active day are absent
	Teams  []TeamScore // sorted by Team; empty if no teams were given
	Median []float64   // m(d) for d = 0..N-1; NaN on a day with no standing forecast
}

// ScoreQuestion scores one resolved question (sections 2-4 of the package documentation).
//
// fs must be sorted by At ascending; among equal At, later elements are
// later arrivals and supersede earlier ones (a stable sort by time, or the
// database order by (created_at, id), gives this). teams maps a user to
// their team; nil gives no team scores.
//
// It fails with ErrUnresolved if q has no resolution, and with another
// error if q is malformed, fs is out of order or a forecast is invalid
// for q: scores from bad input would be silently wrong.
//
// The cost is one pass over fs plus O(log users) per scored forecast and
// O(1) per day, with memory proportional to the users of this question.
func ScoreQuestion(q Question, fs []Forecast, teams map[int64]int64) (Result, error) {
	e, err := newEngine(q, teams)
	if err != nil {
		return Result{}, err
	}
	if err := e.run(fs); err != nil {
		return Result{}, err
	}
	return e.result(teams != nil), nil
}

// DayScore is one day of a user's per-day breakdown.
type DayScore struct {
	Day      time.Time // UTC midnight starting the day
	Forecast int       // index in fs of the user's standing forecast that day
	Brier    float64   // the user's daily Brier b_u(d)
	Median   float64   // the crowd median m(d)
}

// UserDays returns user's daily Brier and the crowd median for each of
// the user's active days on q, oldest first (nil if the user has none).
// It fails as ScoreQuestion does.
func UserDays(q Question, fs []Forecast, user int64) ([]DayScore, error) {
	e, err := newEngine(q, nil)
	if err != nil {
		return nil, err
	}
	e.watching, e.watch, e.watchSlot = true, user, -1
	if err := e.run(fs); err != nil {
		return nil, err
	}
	return e.days, nil
}

// checkQuestion reports why q cannot be scored, if it cannot.
func checkQuestion(q Question) error {
	switch {
	case !q.Kind.valid():
		return fmt.Errorf("scoring: invalid question kind %d", q.Kind)
	case q.Options < 2 || (q.Kind == Binary && q.Options != 2):
		return fmt.Errorf("scoring: a %s question cannot have %d options", q.Kind, q.Options)
	case !q.Resolved():
		return ErrUnresolved
	case q.Outcome < 0 || q.Outcome >= q.Options:
		return fmt.Errorf("scoring: outcome %d is not an option of %d", q.Outcome, q.Options)
	case spanDays(q.OpensAt, q.End()) > MaxDays:
		return fmt.Errorf("scoring: window of %d days exceeds %d", spanDays(q.OpensAt, q.End()), MaxDays)
	}
	return nil
}

// checkForecast reports why fs[i] cannot be scored on a question with k
// options, if it cannot: it is out of order or invalid.
func checkForecast(fs []Forecast, i, k int) error {
	if i > 0 && fs[i].At.Before(fs[i-1].At) {
		return fmt.Errorf("scoring: forecasts not sorted by time at index %d", i)
	}
	if err := Validate(fs[i].Probs, k); err != nil {
		return fmt.Errorf("scoring: forecast %d: %w", i, err)
	}
	return nil
}

// scored is the running state of a user or a team. Their daily Brier only
// changes on days they forecast, so the sum over days is kept lazily:
// sum covers the days before since, and cur stands from since onwards.
type scored struct {
	cur   float64 // Brier of the standing forecast
	sum   float64 // Σ daily Brier over [first, since)
	first int32   // first active day, -1 before any
	since int32
	dirty bool // forecast changed today, rescore when the day closes
}

// advance makes b the daily Brier from day d on.
func (s *scored) advance(d int, b float64) { advanceSum(&s.first, &s.since, &s.sum, &s.cur, d, b) }

// advanceSum is advance on fields that may be kept apart (a Tally keeps
// one sum and Brier per outcome beside one first and since day).
func advanceSum(first, since *int32, sum, cur *float64, d int, b float64) {
	if *first < 0 {
		*first, *since = int32(d), int32(d)
	} else {
		*sum += *cur * float64(int32(d)-*since)
		*since = int32(d)
	}
	*cur = b
}

type userState struct {
	scored
	id   int64
	team int32 // team slot, -1 if none
	next int32 // next member of the team with a standing forecast, -1 ends
}

type teamState struct {
	scored
	id   int64
	head int32 // first member with a standing forecast, -1 if none
}

// engine scores one question in one time-ordered pass.
type engine struct {
	fs      []Forecast
	applied int   // forecasts of fs applied so far
	err     error // why the sweep stopped early
	q       Question
	w       window
	teamOf  map[int64]int64
	slots   map[int64]int32
	users   []userState
	teamIdx map[int64]int32
	teams   []teamState
	dirtyU  []int32
	dirtyT  []int32
	med     medianSet
	medians []float64
	members []int32   // reused: where each member's row starts in standing
	buf     []float64 // reused for per-option medians of a team
	// fixed: medians holds m(d) given by the caller (ScoreTeams); the
	// crowd is not recomputed from fs.
	fixed bool
	probs []float64 // reused team forecast
	// standing holds every user's standing forecast, K values per slot,
	// copied out of fs: team medians read members' forecasts made long
	// ago, and a compact table keeps those reads in cache.
	standing []float64

	watching  bool
	watch     int64
	watchSlot int32
	watchAt   int // index in fs of the watched user's latest applied forecast
	days      []DayScore
}

func newEngine(q Question, teams map[int64]int64) (*engine, error) {
	if err := checkQuestion(q); err != nil {
		return nil, err
	}
	w := newWindow(q.OpensAt, q.End())
	return &engine{
		q:       q,
		w:       w,
		teamOf:  teams,
		slots:   make(map[int64]int32),
		teamIdx: make(map[int64]int32),
		medians: make([]float64, w.n),
		probs:   make([]float64, q.Options),
	}, nil
}

// run scores fs. Forecasts are checked as they are applied, while their
// probabilities are in cache, and the unscored rest afterwards: bad data
// anywhere fails the question.
func (e *engine) run(fs []Forecast) error {
	e.fs = fs
	i := 0
	if e.w.n > 0 {
		i = e.w.sweep(fs, e.apply, e.closeDay)
		if e.err != nil {
			return e.err
		}
	}
	for ; i < len(fs); i++ {
		if err := checkForecast(fs, i, e.q.Options); err != nil {
			return err
		}
	}
	return nil
}

// apply records f as its user's latest forecast; it is scored when the
// day closes, so only the last forecast of a day costs a rescore.
func (e *engine) apply(f *Forecast) bool {
	if err := checkForecast(e.fs, e.applied, e.q.Options); err != nil {
		e.err = err
		return false
	}
	if e.watching && f.User == e.watch {
		e.watchAt = e.applied
	}
	e.applied++
	s, ok := e.slots[f.User]
	if !ok {
		s = int32(len(e.users))
		e.slots[f.User] = s
		e.users = append(e.users, userState{
			scored: scored{first: -1},
			id:     f.User,
			team:   e.teamSlot(f.User),
			next:   -1,
		})
	}
	k := e.q.Options
	if len(e.standing) < (int(s)+1)*k {
		e.standing = append(e.standing, f.Probs...)
	} else {
		copy(e.standing[int(s)*k:], f.Probs)
	}
	u := &e.users[s]
	if !u.dirty {
		u.dirty = true
		e.dirtyU = append(e.dirtyU, s)
	}
	return true
}

func (e *engine) teamSlot(user int64) int32 {
	id, ok := e.teamOf[user]
	if !ok {
		return -1
	}
	t, ok := e.teamIdx[id]
	if !ok {
		t = int32(len(e.teams))
		e.teamIdx[id] = t
		e.teams = append(e.teams, teamState{scored: scored{first: -1}, id: id, head: -1})
	}
	return t
}

func (e *engine) closeDay(d int) {
	for _, s := range e.dirtyU {
		u := &e.users[s]
		u.dirty = false
		b := Brier(e.q.Kind, e.row(s), e.q.Outcome)
		if u.team >= 0 {
			t := &e.teams[u.team]
			if u.first < 0 {
				u.next, t.head = t.head, s
			}
			if !t.dirty {
				t.dirty = true
				e.dirtyT = append(e.dirtyT, u.team)
			}
		}
		u.advance(d, b)
		if !e.fixed {
			e.med.set(s, b)
		}
	}
	e.dirtyU = e.dirtyU[:0]
	m := e.medians[d]
	if !e.fixed {
		m = e.med.median()
		e.medians[d] = m
	}

	for _, ti := range e.dirtyT {
		t := &e.teams[ti]
		t.dirty = false
		t.advance(d, Brier(e.q.Kind, e.teamForecast(t), e.q.Outcome))
	}
	e.dirtyT = e.dirtyT[:0]

	if e.watching {
		if e.watchSlot < 0 {
			if s, ok := e.slots[e.watch]; ok {
				e.watchSlot = s
			}
		}
		if e.watchSlot >= 0 {
			u := &e.users[e.watchSlot]
			e.days = append(e.days, DayScore{Day: e.w.day(d), Forecast: e.watchAt, Brier: u.cur, Median: m})
		}
	}
}

// row returns the standing forecast of slot s.
func (e *engine) row(s int32) []float64 {
	k := e.q.Options
	return e.standing[int(s)*k : (int(s)+1)*k : (int(s)+1)*k]
}

// teamForecast returns the per-option median of the members' standing
// forecasts, renormalised, in a buffer reused across calls.
func (e *engine) teamForecast(t *teamState) []float64 {
	// Slots rather than row slices: storing pointers would cost a write
	// barrier each while the collector runs.
	e.members = e.members[:0]
	for s := t.head; s >= 0; s = e.users[s].next {
		e.members = append(e.members, s*int32(len(e.probs)))
	}
	e.buf = memberMedian(e.probs, e.standing, e.members, e.buf)
	return e.probs
}

// memberMedian sets probs to the per-option median of the rows of
// standing starting at the offsets in members, renormalised; buf is
// scratch space, returned for reuse.
func memberMedian(probs, standing []float64, members []int32, buf []float64) []float64 {
	buf = buf[:0]
	for k := range probs {
		buf = buf[:0]
		for _, at := range members {
			buf = append(buf, standing[int(at)+k])
		}
		probs[k] = median(buf)
	}
	normalise(probs)
	return buf
}

func (e *engine) result(withTeams bool) Result {
	n := e.w.n
	after := crowdAfter(e.medians)
	r := Result{Median: e.medians, Users: make([]UserScore, 0, len(e.users))}
	for i := range e.users {
		u := &e.users[i]
		u.advance(n, 0)
		r.Users = append(r.Users, userScore(u.id, u.sum, int(u.first), n, after))
	}
	slices.SortFunc(r.Users, func(a, b UserScore) int { return cmp.Compare(a.User, b.User) })
	if withTeams {
		r.Teams = make([]TeamScore, 0, len(e.teams))
		for i := range e.teams {
			t := &e.teams[i]
			if t.first < 0 {
				continue
			}
			t.advance(n, 0)
			r.Teams = append(r.Teams, teamScore(t.id, t.sum, int(t.first), n, after))
		}
		slices.SortFunc(r.Teams, func(a, b TeamScore) int { return cmp.Compare(a.Team, b.Team) })
	}
	return r
}

// crowdAfter returns after[d] = Σ m(d') for d' >= d, summed from the last
// day back: a crowd sum over active days [first, N) is one lookup.
func crowdAfter(medians []float64) []float64 {
	n := len(medians)
	after := make([]float64, n+1)
	for d := n - 1; d >= 0; d-- {
		after[d] = after[d+1] + medians[d]
	}
	return after
}

// userScore is a user's score from the sum of their daily Briers over
// their active days [first, n).
func userScore(id int64, sum float64, first, n int, after []float64) UserScore {
	days := n - first
	crowd := after[first]
	return UserScore{
		User:         id,
		Brier:        sum / float64(days),
		CrowdBrier:   crowd / float64(days),
		Relative:     (sum - crowd) / float64(n),
		DaysForecast: days,
		DaysTotal:    n,
	}
}

// teamScore is userScore for a team.
func teamScore(id int64, sum float64, first, n int, after []float64) TeamScore {
	days := n - first
	return TeamScore{
		Team:         id,
		Brier:        sum / float64(days),
		Relative:     (sum - after[first]) / float64(n),
		DaysForecast: days,
		DaysTotal:    n,
	}
}
