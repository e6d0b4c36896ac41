package main

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"signpost/store"
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

// TestCopyCommandNUL: a SQLite row with NUL in its text stops 'signpost
// copy' to PostgreSQL with a message saying where and what to do;
// --strip-nul copies it without the NUL and lists the value it changed.
func TestCopyCommandNUL(t *testing.T) {
	if storetest.PostgresDSN() == "" {
		t.Skip("NUL only troubles PostgreSQL: set SIGNPOST_TEST_POSTGRES_DSN")
	}
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "from.db")
	st, err := store.Open(ctx, file, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.User{Username: "nul", DisplayName: "bad\x00name", Role: store.RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	to := storetest.Address(t, "to.db")
	getenv := func(string) string { return "" }
	var out, errOut bytes.Buffer
	err = run(ctx, []string{"copy", "--from", file, "--to", to}, getenv, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "display_name") || !strings.Contains(err.Error(), "--strip-nul") {
		t.Fatalf("copy of a NUL = %v; want a refusal naming display_name and --strip-nul", err)
	}
	err = run(ctx, []string{"copy", "--strip-nul", "--from", file, "--to", to}, getenv, strings.NewReader(""), &out, &errOut)
	if err != nil || !strings.Contains(errOut.String(), "users.display_name of the row "+strconv.FormatInt(u.ID, 10)) {
		t.Fatalf("copy --strip-nul = %v, stderr %q; want the changed value listed", err, errOut.String())
	}
}
