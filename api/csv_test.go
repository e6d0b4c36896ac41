package api

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"
	"time"
)

// readCSV checks the BOM and parses the rest as CSV, header first.
func readCSV(t *testing.T, r response) [][]string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	body, ok := bytes.CutPrefix(r.raw, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("no UTF-8 BOM at the start of %q", r.raw[:min(20, len(r.raw))])
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func float(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCSVExport(t *testing.T) {
	e, qid, george, _ := electionEnv(t)
	end := e.clock.now()
	e.clock.set(time.Date(2016, 11, 6, 0, 0, 0, 0, time.UTC))
	var a authResponse
	e.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": "wang", "password": "password-wang", "display_name": "王小明"}, &a)
	e.must(201, "POST", qpath(qid, "/forecasts"), a.Token, map[string]any{"probabilities": []float64{1.0 / 3, 2.0 / 3}, "rationale": "民调，\"引号\""}, nil)
	e.clock.set(end)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	base := "/api/v1/tournaments/us-2016/export.csv?table="

	var board struct{ Entries []entryDTO }
	e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, &board)
	rows := readCSV(t, e.must(200, "GET", base+"leaderboard", "", nil, nil))
	if len(rows) != 1+len(board.Entries) || rows[0][0] != "rank" || rows[0][7] != "relative" {
		t.Fatalf("leaderboard CSV %v; want a header and %d rows", rows, len(board.Entries))
	}
	for i, en := range board.Entries {
		r := rows[i+1]
		if r[0] != strconv.Itoa(en.Rank) || r[2] != en.User.Username || r[3] != en.User.DisplayName ||
			float(t, r[6]) != en.Brier || float(t, r[7]) != en.Relative {
			t.Fatalf("CSV row %v; want %+v exactly", r, en)
		}
	}
	found := false
	for _, r := range rows {
		found = found || r[3] == "王小明"
	}
	if !found {
		t.Fatalf("Chinese display name lost: %v", rows)
	}

	var scores struct{ Scores []scoreDTO }
	e.must(200, "GET", qpath(qid, "/scores"), "", nil, &scores)
	rows = readCSV(t, e.must(200, "GET", base+"scores", "", nil, nil))
	if len(rows) != 1+len(scores.Scores) {
		t.Fatalf("scores CSV has %d rows; want %d", len(rows), 1+len(scores.Scores))
	}
	for i, sc := range scores.Scores {
		r := rows[i+1]
		if r[0] != itoa(qid) || r[3] != sc.User.Username || float(t, r[6]) != sc.Brier || float(t, r[7]) != sc.CrowdBrier ||
			float(t, r[8]) != sc.Relative || r[9] != strconv.Itoa(sc.DaysForecast) {
			t.Fatalf("CSV row %v; want %+v exactly", r, sc)
		}
	}

	e.runScenarios(t, []scenario{
		{name: "forecasts anonymous", method: "GET", path: base + "forecasts", status: 401, code: "unauthorized"},
		{name: "forecasts forecaster", method: "GET", path: base + "forecasts", token: george, status: 403, code: "forbidden"},
		{name: "no table", method: "GET", path: base, status: 400, code: "validation_failed", field: "table"},
		{name: "unknown tournament", method: "GET", path: "/api/v1/tournaments/nope/export.csv?table=scores", status: 404, code: "not_found"},
	})
	rows = readCSV(t, e.must(200, "GET", base+"forecasts", e.admin, nil, nil))
	if len(rows) != 7 || rows[0][7] != "option_1" || rows[0][8] != "option_2" {
		t.Fatalf("forecasts CSV %v; want a header with option columns and 6 forecasts", rows)
	}
	wang := 0
	for _, r := range rows[1:] {
		if r[4] != "wang" {
			continue
		}
		wang++
		if float(t, r[7]) != 1.0/3 || float(t, r[8]) != 2.0/3 || r[6] != "民调，\"引号\"" {
			t.Fatalf("wang's row %v; want full-precision thirds and the rationale intact", r)
		}
	}
	if wang != 1 {
		t.Fatalf("forecasts CSV %v; want wang's one forecast", rows)
	}
}
