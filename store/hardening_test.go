package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestWriterBadForecastFailsAlone: a forecast that breaks a constraint
// inside a commit group fails on its own with a domain error; the others in
// the group are stored. forecasts has no constraint a forecast the server
// makes can break, so the test adds one: a rule against user 9999.
func TestWriterBadForecastFailsAlone(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	rule := `CREATE TRIGGER refuse_9999 BEFORE INSERT ON forecasts WHEN NEW.user_id = 9999
		BEGIN SELECT RAISE(ABORT, 'user 9999 refused'); END`
	if st.dialect == postgresDialect {
		rule = `ALTER TABLE forecasts ADD CONSTRAINT refuse_9999 CHECK (user_id <> 9999)`
	}
	if err := st.w.Exec(rule).Error; err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "good", DisplayName: "G", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var batch []*forecastJob
	for i := range 9 {
		uid := u.ID
		if i == 4 {
			uid = 9999 // breaks the rule
		}
		batch = append(batch, &forecastJob{f: Forecast{QuestionID: 2, UserID: uid, Probs: []float64{0.5, 0.5}, CreatedAt: at},
			done: make(chan struct{})})
	}
	st.forecasts.commit(batch) // one commit group, as the writer forms it
	for i, job := range batch {
		switch {
		case i == 4 && !errors.Is(job.err, ErrInvalid):
			t.Errorf("forecast breaking a rule: err = %v; want ErrInvalid", job.err)
		case i != 4 && (job.err != nil || job.f.ID == 0):
			t.Errorf("forecast %d: err = %v, ID %d; want stored", i, job.err, job.f.ID)
		}
	}
	var n int64
	if err := st.r.Raw("SELECT COUNT(*) FROM forecasts").Scan(&n).Error; err != nil || n != 8 {
		t.Fatalf("%d forecasts stored (%v); want 8", n, err)
	}
}

// TestUserIDsNeverReused (item 2): after the newest user is deleted, the
// next user gets a new ID, and the rebuild kept the foreign keys.
func TestUserIDsNeverReused(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	a, err := st.CreateUser(ctx, User{Username: "first", DisplayName: "F", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateUser(ctx, User{Username: "second", DisplayName: "S", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.w.Exec("DELETE FROM users WHERE id = ?", b.ID).Error; err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateUser(ctx, User{Username: "third", DisplayName: "T", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == b.ID {
		t.Fatalf("new user got ID %d, the deleted user's", c.ID)
	}
	// Foreign keys still point at users: a row naming a missing user fails.
	if err := st.w.Exec(`INSERT INTO audit_log (actor_id, action, created_at) VALUES (?, 'x', 0)`, b.ID).Error; err == nil {
		t.Fatalf("a team member with a missing user was accepted: foreign keys lost")
	}
	if err := st.w.Exec(`INSERT INTO audit_log (actor_id, action, created_at) VALUES (?, 'x', 0)`, a.ID).Error; err != nil {
		t.Fatalf("a row naming an existing user: %v", err)
	}
}

// TestMigrationKeepsUsersAndReferences (item 2): a database at schema 3
// with users and forecasts migrates to AUTOINCREMENT ids keeping every row.
func TestMigrationKeepsUsersAndReferences(t *testing.T) {
	st := openTestStore(t)
	if st.dialect != sqliteDialect {
		t.Skip("the rebuild of users is SQLite's; PostgreSQL's IDENTITY never reuses ids")
	}
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "kept", DisplayName: "K", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateForecast(ctx, Forecast{QuestionID: 2, UserID: u.ID, Probs: []float64{0.5, 0.5},
		CreatedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var sqlText string
	if err := st.r.Raw("SELECT sql FROM sqlite_master WHERE name = 'users'").Scan(&sqlText).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sqlText, "AUTOINCREMENT") {
		t.Fatalf("users table: %s; want AUTOINCREMENT", sqlText)
	}
	var refs int64
	if err := st.r.Raw("SELECT COUNT(*) FROM forecasts JOIN users ON users.id = forecasts.user_id WHERE users.username = 'kept'").
		Scan(&refs).Error; err != nil || refs != 1 {
		t.Fatalf("forecasts joined to their user = %d (%v); want 1", refs, err)
	}
}

// TestImportNullProbabilityRefused (item 7): a null probability in an
// archive is refused, not filled with the previous forecast's value.
func TestImportNullProbabilityRefused(t *testing.T) {
	st := openTestStore(t)
	a := testArchive("nulls", 1, 2, 2)
	a.Forecasts[0].Probabilities = []float64{0.25, 0.75}
	a.Forecasts[1].Probabilities = []float64{0.25, 0.75} // null in place of 0.25 would read as 0.25
	doc := forecastsLast(t, a)
	// the second forecast's first probability becomes null
	i := bytes.LastIndex(doc, []byte(`"probabilities":[`))
	j := i + len(`"probabilities":[`)
	k := j + bytes.IndexByte(doc[j:], ',')
	doc = append(append(append([]byte{}, doc[:j]...), []byte("null")...), doc[k:]...)
	_, err := st.ImportReader(context.Background(), bytes.NewReader(doc), importNow, 0, noHash)
	var se *Error
	if !errors.As(err, &se) || se.Field != "forecasts[1].probabilities" {
		t.Fatalf("import with a null probability = %v; want ErrInvalid on forecasts[1].probabilities", err)
	}
	var n int64
	st.r.Raw("SELECT COUNT(*) FROM forecasts").Scan(&n)
	if n != 0 {
		t.Fatalf("%d forecasts stored; want none", n)
	}
}

// TestImportHashesBeforeTakingTheWriter (item 8): while an import's
// passwords are being hashed, forecasts still commit.
func TestImportHashesBeforeTakingTheWriter(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "poster", DisplayName: "P", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	a := testArchive("hashing", 1, 3, 3)
	for i := range a.Users {
		a.Users[i].Password = "password-" + a.Users[i].Username
	}
	hashing, release := make(chan struct{}), make(chan struct{})
	var once bool
	slowHash := func(pw string) (string, error) {
		if !once {
			once = true
			close(hashing)
			<-release
		}
		return "hashed:" + pw, nil
	}
	done := make(chan error, 1)
	go func() {
		_, err := st.ImportReader(ctx, bytes.NewReader(forecastsLast(t, a)), importNow, 0, slowHash)
		done <- err
	}()
	<-hashing
	posted := make(chan error, 1)
	go func() {
		_, err := st.CreateForecast(ctx, Forecast{QuestionID: 2, UserID: u.ID, Probs: []float64{0.5, 0.5},
			CreatedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
		posted <- err
	}()
	select {
	case err := <-posted:
		if err != nil {
			t.Fatalf("forecast during hashing: %v", err)
		}
	case <-time.After(3 * time.Second):
		close(release)
		<-done
		t.Fatalf("a forecast waited over 3 s for an import's password hashing")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var hash string
	st.r.Raw("SELECT password_hash FROM users WHERE username = 'user1'").Scan(&hash)
	if hash != "hashed:password-user1" {
		t.Fatalf("user1 hash = %q", hash)
	}
}
