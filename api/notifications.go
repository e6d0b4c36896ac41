package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"signpost/api/notify"
	"signpost/store"
)

const (
	defaultNotifications = 20
	maxNotifications     = 100
	// maxReadIDs bounds one request's list of notices to mark read.
	maxReadIDs = 500
)

// notificationRoutes are the operations of the signed-in user's notices
// and preferences.
func (s *Server) notificationRoutes() []operation {
	return []operation{
		get("/me/notifications", "listNotifications", "My notifications, newest first", s.listNotifications).user().
			withQuery("limit", "integer", "1-100 (default 20)").
			withQuery("cursor", "string", "next_cursor of the previous page").
			withQuery("unread", "boolean", "true: only the unread ones").
			describe("A question I forecast resolved (with my score), was annulled or reopened, or closes within 48 hours; " +
				"my forecast on an open question is older than my stale_days; a tripwire I own fired; a reply or mention in comments."),
		post("/me/notifications/read", "markNotificationsRead", "Mark some or all of my notifications read",
			s.markNotificationsRead).user().noContent(),
		get("/me/preferences", "getPreferences", "My notification and e-mail preferences", s.getPreferences).user(),
		patch("/me/preferences", "updatePreferences", "Change my notification and e-mail preferences", s.updatePreferences).user().
			describe("Fields left out keep their value; email and email_verified are read-only and ignored here."),
	}
}

type notificationDTO struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind" enum:"resolved,annulled,reopened,closing,stale,tripwire,reply,mention"`
	Text       store.Text `json:"text" doc:"the notice in each language (en, zh)"`
	QuestionID *int64     `json:"question_id,omitempty"`
	Tournament *string    `json:"tournament,omitempty" doc:"the tournament's slug"`
	CreatedAt  string     `json:"created_at" format:"date-time"`
	Read       bool       `json:"read"`
}

type notificationListDTO struct {
	Entries    []notificationDTO `json:"entries" doc:"newest first"`
	Unread     int64             `json:"unread" doc:"how many of my notifications are unread, in all"`
	NextCursor *string           `json:"next_cursor" doc:"pass as ?cursor= for older notifications; null on the last page"`
}

type readNotificationsRequest struct {
	IDs []int64 `json:"ids,omitempty" doc:"the notifications to mark read (at most 500); others' IDs are ignored"`
	All *bool   `json:"all,omitempty" doc:"true: mark every notification read"`
}

func toNotificationDTO(n store.Notification) notificationDTO {
	out := notificationDTO{ID: n.ID, Kind: n.Kind, Text: notify.Text(n), CreatedAt: formatTime(n.CreatedAt), Read: n.Read}
	if n.QuestionID != 0 {
		id := n.QuestionID
		out.QuestionID = &id
	}
	if n.TournamentSlug != "" {
		slug := n.TournamentSlug
		out.Tournament = &slug
	}
	return out
}

func (s *Server) listNotifications(c *fiber.Ctx) (notificationListDTO, error) {
	limit, err := queryInt(c, "limit", defaultNotifications, 1, maxNotifications)
	if err != nil {
		return notificationListDTO{}, err
	}
	before, err := strconv.ParseInt(c.Query("cursor", "0"), 10, 64)
	if err != nil || before < 0 {
		return notificationListDTO{}, invalid("cursor", "cursor must be a next_cursor from an earlier page")
	}
	unread := false
	if v := c.Query("unread"); v != "" {
		if unread, err = strconv.ParseBool(v); err != nil {
			return notificationListDTO{}, invalid("unread", "unread must be true or false")
		}
	}
	p, _ := caller(c)
	ctx := c.UserContext()
	// One more than asked tells whether an older page exists.
	ns, err := s.cfg.Store.UserNotifications(ctx, p.ID, before, limit+1, unread)
	if err != nil {
		return notificationListDTO{}, err
	}
	out := notificationListDTO{Entries: make([]notificationDTO, 0, min(len(ns), limit))}
	if len(ns) > limit {
		ns = ns[:limit]
		next := strconv.FormatInt(ns[limit-1].ID, 10)
		out.NextCursor = &next
	}
	for _, n := range ns {
		out.Entries = append(out.Entries, toNotificationDTO(n))
	}
	if out.Unread, err = s.cfg.Store.UnreadNotifications(ctx, p.ID); err != nil {
		return notificationListDTO{}, err
	}
	return out, nil
}

