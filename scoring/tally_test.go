package scoring

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// identicalResult reports where got and want differ, comparing floats by their
// bits (NaN medians included).
func identicalResult(got, want Result) string {
	if len(got.Median) != len(want.Median) {
		return "median lengths"
	}
	for d := range got.Median {
		if math.Float64bits(got.Median[d]) != math.Float64bits(want.Median[d]) {
			return "median of a day"
		}
	}
	if len(got.Users) != len(want.Users) || (got.Teams == nil) != (want.Teams == nil) || len(got.Teams) != len(want.Teams) {
		return "number of users or teams"
	}
	for i := range got.Users {
		a, b := got.Users[i], want.Users[i]
		if a.User != b.User || a.DaysForecast != b.DaysForecast || a.DaysTotal != b.DaysTotal ||
			math.Float64bits(a.Brier) != math.Float64bits(b.Brier) || math.Float64bits(a.CrowdBrier) != math.Float64bits(b.CrowdBrier) ||
			math.Float64bits(a.Relative) != math.Float64bits(b.Relative) {
			return "a user's score"
		}
	}
	for i := range got.Teams {
		a, b := got.Teams[i], want.Teams[i]
		if a.Team != b.Team || a.DaysForecast != b.DaysForecast || a.DaysTotal != b.DaysTotal ||
			math.Float64bits(a.Brier) != math.Float64bits(b.Brier) || math.Float64bits(a.Relative) != math.Float64bits(b.Relative) {
			return "a team's score"
		}
	}
	return ""
}

// randomTallyCase is a question with forecasts in scoring order, some at
// one instant, and teams.
func randomTallyCase(r *rand.Rand) (Question, []Forecast, map[int64]int64) {
	kind := []Kind{Binary, MultipleChoice, Ordered}[r.IntN(3)]
	k := 2
	if kind != Binary {
		k = 2 + r.IntN(4)
	}
	opens := time.Date(2026, 1, 1, 7, 30, 0, 0, time.UTC)
	days := 1 + r.IntN(12)
	q := Question{Kind: kind, Options: k, OpensAt: opens, ClosesAt: opens.Add(time.Duration(days) * 24 * time.Hour)}
	users := 1 + r.IntN(9)
	var teams map[int64]int64
	if r.IntN(3) > 0 {
		teams = make(map[int64]int64)
		for u := range users {
			if r.IntN(4) > 0 {
				teams[int64(u+1)] = int64(1 + r.IntN(3))
			}
		}
	}
	var fs []Forecast
	at := opens.Add(-time.Hour)
	for range r.IntN(40) {
		if r.IntN(4) > 0 { // otherwise at the same instant as the previous
			at = at.Add(time.Duration(r.IntN(int(30 * time.Hour))))
		}
		fs = append(fs, Forecast{User: int64(1 + r.IntN(users)), At: at, Probs: randProbs(r, k)})
	}
	return q, fs, teams
}

// TestTallyEqualsScoreQuestion adds random forecasts to a tally and checks
// that every outcome and several resolution dates read from it equal
// ScoreQuestion over the same forecasts bit for bit, at every step.
func TestTallyEqualsScoreQuestion(t *testing.T) {
	r := rand.New(rand.NewPCG(26, 7))
	for round := range rounds(400) {
		q, fs, teams := randomTallyCase(r)
		tally, err := NewTally(q, teams)
		if err != nil {
			t.Fatal(err)
		}
		check := func(i int) {
			t.Helper()
			ends := []time.Time{q.ClosesAt, q.ClosesAt.Add(48 * time.Hour)}
			if i > 0 {
				last := fs[i-1].At
				ends = append(ends, last.Add(time.Microsecond), last.Add(time.Duration(r.IntN(int(50*time.Hour)))),
					time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, time.UTC))
			}
			for _, end := range ends {
				for o := range q.Options {
					rq := q
					rq.ResolvedAt, rq.Outcome = end, o
					want, werr := ScoreQuestion(rq, fs[:i], teams)
					got, gerr := tally.Score(rq)
					if i > 0 && !fs[i-1].At.Before(rq.End()) {
						if !errors.Is(gerr, ErrNotTallied) {
							t.Fatalf("round %d: Score after a forecast at the end = %v; want ErrNotTallied", round, gerr)
						}
						continue
					}
					if (werr == nil) != (gerr == nil) {
						t.Fatalf("round %d: Score error %v; ScoreQuestion %v", round, gerr, werr)
					}
					if werr != nil {
						continue
					}
					if d := identicalResult(got, want); d != "" {
						t.Fatalf("round %d, %d forecasts (sealed %v), outcome %d, end %v: Score differs from ScoreQuestion in %s\n got %+v\nwant %+v",
							round, i, tally.sealed, o, end, d, got, want)
					}
				}
			}
		}
		for i := 0; i <= len(fs); i++ {
			if i > 0 {
				if err := tally.Add(fs[i-1]); err != nil {
					t.Fatalf("round %d: Add(%d) = %v", round, i-1, err)
				}
			}
			if i%3 == 0 || i == len(fs) {
				check(i)
			}
		}
		// Sealed, as when the question is resolved: the same answers.
		tally.Seal()
		check(len(fs))
		if len(fs) > 0 {
			if err := tally.Add(fs[len(fs)-1]); !errors.Is(err, ErrLate) {
				t.Fatalf("Add after Seal = %v; want ErrLate", err)
			}
		}
	}
}

