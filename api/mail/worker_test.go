package mail

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"signpost/api/mail/mailtest"
	"signpost/store"
	"signpost/store/storetest"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Address(t, "mail.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

func newUser(t *testing.T, st *store.Store, name string) store.User {
	t.Helper()
	u, err := store.NewAccount(name, "password-"+name, "", store.RoleForecaster, 4)
	if err != nil {
		t.Fatal(err)
	}
	if u, err = st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func newWorker(t *testing.T, st *store.Store, mp *mailtest.Server, c *clock) *Worker {
	t.Helper()
	smtp, err := ParseSMTP(mp.SMTPURL)
	if err != nil {
		t.Fatal(err)
	}
	return New(st, Config{SMTP: smtp, From: "signpost@example.org", PublicURL: "http://signpost.test",
		DigestEvery: -1, Now: c.now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, Sources{})
}

// TestNothingSentTwiceAcrossRestart stops a worker as a crash would, after
// the SMTP server took a message and before it was marked sent; a new
// worker takes over once the lease expires, sends the rest and sends the
// unmarked one again with its Message-ID, which the server drops: every
// message arrives exactly once.
func TestNothingSentTwiceAcrossRestart(t *testing.T) {
	mp := mailtest.Start(t)
	st := openStore(t)
	ctx := context.Background()
	c := &clock{t: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	u := newUser(t, st, "ann")
	compose := NewComposer("signpost@example.org", "http://signpost.test")
	const n = 6
	var msgs []store.OutboxMessage
	var toks []store.MailToken
	for i := range n {
		tok, m, err := compose.Reset(u, []string{"en", "zh"}[i%2], fmt.Sprintf("ann%d@example.org", i), c.t)
		if err != nil {
			t.Fatal(err)
		}
		msgs, toks = append(msgs, m), append(toks, tok)
	}
	if err := st.IssueMail(ctx, toks, msgs); err != nil {
		t.Fatal(err)
	}
	first := newWorker(t, st, mp, c)
	took := 0
	first.crash = func(store.OutboxMessage) bool { took++; return took == 3 }
	if err := first.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(mp.Wait(t, 3)); got != 3 {
		t.Fatalf("after the crash %d messages arrived; want 3", got)
	}
	c.t = c.t.Add(time.Second)
	second := newWorker(t, st, mp, c)
	if err := second.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if out, _ := st.Outbox(ctx, u.ID); out[3].Status != store.MailPending {
		t.Fatalf("a second instance sent while the first held the lease: %+v", out[3])
	}
	c.t = c.t.Add(3 * time.Minute) // the crashed worker's lease expires
	if err := second.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := st.Outbox(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range out {
		if m.Status != store.MailSent {
			t.Fatalf("message %d is %s after the restart; want sent", m.ID, m.Status)
		}
	}
	if out[2].Attempts != 1 {
		t.Fatalf("the message sent before the crash has %d attempts recorded; want 1 (sent again, marked once)", out[2].Attempts)
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would have arrived by now
	list := mp.Messages(t)
	if len(list) != n {
		t.Fatalf("%d messages arrived; want %d, each once", len(list), n)
	}
	seen := map[string]bool{}
	for _, s := range list {
		if seen[s.MessageID] {
			t.Fatalf("message %s arrived twice", s.MessageID)
		}
		seen[s.MessageID] = true
	}
	for _, m := range out {
		if !seen[m.MessageID] {
			t.Fatalf("outbox message %s never arrived", m.MessageID)
		}
	}
	// Multipart text and HTML, in the reader's language.
	zh := mp.To(t, "ann1@example.org")
	if len(zh) != 1 || !strings.Contains(zh[0].Subject, "重置") || !strings.Contains(zh[0].Text, "/#/reset-password?token=") ||
		!strings.Contains(zh[0].HTML, "<a href=") {
		t.Fatalf("the Chinese reset mail = %+v", zh)
	}
	// A sent message never goes again.
	c.t = c.t.Add(time.Hour)
	if err := second.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if out2, _ := st.Outbox(ctx, u.ID); out2[0].Attempts != out[0].Attempts {
		t.Fatalf("a sent message was attempted again: %+v", out2[0])
	}
}

// TestRetryBacksOff points the worker at a closed port: the message waits
// RetryBase, then twice as long, and is given up after GiveUpAfter.
func TestRetryBacksOff(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	c := &clock{t: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	u := newUser(t, st, "ann")
	tok, m, err := NewComposer("signpost@example.org", "http://x").Reset(u, "en", "ann@example.org", c.t)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.IssueMail(ctx, []store.MailToken{tok}, []store.OutboxMessage{m}); err != nil {
		t.Fatal(err)
	}
	w := New(st, Config{SMTP: SMTP{Host: "127.0.0.1", Port: 1}, From: "signpost@example.org", DigestEvery: -1,
		RetryBase: time.Minute, GiveUpAfter: 10 * time.Minute, Timeout: time.Second, Now: c.now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, Sources{})
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		out, _ := st.Outbox(ctx, u.ID)
		if got := out[0].NextAttemptAt.Sub(c.t); got != want || out[0].Status != store.MailPending {
			t.Fatalf("attempt %d: next in %v (%s); want %v", i+1, got, out[0].Status, want)
		}
		c.t = out[0].NextAttemptAt
	}
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if out, _ := st.Outbox(ctx, u.ID); out[0].Status != store.MailFailed {
		t.Fatalf("after %v the message is %s; want failed", c.t.Sub(out[0].CreatedAt), out[0].Status)
	}
}

func TestParseSMTP(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want SMTP
		ok   bool
	}{
		{"smtp://u:p%40ss@mail.example.org:2525", SMTP{Host: "mail.example.org", Port: 2525, Username: "u", Password: "p@ss"}, true},
		{"smtp://mail.example.org", SMTP{Host: "mail.example.org", Port: 587}, true},
		{"smtps://u:p@mail.example.org", SMTP{Host: "mail.example.org", Port: 465, Username: "u", Password: "p", Implicit: true}, true},
		{"http://mail.example.org", SMTP{}, false},
		{"smtp://mail.example.org:0", SMTP{}, false},
	} {
		got, err := ParseSMTP(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseSMTP(%q) = %+v, %v; want %+v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
