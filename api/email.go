package api

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/api/mail"
	"signpost/store"
)

// Mail requests per hour per account (setting an address) and per
// address: each sends a mail, to an address the caller chose.
const mailRequestsPerHour = 10

// mailRoutes are the operations behind the links in mails and the
// address that receives them.
func (s *Server) mailRoutes() []operation {
	return []operation{
		post("/me/email", "setEmail", "Set my e-mail address; a verification mail is sent to it", s.setEmail).
			user().accepted().errors(403, 409, 429).
			describe("The address receives mail once verified through the link (valid 24 hours). Only from a signed-in session (403 with an API token). 409 when e-mail is off on this server."),
		post("/auth/verify-email", "verifyEmail", "Verify an e-mail address with the token of its link", s.verifyEmail).
			noContent(),
		post("/auth/forgot-password", "forgotPassword", "Ask for a password reset mail, by username or e-mail address", s.forgotPassword).
			accepted().errors(429).
			describe("Always 202: the answer never tells whether the account exists. A mail goes only to a verified address; its link works once, within one hour. Limited like logins (429)."),
		post("/auth/reset-password", "resetPassword", "Set a new password with the token of a reset mail; every older session and API token is revoked", s.resetPassword).
			noContent(),
		post("/reaffirm", "reaffirmForecasts", "Record my standing forecasts again, with the token of a digest's reaffirm link", s.reaffirm).
			created().tagged("mail").errors(403).
			describe("The token names the forecasts; it works once, within 7 days. A question closed since is skipped."),
		customOp[unsubscribedDTO](fiber.MethodPost, "/unsubscribe", "unsubscribe", "One-click unsubscribe (RFC 8058) with the token of a mail's link", "",
			s.unsubscribe).tagged("mail").withQuery("token", "string", "the token of the mail's List-Unsubscribe address").
			describe("Turns off what the mail was (the digest, or a kind of notification). The body a mail client sends (List-Unsubscribe=One-Click) is not needed."),
		post("/admin/digests/send", "sendDigests", "Send a digest now to every reader of digests", s.sendDigests).
			admin().accepted().errors(404, 409).
			describe("The mail worker builds the run in the background; readers in the holdout are recorded and sent nothing. 409 when e-mail is off on this server."),
		get("/admin/digests/report", "getDigestReport", "Whether digests work: the holdout beside the readers", s.digestReport).admin(),
	}
}

// accepted makes an operation answer 202: the work goes on in the
// background.
func (o operation) accepted() operation { o.status = fiber.StatusAccepted; return o }

type acceptedDTO struct {
	Status string `json:"status" enum:"accepted"`
}

var accepted = acceptedDTO{Status: "accepted"}

type emailRequest struct {
	Email *string `json:"email" required:"true" doc:"one address, e.g. name@example.org"`
}

type tokenRequest struct {
	Token *string `json:"token" required:"true" doc:"the token of the mail's link"`
}

type forgotPasswordRequest struct {
	Login *string `json:"login" required:"true" doc:"a username or a verified e-mail address"`
}

type resetPasswordRequest struct {
	Token       *string `json:"token" required:"true" doc:"the token of the reset mail's link"`
	NewPassword *string `json:"new_password" required:"true" doc:"8-72 bytes"`
}

// mailOff is the answer of operations that need e-mail where it is off.
func mailOff() error { return conflict("e-mail is off on this server (SIGNPOST_SMTP_URL)") }

// setEmail gives the caller a new, unverified address and puts its
// verification mail in the outbox, in one transaction. An address another
// account verified is answered alike and sent nothing, so that nobody
// learns whose it is.
func (s *Server) setEmail(c *fiber.Ctx, in *emailRequest) (acceptedDTO, error) {
	p, _ := caller(c)
	if p.Scope != "" {
		return acceptedDTO{}, forbidden("an API token cannot change the address that resets the password: sign in with the password")
	}
	if in.Email == nil {
		return acceptedDTO{}, invalid("email", "email is required")
	}
	address, err := store.NormalizeEmail(*in.Email)
	if err != nil {
		return acceptedDTO{}, err
	}
	if s.cfg.Mail == nil {
		return acceptedDTO{}, mailOff()
	}
	now := s.now()
	if ok, wait := s.mailRequests.allow(now, "user:"+strconv.FormatInt(p.ID, 10), "to:"+strings.ToLower(address)); !ok {
		return acceptedDTO{}, rateLimited(c, wait, "too many verification mails; retry later")
	}
	ctx := c.UserContext()
	u, err := s.cfg.Store.FindUserByID(ctx, p.ID)
	if err != nil {
		return acceptedDTO{}, err
	}
	prefs, err := s.cfg.Store.UserPreferences(ctx, p.ID)
	if err != nil {
		return acceptedDTO{}, err
	}
	tok, msg, err := s.cfg.Mail.Verification(u, prefs.Language, address, now)
	if err != nil {
		return acceptedDTO{}, err
	}
	if _, err := s.cfg.Store.SetEmail(ctx, p.ID, address, tok, msg); err != nil {
		return acceptedDTO{}, err
	}
	return accepted, nil
}

func (s *Server) verifyEmail(c *fiber.Ctx, in *tokenRequest) (noContent, error) {
	if in.Token == nil {
		return noContent{}, invalid("token", "token is required")
	}
	return noContent{}, s.cfg.Store.VerifyEmail(c.UserContext(), mail.HashToken(*in.Token), s.now())
}

