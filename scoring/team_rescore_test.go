package scoring

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestScoreTeamsMatchesScoreQuestion rescores every team of random
// questions from its members' forecasts alone and wants ScoreQuestion's
// team scores bit for bit, one team at a time and all together.
func TestScoreTeamsMatchesScoreQuestion(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 14))
	checked := 0
	for i := range rounds(2000) {
		c := genQuestion(r, 400)
		if c.teams == nil {
			continue
		}
		full, err := ScoreQuestion(c.q, c.fs, c.teams)
		if err != nil {
			t.Fatal(err)
		}
		var all []TeamScore
		for _, team := range teamIDs(c.teams) {
			got, err := ScoreTeams(c.q, membersForecasts(c.fs, c.teams, team), c.teams, full.Median)
			if err != nil {
				t.Fatalf("case %d: ScoreTeams(team %d): %v", i, team, err)
			}
			all = append(all, got...)
			checked++
		}
		sortTeams(all)
		if !sameTeams(all, full.Teams) {
			t.Fatalf("case %d: ScoreTeams one by one = %+v; want %+v", i, all, full.Teams)
		}
		together, err := ScoreTeams(c.q, membersForecasts(c.fs, c.teams, -1), c.teams, full.Median)
		if err != nil || !sameTeams(together, full.Teams) {
			t.Fatalf("case %d: ScoreTeams(all teams) = %+v, %v; want %+v", i, together, err, full.Teams)
		}
	}
	if checked < rounds(1000) {
		t.Fatalf("only %d teams checked", checked)
	}
}

func TestScoreTeamsRefusesWrongMedians(t *testing.T) {
	c := genQuestion(rand.New(rand.NewPCG(1, 14)), 30)
	for c.q.Days() == 0 {
		c = genQuestion(rand.New(rand.NewPCG(uint64(len(c.fs)), 14)), 30)
	}
	if _, err := ScoreTeams(c.q, c.fs, map[int64]int64{}, make([]float64, c.q.Days()+1)); err == nil {
		t.Fatalf("ScoreTeams with %d medians for %d days: no error", c.q.Days()+1, c.q.Days())
	}
	unresolved := c.q
	unresolved.ResolvedAt = time.Time{}
	if _, err := ScoreTeams(unresolved, c.fs, nil, nil); err != ErrUnresolved {
		t.Fatalf("ScoreTeams(unresolved) = %v; want ErrUnresolved", err)
	}
}

// teamIDs returns the distinct teams of a membership map.
func teamIDs(teams map[int64]int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, t := range teams {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// membersForecasts keeps the forecasts of team's members (of any team's
// members if team is -1), in order.
func membersForecasts(fs []Forecast, teams map[int64]int64, team int64) []Forecast {
	var out []Forecast
	for _, f := range fs {
		if t, ok := teams[f.User]; ok && (team < 0 || t == team) {
			out = append(out, f)
		}
	}
	return out
}

func sortTeams(ts []TeamScore) {
	slices.SortFunc(ts, func(a, b TeamScore) int { return cmp.Compare(a.Team, b.Team) })
}

// sameTeams compares with ==, so bit for bit (no team score is NaN or -0).
func sameTeams(a, b []TeamScore) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}
