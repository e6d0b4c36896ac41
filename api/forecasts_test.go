package api

import (
	"math"
	"testing"
	"time"
)

func TestForecasts(t *testing.T) {
	// One forecaster's crowd is shown here, to check it follows the latest.
	e := newTestEnv(t, func(c *Config) { c.CrowdMin = 1 })
	tok, uid := e.register("kate")
	ids := e.questionIDs()
	scen, bin, ord := ids["scenario-2027"], ids["a-huawei-ascend-960-launch"], ids["b-arena-us-china-score-gap"]
	post := func(id int64, body any) string { return qpath(id, "/forecasts") }
	e.runScenarios(t, []scenario{
		{name: "no token", method: "POST", path: post(scen, nil), body: map[string]any{"probabilities": []float64{0.25, 0.25, 0.25, 0.25}}, status: 401, code: "unauthorized"},
		{name: "unknown question", method: "POST", path: qpath(99999, "/forecasts"), token: tok, body: map[string]any{"probability": 0.5}, status: 404, code: "not_found"},
		{name: "not JSON", method: "POST", path: post(scen, nil), token: tok, body: "[0.5", status: 400, code: "bad_request"},
		{name: "strings", method: "POST", path: post(scen, nil), token: tok, body: `{"probabilities": ["0.5", "0.5"]}`, status: 400, code: "bad_request", field: "probabilities"},
		{name: "nothing", method: "POST", path: post(scen, nil), token: tok, body: map[string]any{}, status: 400, code: "validation_failed", field: "probabilities"},
		{name: "sum 0.9", method: "POST", path: post(scen, nil), token: tok, body: map[string]any{"probabilities": []float64{0.4, 0.3, 0.1, 0.1}}, status: 400, code: "validation_failed", field: "probabilities"},
		{name: "too few", method: "POST", path: post(scen, nil), token: tok, body: map[string]any{"probabilities": []float64{0.5, 0.5}}, status: 400, code: "validation_failed", field: "probabilities"},
		{name: "too many", method: "POST", path: post(bin, nil), token: tok, body: map[string]any{"probabilities": []float64{0.5, 0.25, 0.25}}, status: 400, code: "validation_failed", field: "probabilities"},
		{name: "negative", method: "POST", path: post(scen, nil), token: tok, body: map[string]any{"probabilities": []float64{-0.1, 0.5, 0.3, 0.3}}, status: 400, code: "validation_failed", field: "probabilities"},
		{name: "above one", method: "POST", path: post(bin, nil), token: tok, body: map[string]any{"probabilities": []float64{1.5, -0.5}}, status: 400, code: "validation_failed", field: "probabilities"},
		{name: "probability on multiple choice", method: "POST", path: post(scen, nil), token: tok, body: map[string]any{"probability": 0.5}, status: 400, code: "validation_failed", field: "probability"},
		{name: "probability above 1", method: "POST", path: post(bin, nil), token: tok, body: map[string]any{"probability": 1.01}, status: 400, code: "validation_failed", field: "probability"},
		{name: "both forms", method: "POST", path: post(bin, nil), token: tok, body: map[string]any{"probability": 0.5, "probabilities": []float64{0.5, 0.5}}, status: 400, code: "validation_failed", field: "probabilities"},
		{name: "nothing stored so far", method: "GET", path: qpath(scen, "/forecasts/mine"), token: tok, status: 200, checkBody: func(t *testing.T, r response) {
			var m struct{ Forecasts []forecastDTO }
			r.decode(t, &m)
			if len(m.Forecasts) != 0 {
				t.Fatalf("rejected forecasts were stored: %s", r.raw)
			}
		}},
		{name: "within 1e-6", method: "POST", path: post(scen, nil), token: tok, body: map[string]any{"probabilities": []float64{0.25, 0.25, 0.25, 0.2500005}, "rationale": "<script>x</script>"}, status: 201,
			checkBody: func(t *testing.T, r response) {
				var f forecastDTO
				r.decode(t, &f)
				if f.UserID != uid || f.QuestionID != scen || f.Probabilities[3] != 0.2500005 || f.Rationale != "<script>x</script>" || f.CreatedAt != "2026-12-01T12:00:00Z" {
					t.Fatalf("forecast %+v", f)
				}
			}},
		{name: "binary shorthand", method: "POST", path: post(bin, nil), token: tok, body: map[string]any{"probability": 0.8}, status: 201},
		{name: "ordered", method: "POST", path: post(ord, nil), token: tok, body: map[string]any{"probabilities": []float64{0.1, 0.2, 0.3, 0.4}}, status: 201},
		{name: "mine without token", method: "GET", path: qpath(scen, "/forecasts/mine"), status: 401, code: "unauthorized"},
	})
	e.clock.set(testStart.Add(time.Hour))
	e.must(201, "POST", qpath(scen, "/forecasts"), tok, map[string]any{"probabilities": []float64{0.1, 0.2, 0.3, 0.4}}, nil)
	var mine struct{ Forecasts []forecastDTO }
	e.must(200, "GET", qpath(scen, "/forecasts/mine"), tok, nil, &mine)
	if len(mine.Forecasts) != 2 || mine.Forecasts[0].Probabilities[0] != 0.25 || mine.Forecasts[1].Probabilities[0] != 0.1 {
		t.Fatalf("history = %+v; want two, oldest first", mine.Forecasts)
	}
	var q questionDTO
	e.must(200, "GET", qpath(scen, ""), tok, nil, &q)
	if q.Crowd == nil || q.Crowd.Forecasters != 1 || q.Crowd.Probabilities[3] != 0.4 {
		t.Fatalf("crowd = %+v; want the latest forecast", q.Crowd)
	}
	if string(q.MyForecast) == "null" {
		t.Fatalf("my_forecast missing")
	}
}

// TestCrowdMedian: the crowd is the per-option median of everyone's latest
// forecast, renormalised.
func TestCrowdMedian(t *testing.T) {
	e := newTestEnv(t)
	scen := e.questionIDs()["scenario-2027"]
	for i, ps := range [][]float64{{0.7, 0.1, 0.1, 0.1}, {0.1, 0.7, 0.1, 0.1}, {0.1, 0.1, 0.7, 0.1}} {
		tok, _ := e.register("crowd" + itoa(int64(i)))
		e.must(201, "POST", qpath(scen, "/forecasts"), tok, map[string]any{"probabilities": ps}, nil)
	}
	var q questionDTO
	e.must(200, "GET", qpath(scen, ""), "", nil, &q)
	// medians 0.1, 0.1, 0.1, 0.1 -> 0.25 each
	if q.Crowd.Forecasters != 3 {
		t.Fatalf("forecasters = %d", q.Crowd.Forecasters)
	}
	for k, p := range q.Crowd.Probabilities {
		if math.Abs(p-0.25) > 1e-12 {
			t.Fatalf("crowd[%d] = %v; want 0.25", k, p)
		}
	}
	var series struct {
		Series []crowdPointDTO `json:"series"`
	}
	e.must(200, "GET", qpath(scen, "/crowd"), "", nil, &series)
	if len(series.Series) == 0 || series.Series[len(series.Series)-1].Date != "2026-12-01" || series.Series[len(series.Series)-1].Forecasters != 3 {
		t.Fatalf("crowd series = %+v", series.Series)
	}
}
