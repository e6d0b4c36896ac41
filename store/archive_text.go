package store

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// checkArchiveText applies CheckText to every string of an archive's head
// (tournament, questions, users, teams, links: the forecasts are checked
// one by one as they stream), and CheckName to team names (display names
// pass NormalizeDisplayName in planHead), so an import stores no text the
// API would have refused. Errors name the field as the archive does:
// questions[3].title.en.
func checkArchiveText(a *Archive) error {
	parts := []struct {
		name string
		v    any
	}{{"tournament", a.Tournament}, {"questions", a.Questions}, {"users", a.Users}, {"teams", a.Teams}, {"links", a.Links}}
	for _, p := range parts {
		if err := walkText(p.name, reflect.ValueOf(p.v)); err != nil {
			return err
		}
	}
	for i, t := range a.Teams {
		if err := CheckName("teams["+strconv.Itoa(i)+"].name", t.Name); err != nil {
			return err
		}
	}
	return nil
}

// walkText checks every string reachable from v; raw JSON ([]byte) is
// left alone.
func walkText(path string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		return CheckText(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkText(path, v.Elem())
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		for i := range v.Len() {
			if err := walkText(path+"["+strconv.Itoa(i)+"]", v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			if k.Kind() == reflect.String {
				if err := CheckText(path, k.String()); err != nil {
					return err
				}
			}
			if err := walkText(path+"."+k.String(), v.MapIndex(k)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				name = f.Name
			}
			if err := walkText(path+"."+name, v.Field(i)); err != nil {
				return err
			}
		}
	}
	return nil
}
