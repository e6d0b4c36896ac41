package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestLeaseOneHolderAcrossInstances(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	open := func() *Store {
		st, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return st
	}
	a, b := open(), open() // two instances on one database
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	take := func(st *Store, holder string, at time.Time, want bool) {
		t.Helper()
		got, err := st.AcquireLease(ctx, "webhooks", holder, at, time.Minute)
		if err != nil || got != want {
			t.Fatalf("AcquireLease(%s at %v) = %v, %v; want %v", holder, at.Sub(now), got, err, want)
		}
	}
	take(a, "A", now, true)
	take(b, "B", now.Add(time.Second), false)
	take(a, "A", now.Add(30*time.Second), true) // renewed until +90 s
	take(b, "B", now.Add(80*time.Second), false)
	take(b, "B", now.Add(90*time.Second), true) // expired: taken over
	take(a, "A", now.Add(91*time.Second), false)
	if err := b.ReleaseLease(ctx, "webhooks", "B"); err != nil {
		t.Fatal(err)
	}
	take(a, "A", now.Add(92*time.Second), true) // released: free at once
}

func TestDeliveriesShareTheEventsTransaction(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
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
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// Any renderer will do: the store keeps the outbox, api/webhook the formats.
	st.SetEventOptions(EventOptions{Now: func() time.Time { return now },
		Render: func(ev Event) (string, string, error) { return `{"event":"` + ev.Name + `"}`, ev.Name, nil }})
	w, err := st.CreateWebhook(ctx, Webhook{TournamentID: tour.ID, URL: "https://example.com/h", Format: "json",
		Events: []string{EventQuestionAnnulled, EventQuestionResolved}, CreatedAt: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	q := qs[1]
	if _, err := st.AnnulQuestion(ctx, q.ID, "ambiguous", 0); err != nil {
		t.Fatal(err)
	}
	// Refused in its transaction: no delivery may be left behind.
	if _, err := st.ResolveQuestion(ctx, q.ID, Resolution{Outcome: 0, ResolvedAt: now}, 0); !errors.Is(err, ErrConflict) {
		t.Fatalf("resolving an annulled question = %v; want ErrConflict", err)
	}
	ds, err := st.ListDeliveries(ctx, w.ID, 10)
	if err != nil || len(ds) != 1 || ds[0].Event != EventQuestionAnnulled || ds[0].Status != DeliveryPending ||
		!ds[0].NextAttemptAt.Equal(now) {
		t.Fatalf("deliveries = %+v, %v; want the annulment alone, due now", ds, err)
	}
}
