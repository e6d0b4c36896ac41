package scoring

import (
	"slices"
	"sort"
	"time"
)

// AggregatePast is what skill_weighted and extremized know on a day of a
// tournament: each forecaster's track record and the extremizing factor
// d fitted on the questions resolved before that day (by their
// resolved_at), never later ones. The nil *AggregatePast knows no past:
// every forecaster is a newcomer and d is 1. Build it with
// [EvaluateAggregates].
type AggregatePast struct {
	records map[int64][]skillStep // by user, in resolution order
	steps   []dStep               // by resolution
}

// skillStep is a user's track record once one more question resolved:
// the running sum and count of their question relatives.
type skillStep struct {
	at  time.Time
	sum float64
	n   int
}

// dStep is the extremizing factor once one more question resolved.
type dStep struct {
	at time.Time
	d  float64
}

// resolvedBefore is how many of n steps, ordered by at, resolved
// strictly before day.
func resolvedBefore(n int, at func(i int) time.Time, day time.Time) int {
	return sort.Search(n, func(i int) bool { return !at(i).Before(day) })
}

// Skill returns user's mean relative score over the questions resolved
// before day on which they have a score, and how many those are (0: a
// newcomer).
func (p *AggregatePast) Skill(user int64, day time.Time) (float64, int) {
	if p == nil {
		return 0, 0
	}
	r := p.records[user]
	i := resolvedBefore(len(r), func(i int) time.Time { return r[i].at }, day)
	if i == 0 {
		return 0, 0
	}
	return r[i-1].sum / float64(r[i-1].n), r[i-1].n
}

// D returns the extremizing factor fitted on the questions resolved
// before day ([FitExtremizing] of their skill_weighted series).
func (p *AggregatePast) D(day time.Time) float64 {
	if p == nil {
		return 1
	}
	i := resolvedBefore(len(p.steps), func(i int) time.Time { return p.steps[i].at }, day)
	if i == 0 {
		return 1
	}
	return p.steps[i-1].d
}

// Of returns aggregate a of the standing forecasts fs on day (UTC
// midnight), with the track records and d known at its start: what the
// series of a question shows for that day. It sets Skill and SkillN of
// fs.
func (p *AggregatePast) Of(a Aggregate, fs []StandingForecast, day time.Time) []float64 {
	p.fill(fs, day)
	return a.Of(fs, p.D(day))
}

func (p *AggregatePast) fill(fs []StandingForecast, day time.Time) {
	for i := range fs {
		fs[i].Skill, fs[i].SkillN = p.Skill(fs[i].User, day)
	}
}

// add records a resolved question: its users' relatives and the d fitted
// with its loss added to the running total over n questions.
func (p *AggregatePast) add(at time.Time, users []UserScore, d float64) {
	for _, u := range users {
		r := p.records[u.User]
		step := skillStep{at: at, sum: u.Relative, n: 1}
		if len(r) > 0 {
			step.sum += r[len(r)-1].sum
			step.n += r[len(r)-1].n
		}
		p.records[u.User] = append(r, step)
	}
	p.steps = append(p.steps, dStep{at: at, d: d})
}

// DayOf returns the UTC midnight starting t's day: the day whose past
// a current aggregate reads.
func DayOf(t time.Time) time.Time {
	return time.Unix(dayNumber(t)*secondsPerDay, 0).UTC()
}

// standingDays calls each with the standing forecasts of every day of q's
// window up to until (as [CrowdSeries] reads them, forecasts invalid for
// q skipped), ordered by user, for the days with at least one. fs must
// be sorted as for ScoreQuestion; each may keep nothing of the slice.
func standingDays(q Question, fs []Forecast, until time.Time, each func(day time.Time, fs []StandingForecast)) {
	if end := q.End(); end.Before(until) {
		until = end
	}
	if q.Options < 2 {
		return
	}
	if n := spanDays(q.OpensAt, until); n == 0 || n > MaxDays {
		return
	}
	w := newWindow(q.OpensAt, until)
	latest := make(map[int64]StandingForecast)
	var users []int64
	var buf []StandingForecast
	apply := func(f *Forecast) bool {
		if Validate(f.Probs, q.Options) != nil {
			return true
		}
		if _, ok := latest[f.User]; !ok {
			i, _ := slices.BinarySearch(users, f.User)
			users = slices.Insert(users, i, f.User)
		}
		latest[f.User] = StandingForecast{User: f.User, Probs: f.Probs, At: f.At}
		return true
	}
	closeDay := func(d int) {
		if len(users) == 0 {
			return
		}
		buf = buf[:0]
		for _, u := range users {
			buf = append(buf, latest[u])
		}
		each(w.day(d), buf)
	}
	w.sweep(fs, apply, closeDay)
}

// AggregateSeries returns the daily series of aggregate a on q, each day
// read with what past knew at its start, as [CrowdSeries] returns the
// median's (and does: a median series is CrowdSeries itself).
func AggregateSeries(a Aggregate, q Question, fs []Forecast, until time.Time, past *AggregatePast) []CrowdPoint {
	if a == AggregateMedian {
		return CrowdSeries(q, fs, until)
	}
	var out []CrowdPoint
	standingDays(q, fs, until, func(day time.Time, sf []StandingForecast) {
		out = append(out, CrowdPoint{Day: day, Probs: past.Of(a, sf, day), Forecasters: len(sf)})
	})
	return out
}
