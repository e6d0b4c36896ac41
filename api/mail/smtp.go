package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"signpost/store"
)

// SMTP is where mail goes: SIGNPOST_SMTP_URL parsed.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	// Implicit is TLS from the first byte (smtps://); otherwise STARTTLS
	// is used when the server offers it.
	Implicit bool
	// TLS overrides the TLS settings (tests; nil: the system's roots).
	TLS *tls.Config
}

// ParseSMTP reads smtp://user:password@host:port (STARTTLS when offered,
// port 587 by default) or smtps://… (implicit TLS, port 465 by default).
func ParseSMTP(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return SMTP{}, fmt.Errorf("SMTP URL must look like smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	s := SMTP{Host: u.Hostname(), Implicit: u.Scheme == "smtps", Port: 587}
	if s.Implicit {
		s.Port = 465
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return SMTP{}, fmt.Errorf("SMTP URL has a bad port %q", p)
		}
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// String is the server without its password, for logs.
func (s SMTP) String() string {
	scheme := "smtp"
	if s.Implicit {
		scheme = "smtps"
	}
	return fmt.Sprintf("%s://%s:%d", scheme, s.Host, s.Port)
}

// client makes a go-mail client for the server.
func (s SMTP) client(timeout time.Duration) (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(timeout)}
	if s.Implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(s.TLS))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username),
			gomail.WithPassword(s.Password))
	}
	return gomail.NewClient(s.Host, opts...)
}

// toMsg builds the wire message of an outbox row: multipart text and
// HTML, its fixed Message-ID, and the one-click unsubscribe headers of
// RFC 8058 when it has an unsubscribe address.
func toMsg(from string, m store.OutboxMessage) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("to address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	if m.UnsubscribeURL != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.UnsubscribeURL+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	return msg, nil
}

// dial connects to the server; the caller closes the client.
func (s SMTP) dial(ctx context.Context, timeout time.Duration) (*gomail.Client, error) {
	c, err := s.client(timeout)
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, err
	}
	return c, nil
}
