package webhook

import (
	"encoding/json"
	"strings"
	"testing"

	"signpost/store"
)

// TestAnnulMessageInTournamentLanguage: chat messages give the reason in
// the tournament's language, and the JSON payload carries both.
func TestAnnulMessageInTournamentLanguage(t *testing.T) {
	q := &store.Question{ID: 7, Title: store.Text{"en": "Q", "zh": "题"}, Annulled: true, AnnulReason: "Ambiguous.",
		AnnulReasonText: store.Text{"en": "Ambiguous.", "zh": "含糊。"}}
	for lang, want := range map[string]string{"en": "Reason: Ambiguous.", "zh": "原因：含糊。"} {
		ev := store.Event{Name: QuestionAnnulled, Tournament: store.Tournament{Title: store.Text{"en": "T", "zh": "赛"},
			Extra: json.RawMessage(`{"language":"` + lang + `"}`)}, Question: q}
		if got := message(ev, "http://127.0.0.1"); !strings.Contains(got, want) {
			t.Errorf("%s message %q; want %q", lang, got, want)
		}
		body, err := renderJSON(ev, "http://127.0.0.1")
		if err != nil || !strings.Contains(body, `"reason_i18n":{"en":"Ambiguous.","zh":"含糊。"}`) {
			t.Errorf("payload %s, %v; want reason_i18n", body, err)
		}
	}
}
