package scoring

import (
	"go/build"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps scoring at the bottom of the import graph
// (the package documentation says why): the standard library only, no I/O, and no clock, so that
// every result is a function of the arguments.
func TestStandardLibraryOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"log", "log/slog", "database/sql", "net/http", "os", "sync"}
	for _, path := range pkg.Imports {
		dep, err := build.Import(path, ".", build.FindOnly)
		if err != nil {
			t.Fatalf("import %q: %v", path, err)
		}
		if !dep.Goroot {
			t.Errorf("scoring imports %q, which is not in the standard library", path)
		}
		if slices.Contains(forbidden, path) {
			t.Errorf("scoring imports %q; it must stay pure", path)
		}
	}
	for _, name := range pkg.GoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "time.Now") {
			t.Errorf("%s reads the clock; take the time as an argument", name)
		}
	}
}
