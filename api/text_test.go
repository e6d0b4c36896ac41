package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"signpost/store"
)

// TestTextRuleEveryField: NUL and other control characters are 400
// naming the field in every kind of text a request carries (display
// names, comments, rationales, token and team names, titles, criteria,
// labels), while tab and newline stay allowed where text has lines; names
// and comments also refuse bidirectional overrides and zero-width
// characters.
func TestTextRuleEveryField(t *testing.T) {
	e := newTestEnv(t)
	george, _ := e.register("george")
	qid := binaryQuestion(t, e)
	bin := qpath(qid, "/forecasts")
	const tournament = "/api/v1/tournaments/ai-scenarios-2027"
	slugs := 0
	question := func(title, criteria, label string) map[string]any {
		slugs++
		return map[string]any{"slug": "q-text-" + itoa(int64(slugs)), "kind": "multiple_choice", "title": map[string]string{"en": title},
			"criteria": map[string]string{"en": criteria}, "opens_at": "2027-01-01T00:00:00Z", "closes_at": "2027-06-01T00:00:00Z",
			"options": []any{map[string]any{"label": map[string]string{"en": label}}, map[string]any{"label": map[string]string{"en": "B"}}}}
	}
	newcomers := 0
	register := func(display string) map[string]string {
		newcomers++
		name := "newbie" + itoa(int64(newcomers))
		return map[string]string{"username": name, "password": "password-" + name, "display_name": display}
	}
	bad := func(name, method, path, token string, body any, field string) scenario {
		return scenario{name: name, method: method, path: path, token: token, body: body, status: 400, code: "validation_failed", field: field}
	}
	e.runScenarios(t, []scenario{
		bad("NUL in a rationale", "POST", bin, george, map[string]any{"probability": 0.5, "rationale": "a\x00b"}, "rationale"),
		bad("escape in a rationale", "POST", bin, george, map[string]any{"probability": 0.5, "rationale": "\x1b[2J"}, "rationale"),
		bad("NUL in a display name", "POST", "/api/v1/auth/register", "", register("Ne\x00wbie"), "display_name"),
		bad("newline in a display name", "POST", "/api/v1/auth/register", "", register("New\nbie"), "display_name"),
		bad("right-to-left override in a display name", "POST", "/api/v1/auth/register", "", register("admin\u202enimda"), "display_name"),
		bad("zero-width space in a new display name", "PATCH", "/api/v1/me", george, map[string]any{"display_name": "Geo\u200brge"}, "display_name"),
		bad("byte order mark in a display name", "PATCH", "/api/v1/me", george, map[string]any{"display_name": "\ufeffGeorge"}, "display_name"),
		bad("NUL in a comment", "POST", qpath(qid, "/comments"), george, map[string]string{"body": "hi\x00"}, "body"),
		bad("isolate in a comment", "POST", qpath(qid, "/comments"), george, map[string]string{"body": "see \u2067evil\u2069"}, "body"),
		bad("NUL in a token name", "POST", "/api/v1/me/tokens", george, map[string]any{"name": "bot\x00", "scope": "read"}, "name"),
		bad("newline in a token name", "POST", "/api/v1/me/tokens", george, map[string]any{"name": "bot\nx", "scope": "read"}, "name"),
		bad("NUL in a team name", "POST", tournament+"/teams", george, map[string]string{"name": "t\x00"}, "name"),
		bad("NUL in a title", "POST", tournament+"/questions", e.admin, question("T\x00", "C", "A"), "title.en"),
		bad("NUL in criteria", "POST", tournament+"/questions", e.admin, question("T", "C\x00", "A"), "criteria.en"),
		bad("NUL in a label", "POST", tournament+"/questions", e.admin, question("T", "C", "A\x00"), "options[0].label.en"),
		bad("NUL in a tournament title", "POST", "/api/v1/tournaments", e.admin, map[string]any{"slug": "t-nul",
			"title": map[string]string{"en": "\x00"}, "starts_at": "2027-01-01T00:00:00Z", "ends_at": "2027-12-01T00:00:00Z"}, "title.en"),
		bad("NUL in a webhook URL", "POST", tournament+"/webhooks", e.admin, map[string]any{
			"url": "https://example.org/\x00", "format": "json", "events": []string{"question.opened"}}, "url"),
		{name: "lines and tabs in a rationale", method: "POST", path: bin, token: george,
			body: map[string]any{"probability": 0.5, "rationale": "one\n\ttwo\r\nthree"}, status: 201},
		{name: "lines in a comment", method: "POST", path: qpath(qid, "/comments"), token: george,
			body: map[string]string{"body": "first\nsecond 字"}, status: 201},
		{name: "lines in criteria", method: "POST", path: tournament + "/questions", token: e.admin,
			body: question("T", "line one\nline two", "A"), status: 201},
	})
}

// TestNULDoesNotFailOthers: while one user keeps sending rationales with
// NUL, 24 others send 15 valid forecasts each at once; every valid one is
// stored (on PostgreSQL one NUL used to fail its whole write batch) and
// every NUL one is 400.
func TestNULDoesNotFailOthers(t *testing.T) {
	e := newTestEnv(t)
	bin := binaryQuestion(t, e)
	url := e.base + qpath(bin, "/forecasts")
	tokens := make([]string, 25)
	for i := range tokens {
		u, err := e.st.CreateUser(t.Context(), store.User{Username: fmt.Sprintf("writer%d", i), DisplayName: "W",
			Role: store.RoleForecaster, PasswordHash: "!", CreatedAt: testStart})
		if err != nil {
			t.Fatal(err)
		}
		tokens[i] = e.token(u)
	}
	post := func(token string, body any) (int, string) {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var mu sync.Mutex
	statuses := map[string]map[int]int{"valid": {}, "nul": {}}
	var wg sync.WaitGroup
	for i, tok := range tokens {
		kind, rationale := "valid", "steady"
		if i == 0 {
			kind, rationale = "nul", "poison\x00"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 15 {
				status, body := post(tok, map[string]any{"probability": 0.3 + float64(j)/100, "rationale": rationale})
				mu.Lock()
				statuses[kind][status]++
				if kind == "valid" && status != 201 {
					t.Errorf("valid forecast = %d %s; want 201", status, body)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if statuses["valid"][201] != 360 || statuses["nul"][400] != 15 {
		t.Fatalf("statuses %v; want 360 valid forecasts 201 and 15 with NUL 400", statuses)
	}
}
