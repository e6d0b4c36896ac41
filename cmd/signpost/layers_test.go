package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection enforces the layering: scoring uses only the standard
// library, store never reaches api, and api never reaches cmd.
func TestImportDirection(t *testing.T) {
	deps := func(pkg string) []string {
		t.Helper()
		out, err := exec.Command("go", "list", "-deps", "signpost/"+pkg).Output()
		if err != nil {
			t.Skipf("go list unavailable: %v", err)
		}
		return strings.Fields(string(out))
	}
	for _, d := range deps("scoring") {
		if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") || (strings.HasPrefix(d, "signpost/") && d != "signpost/scoring") {
			t.Errorf("scoring depends on %s; it may use only the standard library", d)
		}
	}
	for _, d := range deps("store") {
		if d == "signpost/api" || d == "signpost/frontend" || strings.HasPrefix(d, "signpost/cmd") {
			t.Errorf("store depends on %s", d)
		}
	}
	for _, d := range deps("api") {
		if strings.HasPrefix(d, "signpost/cmd") {
			t.Errorf("api depends on %s", d)
		}
	}
}
