package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection enforces the layering: scoring uses only the standard
// library, store reaches no package of the API, the API's service packages
// (signpost/api/<x>) know neither the HTTP layer nor fiber, and api never
// reaches cmd.
func TestImportDirection(t *testing.T) {
	list := func(args ...string) []string {
		t.Helper()
		out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
		if err != nil {
			t.Skipf("go list unavailable: %v", err)
		}
		return strings.Fields(string(out))
	}
	deps := func(pkg string) []string { return list("-deps", pkg) }
	for _, d := range deps("signpost/scoring") {
		if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") || (strings.HasPrefix(d, "signpost/") && d != "signpost/scoring") {
			t.Errorf("scoring depends on %s; it may use only the standard library", d)
		}
	}
	for _, d := range deps("signpost/store") {
		if d == "signpost/api" || strings.HasPrefix(d, "signpost/api/") || d == "signpost/frontend" || strings.HasPrefix(d, "signpost/cmd") {
			t.Errorf("store depends on %s", d)
		}
	}
	for _, d := range deps("signpost/api") {
		if strings.HasPrefix(d, "signpost/cmd") {
			t.Errorf("api depends on %s", d)
		}
	}
	services := 0
	for _, pkg := range list("signpost/api/...") {
		if pkg == "signpost/api" {
			continue
		}
		services++
		for _, d := range deps(pkg) {
			if !serviceMayUse(d) {
				t.Errorf("%s depends on %s; a service package under api may use store, scoring, other services and libraries other than fiber", pkg, d)
			}
		}
	}
	if services == 0 {
		t.Error("no service package under api: go list signpost/api/... found only api")
	}
}

// serviceMayUse reports whether a package under api (not api itself) may
// depend on d: not on the HTTP layer (api, fiber) it serves, nor on
// anything above it.
func serviceMayUse(d string) bool {
	switch {
	case d == "signpost/api", strings.HasPrefix(d, "github.com/gofiber/fiber"):
		return false
	case strings.HasPrefix(d, "signpost/"):
		return strings.HasPrefix(d, "signpost/api/") || strings.HasPrefix(d, "signpost/store") || d == "signpost/scoring"
	}
	return true
}
