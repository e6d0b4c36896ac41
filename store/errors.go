package store

import (
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Domain errors. The api package maps them to HTTP statuses.
var (
	// ErrNotFound: no such row.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the state of the data forbids the change (a unique key is
	// taken, a question is not open, a user is already in a team).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input breaks a rule.
	ErrInvalid = errors.New("invalid")
)

// Error carries a client-safe message and, for ErrInvalid, the offending
// field, while wrapping one of the domain errors for errors.Is.
type Error struct {
	Kind    error
	Message string
	Field   string
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Kind }

func notFound(format string, a ...any) error {
	return &Error{Kind: ErrNotFound, Message: fmt.Sprintf(format, a...)}
}

func conflict(format string, a ...any) error {
	return &Error{Kind: ErrConflict, Message: fmt.Sprintf(format, a...)}
}

// Invalid reports a bad field.
func Invalid(field, format string, a ...any) error {
	return &Error{Kind: ErrInvalid, Field: field, Message: fmt.Sprintf(format, a...)}
}

// missing is the one translation of "no such row": gorm's
// ErrRecordNotFound (from Take) and database/sql's ErrNoRows (from a hot
// path's Row.Scan) both become ErrNotFound with the caller's message. Every
// one-row lookup ends in it; other errors pass through unchanged.
func missing(err error, format string, a ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, sql.ErrNoRows) {
		return notFound(format, a...)
	}
	return err
}

// translate maps gorm's translated driver errors of a write onto domain
// errors; what to say about a duplicate depends on the caller, so it passes
// the message.
func translate(err error, dupMessage string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return conflict("%s", dupMessage)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return &Error{Kind: ErrNotFound, Message: "a referenced row does not exist"}
	}
	return err
}
