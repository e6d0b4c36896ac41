package api

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"signpost/api/mail"
	"signpost/store"
)

type reaffirmDTO struct {
	Forecasts []forecastDTO `json:"forecasts" doc:"the forecasts recorded again, one per question still open"`
}

// reaffirm records again the standing forecasts a digest's link names,
// for the link's owner: the one action a digest asks for. The token is
// the credential (a mail scanner following the link only loads the page;
// this POST is the page's button). It works once; questions closed since
// the digest are skipped.
func (s *Server) reaffirm(c *fiber.Ctx, in *tokenRequest) (reaffirmDTO, error) {
	if in.Token == nil {
		return reaffirmDTO{}, invalid("token", "token is required")
	}
	ctx := c.UserContext()
	now := s.now()
	tok, err := s.cfg.Store.UseToken(ctx, mail.HashToken(*in.Token), store.TokenReaffirm, now)
	if err != nil {
		return reaffirmDTO{}, err
	}
	u, err := s.cfg.Store.FindUserByID(ctx, tok.UserID)
	if err != nil {
		return reaffirmDTO{}, err
	}
	if u.Disabled {
		return reaffirmDTO{}, forbidden("this account is disabled")
	}
	var ids []int64
	if err := json.Unmarshal([]byte(tok.Payload), &ids); err != nil {
		return reaffirmDTO{}, invalid("token", "this link names no forecasts")
	}
	out := reaffirmDTO{Forecasts: []forecastDTO{}}
	for _, id := range ids {
		fs, err := s.cfg.Store.UserForecasts(ctx, id, u.ID)
		if err != nil {
			return reaffirmDTO{}, err
		}
		if len(fs) == 0 {
			continue
		}
		last := fs[len(fs)-1]
		f, err := s.cfg.Store.CreateForecast(ctx, store.Forecast{QuestionID: id, UserID: u.ID, Probs: last.Probs,
			CreatedAt: now})
		if errors.Is(err, store.ErrConflict) {
			continue // closed or resolved since the digest
		}
		if err != nil {
			return reaffirmDTO{}, err
		}
		out.Forecasts = append(out.Forecasts, toForecastDTO(f))
	}
	return out, nil
}

type unsubscribedDTO struct {
	Status string `json:"status" enum:"unsubscribed"`
	// What is the preference turned off: "digest" or a kind of notice.
	What string `json:"what" doc:"what was turned off: digest, or notify.<kind>"`
}

// unsubscribe turns off what a mail's unsubscribe link names. The link
// may be used again (mail clients retry); it needs no sign-in, as RFC
// 8058 requires of a one-click unsubscription.
func (s *Server) unsubscribe(c *fiber.Ctx) error {
	raw := strings.Clone(c.Query("token"))
	if raw == "" {
		return invalid("token", "token is required")
	}
	ctx := c.UserContext()
	tok, err := s.cfg.Store.FindToken(ctx, mail.HashToken(raw), store.TokenUnsubscribe, s.now())
	if err != nil {
		return err
	}
	off, patch := false, store.PreferencesPatch{}
	switch tok.Payload {
	case "digest":
		digest := store.DigestOff
		patch.Digest = &digest
	case "notify.resolved":
		patch.Resolved = &off
	case "notify.closing":
		patch.Closing = &off
	case "notify.stale":
		patch.Stale = &off
	case "notify.tripwire":
		patch.Tripwire = &off
	case "notify.replies":
		patch.Replies = &off
	default:
		return invalid("token", "this link names nothing to unsubscribe from")
	}
	if _, err := s.cfg.Store.UpdatePreferences(ctx, tok.UserID, patch); err != nil {
		return err
	}
	return c.JSON(unsubscribedDTO{Status: "unsubscribed", What: tok.Payload})
}
