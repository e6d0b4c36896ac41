package webhook

import (
	"encoding/json"
	"fmt"
	"time"

	"signpost/store"
)

// TestEvent names a delivery an admin asked for to try a webhook: no
// webhook subscribes to it, and it is sent only to the webhook tried.
const TestEvent = "webhook.test"

// DeliveryEvents lists every event a delivery may carry: the events a
// webhook subscribes to, then the test.
var DeliveryEvents = append(append([]string(nil), Events...), TestEvent)

// TestDelivery is the body and chat text of a test delivery for a
// tournament, in its language, dated at.
func TestDelivery(t store.Tournament, at time.Time) (payload, message string, err error) {
	title := t.Title
	if title == nil {
		title = store.Text{}
	}
	body, err := json.Marshal(struct {
		Event      string            `json:"event"`
		OccurredAt string            `json:"occurred_at"`
		Tournament payloadTournament `json:"tournament"`
	}{TestEvent, at.UTC().Format(time.RFC3339Nano), payloadTournament{Slug: t.Slug, Title: title}})
	if err != nil {
		return "", "", err
	}
	text := "[%s] A test message from Signpost: this webhook works."
	if Language(t) == "zh" {
		text = "【%s】来自 Signpost 的测试消息：此 Webhook 工作正常。"
	}
	return string(body), fmt.Sprintf(text, pick(t.Title, Language(t))), nil
}
