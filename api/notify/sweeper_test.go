package notify_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"signpost/api/notify"
	"signpost/scoring"
	"signpost/store"
	"signpost/store/storetest"
)

// TestSweeperOneInstanceSweeps runs two sweepers on one database: the
// lease lets one sweep, and the closing notice is written once.
func TestSweeperOneInstanceSweeps(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
	now := start
	clock := func() time.Time { return now }
	st, err := store.Open(ctx, storetest.Address(t, "sweep.db"), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tr, err := st.CreateTournament(ctx, store.Tournament{Slug: "t", Title: store.Text{"en": "T"},
		StartsAt: start.Add(-time.Hour), EndsAt: start.Add(30 * 24 * time.Hour)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	q, err := st.CreateQuestion(ctx, store.Question{TournamentID: tr.ID, Slug: "q", Kind: scoring.Binary,
		Title:   store.Text{"en": "Will it?", "zh": "会吗？"},
		Options: []store.Option{{Label: store.Text{"en": "Yes"}}, {Label: store.Text{"en": "No"}}},
		OpensAt: start.Add(-time.Hour), ClosesAt: start.Add(72 * time.Hour)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.User{Username: "pat", DisplayName: "Pat", Role: store.RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateForecast(ctx, store.Forecast{QuestionID: q.ID, TournamentID: tr.ID, UserID: u.ID,
		Probs: []float64{0.5, 0.5}, CreatedAt: start}); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := notify.NewSweeper(st, notify.Config{Now: clock, Log: quiet})
	b := notify.NewSweeper(st, notify.Config{Now: clock, Log: quiet})
	now = start.Add(25 * time.Hour) // 47 hours before the close
	if n, err := a.Tick(ctx); err != nil || n != 1 {
		t.Fatalf("first sweeper's tick = %d, %v; want the closing notice", n, err)
	}
	if n, err := b.Tick(ctx); err != nil || n != 0 {
		t.Fatalf("second sweeper's tick = %d, %v; want nothing (the lease is taken)", n, err)
	}
	ns, err := st.UserNotifications(ctx, u.ID, 0, 10, false)
	if err != nil || len(ns) != 1 || ns[0].Kind != store.NoticeClosing {
		t.Fatalf("notices = %+v, %v; want one closing notice", ns, err)
	}
	text := notify.Text(ns[0])
	if text["en"] != `"Will it?" closes 2027-05-04 00:00 UTC: update your forecast if it needs it.` ||
		text["zh"] != "“会吗？”将于 2027-05-04 00:00（UTC）截止：如有需要，请更新你的预测。" {
		t.Fatalf("closing text = %q", text)
	}
}
