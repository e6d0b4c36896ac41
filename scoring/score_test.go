package scoring

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// election is the worked example of section 3 of the package documentation: George is user
// 1, Kramer user 2.
func election(resolvedAt string) (Question, []Forecast) {
	q := Question{
		Kind: Binary, Options: 2,
		OpensAt:    utc("2016-11-01T00:00:00Z"),
		ClosesAt:   utc("2016-11-08T00:00:00Z"),
		ResolvedAt: utc(resolvedAt),
		Outcome:    1,
	}
	fs := []Forecast{
		{1, utc("2016-11-01T10:00:00Z"), []float64{0.7, 0.3}},
		{2, utc("2016-11-02T12:00:00Z"), []float64{0.4, 0.6}},
		{1, utc("2016-11-03T09:09:00Z"), []float64{0.5, 0.5}},
		{1, utc("2016-11-03T21:42:00Z"), []float64{0.6, 0.4}},
		{2, utc("2016-11-05T12:00:00Z"), []float64{0.3, 0.7}},
	}
	return q, fs
}

func TestScoreQuestionWorkedExample(t *testing.T) {
	tests := []struct {
		resolvedAt string
		days       int
		median     []float64
		george     UserScore
		kramer     UserScore
		georgeDays []float64
		kramerDays []float64
	}{
		{
			resolvedAt: "2016-11-09T05:00:00Z",
			days:       7,
			median:     []float64{0.98, 0.65, 0.52, 0.52, 0.45, 0.45, 0.45},
			george:     UserScore{1, 5.56 / 7, 4.02 / 7, 0.22, 7, 7},
			kramer:     UserScore{2, 0.25, 3.04 / 6, -0.22, 6, 7},
			georgeDays: []float64{0.98, 0.98, 0.72, 0.72, 0.72, 0.72, 0.72},
			kramerDays: []float64{0.32, 0.32, 0.32, 0.18, 0.18, 0.18},
		},
		{
			resolvedAt: "2016-11-05T06:00:00Z",
			days:       5,
			median:     []float64{0.98, 0.65, 0.52, 0.52, 0.52},
			george:     UserScore{1, 0.824, 0.638, 0.186, 5, 5},
			kramer:     UserScore{2, 0.32, 0.5525, -0.186, 4, 5},
			georgeDays: []float64{0.98, 0.98, 0.72, 0.72, 0.72},
			kramerDays: []float64{0.32, 0.32, 0.32, 0.32},
		},
	}
	for _, tt := range tests {
		t.Run(tt.resolvedAt, func(t *testing.T) {
			q, fs := election(tt.resolvedAt)
			if got := q.Days(); got != tt.days {
				t.Errorf("Days() = %d; want %d", got, tt.days)
			}
			r, err := ScoreQuestion(q, fs, nil)
			if err != nil {
				t.Fatalf("ScoreQuestion: %v", err)
			}
			checkMedians(t, r.Median, tt.median)
			if len(r.Users) != 2 {
				t.Fatalf("got %d users; want 2", len(r.Users))
			}
			checkUser(t, r.Users[0], tt.george)
			checkUser(t, r.Users[1], tt.kramer)
			if r.Teams != nil {
				t.Errorf("Teams = %v; want nil without teams", r.Teams)
			}
			for user, want := range map[int64][]float64{1: tt.georgeDays, 2: tt.kramerDays} {
				days, err := UserDays(q, fs, user)
				if err != nil {
					t.Fatalf("UserDays(%d): %v", user, err)
				}
				if len(days) != len(want) {
					t.Fatalf("UserDays(%d) has %d days; want %d", user, len(days), len(want))
				}
				offset := tt.days - len(want)
				for i, d := range days {
					wantDay := q.OpensAt.AddDate(0, 0, offset+i)
					if !d.Day.Equal(wantDay) || !near(d.Brier, want[i]) || !near(d.Median, tt.median[offset+i]) {
						t.Errorf("UserDays(%d)[%d] = %+v; want {%v %v %v}", user, i, d, wantDay, want[i], tt.median[offset+i])
					}
				}
			}
		})
	}
}

