package scoring

import (
	"cmp"
	"slices"
	"time"
)

// Crowd returns the crowd forecast of the probability vectors ps: the
// per-option median, renormalised to sum to 1, or uniform if every
// median is 0 (section 5 of the package documentation). It is nil if ps is empty or the
// vectors differ in length. Team forecasts are computed the same way.
func Crowd(ps [][]float64) []float64 {
	if len(ps) == 0 {
		return nil
	}
	k := len(ps[0])
	for _, p := range ps {
		if len(p) != k {
			return nil
		}
	}
	out := make([]float64, k)
	buf := make([]float64, len(ps))
	for i := range out {
		for j, p := range ps {
			buf[j] = p[i]
		}
		out[i] = median(buf)
	}
	normalise(out)
	return out
}

// Standing returns each user's latest forecast made strictly before
// `before`, ordered by user, ready for Crowd: the crowd forecast at an
// instant is Crowd(Standing(fs, instant)). fs must be sorted as for
// ScoreQuestion.
func Standing(fs []Forecast, before time.Time) [][]float64 {
	sf := StandingAt(fs, before)
	out := make([][]float64, len(sf))
	for i, f := range sf {
		out[i] = f.Probs
	}
	return out
}

// CrowdPoint is the crowd forecast of one day.
type CrowdPoint struct {
	Day         time.Time // UTC midnight starting the day
	Probs       []float64
	Forecasters int // users with a standing forecast that day
}

// CrowdSeries returns the daily crowd forecast of q: one point per UTC
// day of [q.OpensAt, until), from each day's standing forecasts read at
// min(end of day, until) exactly as section 2 of the package documentation reads them for
// scores. Callers pass until = min(now, q.End()); it is capped at q.End()
// in any case. Days before the first forecast are omitted.
//
// It works on unresolved questions. fs must be sorted as for
// ScoreQuestion; forecasts invalid for q are skipped (this has no error
// to report them with), and a window longer than MaxDays gives nil.
func CrowdSeries(q Question, fs []Forecast, until time.Time) []CrowdPoint {
	if end := q.End(); end.Before(until) {
		until = end
	}
	k := q.Options
	if k < 2 {
		return nil
	}
	if n := spanDays(q.OpensAt, until); n == 0 || n > MaxDays {
		return nil
	}
	w := newWindow(q.OpensAt, until)

	// One median structure per option: like the daily Brier median, the
	// per-option medians change by a few users a day.
	sets := make([]medianSet, k)
	slots := make(map[int64]int32)
	var probs [][]float64 // standing forecast by slot
	var queued []bool     // by slot: in dirty
	var dirty []int32     // slots whose forecast changed today
	var out []CrowdPoint

	apply := func(f *Forecast) bool {
		if Validate(f.Probs, k) != nil {
			return true
		}
		s, ok := slots[f.User]
		if !ok {
			s = int32(len(probs))
			slots[f.User] = s
			probs = append(probs, nil)
			queued = append(queued, false)
		}
		probs[s] = f.Probs
		if !queued[s] {
			queued[s] = true
			dirty = append(dirty, s)
		}
		return true
	}
	closeDay := func(d int) {
		for _, s := range dirty {
			queued[s] = false
			for i := range sets {
				sets[i].set(s, probs[s][i])
			}
		}
		dirty = dirty[:0]
		n := sets[0].len()
		if n == 0 {
			return
		}
		p := make([]float64, k)
		for i := range sets {
			p[i] = sets[i].median()
		}
		normalise(p)
		out = append(out, CrowdPoint{Day: w.day(d), Probs: p, Forecasters: n})
	}
	w.sweep(fs, apply, closeDay)
	return out
}

// StandingAt returns each user's latest forecast made strictly before
// `before`, ordered by user, as the aggregates read them (Skill unset).
// fs must be sorted as for ScoreQuestion.
func StandingAt(fs []Forecast, before time.Time) []StandingForecast {
	latest := make(map[int64]int)
	for i := range fs {
		if !fs[i].At.Before(before) {
			break
		}
		latest[fs[i].User] = i
	}
	out := make([]StandingForecast, 0, len(latest))
	for u, i := range latest {
		out = append(out, StandingForecast{User: u, Probs: fs[i].Probs, At: fs[i].At})
	}
	slices.SortFunc(out, func(a, b StandingForecast) int { return cmp.Compare(a.User, b.User) })
	return out
}