func (s *Server) markNotificationsRead(c *fiber.Ctx, in *readNotificationsRequest) (noContent, error) {
	all := in.All != nil && *in.All
	switch {
	case in.All != nil && !*in.All:
		return noContent{}, invalid("all", "all must be true when given")
	case all && len(in.IDs) > 0:
		return noContent{}, invalid("ids", "give ids or all, not both")
	case !all && in.IDs == nil:
		return noContent{}, invalid("ids", "ids or all is required")
	case len(in.IDs) > maxReadIDs:
		return noContent{}, invalid("ids", "ids holds more than "+strconv.Itoa(maxReadIDs)+" notifications")
	}
	p, _ := caller(c)
	return noContent{}, s.cfg.Store.MarkNotificationsRead(c.UserContext(), p.ID, in.IDs, all)
}

type notifyFlagsDTO struct {
	Resolved bool `json:"resolved" doc:"a question I forecast resolved, was annulled or reopened"`
	Closing  bool `json:"closing" doc:"a question I forecast closes within 48 hours"`
	Stale    bool `json:"stale" doc:"my forecast on an open question is older than stale_days"`
	Tripwire bool `json:"tripwire" doc:"a tripwire I own fired"`
	Replies  bool `json:"replies" doc:"a reply to my comments or a mention of me"`
}

type preferencesDTO struct {
	Email         string         `json:"email" doc:"read-only; empty when no address is set"`
	EmailVerified bool           `json:"email_verified" doc:"read-only"`
	Language      string         `json:"language" enum:"en,zh" doc:"the language of e-mail"`
	Digest        string         `json:"digest" enum:"off,daily,weekly"`
	StaleDays     int            `json:"stale_days" doc:"0-365: a forecast on an open question older than this many days is stale; 0 counts every standing forecast"`
	Notify        notifyFlagsDTO `json:"notify"`
}

type notifyFlagsPatch struct {
	Resolved *bool `json:"resolved,omitempty"`
	Closing  *bool `json:"closing,omitempty"`
	Stale    *bool `json:"stale,omitempty"`
	Tripwire *bool `json:"tripwire,omitempty"`
	Replies  *bool `json:"replies,omitempty"`
}

type preferencesPatch struct {
	Language  *string           `json:"language,omitempty" enum:"en,zh"`
	Digest    *string           `json:"digest,omitempty" enum:"off,daily,weekly"`
	StaleDays *int              `json:"stale_days,omitempty" doc:"0-365"`
	Notify    *notifyFlagsPatch `json:"notify,omitempty"`
}

func (s *Server) getPreferences(c *fiber.Ctx) (preferencesDTO, error) {
	p, _ := caller(c)
	prefs, err := s.cfg.Store.UserPreferences(c.UserContext(), p.ID)
	if err != nil {
		return preferencesDTO{}, err
	}
	return s.preferencesAnswer(c, p.ID, prefs)
}

func (s *Server) updatePreferences(c *fiber.Ctx, in *preferencesPatch) (preferencesDTO, error) {
	patch := store.PreferencesPatch{Language: in.Language, Digest: in.Digest, StaleDays: in.StaleDays}
	if f := in.Notify; f != nil {
		patch.Resolved, patch.Closing, patch.Stale, patch.Tripwire, patch.Replies =
			f.Resolved, f.Closing, f.Stale, f.Tripwire, f.Replies
	}
	p, _ := caller(c)
	prefs, err := s.cfg.Store.UpdatePreferences(c.UserContext(), p.ID, patch)
	if err != nil {
		return preferencesDTO{}, err
	}
	return s.preferencesAnswer(c, p.ID, prefs)
}

// preferencesAnswer shows prefs beside the account's e-mail address.
func (s *Server) preferencesAnswer(c *fiber.Ctx, userID int64, prefs store.Preferences) (preferencesDTO, error) {
	email, verified, err := s.cfg.Store.UserEmail(c.UserContext(), userID)
	if err != nil {
		return preferencesDTO{}, err
	}
	f := prefs.Notify
	return preferencesDTO{Email: email, EmailVerified: verified, Language: prefs.Language, Digest: prefs.Digest,
		StaleDays: prefs.StaleDays, Notify: notifyFlagsDTO{Resolved: f.Resolved, Closing: f.Closing, Stale: f.Stale,
			Tripwire: f.Tripwire, Replies: f.Replies}}, nil
}
