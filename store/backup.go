package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database at path into dest (which
// must not exist) while servers go on using it: VACUUM INTO reads one
// snapshot in a read transaction, so writers are not held back and the copy
// is compact and self-contained (no -wal). The copy is created 0600 and
// checked before Backup returns.
func Backup(ctx context.Context, path, dest string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f, err := os.OpenFile(dest, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		os.Remove(dest)
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		os.Remove(dest)
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := checkDatabase(ctx, dest); err != nil {
		os.Remove(dest)
		return err
	}
	return nil
}

// checkDatabase opens a database file read-only and checks it is an intact
// Signpost database this binary can run; it returns its schema version.
func checkDatabase(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&result); err != nil {
		return 0, fmt.Errorf("%s is not a readable SQLite database: %w", path, err)
	}
	if result != "ok" {
		return 0, fmt.Errorf("%s is damaged: %s", path, result)
	}
	var version int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return 0, fmt.Errorf("%s is not a Signpost database: %w", path, err)
	}
	if version > SchemaVersion() {
		return 0, fmt.Errorf("%s has schema version %d, newer than this binary's %d", path, version, SchemaVersion())
	}
	return version, nil
}

// Restore replaces the database at path with the backup at from, after
// checking the backup. The caller must make sure no process uses path (the
// command holds a lock that servers share). The copy is written beside
// path, synced, and renamed over it, so a crash leaves either database
// whole; the old -wal and -shm are removed first, as they belong to the
// old file.
func Restore(ctx context.Context, from, path string) error {
	if _, err := checkDatabase(ctx, from); err != nil {
		return err
	}
	tmp := path + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable
		d.Close()
	}
	return nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
