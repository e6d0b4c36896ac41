package api

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"
)

func TestLedger(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	path := qpath(qid, "/ledger")
	if r := e.do("GET", path, george, nil); r.status != 409 {
		t.Fatalf("ledger before resolution = %d; want 409", r.status)
	}
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)

	var l ledgerDTO
	e.must(200, "GET", path, george, nil, &l)
	// The scoring package's worked example: George's days and the crowd median.
	wantBrier := []float64{0.98, 0.98, 0.72, 0.72, 0.72, 0.72, 0.72}
	wantMedian := []float64{0.98, 0.65, 0.52, 0.52, 0.45, 0.45, 0.45}
	if len(l.Days) != 7 || l.User.Username != "george" || l.DaysTotal != 7 || !near(l.Relative, 0.22) {
		t.Fatalf("george's ledger = %+v; want 7 days summing to 0.22", l)
	}
	var mine []forecastDTO
	e.must(200, "GET", qpath(qid, "/forecasts/mine"), george, nil, &struct{ Forecasts *[]forecastDTO }{&mine})
	standing := []int{0, 0, 2, 2, 2, 2, 2} // his third forecast stands from 11-03
	sum := 0.0
	for i, d := range l.Days {
		if !near(d.Brier, wantBrier[i]) || !near(d.CrowdBrier, wantMedian[i]) || !near(d.Difference, wantBrier[i]-wantMedian[i]) ||
			d.ForecastID != mine[standing[i]].ID || d.Probabilities[0] != mine[standing[i]].Probabilities[0] {
			t.Errorf("day %d = %+v; want brier %v, median %v, forecast %d", i, d, wantBrier[i], wantMedian[i], mine[standing[i]].ID)
		}
		sum += d.Contribution
	}
	var scores struct{ Scores []scoreDTO }
	e.must(200, "GET", qpath(qid, "/scores"), "", nil, &scores)
	for _, s := range scores.Scores {
		if s.User.Username == "george" && !near(s.Relative, sum) {
			t.Errorf("ledger days sum to %v; the question score is %v", sum, s.Relative)
		}
	}

	// The CSV holds the same numbers, after a byte order mark.
	r := e.must(200, "GET", path+"?format=csv&lang=zh", george, nil, nil)
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !bytes.HasPrefix(r.raw, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("CSV content type %q, starts %q", ct, r.raw[:min(3, len(r.raw))])
	}
	rows, err := csv.NewReader(bytes.NewReader(r.raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 || rows[0][0] != "date" || rows[0][2] != "Clinton" || rows[0][7] != "contribution" {
		t.Fatalf("CSV = %q", rows)
	}
	for i, d := range l.Days {
		row := rows[i+1]
		num := func(j int) float64 {
			v, err := strconv.ParseFloat(row[j], 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if row[0] != d.Date || row[1] != itoa(d.ForecastID) || num(2) != d.Probabilities[0] || num(3) != d.Probabilities[1] ||
			num(4) != d.Brier || num(5) != d.CrowdBrier || num(6) != d.Difference || num(7) != d.Contribution {
			t.Errorf("CSV row %q; JSON day %+v", row, d)
		}
	}

	e.runScenarios(t, []scenario{
		{name: "another's ledger as a forecaster", method: "GET", path: path + "?user=kramer", token: george, status: 403, code: "forbidden"},
		{name: "no token", method: "GET", path: path, status: 401, code: "unauthorized"},
		{name: "bad format", method: "GET", path: path + "?format=xml", token: george, status: 400, code: "validation_failed", field: "format"},
		{name: "unknown user", method: "GET", path: path + "?user=nobody", token: e.admin, status: 404, code: "not_found"},
		{name: "admin reads kramer's", method: "GET", path: path + "?user=kramer", token: e.admin, status: 200,
			checkBody: func(t *testing.T, r response) {
				var k ledgerDTO
				r.decode(t, &k)
				if k.User.Username != "kramer" || len(k.Days) != 6 || !near(k.Relative, -0.22) {
					t.Errorf("kramer's ledger = %+v; want 6 days summing to -0.22", k)
				}
			}},
	})
	var own ledgerDTO
	e.must(200, "GET", path, kramer, nil, &own)
	if own.User.Username != "kramer" || len(own.Days) != 6 {
		t.Errorf("kramer's own ledger = %+v", own)
	}
}