// TestScoreQuestionTeam puts George and Kramer in one team: its forecast
// is the per-option median of their standing forecasts.
func TestScoreQuestionTeam(t *testing.T) {
	q, fs := election("2016-11-09T05:00:00Z")
	r, err := ScoreQuestion(q, fs, map[int64]int64{1: 10, 2: 10, 3: 11})
	if err != nil {
		t.Fatal(err)
	}
	// Team forecasts for Trump: 0.3, then median(0.3, 0.6) = 0.45,
	// median(0.4, 0.6) = 0.5 twice, then median(0.4, 0.7) = 0.55 three times.
	daily := []float64{0.98, 0.605, 0.5, 0.5, 0.405, 0.405, 0.405}
	median := []float64{0.98, 0.65, 0.52, 0.52, 0.45, 0.45, 0.45}
	var sum, rel float64
	for d := range daily {
		sum += daily[d]
		rel += daily[d] - median[d]
	}
	want := []TeamScore{{10, sum / 7, rel / 7, 7, 7}}
	if len(r.Teams) != 1 || r.Teams[0].Team != 10 || !near(r.Teams[0].Brier, want[0].Brier) ||
		!near(r.Teams[0].Relative, want[0].Relative) || r.Teams[0].DaysForecast != 7 || r.Teams[0].DaysTotal != 7 {
		t.Errorf("Teams = %+v; want %+v", r.Teams, want)
	}
}

func checkMedians(t *testing.T, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Median has %d days; want %d", len(got), len(want))
	}
	for d := range got {
		if !near(got[d], want[d]) {
			t.Errorf("Median[%d] = %v; want %v", d, got[d], want[d])
		}
	}
}

func checkUser(t *testing.T, got, want UserScore) {
	t.Helper()
	if got.User != want.User || !near(got.Brier, want.Brier) || !near(got.CrowdBrier, want.CrowdBrier) ||
		!near(got.Relative, want.Relative) || got.DaysForecast != want.DaysForecast || got.DaysTotal != want.DaysTotal {
		t.Errorf("user score = %+v; want %+v", got, want)
	}
}

func TestQuestionDays(t *testing.T) {
	tests := []struct {
		opens, closes, resolved string
		want                    int
	}{
		{"2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z", "", 1},
		{"2027-01-01T00:00:00Z", "2027-01-02T00:00:00.000000001Z", "", 2},
		{"2027-01-01T23:59:59Z", "2027-01-02T00:00:01Z", "", 2},
		{"2027-01-01T12:00:00Z", "2027-01-01T13:00:00Z", "", 1},
		{"2027-01-01T12:00:00Z", "2027-01-01T12:00:00Z", "", 0},
		{"2027-01-01T12:00:00Z", "2027-01-31T12:00:00Z", "2027-01-01T11:00:00Z", 0},
		{"2027-01-01T12:00:00Z", "2027-01-31T12:00:00Z", "2027-01-03T00:00:00Z", 2},
		{"2027-01-01T12:00:00Z", "2027-01-31T12:00:00Z", "2027-02-03T00:00:00Z", 31},
		{"2027-01-01T12:00:00+08:00", "2027-01-02T00:00:00+08:00", "", 1}, // 04:00Z to 16:00Z
		{"1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z", "", 1},
		{"1969-12-30T12:00:00Z", "1970-01-01T00:00:01Z", "", 3},
	}
	for _, tt := range tests {
		q := Question{OpensAt: utc(tt.opens), ClosesAt: utc(tt.closes)}
		if tt.resolved != "" {
			q.ResolvedAt = utc(tt.resolved)
		}
		if got := q.Days(); got != tt.want {
			t.Errorf("Days(%s, %s, %q) = %d; want %d", tt.opens, tt.closes, tt.resolved, got, tt.want)
		}
	}
}

