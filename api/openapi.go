package api

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// tagDocs describe the groups of operations in the document.
var tagDocs = map[string]string{
	"auth":        "Accounts: register and sign in. Tokens are HS256 JWTs sent as 'Authorization: Bearer <token>'.",
	"me":          "The signed-in user: profile, teams, own scores and calibration.",
	"tournaments": "Tournaments, their questions, leaderboards, teams, archives and audit trail.",
	"questions":   "Questions: forecasts, the crowd, resolution and scores.",
	"admin":       "Administration across tournaments.",
	"users":       "Forecasters' public profiles.",
	"signposts":   "Signposts: what the indicators imply about the scenarios (board, pulse, coherence).",
	"system":      "Liveness and this document.",
	"mail":        "The links in e-mails: reaffirm a standing forecast, unsubscribe in one click.",
}

// pathParamSchemas types path parameters by name: IDs are positive integers.
var pathParamSchemas = map[string]map[string]any{
	"id":       {"type": "integer", "format": "int64", "minimum": 1},
	"user_id":  {"type": "integer", "format": "int64", "minimum": 1},
	"link_id":  {"type": "integer", "format": "int64", "minimum": 1},
	"slug":     {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
	"username": {"type": "string"},
}

// OpenAPI builds the OpenAPI 3.1 document from the route table.
func (s *Server) OpenAPI() map[string]any {
	sc := newSchemas()
	paths := map[string]any{}
	tags := map[string]bool{}
	for _, o := range s.systemRoutes() {
		addOperation(paths, sc, "", o)
		tags[o.tagOf()] = true
	}
	for _, o := range s.apiRoutes() {
		addOperation(paths, sc, "/api/v1", o)
		tags[o.tagOf()] = true
	}
	sc.of(typeOf[errorBody](), false)
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "Signpost API",
			"version": "1",
			"description": "Signpost is a forecasting tournament server. Forecasters submit probabilities on " +
				"scenario and indicator questions; the server scores them with time-averaged Brier scores " +
				"relative to the crowd median (rules: `go doc signpost/scoring`, or the web UI's rules page). " +
				"Every error answers with the Error schema: a stable `code`, a human `message` and, for " +
				"validation errors, the `field`.",
			"license": map[string]any{"name": "MIT", "identifier": "MIT"},
			"contact": map[string]any{"name": "The Signpost maintainers: see the README of the server's source"},
		},
		"servers":  []any{map[string]any{"url": "/", "description": "The server that serves this document"}},
		"security": []any{map[string]any{}, map[string]any{"bearer": []any{}}},
		"tags":     tagList(tags),
		"paths":    paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"bearerFormat": "JWT", "description": "A token from /api/v1/auth/login or /api/v1/auth/register."}},
			"schemas": sc.components,
		},
	}
}

func tagList(used map[string]bool) []any {
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = map[string]any{"name": n, "description": tagDocs[n]}
	}
	return out
}

func addOperation(paths map[string]any, sc *schemas, prefix string, o operation) {
	p := prefix + openAPIPath(o.path)
	item, _ := paths[p].(map[string]any)
	if item == nil {
		item = map[string]any{}
		paths[p] = item
	}
	item[strings.ToLower(o.method)] = o.document(sc)
}

// document is the operation's OpenAPI object.
func (o operation) document(sc *schemas) map[string]any {
	op := map[string]any{
		"operationId": o.id,
		"summary":     o.summary,
		"tags":        []string{o.tagOf()},
		"responses":   o.responses(sc),
	}
	if o.auth != "" {
		op["security"] = []any{map[string]any{"bearer": []any{}}}
	}
	access := accessDocs[o.auth]
	if o.tagOf() == "system" {
		access = "Served outside /api/v1; no user token."
	}
	op["description"] = strings.TrimSpace(access + " " + o.description)
	var params []any
	for _, name := range pathParams(o.path) {
		params = append(params, map[string]any{"name": name, "in": "path", "required": true,
			"schema": pathParamSchemas[name]})
	}
	for _, q := range o.query {
		params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.doc, "schema": q.schema})
	}
	if params != nil {
		op["parameters"] = params
	}
	if o.in != nil {
		op["requestBody"] = map[string]any{"required": true,
			"content": map[string]any{"application/json": map[string]any{"schema": sc.of(o.in, true)}}}
	}
	return op
}

func (o operation) responses(sc *schemas) map[string]any {
	ok := map[string]any{"description": http.StatusText(o.status)}
	if o.out != nil {
		media := o.media
		if media == "" {
			media = fiber.MIMEApplicationJSON
		}
		content := map[string]any{media: map[string]any{"schema": sc.of(o.out, false)}}
		for _, m := range o.altMedia {
			content[m] = map[string]any{"schema": map[string]any{"type": "string"}}
		}
		ok["content"] = content
	}
	out := map[string]any{strconv.Itoa(o.status): ok}
	for _, code := range o.also {
		alt := map[string]any{"description": http.StatusText(code), "content": ok["content"]}
		out[strconv.Itoa(code)] = alt
	}
	for _, code := range o.errorStatuses() {
		out[strconv.Itoa(code)] = map[string]any{"description": errorDocs[code],
			"content": map[string]any{"application/json": map[string]any{"schema": sc.of(typeOf[errorBody](), false)}}}
	}
	return out
}

// accessDocs open each operation's description: who may call it.
var accessDocs = map[string]string{
	"":      "Open to anyone; a token, when sent, must be valid.",
	"user":  "Signed-in callers only (a bearer token).",
	"admin": "Admin only.",
}

// errorDocs say when each error status is answered.
var errorDocs = map[int]string{
	400: "The request is malformed (bad_request) or a field is invalid (validation_failed, with the field).",
	401: "No valid token where one is required, or a present token is invalid or expired (unauthorized).",
	403: "The token's user lacks the role (forbidden).",
	404: "No such resource (not_found).",
	409: "The resource's state does not allow this (conflict).",
	413: "The request body is too large (too_large).",
	422: "The request is well-formed but cannot be processed (unprocessable).",
	429: "Too many attempts; retry after the Retry-After header's seconds (rate_limited).",
}

// openAPIDocument is the served document's type (free-form: it is the
// OpenAPI 3.1 document itself).
type openAPIDocument map[string]any

func (openAPIDocument) openAPISchema(*schemas) map[string]any {
	return map[string]any{"type": "object", "description": "An OpenAPI 3.1 document"}
}

// openAPI serves the document, built once: the route table is fixed.
func (s *Server) openAPI(*fiber.Ctx) (openAPIDocument, error) { return s.doc(), nil }
