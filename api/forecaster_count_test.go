package api

import "testing"

// TestForecasterCountBelowCrowdMinimum: below the crowd minimum the crowd
// is withheld but the number of forecasters is not (admins' confirmations
// say how many scores a resolution changes); the count follows forecasters,
// not forecasts, on the question and in its tournament's list.
func TestForecasterCountBelowCrowdMinimum(t *testing.T) {
	e := newTestEnv(t)
	bin := binaryQuestion(t, e)
	count := func() (int, *crowdDTO, int) {
		t.Helper()
		var q questionDTO
		e.must(200, "GET", qpath(bin, ""), "", nil, &q)
		var td tournamentDetailDTO
		e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027", "", nil, &td)
		listed := -1
		for _, lq := range td.Questions {
			if lq.ID == bin {
				listed = lq.Forecasters
			}
		}
		return q.Forecasters, q.Crowd, listed
	}
	if n, crowd, listed := count(); n != 0 || crowd != nil || listed != 0 {
		t.Fatalf("before any forecast: forecasters %d (listed %d), crowd %+v; want 0, null", n, listed, crowd)
	}
	tok, _ := e.register("counted")
	for _, p := range []float64{0.3, 0.4} { // two forecasts, one forecaster
		e.must(201, "POST", qpath(bin, "/forecasts"), tok, map[string]any{"probability": p}, nil)
	}
	if n, crowd, listed := count(); n != 1 || crowd != nil || listed != 1 {
		t.Fatalf("one forecaster below the minimum of 3: forecasters %d (listed %d), crowd %+v; want 1 and no crowd", n, listed, crowd)
	}
	for _, name := range []string{"second", "third"} {
		other, _ := e.register(name)
		e.must(201, "POST", qpath(bin, "/forecasts"), other, map[string]any{"probability": 0.5}, nil)
	}
	if n, crowd, _ := count(); n != 3 || crowd == nil || crowd.Forecasters != 3 {
		t.Fatalf("three forecasters: forecasters %d, crowd %+v; want 3 and the crowd", n, crowd)
	}
}