func TestScoreQuestionErrors(t *testing.T) {
	q, fs := election("2016-11-09T05:00:00Z")
	if _, err := ScoreQuestion(Question{Kind: Binary, Options: 2, OpensAt: q.OpensAt, ClosesAt: q.ClosesAt}, fs, nil); !errors.Is(err, ErrUnresolved) {
		t.Errorf("unresolved: err = %v; want ErrUnresolved", err)
	}
	if _, err := UserDays(Question{Kind: Binary, Options: 2, OpensAt: q.OpensAt, ClosesAt: q.ClosesAt}, fs, 1); !errors.Is(err, ErrUnresolved) {
		t.Errorf("UserDays unresolved: err = %v; want ErrUnresolved", err)
	}
	bad := func(name string, q Question, fs []Forecast) {
		t.Helper()
		if _, err := ScoreQuestion(q, fs, nil); err == nil || errors.Is(err, ErrUnresolved) {
			t.Errorf("%s: err = %v; want an error", name, err)
		}
	}
	unsorted := []Forecast{fs[1], fs[0]}
	bad("unsorted", q, unsorted)
	bad("wrong length", q, []Forecast{{1, fs[0].At, []float64{0.2, 0.3, 0.5}}})
	bad("bad sum", q, []Forecast{{1, fs[0].At, []float64{0.2, 0.3}}})
	// Even forecasts that would not be scored must be valid.
	bad("bad after E", q, append(fs[:5:5], Forecast{1, q.ClosesAt.AddDate(1, 0, 0), []float64{0.5}}))
	for name, mod := range map[string]func(*Question){
		"kind 0":         func(q *Question) { q.Kind = 0 },
		"one option":     func(q *Question) { q.Options = 1 },
		"binary with 3":  func(q *Question) { q.Options = 3 },
		"outcome 2":      func(q *Question) { q.Outcome = 2 },
		"outcome -1":     func(q *Question) { q.Outcome = -1 },
		"zero opens_at":  func(q *Question) { q.OpensAt = time.Time{} },
		"window too big": func(q *Question) { q.OpensAt = q.ClosesAt.AddDate(-300, 0, 0) },
	} {
		q2 := q
		mod(&q2)
		bad(name, q2, fs)
	}
}

// TestScoreQuestionEdges covers the reading rules one at a time.
func TestScoreQuestionEdges(t *testing.T) {
	q := Question{Kind: Binary, Options: 2, OpensAt: utc("2027-01-01T12:00:00Z"),
		ClosesAt: utc("2027-01-04T00:00:00Z"), ResolvedAt: utc("2027-02-01T00:00:00Z")}
	yes, no := []float64{1, 0}, []float64{0, 1}
	tests := []struct {
		name string
		fs   []Forecast
		want []UserScore
	}{
		{"midnight belongs to the new day", []Forecast{
			{1, utc("2027-01-01T13:00:00Z"), yes},
			{1, utc("2027-01-02T00:00:00Z"), no},
		}, []UserScore{{1, 4.0 / 3, 4.0 / 3, 0, 3, 3}}},
		{"last forecast of a day stands for it", []Forecast{
			{1, utc("2027-01-02T00:00:01Z"), no},
			{1, utc("2027-01-02T23:59:59Z"), yes},
		}, []UserScore{{1, 0, 0, 0, 2, 3}}},
		{"at E is never scored", []Forecast{
			{1, utc("2027-01-01T13:00:00Z"), yes},
			{2, utc("2027-01-04T00:00:00Z"), yes},
		}, []UserScore{{1, 0, 0, 0, 3, 3}}},
		{"equal times: the later arrival wins", []Forecast{
			{1, utc("2027-01-02T08:00:00Z"), no},
			{1, utc("2027-01-02T08:00:00Z"), yes},
		}, []UserScore{{1, 0, 0, 0, 2, 3}}},
		{"before the opening stands from day 0", []Forecast{
			{1, utc("2026-12-01T00:00:00Z"), no},
			{2, utc("2027-01-03T05:00:00Z"), yes},
		}, []UserScore{{1, 2, 5.0 / 3, 1.0 / 3, 3, 3}, {2, 0, 1, -1.0 / 3, 1, 3}}},
	}
	for _, tt := range tests {
		r, err := ScoreQuestion(q, tt.fs, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(r.Users) != len(tt.want) {
			t.Fatalf("%s: got %+v; want %+v", tt.name, r.Users, tt.want)
		}
		for i := range tt.want {
			checkUser(t, r.Users[i], tt.want[i])
		}
	}
}

// TestAgainstReference compares the fast implementation with the slow
// one of reference_test.go on random questions.
func TestAgainstReference(t *testing.T) {
	n := rounds(1000) // per shard: 4,000 questions in all
	for shard := range uint64(4) {
		t.Run(fmt.Sprint("shard", shard), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(shard, 2))
			for i := range n {
				c := genQuestion(r, 400)
				if err := compareWithReference(c); err != nil {
					t.Fatalf("case %d: %v\nquestion %+v\nforecasts %v\nteams %v", i, err, c.q, c.fs, c.teams)
				}
			}
		})
	}
}

