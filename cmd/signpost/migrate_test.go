package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"signpost/store"
)

// TestServeWithoutMigrating: with --migrate=false (or SIGNPOST_MIGRATE=false)
// serve refuses a database that was never migrated, naming both schema
// versions and the command to run; after `signpost migrate` the same
// configuration serves.
func TestServeWithoutMigrating(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	vars := map[string]string{"SIGNPOST_ADDR": "127.0.0.1:0", "SIGNPOST_DB": db}
	getenv := func(k string) string { return vars[k] }
	err := run(context.Background(), []string{"serve", "--migrate=false"}, getenv, nil, io.Discard, io.Discard)
	want := "schema version 0 is older than this binary's " + itoa(int64(store.SchemaVersion())) + ": run 'signpost migrate' first"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("serve --migrate=false on a new database = %v; want an error containing %q", err, want)
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"migrate"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "applied 0001_init.sql") {
		t.Fatalf("migrate printed %q; want the applied migration", out.String())
	}
	base, stop := bootServer(t, db, map[string]string{"SIGNPOST_MIGRATE": "false"})
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz = %d on a migrated database served with SIGNPOST_MIGRATE=false", resp.StatusCode)
	}
	stop()
}
