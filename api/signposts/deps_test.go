package signposts

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the package below api: it returns plain values for
// api to translate, so it must reach neither api nor HTTP.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "signpost/api/signposts").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if d == "signpost/api" || strings.HasPrefix(d, "github.com/gofiber/") || strings.HasPrefix(d, "signpost/cmd") {
			t.Errorf("signposts depends on %s", d)
		}
	}
}
