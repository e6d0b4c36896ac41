package scoring

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

// This file holds a slow implementation written straight from
// the package documentation, day by day and user by user with no cleverness, and a
// generator of awkward random questions. The fast implementation must
// agree with it everywhere.

// refDays lists the UTC midnights starting the days of [start, end),
// with calendar arithmetic rather than the day numbers the package uses.
func refDays(start, end time.Time) []time.Time {
	if !start.Before(end) {
		return nil
	}
	s := start.UTC()
	d := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC)
	var out []time.Time
	for d.Before(end) {
		out = append(out, d)
		d = d.AddDate(0, 0, 1)
	}
	return out
}

// refStanding returns the latest of one user's forecasts made strictly
// before cutoff, or nil. Later elements supersede earlier ones at equal
// times.
func refStanding(fs []Forecast, cutoff time.Time) []float64 {
	best := -1
	for i, f := range fs {
		if !f.At.Before(cutoff) {
			continue
		}
		if best < 0 || !f.At.Before(fs[best].At) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	return fs[best].Probs
}

func refBrier(kind Kind, p []float64, j int) float64 {
	var s float64
	if kind == Ordered {
		for cut := 0; cut < len(p)-1; cut++ {
			var P, o float64
			for k := 0; k <= cut; k++ {
				P += p[k]
			}
			if j <= cut {
				o = 1
			}
			s += (P-o)*(P-o) + ((1-P)-(1-o))*((1-P)-(1-o))
		}
		return s / float64(len(p)-1)
	}
	for k := range p {
		o := 0.0
		if k == j {
			o = 1
		}
		s += (p[k] - o) * (p[k] - o)
	}
	return s
}

func refMedian(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	sort.Float64s(s) // not the package's slices.Sort, to share less with it
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func refCrowd(ps [][]float64) []float64 {
	out := make([]float64, len(ps[0]))
	var sum float64
	col := make([]float64, len(ps))
	for k := range out {
		for i, p := range ps {
			col[i] = p[k]
		}
		out[k] = refMedian(col)
		sum += out[k]
	}
	for k := range out {
		if sum == 0 {
			out[k] = 1 / float64(len(out))
		} else {
			out[k] /= sum
		}
	}
	return out
}

func refUsers(fs []Forecast) []int64 {
	var us []int64
	for _, f := range fs {
		if !slices.Contains(us, f.User) {
			us = append(us, f.User)
		}
	}
	slices.Sort(us)
	return us
}

// refByUser splits fs by user, keeping their order.
func refByUser(fs []Forecast) map[int64][]Forecast {
	m := map[int64][]Forecast{}
	for _, f := range fs {
		m[f.User] = append(m[f.User], f)
	}
	return m
}

// refScore scores q as the package documentation describes it, and returns each user's
// day-by-day breakdown too.
func refScore(q Question, fs []Forecast, teams map[int64]int64) (Result, map[int64][]DayScore) {
	E := q.End()
	days := refDays(q.OpensAt, E)
	N := len(days)
	users := refUsers(fs)
	byUser := refByUser(fs)
	daily := map[int64][]float64{} // user -> b_u(d), NaN when none
	for _, u := range users {
		daily[u] = make([]float64, N)
	}
	r := Result{Median: make([]float64, N)}
	teamIDs := map[int64]bool{}
	for _, t := range teams {
		teamIDs[t] = true
	}
	teamDaily := map[int64][]float64{}
	for t := range teamIDs {
		teamDaily[t] = make([]float64, N)
	}
	for d, start := range days {
		cutoff := start.AddDate(0, 0, 1)
		if E.Before(cutoff) {
			cutoff = E
		}
		var bs []float64
		teamPs := map[int64][][]float64{}
		for _, u := range users {
			p := refStanding(byUser[u], cutoff)
			if p == nil {
				daily[u][d] = math.NaN()
				continue
			}
			b := refBrier(q.Kind, p, q.Outcome)
			daily[u][d] = b
			bs = append(bs, b)
			if t, ok := teams[u]; ok {
				teamPs[t] = append(teamPs[t], p)
			}
		}
		r.Median[d] = refMedian(bs)
		for t := range teamIDs {
			if ps := teamPs[t]; ps != nil {
				teamDaily[t][d] = refBrier(q.Kind, refCrowd(ps), q.Outcome)
			} else {
				teamDaily[t][d] = math.NaN()
			}
		}
	}
	breakdown := map[int64][]DayScore{}
	for _, u := range users {
		// Active days run from the day of the first scored forecast.
		first := -1
		for _, f := range fs {
			if f.User != u || !f.At.Before(E) {
				continue
			}
			fd := 0
			for d, start := range days {
				if !f.At.Before(start) {
					fd = d
				}
			}
			if first < 0 || fd < first {
				first = fd
			}
		}
		if first < 0 || N == 0 {
			continue
		}
		var sb, sm, rel float64
		for d := first; d < N; d++ {
			b := daily[u][d]
			sb += b
			sm += r.Median[d]
			rel += b - r.Median[d]
			breakdown[u] = append(breakdown[u], DayScore{Day: days[d], Brier: b, Median: r.Median[d]})
		}
		n := N - first
		r.Users = append(r.Users, UserScore{
			User: u, Brier: sb / float64(n), CrowdBrier: sm / float64(n),
			Relative: rel / float64(N), DaysForecast: n, DaysTotal: N,
		})
	}
	if teams != nil {
		r.Teams = []TeamScore{}
	}
	for t := range teamIDs {
		var sb, rel float64
		n := 0
		for d := range N {
			if b := teamDaily[t][d]; !math.IsNaN(b) {
				sb += b
				rel += b - r.Median[d]
				n++
			}
		}
		if n > 0 {
			r.Teams = append(r.Teams, TeamScore{Team: t, Brier: sb / float64(n), Relative: rel / float64(N), DaysForecast: n, DaysTotal: N})
		}
	}
	slices.SortFunc(r.Teams, func(a, b TeamScore) int { return cmp.Compare(a.Team, b.Team) })
	return r, breakdown
}

// refCrowdSeries is CrowdSeries from its definition.
func refCrowdSeries(q Question, fs []Forecast, until time.Time) []CrowdPoint {
	if q.End().Before(until) {
		until = q.End()
	}
	var valid []Forecast
	for _, f := range fs {
		if Validate(f.Probs, q.Options) == nil {
			valid = append(valid, f)
		}
	}
	users, byUser := refUsers(valid), refByUser(valid)
	var out []CrowdPoint
	for _, start := range refDays(q.OpensAt, until) {
		cutoff := start.AddDate(0, 0, 1)
		if until.Before(cutoff) {
			cutoff = until
		}
		var ps [][]float64
		for _, u := range users {
			if p := refStanding(byUser[u], cutoff); p != nil {
				ps = append(ps, p)
			}
		}
		if ps != nil {
			out = append(out, CrowdPoint{Day: start, Probs: refCrowd(ps), Forecasters: len(ps)})
		}
	}
	return out
}

// genCase is a random question with its forecasts and teams.
type genCase struct {
	q     Question
	fs    []Forecast
	teams map[int64]int64
	until time.Time // for CrowdSeries
}

var midnight2020 = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// randInstant returns a time on day `day` after 2020-01-01, at midnight
// a third of the time, else at a random second, sometimes with nanoseconds.
func randInstant(r *rand.Rand, day int) time.Time {
	t := midnight2020.AddDate(0, 0, day)
	switch r.IntN(3) {
	case 0:
		return t
	case 1:
		return t.Add(time.Duration(r.IntN(secondsPerDay)) * time.Second)
	}
	return t.Add(time.Duration(r.Int64N(secondsPerDay * int64(time.Second))))
}

func randProbs(r *rand.Rand, k int) []float64 {
	p := make([]float64, k)
	switch r.IntN(5) {
	case 0: // certain: many equal Briers
		p[r.IntN(k)] = 1
		return p
	case 1: // a coarse grid: ties between users
		left := 10
		for i := 0; i < k-1; i++ {
			x := r.IntN(left + 1)
			p[i] = float64(x) / 10
			left -= x
		}
		p[k-1] = float64(left) / 10
		return p
	}
	var s float64
	for i := range p {
		if r.IntN(6) > 0 {
			p[i] = r.ExpFloat64()
		}
		s += p[i]
	}
	if s == 0 {
		p[0], s = 1, 1
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

// genQuestion draws a question built to hit the edges of the rules:
// windows opening or ending exactly at midnight, resolution before, at or
// after the close (or before the opening), forecasts at midnight, at E,
// after E, before the opening, at equal times, late joiners, lone
// forecasters, odd and even crowds, and random teams.
func genQuestion(r *rand.Rand, maxDays int) genCase {
	var c genCase
	q := &c.q
	q.Kind = Kind(1 + r.IntN(3))
	q.Options = 2
	if q.Kind != Binary {
		q.Options = 2 + r.IntN(5)
		if r.IntN(10) == 0 {
			q.Options = 2 + r.IntN(19)
		}
	}
	startDay := r.IntN(3000)
	q.OpensAt = randInstant(r, startDay)
	span := 1 + r.IntN(maxDays)
	if r.IntN(3) == 0 {
		span = 1 + r.IntN(min(maxDays, 10))
	}
	q.ClosesAt = randInstant(r, startDay+span)
	if !q.OpensAt.Before(q.ClosesAt) {
		q.ClosesAt = q.OpensAt.Add(time.Duration(1+r.IntN(1000)) * time.Second)
	}
	window := q.ClosesAt.Sub(q.OpensAt)
	switch r.IntN(8) {
	case 0:
		q.ResolvedAt = q.ClosesAt
	case 1, 2:
		q.ResolvedAt = q.ClosesAt.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
	case 3: // exactly a midnight inside the window
		q.ResolvedAt = time.Date(q.OpensAt.Year(), q.OpensAt.Month(), q.OpensAt.Day()+1+r.IntN(span), 0, 0, 0, 0, time.UTC)
	case 4:
		if r.IntN(10) == 0 { // before the opening: nothing to score
			q.ResolvedAt = q.OpensAt.Add(-time.Duration(r.IntN(1000)) * time.Second)
			break
		}
		fallthrough
	default:
		q.ResolvedAt = q.OpensAt.Add(time.Duration(r.Int64N(int64(window))))
	}
	if q.ResolvedAt.IsZero() {
		q.ResolvedAt = q.ClosesAt
	}
	q.Outcome = r.IntN(q.Options)
	E := q.End()

	nUsers := 1 + r.IntN(12)
	if r.IntN(8) == 0 {
		nUsers = 1 + r.IntN(40)
	}
	var times []time.Time
	lo, hi := q.OpensAt.Add(-48*time.Hour), E.Add(48*time.Hour)
	for u := range nUsers {
		user := int64(1 + u*7%97) // ids not in arrival order
		n := 1 + r.IntN(6)
		for range n {
			var at time.Time
			switch x := r.IntN(12); {
			case x == 0:
				at = E
			case x == 1:
				at = E.Add(time.Duration(1+r.IntN(100000)) * time.Second)
			case x == 2: // a midnight of the window
				at = time.Date(q.OpensAt.Year(), q.OpensAt.Month(), q.OpensAt.Day()+r.IntN(span+1), 0, 0, 0, 0, time.UTC)
			case x == 3 && len(times) > 0:
				at = times[r.IntN(len(times))]
			case x == 4:
				at = q.OpensAt.Add(-time.Duration(r.IntN(100000)) * time.Second)
			case x == 5:
				at = E.Add(-time.Duration(1 + r.IntN(3)))
			default:
				at = lo.Add(time.Duration(r.Int64N(int64(hi.Sub(lo)))))
			}
			times = append(times, at)
			c.fs = append(c.fs, Forecast{User: user, At: at, Probs: randProbs(r, q.Options)})
		}
	}
	r.Shuffle(len(c.fs), func(i, j int) { c.fs[i], c.fs[j] = c.fs[j], c.fs[i] })
	slices.SortStableFunc(c.fs, func(a, b Forecast) int { return a.At.Compare(b.At) })

	if r.IntN(4) > 0 {
		c.teams = map[int64]int64{}
		nTeams := 1 + r.IntN(4)
		for _, f := range c.fs {
			if r.IntN(4) > 0 {
				c.teams[f.User] = int64(100 + r.IntN(nTeams))
			}
		}
		// A team none of whose members forecast has no score.
		c.teams[1000] = 999
	}
	switch r.IntN(4) {
	case 0:
		c.until = E
	case 1:
		c.until = E.Add(time.Hour)
	default:
		c.until = lo.Add(time.Duration(r.Int64N(int64(hi.Sub(lo)))))
	}
	return c
}

func isMidnight(t time.Time) bool {
	return t.Equal(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
}

// TestGeneratorCoverage checks that genQuestion really produces the edge
// cases TestAgainstReference relies on it for.
func TestGeneratorCoverage(t *testing.T) {
	if raceEnabled {
		t.Skip("checks the test generator, not the package")
	}
	r := rand.New(rand.NewPCG(0, 2)) // the first shard's stream
	seen := map[string]int{}
	for range 1000 {
		c := genQuestion(r, 400)
		q, E := c.q, c.q.End()
		count := func(name string, ok bool) {
			if ok {
				seen[name]++
			}
		}
		count("empty window", q.Days() == 0)
		count("one-day window", q.Days() == 1)
		count("window over 300 days", q.Days() > 300)
		count("opens at midnight", isMidnight(q.OpensAt))
		count("E at midnight", isMidnight(E))
		count("resolved before close", q.ResolvedAt.Before(q.ClosesAt))
		count("resolved at close", q.ResolvedAt.Equal(q.ClosesAt))
		count("resolved after close", q.ResolvedAt.After(q.ClosesAt))
		count("single forecaster", len(refUsers(c.fs)) == 1)
		count("teams", c.teams != nil)
		count("no teams", c.teams == nil)
		sameTime := false
		for i, f := range c.fs {
			count("forecast at E", f.At.Equal(E))
			count("forecast after E", f.At.After(E))
			count("forecast before opens", f.At.Before(q.OpensAt))
			count("forecast at midnight in window", isMidnight(f.At) && !f.At.Before(q.OpensAt) && f.At.Before(E))
			count("forecast 1ns before E", f.At.Equal(E.Add(-1)))
			if i > 0 && f.At.Equal(c.fs[i-1].At) {
				sameTime = true
				count("same user at the same time", f.User == c.fs[i-1].User)
			}
		}
		count("equal timestamps", sameTime)
		res, _ := refScore(q, c.fs, nil)
		late := false
		for _, u := range res.Users {
			late = late || (u.DaysForecast > 0 && u.DaysForecast < u.DaysTotal-1)
		}
		count("late joiner", late)
		count("odd crowd (3+)", len(res.Users) >= 3 && len(res.Users)%2 == 1)
		count("even crowd", len(res.Users) >= 2 && len(res.Users)%2 == 0)
	}
	for _, name := range []string{
		"empty window", "one-day window", "window over 300 days", "opens at midnight",
		"E at midnight", "resolved before close", "resolved at close", "resolved after close",
		"single forecaster", "teams", "no teams", "forecast at E", "forecast after E",
		"forecast before opens", "forecast at midnight in window", "forecast 1ns before E",
		"same user at the same time", "late joiner", "equal timestamps", "odd crowd (3+)", "even crowd",
	} {
		if seen[name] < 5 {
			t.Errorf("%q in %d of 1000 questions; want at least 5", name, seen[name])
		}
		t.Logf("%-32s %d", name, seen[name])
	}
}