// forgotPassword answers 202 at once, whatever the login, and then puts
// a reset mail in the outbox when the login names an active account with
// a verified address. The lookup and the write happen after the answer,
// so its timing does not tell whether the account exists either.
// Attempts are limited like logins, per address and per login.
func (s *Server) forgotPassword(c *fiber.Ctx, in *forgotPasswordRequest) (acceptedDTO, error) {
	if in.Login == nil || strings.TrimSpace(*in.Login) == "" {
		return acceptedDTO{}, invalid("login", "login is required")
	}
	login := strings.ToLower(strings.TrimSpace(*in.Login))
	if len(login) > 254 {
		return acceptedDTO{}, invalid("login", "login is too long")
	}
	now := s.now()
	if _, ok, wait := s.logins.allow(now, s.clientIP(c), "reset\x00"+login); !ok {
		return acceptedDTO{}, rateLimited(c, wait, "too many password reset requests; retry later")
	}
	if s.cfg.Mail == nil {
		return accepted, nil
	}
	s.resets.Add(1)
	go func() {
		defer s.resets.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.issueReset(ctx, login, now); err != nil {
			s.log.Error("password reset mail", "err", err)
		}
	}()
	return accepted, nil
}

// issueReset writes the reset mail of login, if it names an active
// account with a verified address.
func (s *Server) issueReset(ctx context.Context, login string, now time.Time) error {
	u, e, err := s.cfg.Store.FindVerifiedLogin(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	prefs, err := s.cfg.Store.UserPreferences(ctx, u.ID)
	if err != nil {
		return err
	}
	tok, msg, err := s.cfg.Mail.Reset(u, prefs.Language, e.Address, now)
	if err != nil {
		return err
	}
	return s.cfg.Store.IssueMail(ctx, []store.MailToken{tok}, []store.OutboxMessage{msg})
}

// WaitMail waits for the reset mails being written after their answers
// (before the database closes at shutdown).
func (s *Server) WaitMail() { s.resets.Wait() }

// resetPassword sets a new password with a reset token, revoking every
// older session and API token as a password change does.
func (s *Server) resetPassword(c *fiber.Ctx, in *resetPasswordRequest) (noContent, error) {
	switch {
	case in.Token == nil:
		return noContent{}, invalid("token", "token is required")
	case in.NewPassword == nil:
		return noContent{}, invalid("new_password", "new_password is required")
	}
	if err := store.ValidatePassword(*in.NewPassword); err != nil {
		return noContent{}, invalid("new_password", "new_password must be 8-72 bytes")
	}
	ctx := c.UserContext()
	// Checked before hashing, so a bad link costs no bcrypt.
	if _, err := s.cfg.Store.FindToken(ctx, mail.HashToken(*in.Token), store.TokenReset, s.now()); err != nil {
		return noContent{}, err
	}
	hash, err := s.hasher.hash(ctx, *in.NewPassword)
	if err != nil {
		return noContent{}, err
	}
	id, err := s.cfg.Store.ResetPassword(ctx, mail.HashToken(*in.Token), hash, s.now())
	if err != nil {
		return noContent{}, err
	}
	s.accounts.forget(id)
	return noContent{}, nil
}

type digestRunRequest struct {
	Tournament *string `json:"tournament,omitempty" doc:"a tournament slug (default: every tournament)"`
}

type digestRunDTO struct {
	Status string `json:"status" enum:"accepted"`
	RunID  int64  `json:"run_id"`
}

// sendDigests asks the mail worker for a digest run now.
func (s *Server) sendDigests(c *fiber.Ctx, in *digestRunRequest) (digestRunDTO, error) {
	if s.cfg.Mail == nil {
		return digestRunDTO{}, mailOff()
	}
	p, _ := caller(c)
	ctx := c.UserContext()
	run := store.DigestRun{RequestedBy: p.ID, CreatedAt: s.now()}
	if in.Tournament != nil && *in.Tournament != "" {
		t, err := s.cfg.Store.FindTournamentBySlug(ctx, *in.Tournament)
		if err != nil {
			return digestRunDTO{}, err
		}
		run.TournamentID = t.ID
	}
	r, err := s.cfg.Store.CreateDigestRun(ctx, run)
	if err != nil {
		return digestRunDTO{}, err
	}
	return digestRunDTO{Status: "accepted", RunID: r.ID}, nil
}

type digestGroupDTO struct {
	Group string `json:"group" enum:"digest,holdout" doc:"readers sent digests, or held out of them"`
	Users int    `json:"users"`
	// ForecastsAfterDigest counts forecasts made within 7 days of a digest.
	ForecastsAfterDigest int `json:"forecasts_after_digest" doc:"forecasts made within 7 days after a digest the forecaster was sent (or held out of)"`
	StandingForecasts    int `json:"standing_forecasts" doc:"the group's standing forecasts on open questions"`
	// MedianStandingAgeDays is null without standing forecasts.
	MedianStandingAgeDays *float64 `json:"median_standing_age_days" doc:"median age in days of those standing forecasts, or null"`
}

type digestReportDTO struct {
	Groups []digestGroupDTO `json:"groups"`
}

func (s *Server) digestReport(c *fiber.Ctx) (digestReportDTO, error) {
	groups, err := s.cfg.Store.DigestReport(c.UserContext(), s.now())
	if err != nil {
		return digestReportDTO{}, err
	}
	out := digestReportDTO{Groups: make([]digestGroupDTO, len(groups))}
	for i, g := range groups {
		d := digestGroupDTO{Group: "digest", Users: g.Users, ForecastsAfterDigest: g.ForecastsAfterDigest,
			StandingForecasts: g.StandingForecasts}
		if g.Holdout {
			d.Group = "holdout"
		}
		if g.StandingForecasts > 0 {
			days := g.MedianStandingAge.Hours() / 24
			d.MedianStandingAgeDays = &days
		}
		out.Groups[i] = d
	}
	return out, nil
}
