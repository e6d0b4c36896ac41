// Package storetest gives tests a database of their own on the engine the
// run asks for: a SQLite file by default, a fresh PostgreSQL schema when
// SIGNPOST_TEST_POSTGRES_DSN names a server. It does not import store, so
// the store's own tests can use it.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// EnvDSN names the PostgreSQL server the suites also run against.
const EnvDSN = "SIGNPOST_TEST_POSTGRES_DSN"

// PostgresDSN is the PostgreSQL server tests may use, "" when none is set.
func PostgresDSN() string { return os.Getenv(EnvDSN) }

// Address returns the database address a test opens: a PostgreSQL schema
// of its own when SIGNPOST_TEST_POSTGRES_DSN is set, otherwise a SQLite
// file named name in a temporary folder.
func Address(t testing.TB, name string) string {
	t.Helper()
	if dsn := PostgresDSN(); dsn != "" {
		return Schema(t, dsn)
	}
	return filepath.Join(t.TempDir(), name)
}

// Schema creates an empty schema in the PostgreSQL database at dsn, drops
// it with everything in it when the test ends, and returns dsn with its
// connections' search_path set to it, so the test's tables live there.
func Schema(t testing.TB, dsn string) string {
	t.Helper()
	buf := make([]byte, 8)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	name := "test_" + hex.EncodeToString(buf)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("PostgreSQL %s: %v", EnvDSN, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + name + " CASCADE"); err != nil {
			t.Errorf("dropping test schema %s: %v", name, err)
		}
		db.Close()
	})
	if _, err := db.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("creating a test schema on %s: %v", EnvDSN, err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
