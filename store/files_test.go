package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestDatabaseFilesPrivate: a new database and its
// -wal and -shm hold the JWT secret and password hashes: only the owner may
// read them. ExposedFiles names files others can read.
func TestDatabaseFilesPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "private.db")
	st, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s mode %o; want 600", filepath.Base(f), mode)
		}
	}
	if exposed := ExposedFiles(path); len(exposed) != 0 {
		t.Errorf("ExposedFiles = %v; want none", exposed)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if exposed := ExposedFiles(path); len(exposed) != 1 || exposed[0] != path {
		t.Errorf("ExposedFiles after chmod 644 = %v; want the database", exposed)
	}
}
