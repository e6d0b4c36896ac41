package webhook

import (
	"signpost/api/crowd"
	"signpost/store"
)

// Webhook events. The store fires those that happen inside its own
// transactions and by the clock, so their names are the store's; the
// detectors here fire the others.
const (
	QuestionOpened   = store.EventQuestionOpened
	QuestionClosing  = store.EventQuestionClosing
	QuestionResolved = store.EventQuestionResolved
	QuestionAnnulled = store.EventQuestionAnnulled
	QuestionReopened = store.EventQuestionReopened
	QuestionProposed = store.EventQuestionProposed
	TopChanged       = "leaderboard.top_changed"
	CrowdMoved       = "crowd.moved"
	TripwireFired    = store.EventTripwireFired
)

// catalog is every event with its chat text in English and Chinese, in
// the order of Events: one line per event, so that adding an event or
// changing its words is one line here. In a text, %[1]s is the
// tournament, %[2]s the question (title and link), %[3]s the detail.
var catalog = []struct{ name, en, zh string }{
	{QuestionOpened, "[%[1]s] Open for forecasts: %[2]s", "【%[1]s】开放预测：%[2]s"},
	{QuestionClosing, "[%[1]s] Closes in 24 hours: %[2]s (%[3]s)", "【%[1]s】24 小时内截止：%[2]s（%[3]s）"},
	{QuestionResolved, "[%[1]s] Resolved: %[2]s. Answer: %[3]s", "【%[1]s】已结算：%[2]s。结果：%[3]s"},
	{QuestionAnnulled, "[%[1]s] Annulled: %[2]s. Reason: %[3]s", "【%[1]s】已作废：%[2]s。原因：%[3]s"},
	{QuestionReopened, "[%[1]s] Open for forecasts again: %[2]s", "【%[1]s】重新开放预测：%[2]s"},
	{QuestionProposed, "[%[1]s] Proposed resolution: %[2]s. Answer: %[3]s", "【%[1]s】拟定结算：%[2]s。结果：%[3]s"},
	{TopChanged, "[%[1]s] The leaderboard's top 3 changed: %[3]s", "【%[1]s】排行榜前三名变化：%[3]s"},
	{CrowdMoved, "[%[1]s] The crowd moved on %[2]s: %[3]s", "【%[1]s】群体预测变化：%[2]s：%[3]s"},
	{TripwireFired, "[%[1]s] Tripwire fired on %[2]s: %[3]s", "【%[1]s】警戒线已触发：%[2]s：%[3]s"},
}

// Events lists the events a webhook may subscribe to.
var Events = func() []string {
	names := make([]string, len(catalog))
	for i, c := range catalog {
		names[i] = c.name
	}
	return names
}()

// texts are the catalogue's chat texts by language, then event.
var texts = func() map[string]map[string]string {
	out := map[string]map[string]string{"en": {}, "zh": {}}
	for _, c := range catalog {
		out["en"][c.name], out["zh"][c.name] = c.en, c.zh
	}
	return out
}()

// Render turns an event into its generic JSON body and its chat text in
// the tournament's language, with links under publicURL ("" leaves them
// relative). An event's crowd goes out only when rule shows it, as it is
// to users. The store calls it inside the event's transaction.
func Render(publicURL string, rule crowd.Rule) func(store.Event) (payload, message string, err error) {
	return func(ev store.Event) (string, string, error) {
		if ev.Crowd != nil && !rule.Shows(ev.Crowd.Forecasters, ev.Crowd.Established) {
			ev.Crowd = nil
		}
		body, err := renderJSON(ev, publicURL)
		if err != nil {
			return "", "", err
		}
		return body, message(ev, publicURL), nil
	}
}
