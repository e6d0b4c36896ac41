package store

import (
	"context"
	"slices"
	"testing"
)

// TestOnScoreVersionChange: subscribers hear each committed move of a score
// version with its tournament (AllTournaments when every one moved), and
// nothing of a write that failed.
func TestOnScoreVersionChange(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tr, err := st.FindTournamentBySlug(ctx, DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "ada", PasswordHash: "x", Role: RoleForecaster})
	if err != nil {
		t.Fatal(err)
	}
	var heard []int64
	st.OnScoreVersionChange(func(id int64) { heard = append(heard, id) })
	hear := func(what string, want ...int64) {
		t.Helper()
		if !slices.Equal(heard, want) {
			t.Fatalf("after %s heard %v; want %v", what, heard, want)
		}
		heard = nil
	}
	if _, err := st.CreateTeam(ctx, tr.ID, "owls", u.ID); err != nil {
		t.Fatal(err)
	}
	hear("CreateTeam", tr.ID)
	if _, err := st.CreateTeam(ctx, tr.ID, "owls", 0); err == nil {
		t.Fatal("a second team named owls was created")
	}
	hear("a failed CreateTeam")
	if err := st.LeaveTeam(ctx, tr.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	hear("LeaveTeam", tr.ID)
	name := "Ada L."
	if err := st.UpdateProfile(ctx, u.ID, ProfileChange{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	hear("a new display name", AllTournaments)
	if _, err := st.SetBot(ctx, "ada", true, 0); err != nil {
		t.Fatal(err)
	}
	hear("SetBot", AllTournaments)
}
