package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"signpost/store"
)

// schemas turns the Go types that handlers decode and encode into JSON
// Schema (draft 2020-12, as OpenAPI 3.1 uses), so the published document is
// derived from the code and cannot drift from it. It reads only json tags
// and a few documentation tags:
//
//	doc:"…"        description
//	enum:"a,b,c"   allowed values (of the items, for a slice; numbers for
//	               an integer field)
//	format:"…"     string format (date-time, date, …)
//	required:"true" a request field the handler requires
//	schema:"name"  the schema of a field whose Go type cannot say it (a
//	               json.RawMessage holding a known shape): see fieldSchema
//
// Named struct types become components ("#/components/schemas/Name", the
// type name without a DTO/Request suffix, capitalised). Responses and
// requests differ in one rule: in a response every field without
// omitempty is always present (so "required"), and pointers, which encode
// as null, are nullable; in a request only fields tagged required:"true"
// are required, and null means "absent" to the handlers.
type schemas struct {
	components map[string]map[string]any
	owner      map[string]reflect.Type
}

func newSchemas() *schemas {
	return &schemas{components: map[string]map[string]any{}, owner: map[string]reflect.Type{}}
}

// custom lets a type describe itself where reflection cannot (a value
// whose shape depends on the request, or free-form JSON).
type custom interface {
	openAPISchema(s *schemas) map[string]any
}

var (
	customType  = reflect.TypeFor[custom]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
	textType    = reflect.TypeFor[store.Text]()
)

// of returns the schema of t, as a $ref for named structs.
func (s *schemas) of(t reflect.Type, request bool) map[string]any {
	if t.Implements(customType) {
		return reflect.Zero(t).Interface().(custom).openAPISchema(s)
	}
	switch {
	case t == textType:
		// One component for localised text, so generators make one type.
		return s.named("Text", map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"},
			"description": "localised text by language code (en, zh)"})
	case t == rawJSONType:
		return map[string]any{"description": "Any JSON value"}
	case t.Kind() == reflect.Pointer:
		inner := s.of(t.Elem(), request)
		if request {
			return inner
		}
		return nullable(inner)
	case t.Kind() == reflect.Struct:
		return s.ref(t, request)
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": s.of(t.Elem(), request)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.of(t.Elem(), request)}
	}
	return scalar(t)
}

func scalar(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Interface:
		return map[string]any{}
	}
	panic(fmt.Sprintf("openapi: no schema for %s", t))
}

// nullable lets a schema also be null.
func nullable(in map[string]any) map[string]any {
	if typ, ok := in["type"].(string); ok && len(in) <= 3 {
		out := map[string]any{}
		for k, v := range in {
			out[k] = v
		}
		out["type"] = []string{typ, "null"}
		return out
	}
	return map[string]any{"anyOf": []any{in, map[string]any{"type": "null"}}}
}

// ref registers a named struct as a component and points at it.
func (s *schemas) ref(t reflect.Type, request bool) map[string]any {
	name := componentName(t)
	if prev, ok := s.owner[name]; ok {
		if prev != t {
			panic(fmt.Sprintf("openapi: %s and %s both want the component name %s", prev, t, name))
		}
	} else {
		s.owner[name] = t
		s.components[name] = nil // placeholder: breaks recursion
		s.components[name] = s.object(t, request)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// named registers a schema written by hand as the component name and
// points at it.
func (s *schemas) named(name string, schema map[string]any) map[string]any {
	if _, taken := s.owner[name]; taken {
		panic(fmt.Sprintf("openapi: %s is a type's component name", name))
	}
	s.components[name] = schema
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func componentName(t reflect.Type) string {
	n := t.Name()
	for _, suffix := range []string{"DTO", "Response"} {
		n = strings.TrimSuffix(n, suffix)
	}
	if n == "" {
		panic(fmt.Sprintf("openapi: anonymous struct %s needs a named type", t))
	}
	// The store's types reach the document only inside the archive; their
	// names say so and stay clear of the API's own (Option, …).
	if strings.HasSuffix(t.PkgPath(), "/store") && !strings.HasPrefix(n, "Archive") {
		n = "Archive" + n
	}
	r := []rune(n)
	r[0] = unicode.ToUpper(r[0])
	n = string(r)
	if renamed, ok := componentRenames[n]; ok {
		return renamed
	}
	return n
}

// componentRenames give a few components a more specific name than their
// type's, where the type's would clash with a name client generators
// keep for themselves (ogen's Option) or says too little.
var componentRenames = map[string]string{
	"Option": "QuestionOption",
}

// object is a struct's schema: one property per JSON field, embedded
// structs flattened as encoding/json does.
func (s *schemas) object(t reflect.Type, request bool) map[string]any {
	props := map[string]any{}
	var required []string
	s.fields(t, request, props, &required)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (s *schemas) fields(t reflect.Type, request bool, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		if f.Anonymous && !hasTag {
			s.fields(f.Type, request, props, required)
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		props[name] = s.field(f, request)
		omit := strings.Contains(opts, "omitempty")
		if (request && f.Tag.Get("required") == "true") || (!request && !omit) {
			*required = append(*required, name)
		}
	}
}

func (s *schemas) field(f reflect.StructField, request bool) map[string]any {
	sc := s.of(f.Type, request)
	if name := f.Tag.Get("schema"); name != "" {
		if sc = fieldSchema(s, name); sc == nil {
			panic(fmt.Sprintf("openapi: %s has an unknown schema tag %q", f.Name, name))
		}
	}
	extra := map[string]any{}
	if d := f.Tag.Get("doc"); d != "" {
		extra["description"] = d
	}
	if e := f.Tag.Get("enum"); e != "" {
		if items, isArray := sc["items"].(map[string]any); isArray {
			// A set of values: each item is one of them.
			sc = map[string]any{"type": sc["type"], "items": withEnum(items, e)}
		} else {
			extra["enum"] = withEnum(sc, e)["enum"]
		}
	}
	if fm := f.Tag.Get("format"); fm != "" {
		extra["format"] = fm
	}
	if len(extra) == 0 {
		return sc
	}
	if _, isRef := sc["$ref"]; isRef {
		// A $ref with siblings is allowed in 3.1, but some tools drop them.
		return map[string]any{"allOf": []any{sc}, "description": extra["description"]}
	}
	out := map[string]any{}
	for k, v := range sc {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// withEnum is sc restricted to the comma-separated values, typed as sc is
// (integers stay numbers), with null kept where sc allows it.
func withEnum(sc map[string]any, values string) map[string]any {
	var vals []any
	for _, v := range strings.Split(values, ",") {
		if typeIs(sc, "integer") {
			n, err := strconv.Atoi(v)
			if err != nil {
				panic(fmt.Sprintf("openapi: integer enum value %q", v))
			}
			vals = append(vals, n)
			continue
		}
		vals = append(vals, v)
	}
	if isNullable(sc) {
		vals = append(vals, nil)
	}
	out := map[string]any{}
	for k, v := range sc {
		out[k] = v
	}
	out["enum"] = vals
	return out
}

// typeIs reports whether sc's type is typ (or typ or null).
func typeIs(sc map[string]any, typ string) bool {
	switch t := sc["type"].(type) {
	case string:
		return t == typ
	case []string:
		return len(t) > 0 && t[0] == typ
	}
	return false
}

func isNullable(sc map[string]any) bool {
	ts, ok := sc["type"].([]string)
	return ok && len(ts) == 2 && ts[1] == "null"
}
