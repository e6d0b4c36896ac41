package api

import (
	"strconv"
	"testing"
	"time"
)

func TestInertCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"plain":                   "plain",
		"王小明":                     "王小明",
		"=HYPERLINK(\"x\",\"y\")": "'=HYPERLINK(\"x\",\"y\")",
		"+1+cmd":                  "'+1+cmd",
		"-2+3":                    "'-2+3",
		"@SUM(A1)":                "'@SUM(A1)",
		"\tx":                     "'\tx",
		"\rx":                     "'\rx",
		"-0.05":                   "-0.05",
		"+3":                      "+3",
		"-1e-07":                  "-1e-07",
		"a=b":                     "a=b",
	} {
		if got := inertCell(in); got != want {
			t.Errorf("inertCell(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestCSVFormulaInjection exports every CSV table with a display name and
// a rationale written to run in a spreadsheet: each must come out inert,
// and every other cell starting with a formula character must be a number.
func TestCSVFormulaInjection(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	end := e.clock.now()
	e.clock.set(time.Date(2016, 11, 6, 0, 0, 0, 0, time.UTC))
	const name, rationale = `=HYPERLINK("http://evil.example","click")`, "-2+3+cmd|' /C calc'!A0"
	var a authResponse
	e.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": "mallory", "password": "password-mallory",
		"display_name": name}, &a)
	e.must(201, "POST", qpath(qid, "/forecasts"), a.Token, map[string]any{"probabilities": []float64{0.9, 0.1},
		"rationale": rationale}, nil)
	e.clock.set(end)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	base := "/api/v1/tournaments/us-2016/export.csv?table="
	for table, want := range map[string]string{"leaderboard": "'" + name, "scores": "'" + name, "forecasts": "'" + rationale} {
		rows := readCSV(t, e.must(200, "GET", base+table, e.admin, nil, nil))
		found := false
		for _, r := range rows[1:] {
			for _, c := range r {
				found = found || c == want
				if c != "" && c[0] != '\'' && inertCell(c) != c {
					t.Errorf("%s CSV: cell %q would run as a formula", table, c)
				}
				if c != "" && (c[0] == '-' || c[0] == '+') {
					if _, err := strconv.ParseFloat(c, 64); err != nil {
						t.Errorf("%s CSV: cell %q starts like a formula and is not a number", table, c)
					}
				}
			}
		}
		if !found {
			t.Errorf("%s CSV lacks the inert cell %q: %v", table, want, rows)
		}
	}
}
