package store

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// releasedSums is the committed list of released migrations.
const releasedSums = "migrations/released.sum"

// TestReleasedMigrationsUnchanged holds every migration to the checksum
// released.sum records for the SQL it executes on each database: a database
// records a migration as applied once, so an edit would reach only new
// databases and leave the others on a schema no test has seen.
func TestReleasedMigrationsUnchanged(t *testing.T) {
	released, order := readReleasedSums(t)
	latest := 0
	for _, key := range order {
		_, name, _ := strings.Cut(key, "/")
		v, err := migrationVersion(name)
		if err != nil {
			t.Fatalf("%s: %s: %v", releasedSums, key, err)
		}
		latest = max(latest, v)
	}
	for _, d := range []*dialect{sqliteDialect, postgresDialect} {
		ms, err := loadMigrations(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			key := d.name + "/" + m.name
			sum := sha256.Sum256([]byte(m.sql))
			got := hex.EncodeToString(sum[:])
			want, ok := released[key]
			delete(released, key)
			switch {
			case !ok && m.version <= latest:
				t.Errorf("%s is new but numbered at or below the latest released migration (%d): "+
					"databases already past that version would never run it; number it above %d", key, latest, latest)
			case !ok:
				t.Errorf("%s is not in %s. When the migration is ready, append its line in the same commit:\n%s  %s",
					key, releasedSums, got, key)
			case got != want:
				t.Errorf("%s executes SQL with SHA-256 %s; %s records %s.\n"+
					"A released migration never changes: databases that applied it would never run the edit. "+
					"Restore it and write the change as a new migration (only one not yet released, "+
					"added on this branch, may be edited, with its line).", key, got, releasedSums, want)
			}
		}
	}
	for _, key := range order {
		if _, gone := released[key]; gone {
			t.Errorf("%s is listed in %s but no longer exists: a released migration is never removed", key, releasedSums)
		}
	}
}

// readReleasedSums reads released.sum: "sha256  dialect/name" lines in
// `sha256sum` format, with # comments.
func readReleasedSums(t *testing.T) (sums map[string]string, order []string) {
	t.Helper()
	f, err := os.Open(releasedSums)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums = map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, key, ok := strings.Cut(line, "  ")
		if _, err := hex.DecodeString(sum); !ok || err != nil || len(sum) != sha256.Size*2 {
			t.Fatalf("%s:%d: want \"<sha256>  <dialect>/<name>\", got %q", releasedSums, n, line)
		}
		if _, dup := sums[key]; dup {
			t.Fatalf("%s:%d: %s listed twice", releasedSums, n, key)
		}
		sums[key] = sum
		order = append(order, key)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(order) == 0 {
		t.Fatalf("%s lists no migrations", releasedSums)
	}
	return sums, order
}
