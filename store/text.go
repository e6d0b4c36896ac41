package store

import (
	"fmt"
	"strings"
)

// CheckText is the rule every stored text obeys: no C0 control character
// but tab, newline and carriage return. PostgreSQL cannot store NUL in a
// text column at all (one would fail a whole batch of writes), and the
// other controls only ever garble what a reader sees or a terminal does.
// The API applies it to every string of every request body; the store to
// what reaches it by other ways (imports, copies).
func CheckText(field, s string) error {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return Invalid(field, "%s must not hold the control character %s", field, controlName(b))
		}
	}
	return nil
}

// CheckName is the rule for a name shown to others beside other people's
// (display names, team names): one line of text without the invisible
// characters that make one name pass for another.
func CheckName(field, s string) error {
	if err := CheckText(field, s); err != nil {
		return err
	}
	if i := strings.IndexAny(s, "\t\n\r"); i >= 0 {
		return Invalid(field, "%s must be one line (it holds %s)", field, controlName(s[i]))
	}
	return CheckVisible(field, s)
}

// CheckVisible refuses the characters that change how text around them
// reads without being seen: bidirectional overrides and isolates (which can
// reverse a name or a link) and zero-width characters (which make two
// different names look the same).
func CheckVisible(field, s string) error {
	for _, r := range s {
		if spoofing(r) {
			return Invalid(field, "%s must not hold the invisible character U+%04X", field, r)
		}
	}
	return nil
}

func spoofing(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, // LRE, RLE, PDF, LRO, RLO
		r >= 0x2066 && r <= 0x2069, // LRI, RLI, FSI, PDI
		r >= 0x200B && r <= 0x200D, // zero-width space, non-joiner, joiner
		r == 0x2060, r == 0xFEFF:   // word joiner, zero-width no-break space
		return true
	}
	return false
}

func controlName(b byte) string {
	switch b {
	case 0:
		return "NUL (U+0000)"
	case '\t':
		return "a tab"
	case '\n', '\r':
		return "a line break"
	}
	return fmt.Sprintf("U+%04X", b)
}
