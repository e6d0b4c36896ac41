package store

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"signpost/scoring"
)

var (
	usernamePattern = regexp.MustCompile(`^[a-z0-9_.-]{3,32}$`)
	slugPattern     = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
)

// Languages content may be written in.
var Languages = []string{"en", "zh"}

// NormalizeUsername lower-cases a username and checks the username rule:
// 3-32 characters of a-z 0-9 _ . -.
func NormalizeUsername(name string) (string, error) {
	n := strings.ToLower(name)
	if !usernamePattern.MatchString(n) {
		return "", Invalid("username", "username must be 3-32 characters of a-z 0-9 _ . -")
	}
	return n, nil
}

// ValidatePassword checks a password's length: 8-72 bytes (bcrypt
// reads at most 72).
func ValidatePassword(p string) error {
	if len(p) < 8 || len(p) > 72 {
		return Invalid("password", "password must be 8-72 bytes")
	}
	return nil
}

// ValidateSlug checks a tournament or question slug.
func ValidateSlug(field, slug string) error {
	if !slugPattern.MatchString(slug) {
		return Invalid(field, "%s must be 1-64 characters of a-z 0-9 -", field)
	}
	return nil
}

// ValidateText checks localised text: known languages only, at least one
// non-empty when required, and a length cap.
func ValidateText(field string, t Text, required bool, maxLen int) error {
	nonEmpty := 0
	for lang, s := range t {
		if lang != "en" && lang != "zh" {
			return Invalid(field, "%s: unknown language %q (use en or zh)", field, lang)
		}
		if err := CheckText(field+"."+lang, s); err != nil {
			return err
		}
		if utf8.RuneCountInString(s) > maxLen {
			return Invalid(field, "%s.%s is longer than %d characters", field, lang, maxLen)
		}
		if strings.TrimSpace(s) != "" {
			nonEmpty++
		}
	}
	if required && nonEmpty == 0 {
		return Invalid(field, "%s needs text in at least one language (en or zh)", field)
	}
	return nil
}

// ValidateTournament checks a tournament before it is stored.
func ValidateTournament(t Tournament) error {
	if err := ValidateSlug("slug", t.Slug); err != nil {
		return err
	}
	if err := ValidateText("title", t.Title, true, 300); err != nil {
		return err
	}
	if err := ValidateText("description", t.Description, false, 20000); err != nil {
		return err
	}
	if t.StartsAt.IsZero() {
		return Invalid("starts_at", "starts_at is required")
	}
	if t.EndsAt.IsZero() {
		return Invalid("ends_at", "ends_at is required")
	}
	if !t.StartsAt.Before(t.EndsAt) {
		return Invalid("ends_at", "starts_at must be before ends_at")
	}
	return ValidateCrowdAggregate(orMedian(t.CrowdAggregate))
}

// ValidateQuestion checks a question before it is stored, and gives a binary
// question its fixed Yes/No options.
func ValidateQuestion(q *Question) error {
	if q.Slug != "" {
		if err := ValidateSlug("slug", q.Slug); err != nil {
			return err
		}
	}
	if q.Kind == 0 {
		return Invalid("kind", "kind must be binary, multiple_choice or ordered")
	}
	if err := ValidateText("title", q.Title, true, 1000); err != nil {
		return err
	}
	if err := ValidateText("criteria", q.Criteria, true, 20000); err != nil {
		return err
	}
	if len(q.Area) > 64 {
		return Invalid("area", "area is longer than 64 characters")
	}
	if err := CheckText("area", q.Area); err != nil {
		return err
	}
	if q.Kind == scoring.Binary {
		if len(q.Options) != 0 && !sameAsBinary(q.Options) {
			return Invalid("options", "a binary question's options are always Yes and No; leave options out")
		}
		q.Options = BinaryOptions()
	} else {
		if len(q.Options) < 2 || len(q.Options) > 20 {
			return Invalid("options", "options must have 2-20 entries (got %d)", len(q.Options))
		}
		for i, o := range q.Options {
			if err := ValidateText("options["+itoa(int64(i))+"].label", o.Label, true, 500); err != nil {
				return err
			}
		}
	}
	if q.OpensAt.IsZero() {
		return Invalid("opens_at", "opens_at is required")
	}
	if q.ClosesAt.IsZero() {
		return Invalid("closes_at", "closes_at is required")
	}
	if !q.OpensAt.Before(q.ClosesAt) {
		return Invalid("closes_at", "opens_at must be before closes_at")
	}
	return nil
}

func sameAsBinary(opts []Option) bool {
	return len(opts) == 2 && strings.EqualFold(opts[0].Label["en"], "yes") && strings.EqualFold(opts[1].Label["en"], "no")
}
