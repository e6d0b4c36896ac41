package api

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"signpost/scoring"
)

// The aggregates lab over HTTP: the setting is admin-only, audited and
// validated; the question's crowd, its series and the signpost board
// follow it; ?aggregate= serves any aggregate's series; and the
// aggregates board scores each aggregate's series with the scoring rules.
func TestCrowdAggregateSetting(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	forecasts := map[string][2][]float64{
		"fay": {{0.9, 0.1}, {0.7, 0.3}},
		"gus": {{0.6, 0.4}, {0.5, 0.5}},
		"hal": {{0.3, 0.7}, {0.1, 0.9}},
	}
	var forecaster string
	ids := map[string]int64{}
	for _, name := range []string{"fay", "gus", "hal"} {
		forecaster, ids[name] = e.register(name)
		e.clock.set(e.clock.now().Add(time.Hour)) // recency_median orders them
		e.must(201, "POST", qpath(ind, "/forecasts"), forecaster, map[string]any{"probabilities": forecasts[name][0]}, nil)
		e.must(201, "POST", qpath(scen, "/forecasts"), forecaster, map[string]any{"probabilities": forecasts[name][1]}, nil)
	}
	crowd := func(id int64) []float64 {
		t.Helper()
		var q questionDTO
		e.must(200, "GET", qpath(id, ""), "", nil, &q)
		if q.Crowd == nil {
			t.Fatalf("question %d has no crowd", id)
		}
		return q.Crowd.Probabilities
	}
	series := func(id int64, query string) []float64 {
		t.Helper()
		var s crowdSeriesDTO
		e.must(200, "GET", qpath(id, "/crowd"+query), "", nil, &s)
		if len(s.Series) == 0 {
			t.Fatalf("question %d has no crowd series", id)
		}
		return s.Series[len(s.Series)-1].Probabilities
	}
	boardCrowd := func() float64 {
		t.Helper()
		var b struct {
			Scenarios []signpostScenarioDTO `json:"scenarios"`
		}
		e.must(200, "GET", "/api/v1/tournaments/signs/signposts", "", nil, &b)
		if len(b.Scenarios) == 0 || b.Scenarios[0].Crowd == nil {
			t.Fatalf("board %+v has no crowd", b)
		}
		return *b.Scenarios[0].Crowd
	}
	same := func(what string, got, want []float64) {
		t.Helper()
		for i := range want {
			if len(got) != len(want) || math.Abs(got[i]-want[i]) > 1e-12 {
				t.Fatalf("%s = %v; want %v", what, got, want)
			}
		}
	}
	if c := crowd(ind); c[0] != 0.6 {
		t.Fatalf("median crowd = %v; want Yes 0.6", c)
	}
	if b := boardCrowd(); b != 0.5 {
		t.Fatalf("board's median crowd = %v; want 0.5", b)
	}

	path := "/api/v1/tournaments/signs"
	set := map[string]any{"crowd_aggregate": "mean_logodds"}
	e.runScenarios(t, []scenario{
		{name: "no token", method: "PATCH", path: path, body: set, status: 401, code: "unauthorized"},
		{name: "forecaster", method: "PATCH", path: path, token: forecaster, body: set, status: 403, code: "forbidden"},
		{name: "unknown aggregate", method: "PATCH", path: path, token: e.admin, body: map[string]any{"crowd_aggregate": "mean"},
			status: 400, code: "validation_failed", field: "crowd_aggregate"},
		{name: "unknown aggregate with another change", method: "PATCH", path: path, token: e.admin,
			body: map[string]any{"crowd_aggregate": "", "conditionals_on_main": true}, status: 400, code: "validation_failed", field: "crowd_aggregate"},
		{name: "unknown series", method: "GET", path: qpath(ind, "/crowd?aggregate=mode"), status: 400, code: "validation_failed", field: "aggregate"},
		{name: "no such tournament's aggregates", method: "GET", path: path + "s/aggregates", status: 404, code: "not_found"},
	})
	var td tournamentDetailDTO
	e.must(200, "GET", path, "", nil, &td)
	if td.CrowdAggregate != "median" || td.ConditionalsOnMain {
		t.Fatalf("after refused changes: %+v; want median, conditionals off", td.tournamentDTO)
	}

	var got tournamentDTO
	e.must(200, "PATCH", path, e.admin, set, &got)
	if got.CrowdAggregate != "mean_logodds" {
		t.Fatalf("PATCH answered %+v; want crowd_aggregate mean_logodds", got)
	}
	var audit auditListDTO
	e.must(200, "GET", path+"/audit", e.admin, nil, &audit)
	if a := audit.Entries[0]; a.Action != "edit_tournament" || string(a.New) != `{"crowd_aggregate":"mean_logodds"}` {
		t.Fatalf("latest audit entry %+v; want the edit to mean_logodds", a)
	}
	want := scoring.MeanLogOdds([][]float64{forecasts["fay"][0], forecasts["gus"][0], forecasts["hal"][0]})
	same("the question's crowd", crowd(ind), want)
	same("the crowd series", series(ind, ""), want)
	same("the median series", series(ind, "?aggregate=median"), []float64{0.6, 0.4})
	wantScen := scoring.MeanLogOdds([][]float64{forecasts["fay"][1], forecasts["gus"][1], forecasts["hal"][1]})
	if b := boardCrowd(); math.Abs(b-wantScen[0]) > 1e-12 {
		t.Fatalf("board's crowd = %v; want mean_logodds %v", b, wantScen[0])
	}

	// Resolved, the indicator scores every aggregate's series.
	e.clock.set(testStart.Add(20 * time.Hour)) // the admin token lasts a day
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	var board aggregatesDTO
	e.must(200, "GET", path+"/aggregates", "", nil, &board)
	if board.Default != "mean_logodds" || len(board.Aggregates) != len(scoring.Aggregates) || board.Recommended != nil {
		t.Fatalf("aggregates board %+v; want the default mean_logodds, 5 aggregates, no recommendation", board)
	}
	for i, a := range board.Aggregates {
		if a.Name != scoring.Aggregates[i].String() || a.Questions != 1 {
			t.Fatalf("aggregate %d = %+v; want %v on 1 question", i, a, scoring.Aggregates[i])
		}
		var s crowdSeriesDTO
		e.must(200, "GET", qpath(ind, "/crowd?aggregate="+a.Name), "", nil, &s)
		var sum float64
		for _, p := range s.Series {
			sum += scoring.Brier(scoring.Binary, p.Probabilities, 0)
		}
		if brier := sum / float64(len(s.Series)); math.Abs(a.Brier-brier) > 1e-12 {
			t.Errorf("%s Brier %v; its series scores %v", a.Name, a.Brier, brier)
		}
	}
	if m := board.Aggregates[0]; m.Relative != 0 || m.Interval != [2]float64{} {
		t.Errorf("median %+v; want relative 0 within [0, 0]", m)
	}
	// The CSV export has each aggregate's score on the question.
	csv := string(e.must(200, "GET", path+"/export.csv?table=aggregates", "", nil, nil).raw)
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv, utf8BOM)), "\n")
	if len(lines) != 1+len(scoring.Aggregates) || lines[0] != strings.Join(csvColumns["aggregates"], ",") ||
		!strings.HasPrefix(lines[2], itoa(ind)+",ind,mean_logodds,"+num(board.Aggregates[1].Brier)+",") {
		t.Errorf("aggregates CSV:\n%s", csv)
	}

	// skill_weighted weighs the scenario's forecasters by their records on
	// the indicator, from the day after it resolved.
	e.must(200, "PATCH", path, e.admin, map[string]any{"crowd_aggregate": "skill_weighted"}, nil)
	e.clock.set(testStart.Add(40 * time.Hour))
	past, _, err := e.st.EvaluateAggregates(context.Background(), td.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sf []scoring.StandingForecast
	for _, name := range []string{"fay", "gus", "hal"} {
		sf = append(sf, scoring.StandingForecast{User: ids[name], Probs: forecasts[name][1]})
	}
	slices.SortFunc(sf, func(a, b scoring.StandingForecast) int { return cmp.Compare(a.User, b.User) })
	today := scoring.DayOf(e.clock.now())
	if _, n := past.Skill(ids["fay"], today); n != 1 {
		t.Fatalf("fay's record on %v covers %d questions; want the indicator", today, n)
	}
	want = past.Of(scoring.AggregateSkillWeighted, sf, today)
	if got := crowd(scen); math.Abs(got[0]-wantScen[0]) < 1e-3 {
		t.Fatalf("skill_weighted crowd %v is still the unweighted %v", got, wantScen)
	}
	same("the skill-weighted crowd", crowd(scen), want)
}
