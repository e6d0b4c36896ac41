package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"signpost/scoring"
)

// Rule turns a feed's number into an outcome: a comparison for a binary
// question (Yes when it holds), bounds for an ordered one (bucket i when
// Bounds[i-1] <= v < Bounds[i], with the first bucket below Bounds[0] and
// the last at or above the last bound).
type Rule struct {
	Op     string    `json:"op,omitempty"`
	Value  float64   `json:"value"`
	Bounds []float64 `json:"bounds,omitempty"`
}

// Binary outcomes, as option indexes.
const (
	outcomeYes = 0
	outcomeNo  = 1
)

// ParseRule reads a rule for a question of the given kind and number of
// options. The error is safe to show to clients.
func ParseRule(raw json.RawMessage, kind scoring.Kind, options int) (Rule, error) {
	var in struct {
		Op     *string   `json:"op"`
		Value  *float64  `json:"value"`
		Bounds []float64 `json:"bounds"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Rule{}, errors.New(`rule must be {"op", "value"} (binary) or {"bounds": [...]} (ordered)`)
	}
	switch kind {
	case scoring.Binary:
		if in.Op == nil || in.Value == nil || in.Bounds != nil {
			return Rule{}, errors.New(`a binary question's rule is {"op": ">=" | ">" | "<=" | "<", "value": number}`)
		}
		switch *in.Op {
		case ">=", ">", "<=", "<":
		default:
			return Rule{}, fmt.Errorf(`op must be ">=", ">", "<=" or "<", not %q`, *in.Op)
		}
		return Rule{Op: *in.Op, Value: *in.Value}, nil
	case scoring.Ordered:
		if in.Op != nil || in.Value != nil {
			return Rule{}, errors.New(`an ordered question's rule is {"bounds": [b1, ...]}`)
		}
		if len(in.Bounds) != options-1 {
			return Rule{}, fmt.Errorf("an ordered question of %d options needs %d bounds, got %d", options, options-1, len(in.Bounds))
		}
		for i, b := range in.Bounds {
			if math.IsNaN(b) || math.IsInf(b, 0) || (i > 0 && b <= in.Bounds[i-1]) {
				return Rule{}, errors.New("bounds must be finite and strictly increasing")
			}
		}
		return Rule{Bounds: in.Bounds}, nil
	}
	return Rule{}, errors.New("only binary and ordered questions can resolve from a feed")
}

// Holds reports whether a binary rule's comparison holds for v.
func (r Rule) Holds(v float64) bool {
	switch r.Op {
	case ">=":
		return v >= r.Value
	case ">":
		return v > r.Value
	case "<=":
		return v <= r.Value
	case "<":
		return v < r.Value
	}
	return false
}

// Outcome is the option index v resolves to.
func (r Rule) Outcome(v float64) int {
	if r.Op != "" {
		if r.Holds(v) {
			return outcomeYes
		}
		return outcomeNo
	}
	i := 0
	for i < len(r.Bounds) && v >= r.Bounds[i] {
		i++
	}
	return i
}
