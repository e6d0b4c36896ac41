package scoring

import (
	"fmt"
	"strconv"
)

// TriggerKind says which outcomes of an indicator count as its trigger.
type TriggerKind uint8

// The trigger kinds.
const (
	TriggerYes     TriggerKind = iota + 1 // a binary question resolves Yes
	TriggerHigher                         // an ordered question lands in the upper half of its buckets
	TriggerLower                          // ... or in the lower half
	TriggerOption                         // one named option or bucket
	TriggerAtLeast                        // an ordered question lands at or above bucket Option (a conditional pair's threshold)
)

// Trigger is the event of an indicator that a link reads.
type Trigger struct {
	Kind   TriggerKind
	Option int // for TriggerOption
}

// ParseTrigger parses the API spelling of a trigger for an indicator of
// the given kind and number of options: "yes" (binary), "higher" or
// "lower" (ordered), or an option index ("0", "1", ...; ordered and
// multiple choice). The error message is safe to show to clients.
func ParseTrigger(kind Kind, options int, s string) (Trigger, error) {
	switch {
	case s == "yes" && kind == Binary:
		return Trigger{Kind: TriggerYes}, nil
	case (s == "higher" || s == "lower") && kind == Ordered:
		if s == "higher" {
			return Trigger{Kind: TriggerHigher}, nil
		}
		return Trigger{Kind: TriggerLower}, nil
	case kind == Ordered || kind == MultipleChoice:
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= options || strconv.Itoa(i) != s {
			return Trigger{}, invalid("trigger %q is not \"higher\", \"lower\" or an option index below %d", s, options)
		}
		return Trigger{Kind: TriggerOption, Option: i}, nil
	case kind == Binary:
		return Trigger{}, invalid("the trigger of a binary indicator is \"yes\" (use direction -1 for a No)")
	}
	return Trigger{}, invalid("invalid question kind %s", kind)
}

// String returns the API spelling of t.
func (t Trigger) String() string {
	switch t.Kind {
	case TriggerYes:
		return "yes"
	case TriggerHigher:
		return "higher"
	case TriggerLower:
		return "lower"
	case TriggerOption:
		return strconv.Itoa(t.Option)
	case TriggerAtLeast:
		return ">=" + strconv.Itoa(t.Option)
	}
	return fmt.Sprintf("Trigger(%d)", t.Kind)
}

// Probability returns the probability of t under the forecast p (Yes is
// option 0 of a binary question). "Higher" is the mass of the upper half
// of the buckets, with the middle bucket of an odd count shared half and
// half, so that a uniform forecast gives ½ (no evidence); "lower" is the
// rest. p must be valid for the indicator t was parsed for.
func (t Trigger) Probability(p []float64) float64 {
	switch t.Kind {
	case TriggerYes:
		return p[0]
	case TriggerOption:
		return p[t.Option]
	case TriggerAtLeast:
		var s float64
		for _, x := range p[t.Option:] {
			s += x
		}
		return s
	}
	var hi float64
	for b, x := range p {
		hi += x * upperShare(b, len(p))
	}
	if t.Kind == TriggerLower {
		return 1 - hi
	}
	return hi
}

// Resolved returns the trigger's probability once the indicator resolved
// to option outcome: 1 or 0, or ½ for "higher"/"lower" when an odd number
// of buckets resolves in the middle one.
func (t Trigger) Resolved(outcome, options int) float64 {
	p := make([]float64, options)
	p[outcome] = 1
	return t.Probability(p)
}

// upperShare is how much of bucket b of k counts as "higher".
func upperShare(b, k int) float64 {
	switch twice := 2 * b; {
	case twice > k-1:
		return 1
	case twice == k-1:
		return 0.5
	}
	return 0
}
