package scoring

import (
	"errors"
	"time"
)

// MaxDays bounds the number of days of a question's window that scoring
// will walk (about 274 years). Work and memory grow with the number of
// days, so a corrupt or zero opens_at must not make a request allocate
// without limit.
const MaxDays = 100_000

// ErrUnresolved is returned when scores are asked of a question that has
// no resolution yet (the API answers 409).
var ErrUnresolved = errors.New("scoring: question is not resolved")

// Question is what scoring needs to know of a question.
type Question struct {
	Kind       Kind
	Options    int // K, the number of options
	OpensAt    time.Time
	ClosesAt   time.Time
	ResolvedAt time.Time // zero if unresolved
	Outcome    int       // realised option index, valid if resolved
}

// Resolved reports whether q has a resolution.
func (q Question) Resolved() bool { return !q.ResolvedAt.IsZero() }

// End returns E = min(ClosesAt, ResolvedAt), the end of the scoring
// window, or ClosesAt if q is unresolved. Forecasts at or after E are
// never scored: once the answer is known, forecasting it earns nothing.
func (q Question) End() time.Time {
	if q.Resolved() && q.ResolvedAt.Before(q.ClosesAt) {
		return q.ResolvedAt
	}
	return q.ClosesAt
}

// Days returns N, the number of UTC days overlapping the window
// [OpensAt, End()), or 0 if the window is empty (section 2 of the package documentation).
func (q Question) Days() int { return int(spanDays(q.OpensAt, q.End())) }

const secondsPerDay = 24 * 60 * 60

// dayNumber returns the UTC calendar day containing t, counted from the
// Unix epoch. Go's time has no leap seconds, so every UTC day is exactly
// secondsPerDay long and floor division is exact.
func dayNumber(t time.Time) int64 {
	u := t.Unix()
	d := u / secondsPerDay
	if u%secondsPerDay < 0 {
		d--
	}
	return d
}

// lastDayBefore returns the day containing the last instant before end:
// the day of end itself, unless end is exactly midnight.
func lastDayBefore(end time.Time) int64 {
	d := dayNumber(end)
	if end.Unix() == d*secondsPerDay && end.Nanosecond() == 0 {
		d--
	}
	return d
}

// spanDays counts the UTC days overlapping [start, end).
func spanDays(start, end time.Time) int64 {
	if !start.Before(end) {
		return 0
	}
	return lastDayBefore(end) - dayNumber(start) + 1
}

// window is the day grid of [start, end): day 0 is the UTC day of start.
type window struct {
	first int64     // day number of day 0
	n     int       // number of days
	end   time.Time // forecasts at or after end are ignored
}

func newWindow(start, end time.Time) window {
	return window{first: dayNumber(start), n: int(spanDays(start, end)), end: end}
}

// index returns the first day on which a forecast made at t (t < end)
// stands. A forecast made before the window opens stands from day 0, and
// one made exactly at midnight belongs to the day that midnight starts.
func (w window) index(t time.Time) int {
	d := dayNumber(t) - w.first
	if d < 0 {
		return 0
	}
	return int(d)
}

// day returns the UTC midnight starting day d.
func (w window) day(d int) time.Time {
	return time.Unix((w.first+int64(d))*secondsPerDay, 0).UTC()
}

// sweep walks fs in time order and calls apply for each forecast made
// before w.end, after calling closeDay for every earlier day. Because the
// forecasts of a day are all applied before that day is closed, the state
// seen by closeDay(d) is exactly the standing forecasts of day d: the
// latest forecast before min(end of day d, end). fs must be sorted by At.
//
// If apply returns false the sweep stops there. sweep returns the index of
// the first forecast it did not apply.
func (w window) sweep(fs []Forecast, apply func(f *Forecast) bool, closeDay func(d int)) int {
	d := 0
	i := 0
	for ; i < len(fs); i++ {
		f := &fs[i]
		if !f.At.Before(w.end) {
			break
		}
		for fd := w.index(f.At); d < fd; d++ {
			closeDay(d)
		}
		if !apply(f) {
			return i
		}
	}
	for ; d < w.n; d++ {
		closeDay(d)
	}
	return i
}
