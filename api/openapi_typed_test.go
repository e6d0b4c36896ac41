package api

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
)

// TestOpenAPISchemasTyped keeps the document usable by typed client
// generators (ogen, oapi-codegen, openapi-typescript): every schema in it,
// down to each property, array item and map value, says what it is (a
// type, a reference, a composition or an enum), so no generated field is
// "any JSON value"; anyOf only makes a schema nullable (generators refuse
// or loosen other anyOfs: a choice is a oneOf); component names stay clear
// of the generators' own types; every operation is described.
func TestOpenAPISchemasTyped(t *testing.T) {
	raw, err := json.Marshal(New(Config{Version: "dev"}).OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var problems []string
	components := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, sc := range components {
		problems = append(problems, untyped("#/components/schemas/"+name, sc)...)
		if generatorNames[name] {
			problems = append(problems, fmt.Sprintf("component %s: a client generator keeps this name for its own type", name))
		}
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			op := op.(map[string]any)
			at := method + " " + path
			if d, _ := op["description"].(string); d == "" {
				problems = append(problems, at+": no description")
			}
			if body, ok := op["requestBody"].(map[string]any); ok {
				problems = append(problems, untypedContent(at+" request", body)...)
			}
			for status, res := range op["responses"].(map[string]any) {
				problems = append(problems, untypedContent(at+" "+status, res.(map[string]any))...)
			}
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				p := p.(map[string]any)
				problems = append(problems, untyped(fmt.Sprintf("%s parameter %v", at, p["name"]), p["schema"])...)
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// generatorNames are names client generators give their own types, which a
// component of the same name breaks (ogen's Option[T] helpers, and the
// names every generator derives for requests and errors).
var generatorNames = map[string]bool{"Option": true, "Opt": true, "Nil": true, "OptNil": true, "Client": true,
	"Server": true, "Handler": true, "Response": true, "Request": true}

func untypedContent(at string, withContent map[string]any) []string {
	content, _ := withContent["content"].(map[string]any)
	var out []string
	for media, m := range content {
		out = append(out, untyped(at+" "+media, m.(map[string]any)["schema"])...)
	}
	return out
}

// untyped lists the places in schema sc (at) that say nothing of their
// value.
func untyped(at string, sc any) []string {
	s, ok := sc.(map[string]any)
	if !ok {
		return []string{at + ": not a schema"}
	}
	var out []string
	typed := false
	for _, k := range []string{"type", "$ref", "allOf", "anyOf", "oneOf", "enum", "const"} {
		if _, ok := s[k]; ok {
			typed = true
		}
	}
	if !typed {
		out = append(out, at+": untyped (no type, $ref, composition or enum)")
	}
	if anyOf, ok := s["anyOf"].([]any); ok && !nullableAnyOf(anyOf) {
		out = append(out, at+": anyOf other than one schema or null; use oneOf")
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		out = append(out, untyped(at+"."+name, p)...)
	}
	if items, ok := s["items"]; ok {
		out = append(out, untyped(at+"[]", items)...)
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		out = append(out, untyped(at+"{}", ap)...)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		members, _ := s[k].([]any)
		for i, m := range members {
			out = append(out, untyped(fmt.Sprintf("%s.%s[%d]", at, k, i), m)...)
		}
	}
	return out
}

func nullableAnyOf(members []any) bool {
	if len(members) != 2 {
		return false
	}
	second, _ := members[1].(map[string]any)
	return len(second) == 1 && second["type"] == "null"
}
