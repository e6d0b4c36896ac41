package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/mail"

	signmail "signpost/api/mail"
	"signpost/store"
)

// mailSettings is the configuration of e-mail: off without an SMTP URL.
type mailSettings struct {
	// SMTPURL is SIGNPOST_SMTP_URL, read from the environment only: it
	// holds a password.
	SMTPURL string
	From    string
	// HoldoutPercent of users receive no digest (SIGNPOST_DIGEST_HOLDOUT).
	HoldoutPercent int
}

// On says whether e-mail is configured.
func (m mailSettings) On() bool { return m.SMTPURL != "" }

// mailFlags registers the e-mail flags.
func mailFlags(fs *flag.FlagSet, c *mailSettings, e *envReader) {
	c.SMTPURL = e.getenv("SIGNPOST_SMTP_URL")
	fs.StringVar(&c.From, "mail-from", e.str("SIGNPOST_MAIL_FROM", ""),
		"the sender of e-mail, e.g. Signpost <signpost@example.org> (env SIGNPOST_MAIL_FROM; e-mail is off without SIGNPOST_SMTP_URL)")
	fs.IntVar(&c.HoldoutPercent, "digest-holdout", e.int("SIGNPOST_DIGEST_HOLDOUT", 0),
		"percent of users, drawn at random once each, who receive no digest, to measure what digests do (env SIGNPOST_DIGEST_HOLDOUT)")
}

// validate parses the SMTP URL; with one, a sender and the public URL
// (for the links in mails) are required.
func (m mailSettings) validate(publicURL string) error {
	if m.HoldoutPercent < 0 || m.HoldoutPercent > 100 {
		return fmt.Errorf("digest holdout must be a percentage, 0-100")
	}
	if !m.On() {
		return nil
	}
	if _, err := signmail.ParseSMTP(m.SMTPURL); err != nil {
		return err
	}
	if _, err := mail.ParseAddress(m.From); err != nil {
		return fmt.Errorf("SIGNPOST_MAIL_FROM must be an address such as signpost@example.org when SIGNPOST_SMTP_URL is set")
	}
	if publicURL == "" {
		return fmt.Errorf("SIGNPOST_PUBLIC_URL must be set when SIGNPOST_SMTP_URL is: mails link to it")
	}
	return nil
}

// worker builds the mail worker over st, or nil when e-mail is off.
func (m mailSettings) worker(st *store.Store, c config, src signmail.Sources, log *slog.Logger) *signmail.Worker {
	if !m.On() {
		return nil
	}
	smtp, _ := signmail.ParseSMTP(m.SMTPURL) // checked by validate
	return signmail.New(st, signmail.Config{SMTP: smtp, From: m.From, PublicURL: c.Integrations.Webhooks.PublicURL,
		HoldoutPercent: m.HoldoutPercent, Now: c.Now, Log: log}, src)
}

// composer renders the mails requests write to the outbox, or is nil
// when e-mail is off.
func (m mailSettings) composer(publicURL string) *signmail.Composer {
	if !m.On() {
		return nil
	}
	return signmail.NewComposer(m.From, publicURL)
}

// smtpDisplay is the SMTP server without its password, for the log.
func smtpDisplay(raw string) string {
	s, err := signmail.ParseSMTP(raw)
	if err != nil {
		return ""
	}
	return s.String()
}
