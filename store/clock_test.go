package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestStoreTimesFollowItsClock: every time the store records by itself
// (accounts, tournaments, questions, teams, the audit log) is the injected
// clock's, not the machine's.
func TestStoreTimesFollowItsClock(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	st, err := Open(ctx, filepath.Join(t.TempDir(), "clock.db"), Options{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "ann", DisplayName: "Ann", PasswordHash: "!", Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if !u.CreatedAt.Equal(at) {
		t.Errorf("user created at %v; want %v", u.CreatedAt, at)
	}
	tr, err := st.CreateTournament(ctx, Tournament{Slug: "t", Title: Text{"en": "T"},
		StartsAt: at, EndsAt: at.AddDate(1, 0, 0)}, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	q := Question{TournamentID: tr.ID, Kind: 1, Title: Text{"en": "Q"}, Criteria: Text{"en": "C"},
		Options: BinaryOptions(), OpensAt: at, ClosesAt: at.AddDate(0, 1, 0)}
	if _, err := st.CreateQuestion(ctx, q, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateTeam(ctx, tr.ID, "team", u.ID); err != nil {
		t.Fatal(err)
	}
	log, err := st.AuditLog(ctx, tr.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("audit log has %d entries; want 2 (tournament, question)", len(log))
	}
	for _, e := range log {
		if !e.CreatedAt.Equal(at) {
			t.Errorf("audit %q at %v; want %v", e.Action, e.CreatedAt, at)
		}
	}
	want := at.UnixMicro()
	for _, table := range []string{"tournaments", "questions", "teams", "users"} {
		var got int64
		if err := st.r.Raw("SELECT MAX(created_at) FROM " + table).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s.created_at = %d; want %d", table, got, want)
		}
	}
	var joined, applied int64
	st.r.Raw("SELECT joined_at FROM team_members").Scan(&joined)
	st.r.Raw("SELECT MAX(applied_at) FROM schema_migrations").Scan(&applied)
	if joined != want || applied != want {
		t.Errorf("joined_at = %d, applied_at = %d; want %d", joined, applied, want)
	}
}

// TestCheckSchema: a database not yet migrated is refused with both
// versions and the command that fixes it; once migrated it passes; a newer
// schema is refused too.
func TestCheckSchema(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "schema.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.CheckSchema(ctx)
	want := "database schema version 0 is older than this binary's " + itoa(int64(SchemaVersion())) + ": run 'signpost migrate' first"
	if err == nil || err.Error() != want {
		t.Fatalf("CheckSchema before migrating = %v; want %q", err, want)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after migrating = %v; want nil", err)
	}
	if err := st.w.Exec("INSERT INTO schema_migrations VALUES (?, 'future', 0)", SchemaVersion()+1).Error; err != nil {
		t.Fatal(err)
	}
	if err := st.CheckSchema(ctx); err == nil {
		t.Fatal("CheckSchema on a newer schema = nil; want an error")
	}
}
