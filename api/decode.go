package api

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// decode parses a JSON body into dst. Syntax errors and wrong types are
// bad_request; the message names the field when encoding/json knows it.
func decode(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(body) == 0 {
		return badRequest("request body must be a JSON object")
	}
	if err := checkStrict(body, dst); err != nil {
		return err
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return &apiError{Status: 400, Code: "bad_request", Message: te.Field + " has the wrong type (" + te.Value + ")", Field: te.Field}
		}
		return badRequest("body is not valid JSON")
	}
	return nil
}

// parseTime reads an RFC 3339 time (any offset) and returns it in UTC.
func parseTime(field string, v *string, required bool) (time.Time, error) {
	if v == nil || *v == "" {
		if required {
			return time.Time{}, invalid(field, field+" is required")
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *v)
	if err != nil {
		return time.Time{}, invalid(field, field+" must be an RFC 3339 time such as 2027-03-31T00:00:00Z")
	}
	return t.UTC(), nil
}

// formatTime writes times as RFC 3339 in UTC.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// idParam reads a positive integer path parameter; anything else is 404,
// since no resource has that ID.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound("no such " + name)
	}
	return id, nil
}
