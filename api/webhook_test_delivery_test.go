package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// An admin sends a test delivery: it goes to that webhook alone, in its
// format and the tournament's language, and shows in its deliveries;
// nobody else may send one.
func TestWebhookTestDelivery(t *testing.T) {
	e := webhookEnv(t)
	tok, _ := e.register("nosy")
	rc := newReceiver(t)
	slack := e.addWebhook("ai-scenarios-2027", rc.URL+"/slack", "slack", "", "question.opened")
	other := e.addWebhook("ai-scenarios-2027", rc.URL+"/other", "json", "", "question.opened")
	base := "/api/v1/tournaments/ai-scenarios-2027/webhooks/"
	e.runScenarios(t, []scenario{
		{name: "anonymous", method: "POST", path: base + itoa(slack.ID) + "/test", status: 401, code: "unauthorized"},
		{name: "forecaster", method: "POST", path: base + itoa(slack.ID) + "/test", token: tok, status: 403, code: "forbidden"},
		{name: "unknown webhook", method: "POST", path: base + "9999/test", token: e.admin, status: 404, code: "not_found"},
		{name: "other tournament", method: "POST", path: "/api/v1/tournaments/nope/webhooks/" + itoa(slack.ID) + "/test", token: e.admin, status: 404, code: "not_found"},
		{name: "admin", method: "POST", path: base + itoa(slack.ID) + "/test", token: e.admin, status: 204},
	})
	ds := e.deliveries("ai-scenarios-2027", slack.ID)
	if len(ds) != 1 || ds[0].Event != "webhook.test" || ds[0].Status != "pending" {
		t.Fatalf("deliveries after the test = %+v; want one pending webhook.test", ds)
	}
	e.tick()
	var msg struct{ Text string }
	if err := json.Unmarshal(rc.byPath(t, "/slack").body, &msg); err != nil || !strings.Contains(msg.Text, "this webhook works") {
		t.Fatalf("slack text %q (%v); want the test message", msg.Text, err)
	}
	if ds := e.deliveries("ai-scenarios-2027", slack.ID); len(ds) != 1 || ds[0].Status != "delivered" {
		t.Fatalf("after the worker's round: %+v; want delivered", ds)
	}
	if ds := e.deliveries("ai-scenarios-2027", other.ID); len(ds) != 0 {
		t.Fatalf("the other webhook got %+v; want nothing", ds)
	}
}