// compareWithReference returns how the fast results for c differ from the
// reference, if they do.
func compareWithReference(c genCase) error {
	want, wantDays := refScore(c.q, c.fs, c.teams)
	got, err := ScoreQuestion(c.q, c.fs, c.teams)
	if err != nil {
		return fmt.Errorf("ScoreQuestion: %v", err)
	}
	if got.Teams == nil != (c.teams == nil) {
		return fmt.Errorf("Teams = %v with teams %v", got.Teams, c.teams)
	}
	if err := sameResult(got, want); err != nil {
		return err
	}
	for _, u := range append(refUsers(c.fs), 12345) {
		days, err := UserDays(c.q, c.fs, u)
		if err != nil {
			return fmt.Errorf("UserDays(%d): %v", u, err)
		}
		if err := sameDays(days, wantDays[u]); err != nil {
			return fmt.Errorf("UserDays(%d): %v", u, err)
		}
	}
	for _, q := range []Question{c.q, {Kind: c.q.Kind, Options: c.q.Options, OpensAt: c.q.OpensAt, ClosesAt: c.q.ClosesAt}} {
		if err := sameSeries(CrowdSeries(q, c.fs, c.until), refCrowdSeries(q, c.fs, c.until)); err != nil {
			return fmt.Errorf("CrowdSeries(resolved %v, until %v): %v", q.Resolved(), c.until, err)
		}
		if _, err := ScoreQuestion(q, c.fs, c.teams); q.ResolvedAt.IsZero() && !errors.Is(err, ErrUnresolved) {
			return fmt.Errorf("unresolved: err = %v; want ErrUnresolved", err)
		}
	}
	return nil
}

func sameResult(got, want Result) error {
	if len(got.Median) != len(want.Median) {
		return fmt.Errorf("%d medians; want %d", len(got.Median), len(want.Median))
	}
	for d := range got.Median {
		if !near(got.Median[d], want.Median[d]) {
			return fmt.Errorf("Median[%d] = %v; want %v", d, got.Median[d], want.Median[d])
		}
	}
	if len(got.Users) != len(want.Users) {
		return fmt.Errorf("Users = %+v; want %+v", got.Users, want.Users)
	}
	for i, g := range got.Users {
		w := want.Users[i]
		if g.User != w.User || !near(g.Brier, w.Brier) || !near(g.CrowdBrier, w.CrowdBrier) ||
			!near(g.Relative, w.Relative) || g.DaysForecast != w.DaysForecast || g.DaysTotal != w.DaysTotal {
			return fmt.Errorf("Users[%d] = %+v; want %+v", i, g, w)
		}
	}
	if len(got.Teams) != len(want.Teams) {
		return fmt.Errorf("Teams = %+v; want %+v", got.Teams, want.Teams)
	}
	for i, g := range got.Teams {
		w := want.Teams[i]
		if g.Team != w.Team || !near(g.Brier, w.Brier) || !near(g.Relative, w.Relative) ||
			g.DaysForecast != w.DaysForecast || g.DaysTotal != w.DaysTotal {
			return fmt.Errorf("Teams[%d] = %+v; want %+v", i, g, w)
		}
	}
	return nil
}

func sameDays(got, want []DayScore) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d days; want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Day.Equal(want[i].Day) || !near(got[i].Brier, want[i].Brier) || !near(got[i].Median, want[i].Median) {
			return fmt.Errorf("day %d = %+v; want %+v", i, got[i], want[i])
		}
	}
	return nil
}

func sameSeries(got, want []CrowdPoint) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d points; want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.Day.Equal(w.Day) || g.Forecasters != w.Forecasters || len(g.Probs) != len(w.Probs) {
			return fmt.Errorf("point %d = %+v; want %+v", i, g, w)
		}
		for k := range g.Probs {
			if !near(g.Probs[k], w.Probs[k]) {
				return fmt.Errorf("point %d = %+v; want %+v", i, g, w)
			}
		}
	}
	return nil
}
