package api

import (
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// operation is one API endpoint: how it is routed, who may call it, and
// the Go types of its request and response. The route table in server.go
// is a list of operations; it registers the handlers and generates the
// OpenAPI document, so the two cannot drift apart. Handlers are typed
// (see get, post, del): they receive the decoded request and return the
// response value, which this file encodes with the declared status.
type operation struct {
	method, path string // fiber path: /questions/:id
	id           string // OpenAPI operationId
	summary      string
	description  string
	tag          string
	auth         string // "", "user" or "admin"
	status       int    // success status
	in, out      reflect.Type
	media        string   // success media type; "" is application/json
	altMedia     []string // other success media types (a CSV download), as strings
	query        []queryParam
	errs         []int // error statuses beyond those derived below
	also         []int // other statuses answered with the out type
	call         func(c *fiber.Ctx) (any, error)
	raw          fiber.Handler // writes its own response (streams, cached bytes)
}

// queryParam is a documented query-string parameter.
type queryParam struct {
	name, doc string
	schema    map[string]any
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// get declares an operation without a request body answering 200 with Out.
func get[Out any](path, id, summary string, h func(c *fiber.Ctx) (Out, error)) operation {
	return operation{method: fiber.MethodGet, path: path, id: id, summary: summary, status: fiber.StatusOK,
		out: typeOf[Out](), call: func(c *fiber.Ctx) (any, error) { return h(c) }}
}

// command declares a POST without a request body answering 200 with Out:
// an action whose answer is the changed resource.
func command[Out any](path, id, summary string, h func(c *fiber.Ctx) (Out, error)) operation {
	o := get(path, id, summary, h)
	o.method = fiber.MethodPost
	return o
}

// post declares an operation with a JSON body In answering 200 with Out
// (created() makes it 201).
func post[In, Out any](path, id, summary string, h func(c *fiber.Ctx, in *In) (Out, error)) operation {
	return withBody(fiber.MethodPost, path, id, summary, h)
}

// patch is post for partial updates.
func patch[In, Out any](path, id, summary string, h func(c *fiber.Ctx, in *In) (Out, error)) operation {
	return withBody(fiber.MethodPatch, path, id, summary, h)
}

func withBody[In, Out any](method, path, id, summary string, h func(c *fiber.Ctx, in *In) (Out, error)) operation {
	return operation{method: method, path: path, id: id, summary: summary, status: fiber.StatusOK,
		in: typeOf[In](), out: typeOf[Out](), call: func(c *fiber.Ctx) (any, error) {
			var in In
			if err := decode(c, &in); err != nil {
				return nil, err
			}
			return h(c, &in)
		}}
}

// action declares an operation with no request and no response body
// (204), such as a DELETE.
func action(method, path, id, summary string, h func(c *fiber.Ctx) error) operation {
	return operation{method: method, path: path, id: id, summary: summary, status: fiber.StatusNoContent,
		call: func(c *fiber.Ctx) (any, error) { return nil, h(c) }}
}

// customOp declares an operation whose handler writes its own response (a
// stream, or bytes encoded once and cached), documented as Out with the
// given media type. The validation test holds such handlers to Out too.
func customOp[Out any](method, path, id, summary, media string, h fiber.Handler) operation {
	return operation{method: method, path: path, id: id, summary: summary, status: fiber.StatusOK,
		out: typeOf[Out](), media: media, raw: h}
}

func (o operation) user() operation    { o.auth = "user"; return o }
func (o operation) admin() operation   { o.auth = "admin"; return o }
func (o operation) created() operation { o.status = fiber.StatusCreated; return o }

// alsoMedia documents another media type of the success answer, such as
// text/csv for a download of the same data.
func (o operation) alsoMedia(media string) operation {
	o.altMedia = append(slices.Clone(o.altMedia), media)
	return o
}

// body declares a JSON request body for a custom operation.
func (o operation) body(t reflect.Type) operation { o.in = t; return o }

func (o operation) describe(d string) operation { o.description = d; return o }

func (o operation) tagged(tag string) operation { o.tag = tag; return o }

// alsoAnswers documents another status whose body is the out type too.
func (o operation) alsoAnswers(codes ...int) operation {
	o.also = append(slices.Clone(o.also), codes...)
	return o
}

// errors adds error statuses the handler can answer beyond the derived ones.
func (o operation) errors(codes ...int) operation {
	o.errs = append(slices.Clone(o.errs), codes...)
	return o
}

// withQuery documents a query parameter of type typ ("string", "integer",
// "boolean"), optionally restricted to enum values.
func (o operation) withQuery(name, typ, doc string, enum ...string) operation {
	sc := map[string]any{"type": typ}
	if len(enum) > 0 {
		sc["enum"] = enum
	}
	o.query = append(slices.Clone(o.query), queryParam{name: name, doc: doc, schema: sc})
	return o
}

// handler is the fiber handler: the typed call, then the encoding of its
// answer with the declared status.
func (o operation) handler() fiber.Handler {
	if o.raw != nil {
		return o.raw
	}
	status, call := o.status, o.call
	return func(c *fiber.Ctx) error {
		out, err := call(c)
		if err != nil {
			return err
		}
		if status == fiber.StatusNoContent {
			return c.SendStatus(status)
		}
		return c.Status(status).JSON(out)
	}
}

var pathParam = regexp.MustCompile(`:([a-z_]+)`)

// openAPIPath turns a fiber path ("/questions/:id") into OpenAPI's form
// ("/questions/{id}").
func openAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

// pathParams are the names of a path's parameters, in order.
func pathParams(p string) []string {
	var names []string
	for _, m := range pathParam.FindAllStringSubmatch(p, -1) {
		names = append(names, m[1])
	}
	return names
}

// errorStatuses are the error answers an operation can give: derived from
// what it declares, plus its own.
func (o operation) errorStatuses() []int {
	var codes []int
	if o.tagOf() != "system" {
		codes = append(codes, fiber.StatusUnauthorized) // a bad token is 401 on every API route
	}
	if o.in != nil || len(o.query) > 0 {
		codes = append(codes, fiber.StatusBadRequest)
	}
	codes = append(codes, fiber.StatusRequestEntityTooLarge) // limitBody guards every route
	// Admin routes refuse other roles; any signed-in write refuses a
	// read-scoped API token.
	if o.auth == "admin" || (o.auth != "" && o.method != fiber.MethodGet) {
		codes = append(codes, fiber.StatusForbidden)
	}
	if strings.Contains(o.path, ":") {
		codes = append(codes, fiber.StatusNotFound)
	}
	codes = append(codes, o.errs...)
	slices.Sort(codes)
	return slices.Compact(codes)
}

// tagOf groups operations by their first path segment.
func (o operation) tagOf() string {
	if o.tag != "" {
		return o.tag
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(o.path, "/"), "/")
	return seg
}
