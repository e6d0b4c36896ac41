package feeds

import (
	"encoding/json"
	"testing"

	"signpost/scoring"
)

func TestRuleOutcomes(t *testing.T) {
	bin, err := ParseRule(json.RawMessage(`{"op": ">=", "value": 0.5}`), scoring.Binary, 2)
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[float64]int{0.5: 0, 0.51: 0, 0.49: 1} {
		if got := bin.Outcome(v); got != want {
			t.Errorf(">= 0.5: Outcome(%v) = %d; want %d (0 Yes, 1 No)", v, got, want)
		}
	}
	ord, err := ParseRule(json.RawMessage(`{"bounds": [0.35, 0.5, 0.65]}`), scoring.Ordered, 4)
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[float64]int{0: 0, 0.3499: 0, 0.35: 1, 0.4999: 1, 0.5: 2, 0.65: 3, 9: 3} {
		if got := ord.Outcome(v); got != want {
			t.Errorf("bounds [0.35 0.5 0.65]: Outcome(%v) = %d; want %d", v, got, want)
		}
	}
	for op, want := range map[string]bool{">": false, "<": false, "<=": true, ">=": true} {
		r := Rule{Op: op, Value: 1}
		if got := r.Holds(1); got != want {
			t.Errorf("1 %s 1 = %v; want %v", op, got, want)
		}
	}
}

func TestParseRuleRefuses(t *testing.T) {
	for _, c := range []struct {
		rule    string
		kind    scoring.Kind
		options int
	}{
		{`{"op": "==", "value": 1}`, scoring.Binary, 2},
		{`{"op": ">="}`, scoring.Binary, 2},
		{`{"bounds": [1]}`, scoring.Binary, 2},
		{`{"bounds": [1, 2]}`, scoring.Ordered, 4},
		{`{"bounds": [2, 1, 3]}`, scoring.Ordered, 4},
		{`{"op": ">=", "value": 1}`, scoring.Ordered, 4},
		{`{"op": ">=", "value": 1}`, scoring.MultipleChoice, 3},
		{`{"op": ">=", "value": 1, "extra": 1}`, scoring.Binary, 2},
	} {
		if r, err := ParseRule(json.RawMessage(c.rule), c.kind, c.options); err == nil {
			t.Errorf("ParseRule(%s, %v, %d) = %+v; want an error", c.rule, c.kind, c.options, r)
		}
	}
}
