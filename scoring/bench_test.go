package scoring

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// tournament is a synthetic tournament for benchmarks.
type tournament struct {
	questions []Question
	forecasts [][]Forecast // by question, sorted by time
	teams     map[int64]int64
	userNames map[int64]string
	teamNames map[int64]string
}

// genTournament builds users × questions × perUser forecasts over 365-day
// windows, with mixed kinds and teams of about 5 users, from a fixed seed.
func genTournament(users, questions, perUser int) tournament {
	r := rand.New(rand.NewPCG(2027, 1))
	t := tournament{
		teams:     map[int64]int64{},
		userNames: map[int64]string{},
		teamNames: map[int64]string{},
	}
	for u := range int64(users) {
		t.userNames[u+1] = fmt.Sprintf("user%05d", u+1)
		team := 1 + u/5
		t.teams[u+1] = team
		t.teamNames[team] = fmt.Sprintf("team%04d", team)
	}
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range questions {
		q := Question{Kind: Kind(1 + i%3), Options: 2}
		if q.Kind != Binary {
			q.Options = 3 + i%4
		}
		q.OpensAt = start.AddDate(0, 0, i).Add(9 * time.Hour)
		q.ClosesAt = q.OpensAt.AddDate(0, 0, 365)
		q.ResolvedAt = q.ClosesAt.Add(time.Hour)
		q.Outcome = r.IntN(q.Options)
		window := int64(q.ClosesAt.Sub(q.OpensAt))
		fs := make([]Forecast, 0, users*perUser)
		for u := range int64(users) {
			for range perUser {
				fs = append(fs, Forecast{
					User:  u + 1,
					At:    q.OpensAt.Add(time.Duration(r.Int64N(window))),
					Probs: randProbs(r, q.Options),
				})
			}
		}
		slices.SortStableFunc(fs, func(a, b Forecast) int { return a.At.Compare(b.At) })
		t.questions = append(t.questions, q)
		t.forecasts = append(t.forecasts, fs)
	}
	return t
}

// leaderboards is the full recompute the server does for a tournament.
func (t tournament) leaderboards() ([]Entry, []Entry, error) {
	users, teams := NewBoard(), NewBoard()
	for i, q := range t.questions {
		r, err := ScoreQuestion(q, t.forecasts[i], t.teams)
		if err != nil {
			return nil, nil, err
		}
		for _, u := range r.Users {
			users.Add(u.User, t.userNames[u.User], u.Brier, u.Relative)
		}
		for _, tm := range r.Teams {
			teams.Add(tm.Team, t.teamNames[tm.Team], tm.Brier, tm.Relative)
		}
	}
	return users.Entries(), teams.Entries(), nil
}

// BenchmarkLeaderboard1M recomputes the leaderboards of 2,000 users on
// 50 questions with 10 forecasts each: a million forecasts.
func BenchmarkLeaderboard1M(b *testing.B) {
	t := genTournament(2000, 50, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		users, teams, err := t.leaderboards()
		if err != nil || len(users) != 2000 || len(teams) != 400 {
			b.Fatalf("%d users, %d teams, %v", len(users), len(teams), err)
		}
	}
}

// BenchmarkScoreQuestion scores one question of 20,000 forecasts.
func BenchmarkScoreQuestion(b *testing.B) {
	t := genTournament(2000, 1, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ScoreQuestion(t.questions[0], t.forecasts[0], t.teams); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCrowdSeries builds the daily crowd of the same question.
func BenchmarkCrowdSeries(b *testing.B) {
	t := genTournament(2000, 2, 10)
	q := t.questions[1] // four options
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if s := CrowdSeries(q, t.forecasts[1], q.End()); len(s) != 366 {
			b.Fatalf("%d points", len(s))
		}
	}
}

func BenchmarkBrier(b *testing.B) {
	p := []float64{0.1, 0.2, 0.3, 0.4}
	for _, kind := range []Kind{Binary, MultipleChoice, Ordered} {
		b.Run(kind.String(), func(b *testing.B) {
			var s float64
			for b.Loop() {
				s += Brier(kind, p, 2)
			}
			if s < 0 {
				b.Fatal(s)
			}
		})
	}
}

// TestLeaderboardSmall runs the benchmark's code path in the ordinary
// test run, so that it cannot rot.
func TestLeaderboardSmall(t *testing.T) {
	users, teams, err := genTournament(50, 3, 4).leaderboards()
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 50 || len(teams) != 10 {
		t.Fatalf("%d users, %d teams; want 50 and 10", len(users), len(teams))
	}
	for i, e := range users {
		if e.Questions != 3 || (i > 0 && e.Rank < users[i-1].Rank) {
			t.Fatalf("entry %d = %+v", i, e)
		}
	}
}

// BenchmarkMedianSet updates one of 2,000 users' values and reads the
// median, as a day of a large question does.
func BenchmarkMedianSet(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var m medianSet
	for s := range int32(2000) {
		m.set(s, r.Float64()*2)
	}
	vals := make([]float64, 4096)
	for i := range vals {
		vals[i] = r.Float64() * 2
	}
	var sink float64
	for i := 0; b.Loop(); i++ {
		m.set(int32(i*7919%2000), vals[i&4095])
		sink += m.median()
	}
	if sink < 0 {
		b.Fatal(sink)
	}
}
