package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// tripwireFixture is the seeded tournament with a webhook listening to
// tripwire.fired and a crowd tripwire on its first question.
func tripwireFixture(t *testing.T, st *Store) (Tripwire, Webhook) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tour, err := st.FindTournamentBySlug(ctx, DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := st.ListQuestions(ctx, tour.ID)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := st.CreateUser(ctx, User{Username: "owner", PasswordHash: "x", Role: RoleForecaster})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	st.SetEventOptions(EventOptions{Now: func() time.Time { return now },
		Render: func(ev Event) (string, string, error) { return `{"event":"` + ev.Name + `"}`, ev.Name, nil }})
	w, err := st.CreateWebhook(ctx, Webhook{TournamentID: tour.ID, URL: "https://example.com/h", Format: "json",
		Events: []string{EventTripwireFired}, CreatedAt: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var q Question
	for _, c := range qs {
		if len(c.Options) == 2 {
			q = c
			break
		}
	}
	tw, err := st.CreateTripwire(ctx, Tripwire{TournamentID: tour.ID, Name: Text{"en": "Yes passes 60%"}, Kind: TripwireCrowd,
		QuestionID: q.ID, Op: ">=", Value: 0.6, Owner: "Owner", Action: Text{"en": "Review."}}, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tw.State != TripwireArmed || tw.Owner != "owner" || tw.Option == nil || *tw.Option != 0 {
		t.Fatalf("created %+v; want armed, owned by owner, watching Yes", tw)
	}
	return tw, w
}

// TestRacingFiresFireOnce: of many evaluators firing one tripwire at the
// same moment (on this run's database: SQLite, or PostgreSQL when a DSN
// is set), exactly one fires it and exactly one delivery is enqueued;
// re-arming lets it fire again, once.
func TestRacingFiresFireOnce(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	tw, hook := tripwireFixture(t, st)
	at := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	race := func(at time.Time) int {
		t.Helper()
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := st.FireTripwire(ctx, tw.ID, 0.7, at)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return wins
	}
	if wins := race(at.Add(-time.Hour)); wins != 1 {
		t.Fatalf("8 racing fires: %d fired; want 1", wins)
	}
	if ok, err := st.RearmTripwire(ctx, tw.ID); !ok || err != nil {
		t.Fatalf("RearmTripwire = %v, %v; want true", ok, err)
	}
	if ok, err := st.RearmTripwire(ctx, tw.ID); ok || err != nil {
		t.Fatalf("RearmTripwire of an armed tripwire = %v, %v; want false", ok, err)
	}
	if wins := race(at); wins != 1 {
		t.Fatalf("8 racing fires after re-arming: %d fired; want 1", wins)
	}
	ds, err := st.ListDeliveries(ctx, hook.ID, 10)
	if err != nil || len(ds) != 2 || ds[0].Event != EventTripwireFired {
		t.Fatalf("deliveries = %+v, %v; want two tripwire.fired", ds, err)
	}
	ns, err := st.UserNotifications(ctx, tw.OwnerID, 0, 10, false)
	if err != nil || len(ns) != 2 || ns[0].Kind != NoticeTripwire || ns[0].QuestionID != tw.QuestionID ||
		!strings.Contains(string(ns[0].Data), `"en":"Tripwire \"Yes passes 60%\" fired: 70% ≥ 60%. Your action: Review."`) {
		t.Fatalf("owner's notices = %+v, %v; want one per firing, saying what fired and the action", ns, err)
	}
	ws, err := st.ListTripwires(ctx, tw.TournamentID)
	if err != nil || len(ws) != 1 || ws[0].State != TripwireFired || ws[0].FiredAt == nil || !ws[0].FiredAt.Equal(at) ||
		ws[0].FiredValue == nil || *ws[0].FiredValue != 0.7 {
		t.Fatalf("tripwires = %+v, %v; want one fired at %v with 0.7", ws, err, at)
	}
}

// TestTripwireAudited: creating, firing and deleting a tripwire are in
// the tournament's audit trail; deleting one of another tournament is
// ErrNotFound.
func TestTripwireAudited(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	tw, _ := tripwireFixture(t, st)
	if _, err := st.FireTripwire(ctx, tw.ID, 0.9, time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteTripwire(ctx, tw.TournamentID+1, tw.ID, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("DeleteTripwire in another tournament = %v; want ErrNotFound", err)
	}
	if err := st.DeleteTripwire(ctx, tw.TournamentID, tw.ID, 0); err != nil {
		t.Fatal(err)
	}
	log, err := st.AuditLog(ctx, tw.TournamentID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if len(actions) < 3 || actions[0] != "delete_tripwire" || actions[1] != "fire_tripwire" || actions[2] != "create_tripwire" {
		t.Fatalf("audit actions %v; want delete_tripwire, fire_tripwire, create_tripwire first", actions)
	}
}

// TestTripwiresArchiveRoundTrip: an exported tournament carries its
// tripwires with their state and owner (among the archive's users), an
// import into an empty server restores them, and importing twice adds
// nothing.
func TestTripwiresArchiveRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	tw, _ := tripwireFixture(t, st)
	firedAt := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	if _, err := st.FireTripwire(ctx, tw.ID, 0.75, firedAt); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := st.Export(ctx, tw.TournamentID, &buf); err != nil {
		t.Fatal(err)
	}
	fresh := openTestStore(t)
	for range 2 {
		if _, err := fresh.ImportReader(ctx, bytes.NewReader(buf.Bytes()), importNow, 0, noHash); err != nil {
			t.Fatalf("import: %v", err)
		}
	}
	tour, err := fresh.FindTournamentBySlug(ctx, DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := fresh.ListTripwires(ctx, tour.ID)
	if err != nil || len(ws) != 1 {
		t.Fatalf("imported tripwires %+v, %v; want one", ws, err)
	}
	got := ws[0]
	if got.Owner != "owner" || got.State != TripwireFired || got.FiredAt == nil || !got.FiredAt.Equal(firedAt) ||
		*got.FiredValue != 0.75 || got.Name["en"] != tw.Name["en"] || got.Value != tw.Value || *got.Option != 0 {
		t.Fatalf("imported %+v; want %+v fired at %v with 0.75", got, tw, firedAt)
	}
}
