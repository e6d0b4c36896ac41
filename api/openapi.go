package api

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

var pathParam = regexp.MustCompile(`:([a-z_]+)`)

// openAPIPath turns a fiber path ("/questions/:id") into OpenAPI's form
// ("/questions/{id}").
func openAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

// OpenAPI builds the OpenAPI 3.1 document from the same route table that
// registers the handlers.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{
		"/healthz":          map[string]any{"get": operation("Liveness: 200 when the server and database answer", "", nil)},
		"/api/openapi.json": map[string]any{"get": operation("This document", "", nil)},
	}
	for _, r := range s.apiRoutes() {
		p := "/api/v1" + openAPIPath(r.path)
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		item[strings.ToLower(r.method)] = operation(r.summary, r.auth, pathParam.FindAllStringSubmatch(r.path, -1))
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Signpost API", "version": "1",
			"description": "Forecasting tournament server. Contract: API.md; scoring: SCORING.md."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
			"schemas":         schemas(),
		},
	}
}

func operation(summary, auth string, params [][]string) map[string]any {
	op := map[string]any{
		"summary": summary,
		"responses": map[string]any{
			"default": map[string]any{"description": "An error", "content": jsonContent(ref("Error"))},
			"200":     map[string]any{"description": "Success", "content": jsonContent(map[string]any{"type": "object"})},
		},
	}
	if auth != "" {
		op["security"] = []any{map[string]any{"bearer": []any{}}}
		if auth == "admin" {
			op["description"] = "Admin only."
		}
	}
	var ps []any
	for _, m := range params {
		ps = append(ps, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	if ps != nil {
		op["parameters"] = ps
	}
	return op
}

func jsonContent(schema any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if required != nil {
		o["required"] = required
	}
	return o
}

var (
	str      = map[string]any{"type": "string"}
	integer  = map[string]any{"type": "integer"}
	number   = map[string]any{"type": "number"}
	dateTime = map[string]any{"type": "string", "format": "date-time"}
	text     = map[string]any{"type": "object", "description": "Localised text keyed by language",
		"properties": map[string]any{"en": map[string]any{"type": "string"}, "zh": map[string]any{"type": "string"}}}
	probs = map[string]any{"type": "array", "items": map[string]any{"type": "number", "minimum": 0, "maximum": 1}}
)

func schemas() map[string]any {
	return map[string]any{
		"Error": obj(map[string]any{"error": obj(map[string]any{"code": str, "message": str, "field": str}, "code", "message")}, "error"),
		"User":  obj(map[string]any{"id": integer, "username": str, "display_name": str, "role": str}),
		"Tournament": obj(map[string]any{"id": integer, "slug": str, "title": text, "description": text,
			"starts_at": dateTime, "ends_at": dateTime}),
		"Question": obj(map[string]any{"id": integer, "tournament": str, "slug": str,
			"kind":  map[string]any{"enum": []string{"binary", "multiple_choice", "ordered"}},
			"title": text, "criteria": text, "options": map[string]any{"type": "array", "items": obj(map[string]any{"label": text})},
			"area": str, "opens_at": dateTime, "closes_at": dateTime,
			"state":      map[string]any{"enum": []string{"upcoming", "open", "closed", "resolved", "annulled"}},
			"resolution": map[string]any{"type": []string{"object", "null"}},
			"crowd":      map[string]any{"type": []string{"object", "null"}}}),
		"Forecast": obj(map[string]any{"id": integer, "question_id": integer, "user_id": integer,
			"probabilities": probs, "rationale": str, "created_at": dateTime}),
		"Score": obj(map[string]any{"user": ref("User"), "brier": number, "crowd_brier": number, "relative": number,
			"days_forecast": integer, "days_total": integer}),
		"Entry": obj(map[string]any{"rank": integer, "user": ref("User"), "questions": integer, "brier": number, "relative": number}),
	}
}

func (s *Server) openAPI(c *fiber.Ctx) error { return c.JSON(s.OpenAPI()) }
