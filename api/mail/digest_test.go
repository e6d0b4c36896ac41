package mail

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"signpost/api/mail/mailtest"
	"signpost/store"
)

// TestDigestTellsBoardMoves: the first run only notes the signpost board;
// the next tells the reader, in their language, what moved since.
func TestDigestTellsBoardMoves(t *testing.T) {
	mp := mailtest.Start(t)
	st := openStore(t)
	ctx := context.Background()
	c := &clock{t: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := st.SeedDefault(ctx); err != nil { // a tournament to have a board
		t.Fatal(err)
	}
	u := newUser(t, st, "ann")
	compose := NewComposer("signpost@example.org", "http://signpost.test")
	tok, msg, err := compose.Verification(u, "zh", "ann@example.org", c.t)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetEmail(ctx, u.ID, "ann@example.org", tok, msg); err != nil {
		t.Fatal(err)
	}
	if err := st.VerifyEmail(ctx, tok.Hash, c.t); err != nil {
		t.Fatal(err)
	}
	daily, zh := store.DigestDaily, "zh"
	if _, err := st.UpdatePreferences(ctx, u.ID, store.PreferencesPatch{Digest: &daily, Language: &zh}); err != nil {
		t.Fatal(err)
	}
	shares := []Share{{Label: store.Text{"en": "Fast", "zh": "快速"}, Probability: 0.3},
		{Label: store.Text{"en": "Slow", "zh": "缓慢"}, Probability: 0.7}}
	smtp, err := ParseSMTP(mp.SMTPURL)
	if err != nil {
		t.Fatal(err)
	}
	w := New(st, Config{SMTP: smtp, From: "signpost@example.org", PublicURL: "http://signpost.test", Now: c.now,
		DigestEvery: 24 * time.Hour, Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		Sources{Board: func(context.Context, string) ([]Share, error) { return shares, nil }})
	if err := w.Tick(ctx); err != nil { // the scheduled run notes the board
		t.Fatal(err)
	}
	if got := mp.To(t, "ann@example.org"); len(got) != 1 {
		t.Fatalf("after the first run ann has %d mails; want the verification only (nothing moved yet)", len(got))
	}
	shares[0].Probability, shares[1].Probability = 0.45, 0.55
	c.t = c.t.Add(12 * time.Hour)
	if err := w.Tick(ctx); err != nil { // not a day yet: no run
		t.Fatal(err)
	}
	c.t = c.t.Add(12 * time.Hour)
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got := mp.To(t, "ann@example.org")
	if len(got) != 2 {
		t.Fatalf("after the second run ann has %d mails; want a digest", len(got))
	}
	d := got[1]
	for _, want := range []string{"路标看板的变化", "快速", "30% → 45%", "缓慢", "70% → 55%"} {
		if !strings.Contains(d.Text, want) || !strings.Contains(d.HTML, want) {
			t.Errorf("the digest lacks %q:\n%s", want, d.Text)
		}
	}
}
