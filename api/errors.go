package api

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

// apiError is an error with the status, stable code and client-safe message
// that the API's error table prescribes (errorDocs in openapi.go).
type apiError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *apiError) Error() string { return e.Message }

func badRequest(msg string) error {
	return &apiError{Status: http.StatusBadRequest, Code: "bad_request", Message: msg}
}

func invalid(field, msg string) error {
	return &apiError{Status: http.StatusBadRequest, Code: "validation_failed", Message: msg, Field: field}
}

func unauthorized(msg string) error {
	return &apiError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: msg}
}

func forbidden(msg string) error {
	return &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: msg}
}

func notFound(msg string) error {
	return &apiError{Status: http.StatusNotFound, Code: "not_found", Message: msg}
}

func conflict(msg string) error {
	return &apiError{Status: http.StatusConflict, Code: "conflict", Message: msg}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// toAPIError maps any error to the API's error table. Unknown errors become a fixed
// 500 message: their text may hold internals and is only logged.
func toAPIError(err error) (*apiError, bool) {
	var ae *apiError
	var se *store.Error
	var ve *scoring.ValidationError
	var fe *fiber.Error
	switch {
	case errors.As(err, &ae):
		return ae, true
	case errors.As(err, &se):
		switch {
		case errors.Is(se, store.ErrNotFound):
			return &apiError{Status: 404, Code: "not_found", Message: se.Message}, true
		case errors.Is(se, store.ErrConflict):
			return &apiError{Status: 409, Code: "conflict", Message: se.Message}, true
		case errors.Is(se, store.ErrInvalid):
			return &apiError{Status: 400, Code: "validation_failed", Message: se.Message, Field: se.Field}, true
		}
	case errors.As(err, &ve):
		return &apiError{Status: 400, Code: "validation_failed", Message: ve.Message, Field: "probabilities"}, true
	case errors.As(err, &fe):
		return fiberError(fe), true
	}
	return &apiError{Status: 500, Code: "internal", Message: "internal error; the request ID is in the X-Request-ID header"}, false
}

func fiberError(fe *fiber.Error) *apiError {
	switch fe.Code {
	case http.StatusRequestEntityTooLarge:
		return &apiError{Status: 413, Code: "too_large", Message: "request body is too large"}
	case http.StatusNotFound:
		return &apiError{Status: 404, Code: "not_found", Message: "no such resource"}
	case http.StatusMethodNotAllowed:
		return &apiError{Status: 405, Code: "method_not_allowed", Message: "method not allowed"}
	case http.StatusTooManyRequests:
		return &apiError{Status: 429, Code: "rate_limited", Message: "too many requests"}
	case http.StatusBadRequest:
		return &apiError{Status: 400, Code: "bad_request", Message: "bad request"}
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return &apiError{Status: fe.Code, Code: "bad_request", Message: http.StatusText(fe.Code)}
	}
	return &apiError{Status: 500, Code: "internal", Message: "internal error"}
}

// errorHandler is fiber's one error handler: every error a handler returns
// goes out in the API's Error shape.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	ae, known := toAPIError(err)
	if !known {
		s.log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", c.Path(), "err", err)
	}
	return c.Status(ae.Status).JSON(errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message, Field: ae.Field}})
}
