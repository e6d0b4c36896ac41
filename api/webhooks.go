package api

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"signpost/api/safehttp"
	"signpost/api/webhook"
	"signpost/store"
)

type createWebhookRequest struct {
	URL    *string  `json:"url" required:"true" doc:"http(s) address the events are posted to"`
	Format *string  `json:"format" required:"true" enum:"json,slack,feishu,dingtalk"`
	Events []string `json:"events" required:"true" schema:"webhookEvents" doc:"question.opened, question.closing, question.resolved, question.annulled, question.reopened (a conditional branch open again after a correction), question.proposed (an outcome proposed from a data feed), leaderboard.top_changed, crowd.moved, tripwire.fired (a tripwire crossed its threshold)"`
	Secret *string  `json:"secret,omitempty" doc:"Write-only. json: HMAC-SHA256 key of X-Signpost-Signature; feishu and dingtalk: the bot's signing secret"`
}

type webhookDTO struct {
	ID        int64    `json:"id"`
	URL       string   `json:"url"`
	Format    string   `json:"format" enum:"json,slack,feishu,dingtalk"`
	Events    []string `json:"events" schema:"webhookEvents"`
	CreatedAt string   `json:"created_at" format:"date-time"`
}

type webhookListDTO struct {
	Webhooks []webhookDTO `json:"webhooks"`
}

type deliveryDTO struct {
	ID          int64   `json:"id"`
	Event       string  `json:"event" schema:"deliveryEvent" doc:"the event delivered, or webhook.test for a test an admin sent"`
	Status      string  `json:"status" enum:"pending,delivered,failed"`
	Attempts    int     `json:"attempts"`
	LastError   string  `json:"last_error"`
	CreatedAt   string  `json:"created_at" format:"date-time"`
	DeliveredAt *string `json:"delivered_at" format:"date-time"`
}

type deliveryListDTO struct {
	Deliveries []deliveryDTO `json:"deliveries"`
}

func toWebhookDTO(w store.Webhook) webhookDTO {
	return webhookDTO{ID: w.ID, URL: w.URL, Format: w.Format, Events: w.Events, CreatedAt: formatTime(w.CreatedAt)}
}

func toDeliveryDTO(d store.Delivery) deliveryDTO {
	out := deliveryDTO{ID: d.ID, Event: d.Event, Status: d.Status, Attempts: d.Attempts, LastError: d.LastError,
		CreatedAt: formatTime(d.CreatedAt)}
	if d.DeliveredAt != nil {
		at := formatTime(*d.DeliveredAt)
		out.DeliveredAt = &at
	}
	return out
}

func (s *Server) listWebhooks(c *fiber.Ctx) (webhookListDTO, error) {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return webhookListDTO{}, err
	}
	ws, err := s.cfg.Store.ListWebhooks(c.UserContext(), t.ID)
	if err != nil {
		return webhookListDTO{}, err
	}
	out := webhookListDTO{Webhooks: make([]webhookDTO, len(ws))}
	for i, w := range ws {
		out.Webhooks[i] = toWebhookDTO(w)
	}
	return out, nil
}

func (s *Server) createWebhook(c *fiber.Ctx, in *createWebhookRequest) (webhookDTO, error) {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return webhookDTO{}, err
	}
	w, err := s.validateWebhook(in)
	if err != nil {
		return webhookDTO{}, err
	}
	p, _ := caller(c)
	w.TournamentID, w.CreatedBy, w.CreatedAt = t.ID, p.ID, s.now()
	if w, err = s.cfg.Store.CreateWebhook(c.UserContext(), w); err != nil {
		return webhookDTO{}, err
	}
	return toWebhookDTO(w), nil
}

func (s *Server) validateWebhook(in *createWebhookRequest) (store.Webhook, error) {
	if in.URL == nil {
		return store.Webhook{}, invalid("url", "url is required")
	}
	u, err := url.Parse(strings.TrimSpace(*in.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || len(*in.URL) > 2000 {
		return store.Webhook{}, invalid("url", "url must be an http or https address without credentials")
	}
	if !s.cfg.AllowPrivateWebhooks && safehttp.PrivateHost(u.Hostname()) {
		return store.Webhook{}, invalid("url", "url points to a loopback or private address; the operator has not allowed that")
	}
	if in.Format == nil || !slices.Contains(webhook.Formats, *in.Format) {
		return store.Webhook{}, invalid("format", "format must be json, slack, feishu or dingtalk")
	}
	if len(in.Events) == 0 {
		return store.Webhook{}, invalid("events", "events must list at least one event")
	}
	var events []string
	for _, e := range in.Events {
		if !slices.Contains(webhook.Events, e) {
			return store.Webhook{}, invalid("events", "unknown event "+e)
		}
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	w := store.Webhook{URL: u.String(), Format: *in.Format, Events: events}
	if in.Secret != nil {
		if len(*in.Secret) > 256 {
			return store.Webhook{}, invalid("secret", "secret is longer than 256 bytes")
		}
		w.Secret = *in.Secret
	}
	return w, nil
}

// webhookOf loads the webhook in the path, within the tournament in the path.
func (s *Server) webhookOf(c *fiber.Ctx) (store.Webhook, error) {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return store.Webhook{}, err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return store.Webhook{}, err
	}
	return s.cfg.Store.FindWebhook(c.UserContext(), t.ID, id)
}

func (s *Server) deleteWebhook(c *fiber.Ctx) error {
	w, err := s.webhookOf(c)
	if err != nil {
		return err
	}
	p, _ := caller(c)
	return s.cfg.Store.DeleteWebhook(c.UserContext(), w.TournamentID, w.ID, p.ID)
}

// testWebhook queues a test delivery to the webhook in the path.
func (s *Server) testWebhook(c *fiber.Ctx) error {
	w, err := s.webhookOf(c)
	if err != nil {
		return err
	}
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	now := s.now()
	payload, message, err := webhook.TestDelivery(t, now)
	if err != nil {
		return err
	}
	_, err = s.cfg.Store.QueueDelivery(c.UserContext(), w.ID, webhook.TestEvent, payload, message, now)
	return err
}

// maxDeliveries is how many of a webhook's latest deliveries are listed.
const maxDeliveries = 100

func (s *Server) listDeliveries(c *fiber.Ctx) (deliveryListDTO, error) {
	w, err := s.webhookOf(c)
	if err != nil {
		return deliveryListDTO{}, err
	}
	ds, err := s.cfg.Store.ListDeliveries(c.UserContext(), w.ID, maxDeliveries)
	if err != nil {
		return deliveryListDTO{}, err
	}
	out := deliveryListDTO{Deliveries: make([]deliveryDTO, len(ds))}
	for i, d := range ds {
		out.Deliveries[i] = toDeliveryDTO(d)
	}
	return out, nil
}
