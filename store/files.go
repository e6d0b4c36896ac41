package store

import (
	"errors"
	"io/fs"
	"os"
)

// createPrivate creates the database file with mode 0600 when it does not
// exist: it holds the JWT secret and password hashes. SQLite gives the -wal
// and -shm files the main file's mode, so they follow.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// ExposedFiles lists the database's files (main, -wal, -shm) that users
// other than the owner can read, so that start-up can warn about them.
func ExposedFiles(path string) []string {
	var out []string
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(f); err == nil && fi.Mode().Perm()&0o044 != 0 {
			out = append(out, f)
		}
	}
	return out
}
