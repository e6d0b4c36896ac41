package store

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestCopyThereAndBack fills a SQLite database (seed, users, forecasts with
// awkward probabilities, a team, a resolution, an annulment), copies it into
// the test database (PostgreSQL when SIGNPOST_TEST_POSTGRES_DSN is set) and
// from there into a fresh SQLite file: every table's count, every
// probability's bits and the leaderboards are the same at each step, and
// new rows get new IDs after the copy.
func TestCopyThereAndBack(t *testing.T) {
	ctx := context.Background()
	src := openSQLiteStore(t)
	fillForCopy(t, src)
	mid := openTestStore(t)
	last := openStoreAt(t, filepath.Join(t.TempDir(), "back.db"))
	want := copySnapshot(t, src)
	for _, step := range []struct {
		name     string
		from, to *Store
	}{{"SQLite to " + mid.dialect.name, src, mid}, {mid.dialect.name + " to SQLite", mid, last}} {
		counts, err := Copy(ctx, step.from, step.to)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if counts["forecasts"] != int64(len(want.forecasts)) || counts["users"] != 5 {
			t.Errorf("%s: counts %v", step.name, counts)
		}
		got := copySnapshot(t, step.to)
		if !reflect.DeepEqual(got.counts, want.counts) {
			t.Errorf("%s: table counts %v; want %v", step.name, got.counts, want.counts)
		}
		if !sameBits(got.forecasts, want.forecasts) || !reflect.DeepEqual(got.forecasts, want.forecasts) {
			t.Errorf("%s: forecasts differ", step.name)
		}
		if !reflect.DeepEqual(got.board, want.board) {
			t.Errorf("%s: leaderboards differ:\n%+v\nwant\n%+v", step.name, got.board, want.board)
		}
	}
	if _, err := Copy(ctx, src, mid); err == nil {
		t.Error("a second copy into a database that is not empty succeeded")
	}
	u, err := mid.CreateUser(ctx, User{Username: "after-copy", DisplayName: "A", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil || u.ID != 6 {
		t.Errorf("a user created after the copy = %d, %v; want ID 6", u.ID, err)
	}
}

func fillForCopy(t *testing.T, st *Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	var users []User
	for i := range 5 {
		u, err := st.CreateUser(ctx, User{Username: fmt.Sprintf("u%d", i), DisplayName: "U", Role: RoleForecaster, PasswordHash: "!"})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	team, err := st.CreateTeam(ctx, 1, "copiers", users[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.JoinTeam(ctx, 1, team.InviteCode, users[1].ID); err != nil {
		t.Fatal(err)
	}
	for i, u := range users {
		for q := int64(2); q <= 5; q++ {
			p := 0.1 + float64(i)/7 + float64(q)*1e-17 + math.SmallestNonzeroFloat64
			f := Forecast{QuestionID: q, UserID: u.ID, Probs: []float64{p, 1 - p}, CreatedAt: at.Add(time.Duration(i) * time.Hour)}
			if _, err := st.CreateForecast(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.ResolveQuestion(ctx, 2, Resolution{Outcome: 0, ResolvedAt: at.Add(24 * time.Hour)}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AnnulQuestion(ctx, 3, "copy test", 0); err != nil {
		t.Fatal(err)
	}
}

type copyState struct {
	counts    map[string]int64
	forecasts map[int64]Forecast
	board     Leaderboards
}

func copySnapshot(t *testing.T, st *Store) copyState {
	t.Helper()
	ctx := context.Background()
	s := copyState{counts: map[string]int64{}, forecasts: map[int64]Forecast{}}
	for _, table := range copyOrder {
		var n int64
		if err := st.r.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		s.counts[table] = n
	}
	for u := int64(1); u <= 5; u++ {
		fs, err := st.TournamentUserForecasts(ctx, 1, u)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			s.forecasts[f.ID] = f
		}
	}
	var err error
	if s.board, err = st.Leaderboards(ctx, 1, nil); err != nil {
		t.Fatal(err)
	}
	if len(s.board.Users) == 0 || len(s.forecasts) != 20 {
		t.Fatalf("%d ranked users, %d forecasts; the test needs a scored tournament", len(s.board.Users), len(s.forecasts))
	}
	return s
}

// sameBits compares probabilities bit for bit (DeepEqual would take -0 for
// 0): a copy must keep the exact float64s.
func sameBits(a, b map[int64]Forecast) bool {
	if len(a) != len(b) {
		return false
	}
	for id, fa := range a {
		fb, ok := b[id]
		if !ok || len(fa.Probs) != len(fb.Probs) {
			return false
		}
		for k := range fa.Probs {
			if math.Float64bits(fa.Probs[k]) != math.Float64bits(fb.Probs[k]) {
				return false
			}
		}
	}
	return true
}
