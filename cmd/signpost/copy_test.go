package main

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"signpost/store/storetest"
)

// TestCopyCommand serves a SQLite file, copies it with 'signpost copy' into
// the test database (PostgreSQL when SIGNPOST_TEST_POSTGRES_DSN is set) and
// serves that: the old token still works (the JWT secret moved too), the
// forecast is there bit for bit, and the leaderboard is the same.
func TestCopyCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "from.db")
	base, stop := bootServer(t, file, nil)
	cred := map[string]string{"username": "mover", "password": "correct horse"}
	var reg authAnswer
	if code := call(t, "POST", base+"/api/v1/auth/register", "", cred, &reg); code != 201 {
		t.Fatalf("register = %d", code)
	}
	probs := []float64{0.1, 0.2, 0.30000000000000004, 0.39999999999999997}
	var f forecastAnswer
	if code := call(t, "POST", base+"/api/v1/questions/1/forecasts", reg.Token, map[string]any{"probabilities": probs}, &f); code != 201 {
		t.Fatalf("forecast = %d", code)
	}
	var board any
	call(t, "GET", base+"/api/v1/tournaments/ai-scenarios-2027/leaderboard", "", nil, &board)
	stop()

	to := storetest.Address(t, "to.db")
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	if err := run(context.Background(), []string{"copy", "--from", file, "--to", to}, getenv, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("copy: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "forecasts       1\n") || !strings.Contains(out.String(), "questions       18\n") {
		t.Errorf("copy printed %q; want the counts per table", out.String())
	}
	base, _ = bootServer(t, to, nil)
	var mine struct {
		Forecasts []forecastAnswer `json:"forecasts"`
	}
	if code := call(t, "GET", base+"/api/v1/questions/1/forecasts/mine", reg.Token, nil, &mine); code != 200 || len(mine.Forecasts) != 1 {
		t.Fatalf("my forecasts after the copy = %d %+v; want the old token to work and one forecast", code, mine.Forecasts)
	}
	for i, p := range mine.Forecasts[0].Probabilities {
		if p != probs[i] || mine.Forecasts[0].ID != f.ID {
			t.Errorf("forecast after the copy: %+v; want %+v bit for bit", mine.Forecasts[0], f)
		}
	}
	var after any
	call(t, "GET", base+"/api/v1/tournaments/ai-scenarios-2027/leaderboard", "", nil, &after)
	if !reflect.DeepEqual(board, after) {
		t.Errorf("leaderboard after the copy %v; before %v", after, board)
	}
	if err := run(context.Background(), []string{"copy", "--from", file, "--to", to}, getenv, strings.NewReader(""), &out, &errOut); err == nil {
		t.Error("a second copy into the same database succeeded")
	}
}
