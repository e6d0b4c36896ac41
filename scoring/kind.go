package scoring

import (
	"fmt"
	"strconv"
)

// Kind is the kind of a question, which decides how a forecast is scored.
type Kind uint8

// The question kinds. The zero Kind is deliberately invalid so that a
// forgotten field is caught rather than scored as some default.
const (
	Binary Kind = iota + 1
	MultipleChoice
	Ordered
)

// ParseKind parses the API spelling of a kind: "binary",
// "multiple_choice" or "ordered".
func ParseKind(s string) (Kind, error) {
	switch s {
	case "binary":
		return Binary, nil
	case "multiple_choice":
		return MultipleChoice, nil
	case "ordered":
		return Ordered, nil
	}
	return 0, fmt.Errorf("scoring: unknown question kind %q", s)
}

// String returns the API spelling of k, the inverse of ParseKind.
func (k Kind) String() string {
	switch k {
	case Binary:
		return "binary"
	case MultipleChoice:
		return "multiple_choice"
	case Ordered:
		return "ordered"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

func (k Kind) valid() bool { return k >= Binary && k <= Ordered }
