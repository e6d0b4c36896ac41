package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func mailUser(t *testing.T, st *Store, name string) User {
	t.Helper()
	u, err := NewAccount(name, "password-"+name, "", RoleForecaster, 4)
	if err != nil {
		t.Fatal(err)
	}
	if u, err = st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func verifyMail(userID int64, address, hash, messageID string, at time.Time) (MailToken, OutboxMessage) {
	return MailToken{Hash: hash, UserID: userID, Purpose: TokenVerify, Payload: address, ExpiresAt: at.Add(time.Hour),
			CreatedAt: at},
		OutboxMessage{UserID: userID, Kind: MailVerify, MessageID: messageID, To: address, Subject: "verify",
			Text: "t", HTML: "h", CreatedAt: at}
}

// TestEmailVerification covers an address's life: set with its mail in one
// transaction, verified once, kept by its verified owner and passed on
// when unverified.
func TestEmailVerification(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ann, bob := mailUser(t, st, "ann"), mailUser(t, st, "bob")
	tok, msg := verifyMail(ann.ID, "ann@example.org", "h1", "<m1@x>", at)
	if changed, err := st.SetEmail(ctx, ann.ID, "ann@example.org", tok, msg); err != nil || !changed {
		t.Fatalf("SetEmail = %v, %v; want changed", changed, err)
	}
	if out, _ := st.Outbox(ctx, ann.ID); len(out) != 1 || out[0].Status != MailPending {
		t.Fatalf("outbox after SetEmail = %+v; want one pending mail", out)
	}
	// Bob claims ann's unverified address: it passes to him.
	tok, msg = verifyMail(bob.ID, "ann@example.org", "h2", "<m2@x>", at)
	if changed, err := st.SetEmail(ctx, bob.ID, "ann@example.org", tok, msg); err != nil || !changed {
		t.Fatalf("SetEmail of an unverified address held by another = %v, %v; want changed", changed, err)
	}
	if err := st.VerifyEmail(ctx, "h1", at); err == nil {
		t.Fatal("ann's link verified an address that is no longer hers")
	}
	if err := st.VerifyEmail(ctx, "h2", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.VerifyEmail(ctx, "h2", at.Add(time.Minute)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("second use of a verification token = %v; want ErrInvalid", err)
	}
	// Now verified by bob, ann cannot take it; nothing changes, nothing is sent.
	tok, msg = verifyMail(ann.ID, "ann@example.org", "h3", "<m3@x>", at)
	if changed, err := st.SetEmail(ctx, ann.ID, "ann@example.org", tok, msg); err != nil || changed {
		t.Fatalf("SetEmail of a verified address held by another = %v, %v; want unchanged", changed, err)
	}
	if out, _ := st.Outbox(ctx, ann.ID); len(out) != 1 {
		t.Fatalf("ann's outbox = %d mails; want the first only", len(out))
	}
	u, e, err := st.FindVerifiedLogin(ctx, "bob")
	if err != nil || u.ID != bob.ID || e.Address != "ann@example.org" {
		t.Fatalf("FindVerifiedLogin(bob) = %v, %+v, %v", u.ID, e, err)
	}
	if u, _, err = st.FindVerifiedLogin(ctx, "ann@EXAMPLE.org"); err != nil || u.ID != bob.ID {
		t.Fatalf("FindVerifiedLogin(address) = %v, %v; want bob", u.ID, err)
	}
	if _, _, err := st.FindVerifiedLogin(ctx, "ann"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("FindVerifiedLogin(ann, no address) = %v; want ErrNotFound", err)
	}
	if ems, err := st.VerifiedEmails(ctx); err != nil || len(ems) != 1 || ems[0].UserID != bob.ID {
		t.Fatalf("VerifiedEmails = %+v, %v", ems, err)
	}
}

func TestResetPasswordRevokesOnce(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ann := mailUser(t, st, "ann")
	tok := MailToken{Hash: "r1", UserID: ann.ID, Purpose: TokenReset, ExpiresAt: at.Add(time.Hour), CreatedAt: at}
	if err := st.IssueMail(ctx, []MailToken{tok}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ResetPassword(ctx, "r1", "$new", at.Add(2*time.Hour)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("expired reset = %v; want ErrInvalid", err)
	}
	if _, err := st.UseToken(ctx, "r1", TokenVerify, at); !errors.Is(err, ErrInvalid) {
		t.Fatalf("reset token used to verify = %v; want ErrInvalid", err)
	}
	if id, err := st.ResetPassword(ctx, "r1", "$new", at.Add(time.Minute)); err != nil || id != ann.ID {
		t.Fatal(err)
	}
	a, err := st.FindUserAuth(ctx, ann.ID)
	if err != nil || a.TokenVersion != ann.TokenVersion+1 {
		t.Fatalf("token version after reset = %d, %v; want %d", a.TokenVersion, err, ann.TokenVersion+1)
	}
	if _, err := st.ResetPassword(ctx, "r1", "$other", at.Add(time.Minute)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("second reset with one token = %v; want ErrInvalid", err)
	}
}

func TestDigestHoldoutKeptAndReported(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ann, bob := mailUser(t, st, "ann"), mailUser(t, st, "bob")
	if h, err := st.DigestHoldout(ctx, ann.ID, func() bool { return true }, at); err != nil || !h {
		t.Fatalf("first draw = %v, %v; want held out", h, err)
	}
	if h, err := st.DigestHoldout(ctx, ann.ID, func() bool { return false }, at); err != nil || !h {
		t.Fatalf("second draw = %v, %v; want the first kept", h, err)
	}
	if h, _ := st.DigestHoldout(ctx, bob.ID, func() bool { return false }, at); h {
		t.Fatal("bob held out")
	}
	run, err := st.CreateDigestRun(ctx, DigestRun{CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	who := []DigestRecipient{{UserID: ann.ID, Holdout: true}, {UserID: bob.ID}}
	if err := st.FinishDigestRun(ctx, run.ID, at, who, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishDigestRun(ctx, run.ID, at, who, nil, nil, nil); !errors.Is(err, ErrConflict) {
		t.Fatalf("finishing a run twice = %v; want ErrConflict", err)
	}
	last, err := st.LastDigests(ctx)
	if err != nil || !last[bob.ID].Equal(at) {
		t.Fatalf("LastDigests = %v, %v", last, err)
	}
	rep, err := st.DigestReport(ctx, at.Add(time.Hour))
	if err != nil || len(rep) != 2 || rep[0].Users != 1 || rep[1].Users != 1 || !rep[1].Holdout {
		t.Fatalf("DigestReport = %+v, %v; want one user per group", rep, err)
	}
}
