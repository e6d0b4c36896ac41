package webhook

import (
	"fmt"
	"time"

	"signpost/store"
)

// payloadTripwire is the tripwire a tripwire.fired body carries: what it
// watches, its threshold, owner and action, and the value that fired it.
type payloadTripwire struct {
	ID         int64      `json:"id"`
	Name       store.Text `json:"name"`
	Kind       string     `json:"kind"`
	QuestionID int64      `json:"question_id"`
	Option     *int       `json:"option,omitempty"`
	Op         string     `json:"op"`
	Value      float64    `json:"value"`
	Owner      string     `json:"owner"`
	Action     store.Text `json:"action"`
	FiredAt    string     `json:"fired_at,omitempty"`
	FiredValue *float64   `json:"fired_value,omitempty"`
}

func toPayloadTripwire(t store.Tripwire) *payloadTripwire {
	p := &payloadTripwire{ID: t.ID, Name: t.Name, Kind: t.Kind, QuestionID: t.QuestionID, Option: t.Option, Op: t.Op,
		Value: t.Value, Owner: t.Owner, Action: t.Action, FiredValue: t.FiredValue}
	if p.Name == nil {
		p.Name = store.Text{}
	}
	if p.Action == nil {
		p.Action = store.Text{}
	}
	if t.FiredAt != nil {
		p.FiredAt = t.FiredAt.UTC().Format(time.RFC3339Nano)
	}
	return p
}

// tripwireWords are the words around a fired tripwire in each language:
// "name": value op threshold. Owner @owner: action.
var tripwireWords = map[string]string{
	"en": "\"%s\": %s %s %s. Owner @%s: %s",
	"zh": "「%s」：%s %s %s。负责人 @%s：%s",
}

// tripwireText says which tripwire fired, at what value against which
// threshold, and who owns which action, in lang.
func tripwireText(t store.Tripwire, lang string) string {
	value := "?"
	if t.FiredValue != nil {
		value = tripwireNumber(t, *t.FiredValue)
	}
	op := "≥"
	if t.Op == "<=" {
		op = "≤"
	}
	return fmt.Sprintf(tripwireWords[lang], pick(t.Name, lang), value, op, tripwireNumber(t, t.Value), t.Owner,
		pick(t.Action, lang))
}

// tripwireNumber writes a value as the tripwire reads it.
func tripwireNumber(t store.Tripwire, v float64) string { return t.Show(v) }
