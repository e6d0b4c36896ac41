package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzStrictForecastBody: whatever the body, a forecast
// body the strict check lets through has no invalid UTF-8, no repeated
// top-level name, no null among its probabilities and no name that matches
// a field only up to case; bodies of each class are in the corpus.
func FuzzStrictForecastBody(f *testing.F) {
	for _, seed := range []string{
		`{"probabilities":[0.2,0.8]}`,
		`{"probability":0.3,"rationale":"fine"}`,
		`{"probabilities":[null,1]}`,
		"{\"probability\":0.3,\"rationale\":\"bad \xff byte\"}",
		`{"probability":0.2,"probability":0.9}`,
		`{"PROBABILITY":0.3}`,
		`{"probability":0.3,"Rationale":"x"}`,
		`{"probabilities":[0.5,null,0.25,0.25]}`,
		`{"rationale":"\ud800"}`,
		`[1,2]`, `null`, `{"a":{"a":1,"a":2}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req forecastRequest
		if checkStrict(body, &req) != nil {
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted invalid UTF-8: %q", body)
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return // refused later as bad_request
		}
		names, ok := topLevelNames(body)
		if !ok {
			return
		}
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Fatalf("accepted a repeated name %q: %q", n, body)
			}
			seen[n] = true
			for _, field := range []string{"probabilities", "probability", "rationale"} {
				if n != field && strings.EqualFold(n, field) {
					t.Fatalf("accepted %q for %q: %q", n, field, body)
				}
			}
		}
		var ptrs struct {
			Probabilities []*float64 `json:"probabilities"`
		}
		if json.Unmarshal(body, &ptrs) == nil {
			for i, p := range ptrs.Probabilities {
				if p == nil {
					t.Fatalf("accepted null at probabilities[%d]: %q", i, body)
				}
			}
		}
	})
}

// topLevelNames lists an object's member names in order, with encoding/json
// (independent of the checker under test).
func topLevelNames(body []byte) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var names []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		names = append(names, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, false
		}
	}
	return names, true
}
