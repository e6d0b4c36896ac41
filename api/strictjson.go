package api

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"signpost/store"
)

// checkStrict refuses, before decoding, what encoding/json would otherwise
// store in some altered form: a repeated member name (it keeps the last),
// invalid UTF-8 (it substitutes U+FFFD), null inside a field's array (it
// leaves the element as it was: 0), and a top-level member name matching a
// field of dst only up to case (it matches names case-insensitively). Each
// is a 400 validation_failed naming the field. jsontext rejects the first
// two by default. Every string, member names included, must also pass
// store.CheckText (no NUL or other control characters).
func checkStrict(body []byte, dst any) error {
	known := jsonNames(reflect.TypeOf(dst))
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.ReadToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return strictError(err)
		}
		if tok.Kind() == '"' {
			if err := store.CheckText(pointerField(dec.StackPointer()), tok.String()); err != nil {
				return err
			}
		}
		depth := dec.StackDepth()
		if depth == 0 {
			continue
		}
		top, n := dec.StackIndex(1)
		switch {
		case top != '{':
		case tok.Kind() == 'n' && depth == 2:
			if inner, _ := dec.StackIndex(2); inner == '[' {
				field := pointerField(dec.StackPointer().Parent())
				return invalid(field, field+" must hold values, not null")
			}
		case tok.Kind() == '"' && depth == 1 && n%2 == 1:
			name := tok.String()
			if want, ok := known[strings.ToLower(name)]; ok && want != name {
				return invalid(name, "unknown field "+strconv.Quote(name)+"; field names are case-sensitive: "+strconv.Quote(want))
			}
		}
	}
}

// strictError turns a jsontext error into the API's: a repeated name or
// invalid UTF-8 names its field; anything else is not JSON.
func strictError(err error) error {
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		return badRequest("body is not valid JSON")
	}
	field := pointerField(se.JSONPointer)
	switch {
	case errors.Is(se.Err, jsontext.ErrDuplicateName):
		return invalid(field, field+" appears more than once")
	case strings.Contains(se.Err.Error(), "UTF-8"):
		if field == "" {
			field = "body"
		}
		return invalid(field, field+" is not valid UTF-8")
	}
	return badRequest("body is not valid JSON")
}

// pointerField writes a JSON pointer as the API names fields:
// /questions/0/slug -> questions[0].slug.
func pointerField(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// jsonNames maps the lower-cased JSON names of a struct's fields (embedded
// structs included) to the names themselves; computed once per type.
func jsonNames(t reflect.Type) map[string]string {
	if v, ok := namesByType.Load(t); ok {
		return v.(map[string]string)
	}
	names := make(map[string]string)
	addJSONNames(t, names)
	namesByType.Store(t, names)
	return names
}

var namesByType sync.Map // reflect.Type -> map[string]string

func addJSONNames(t reflect.Type, names map[string]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-":
		case f.Anonymous && tag == "":
			addJSONNames(f.Type, names)
		case f.IsExported():
			if tag == "" {
				tag = f.Name
			}
			names[strings.ToLower(tag)] = tag
		}
	}
}
