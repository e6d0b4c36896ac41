package store

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/scoring"
	"signpost/store/storetest"
)

// openTestStore opens a migrated store on a real SQLite file in a temp dir,
// or in a schema of its own on the PostgreSQL server of
// SIGNPOST_TEST_POSTGRES_DSN.
func openTestStore(t testing.TB) *Store {
	t.Helper()
	return openStoreAt(t, storetest.Address(t, "test.db"))
}

// openSQLiteStore is openTestStore on SQLite always: for tests of what only
// SQLite has (pragmas, the WAL).
func openSQLiteStore(t testing.TB) *Store {
	t.Helper()
	return openStoreAt(t, filepath.Join(t.TempDir(), "test.db"))
}

func openStoreAt(t testing.TB, address string) *Store {
	t.Helper()
	st, err := Open(context.Background(), address, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSeedDefault(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	loaded, err := st.SeedDefault(ctx)
	if err != nil || !loaded {
		t.Fatalf("SeedDefault = %v, %v; want loaded", loaded, err)
	}
	tr, err := st.FindTournamentBySlug(ctx, DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Title["en"] == "" || tr.Title["zh"] == "" || tr.Description["zh"] == "" || !strings.Contains(string(tr.Extra), `"areas"`) {
		t.Fatalf("tournament %+v lacks a language or its areas", tr)
	}
	qs, err := st.ListQuestions(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 18 {
		t.Fatalf("%d questions; want the scenario question and 17 indicators", len(qs))
	}
	s := qs[0]
	if s.Slug != "scenario-2027" || s.Kind != scoring.MultipleChoice || len(s.Options) != 4 || !strings.Contains(string(s.Extra.ReferenceForecast), "0.4") {
		t.Fatalf("scenario question = %+v", s)
	}
	areas := map[string]int{}
	kinds := map[scoring.Kind]int{}
	for _, q := range qs[1:] {
		areas[q.Area]++
		kinds[q.Kind]++
		if q.Title["en"] == "" || q.Title["zh"] == "" || q.Criteria["en"] == "" || q.Criteria["zh"] == "" {
			t.Errorf("question %s lacks a language", q.Slug)
		}
		if len(q.Extra.ResolutionSource) == 0 || len(q.Extra.Signals) == 0 {
			t.Errorf("question %s lost its resolution sources or signals", q.Slug)
		}
		if q.Kind == scoring.Binary && (len(q.Options) != 2 || q.Options[0].Label["en"] != "Yes") {
			t.Errorf("binary question %s options = %+v", q.Slug, q.Options)
		}
	}
	if areas["A"] == 0 || areas["B"] == 0 || areas["C"] == 0 || len(areas) != 3 {
		t.Fatalf("areas = %v", areas)
	}
	if kinds[scoring.Binary] == 0 || kinds[scoring.Ordered] == 0 {
		t.Fatalf("kinds = %v", kinds)
	}
	loaded, err = st.SeedDefault(ctx)
	if err != nil || loaded {
		t.Fatalf("second SeedDefault = %v, %v; want a no-op", loaded, err)
	}
	if ts, _ := st.ListTournaments(ctx); len(ts) != 1 {
		t.Fatalf("%d tournaments after two seeds", len(ts))
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	if applied, err := st.Migrate(ctx); err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate = %v, %v; want nothing to do", applied, err)
	}
	if err := st.w.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Migrate on a newer schema = %v; want a refusal", err)
	}
}

func TestOpenRejects(t *testing.T) {
	for _, path := range []string{":memory:", "", "postgres://localhost/signpost"} {
		if _, err := Open(context.Background(), path, Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", path)
		}
	}
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), Options{Synchronous: "OFF"}); err == nil {
		t.Error("synchronous OFF was accepted")
	}
}

// TestProbabilitiesLossless: any float64 accepted reads back bit-identical.
func TestProbabilitiesLossless(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "pat", DisplayName: "Pat", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 123456000, time.UTC)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		p := r.Float64()
		if i == 0 {
			p = math.SmallestNonzeroFloat64
		}
		probs := []float64{p, 1 - p}
		f, err := st.CreateForecast(ctx, Forecast{QuestionID: 2, UserID: u.ID, Probs: probs, CreatedAt: now.Add(time.Duration(i) * time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.FindForecast(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != f.ID || math.Float64bits(got.Probs[0]) != math.Float64bits(probs[0]) || math.Float64bits(got.Probs[1]) != math.Float64bits(probs[1]) {
			t.Fatalf("stored %v, read back %v", probs, got.Probs)
		}
		if !got.CreatedAt.Equal(f.CreatedAt) {
			t.Fatalf("created_at %v read back as %v", f.CreatedAt, got.CreatedAt)
		}
	}
}

func TestCreateForecastNeedsOpenQuestion(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "quin", DisplayName: "Q", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err = st.CreateForecast(ctx, Forecast{QuestionID: 2, UserID: u.ID, Probs: []float64{0.5, 0.5}, CreatedAt: before})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("forecast before opening = %v; want ErrConflict", err)
	}
	_, err = st.CreateForecast(ctx, Forecast{QuestionID: 999, UserID: u.ID, Probs: []float64{0.5, 0.5}, CreatedAt: before})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("forecast on a missing question = %v; want ErrNotFound", err)
	}
	if _, err := st.CreateUser(ctx, User{Username: "quin", DisplayName: "Q", Role: RoleForecaster, PasswordHash: "!"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate username = %v; want ErrConflict", err)
	}
}

func TestSecretPersists(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	open := func() *Store {
		st, err := Open(ctx, filepath.Join(dir, "s.db"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	a, err := st.Secret(ctx, "jwt_secret")
	if err != nil || len(a) != 64 {
		t.Fatalf("secret %q, %v", a, err)
	}
	st.Close()
	st = open()
	defer st.Close()
	b, err := st.Secret(ctx, "jwt_secret")
	if err != nil || a != b {
		t.Fatalf("secret changed across restarts: %q vs %q (%v)", a, b, err)
	}
}

// TestPragmasOnEveryConnection: pragmas come from the DSN, so every pooled
// connection, not just the first, has them.
func TestPragmasOnEveryConnection(t *testing.T) {
	st := openSQLiteStore(t)
	ctx := context.Background()
	conns := make([]*sql.Conn, 3)
	sqlDB, err := st.r.DB()
	if err != nil {
		t.Fatal(err)
	}
	for i := range conns {
		c, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		var fk, busy int
		var mode string
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != 10000 || mode != "wal" {
			t.Errorf("reader %d: foreign_keys=%d busy_timeout=%d journal_mode=%s", i, fk, busy, mode)
		}
		if _, err := c.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('x', 'y')"); err == nil {
			t.Errorf("reader %d accepted a write", i)
		}
	}
}

// TestConcurrentForecastsGroupCommit: many writers at once are all stored,
// each with its own ID, and a refusal in a batch does not sink the others.
func TestConcurrentForecastsGroupCommit(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	const writers, each = 32, 25
	users := make([]int64, writers)
	for i := range users {
		u, err := st.CreateUser(ctx, User{Username: "w" + itoa(int64(i)) + "xx", DisplayName: "w", Role: RoleForecaster, PasswordHash: "!"})
		if err != nil {
			t.Fatal(err)
		}
		users[i] = u.ID
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	ids := map[int64]bool{}
	refused := 0
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				q := int64(2 + j%3)
				when := at
				if j == 7 {
					when = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // before the question opens
				}
				f, err := st.CreateForecast(ctx, Forecast{QuestionID: q, UserID: users[i], Probs: []float64{0.5, 0.5}, CreatedAt: when})
				mu.Lock()
				switch {
				case j == 7 && errors.Is(err, ErrConflict):
					refused++
				case err != nil:
					t.Errorf("writer %d forecast %d: %v", i, j, err)
				case ids[f.ID]:
					t.Errorf("ID %d handed out twice", f.ID)
				default:
					ids[f.ID] = true
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(ids) != writers*(each-1) || refused != writers {
		t.Fatalf("%d stored, %d refused; want %d and %d", len(ids), refused, writers*(each-1), writers)
	}
	var n int64
	if err := st.r.Raw("SELECT COUNT(*) FROM forecasts").Scan(&n).Error; err != nil || n != int64(len(ids)) {
		t.Fatalf("%d rows in the table (%v); want %d", n, err, len(ids))
	}
}

// TestBackgroundCheckpoints: the background connection moves committed
// pages into the main file soon after a commit far too small for SQLite's
// automatic checkpoint. A copy of the main file alone (no -wal) shows what
// was moved.
func TestBackgroundCheckpoints(t *testing.T) {
	st := openSQLiteStore(t)
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		raw, err := os.ReadFile(st.path)
		if err != nil {
			t.Fatal(err)
		}
		copyPath := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(copyPath, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite3", "file:"+copyPath+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		err = db.QueryRow("SELECT COUNT(*) FROM questions").Scan(&n)
		db.Close()
		if err == nil && n == 18 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the main file holds %d questions (%v) 5 s after the commit; want 18", n, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
