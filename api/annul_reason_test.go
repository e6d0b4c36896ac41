package api

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"signpost/store"
)

// TestAnnulReasonInBothLanguages: the reason travels per language in
// reason_i18n beside the plain reason, on the question and in the audit
// trail; a plain reason alone still works; a plain reason holding both
// languages as JSON (as the web UI sent them before) is split; bad
// languages, blank and overlong reasons are 400 naming the field, and
// nothing is annulled.
func TestAnnulReasonInBothLanguages(t *testing.T) {
	e := newTestEnv(t)
	var ids []int64
	for slug, id := range e.questionIDs() {
		if slug != "scenario-2027" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	both, plain, legacy, untouched := ids[0], ids[1], ids[2], ids[3]
	long := strings.Repeat("长", store.MaxReasonLen+1)
	reasonIs := func(reason string, i18n store.Text) func(t *testing.T, r response) {
		return func(t *testing.T, r response) {
			var q questionDTO
			r.decode(t, &q)
			if q.State != "annulled" || q.Resolution == nil || q.Resolution.Reason != reason || !maps.Equal(q.Resolution.ReasonI18n, i18n) {
				t.Fatalf("annulled: %s %+v; want reason %q, reason_i18n %v", q.State, q.Resolution, reason, i18n)
			}
		}
	}
	path := qpath(untouched, "/annul")
	e.runScenarios(t, []scenario{
		{name: "unknown language", method: "POST", path: path, token: e.admin,
			body: map[string]any{"reason_i18n": map[string]string{"fr": "non"}}, status: 400, code: "validation_failed", field: "reason_i18n"},
		{name: "too long", method: "POST", path: path, token: e.admin,
			body: map[string]any{"reason_i18n": map[string]string{"zh": long}}, status: 400, code: "validation_failed", field: "reason_i18n"},
		{name: "plain too long", method: "POST", path: path, token: e.admin,
			body: map[string]any{"reason": long}, status: 400, code: "validation_failed", field: "reason"},
		{name: "blank in both", method: "POST", path: path, token: e.admin,
			body: map[string]any{"reason": " ", "reason_i18n": map[string]string{"en": " ", "zh": ""}}, status: 400, code: "validation_failed", field: "reason"},
		{name: "nothing", method: "POST", path: path, token: e.admin, body: map[string]any{}, status: 400, code: "validation_failed", field: "reason"},
		{name: "both languages", method: "POST", path: qpath(both, "/annul"), token: e.admin,
			body:      map[string]any{"reason_i18n": map[string]string{"en": " The source vanished. ", "zh": "来源已消失。"}},
			status:    200,
			checkBody: reasonIs("The source vanished.", store.Text{"en": "The source vanished.", "zh": "来源已消失。"})},
		{name: "plain only", method: "POST", path: qpath(plain, "/annul"), token: e.admin,
			body: map[string]any{"reason": "Ambiguous."}, status: 200, checkBody: reasonIs("Ambiguous.", nil)},
		{name: "JSON in the plain reason", method: "POST", path: qpath(legacy, "/annul"), token: e.admin,
			body: map[string]any{"reason": `{"en":"Withdrawn.","zh":"已撤回。"}`}, status: 200,
			checkBody: reasonIs("Withdrawn.", store.Text{"en": "Withdrawn.", "zh": "已撤回。"})},
		{name: "read back", method: "GET", path: qpath(both, ""), status: 200,
			checkBody: reasonIs("The source vanished.", store.Text{"en": "The source vanished.", "zh": "来源已消失。"})},
	})
	var q questionDTO
	e.must(200, "GET", qpath(untouched, ""), "", nil, &q)
	if q.State == "annulled" {
		t.Fatalf("a refused annulment annulled question %d", untouched)
	}
	var audit auditListDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/audit", e.admin, nil, &audit)
	byQuestion := map[int64]auditDTO{}
	for _, a := range audit.Entries {
		if a.Action == "annul" && a.QuestionID != nil {
			byQuestion[*a.QuestionID] = a
		}
	}
	if a := byQuestion[both]; a.Reason != "The source vanished." || a.ReasonI18n["zh"] != "来源已消失。" {
		t.Errorf("audit of the bilingual annulment = %+v", a)
	}
	if a := byQuestion[plain]; a.Reason != "Ambiguous." || a.ReasonI18n != nil {
		t.Errorf("audit of the plain annulment = %+v", a)
	}
	if len(byQuestion) != 3 {
		t.Errorf("%d annulments audited; want 3", len(byQuestion))
	}
}

// TestAutomaticReasonsInChinese: the reasons the server gives when it
// annuls a conditional branch read in both languages.
func TestAutomaticReasonsInChinese(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 1}, nil)
	var yes questionDTO
	e.must(200, "GET", qpath(pair.IfYes.ID, ""), "", nil, &yes)
	want := store.Text{"en": store.ReasonConditionFailed, "zh": "条件未发生"}
	if yes.Resolution == nil || !maps.Equal(yes.Resolution.ReasonI18n, want) {
		t.Fatalf("branch annulled by the server: %+v; want reason_i18n %v", yes.Resolution, want)
	}
}