// TestTallyOrderWithinADay adds one day's forecasts in an order other than
// by time: the result is that of the time order.
func TestTallyOrderWithinADay(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range rounds(200) {
		q, fs, teams := randomTallyCase(r)
		if len(fs) == 0 {
			continue
		}
		tally, err := NewTally(q, teams)
		if err != nil {
			t.Fatal(err)
		}
		// Shuffle the forecasts of each day among themselves.
		shuffled := slices.Clone(fs)
		w := newWindow(q.OpensAt, q.ClosesAt)
		for i := 0; i < len(shuffled); {
			j := i
			for j < len(shuffled) && w.index(shuffled[j].At) == w.index(shuffled[i].At) {
				j++
			}
			day := shuffled[i:j]
			r.Shuffle(len(day), func(a, b int) { day[a], day[b] = day[b], day[a] })
			i = j
		}
		for i := range shuffled {
			if err := tally.Add(shuffled[i]); err != nil {
				t.Fatal(err)
			}
		}
		rq := q
		rq.ResolvedAt, rq.Outcome = q.ClosesAt.Add(time.Hour), r.IntN(q.Options)
		if !fs[len(fs)-1].At.Before(rq.End()) {
			continue
		}
		want, err := ScoreQuestion(rq, fs, teams)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tally.Score(rq)
		if err != nil {
			t.Fatal(err)
		}
		if d := identicalResult(got, want); d != "" && !tiedInstants(fs) {
			t.Fatalf("Score of a shuffled day differs in %s", d)
		}
	}
}

// tiedInstants reports whether one user forecast twice at one instant (the
// arrival order then decides, and shuffling changes it).
func tiedInstants(fs []Forecast) bool {
	for i := 1; i < len(fs); i++ {
		for j := i - 1; j >= 0 && fs[j].At.Equal(fs[i].At); j-- {
			if fs[j].User == fs[i].User {
				return true
			}
		}
	}
	return false
}

// TestTallyRefuses checks the cases the tally cannot answer.
func TestTallyRefuses(t *testing.T) {
	opens := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	q := Question{Kind: Binary, Options: 2, OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 10)}
	tally, err := NewTally(q, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tally.Add(Forecast{User: 1, At: opens.AddDate(0, 0, 3), Probs: []float64{0.3, 0.7}}); err != nil {
		t.Fatal(err)
	}
	if err := tally.Add(Forecast{User: 2, At: opens.AddDate(0, 0, 1), Probs: []float64{0.3, 0.7}}); !errors.Is(err, ErrLate) {
		t.Errorf("Add of a closed day = %v; want ErrLate", err)
	}
	if err := tally.Add(Forecast{User: 2, At: opens.AddDate(0, 0, 4), Probs: []float64{0.3}}); err == nil {
		t.Error("Add of an invalid forecast succeeded")
	}
	early := q
	early.ResolvedAt, early.Outcome = opens.AddDate(0, 0, 2), 1
	if _, err := tally.Score(early); !errors.Is(err, ErrNotTallied) {
		t.Errorf("Score ending before a tallied forecast = %v; want ErrNotTallied", err)
	}
	other := q
	other.ResolvedAt, other.Outcome, other.OpensAt = q.ClosesAt, 1, opens.AddDate(0, 0, -1)
	if _, err := tally.Score(other); !errors.Is(err, ErrNotTallied) {
		t.Errorf("Score of another opening day = %v; want ErrNotTallied", err)
	}
	if _, err := tally.Score(q); !errors.Is(err, ErrUnresolved) {
		t.Errorf("Score of an unresolved question = %v; want ErrUnresolved", err)
	}
}

// BenchmarkTally compares, on one question of 10,000 forecasters with 10
// forecasts each (100,000 forecasts, four options), scoring it from its
// forecasts, building its tally from them, and scoring it from the sealed
// tally (what a correction of its outcome costs).
func BenchmarkTally(b *testing.B) {
	tr := genTournament(10_000, 2, 10)
	q, fs := tr.questions[1], tr.forecasts[1]
	build := func() *Tally {
		tally, err := NewTally(q, tr.teams)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range fs {
			if err := tally.Add(f); err != nil {
				b.Fatal(err)
			}
		}
		tally.Seal()
		return tally
	}
	b.Run("ScoreQuestion", func(b *testing.B) {
		for b.Loop() {
			if _, err := ScoreQuestion(q, fs, tr.teams); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			build()
		}
	})
	b.Run("Score", func(b *testing.B) {
		tally := build()
		for b.Loop() {
			if _, err := tally.Score(q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
