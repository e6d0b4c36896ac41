package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"signpost/store"
)

// backupCmd writes a consistent copy of the database while servers run.
func backupCmd(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	c, to, err := copyFlags("backup", "to", "the backup file to create (must not exist)", args, getenv, stderr)
	if err != nil {
		return err
	}
	if err := store.Backup(ctx, c.DB, to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s.\n", c.DB, to)
	return nil
}

// restoreCmd replaces the database with a backup. It refuses while a
// server uses the database: every server holds a shared lock beside it,
// and restore needs it exclusively.
func restoreCmd(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	c, from, err := copyFlags("restore", "from", "the backup file to restore", args, getenv, stderr)
	if err != nil {
		return err
	}
	unlock, err := lockDatabase(c.DB, true)
	if errors.Is(err, errDatabaseInUse) {
		return fmt.Errorf("restore: %s is in use by a running server: stop it first", c.DB)
	}
	if err != nil {
		return err
	}
	defer unlock()
	if err := store.Restore(ctx, from, c.DB); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "Restored %s from %s.\n", c.DB, from)
	return nil
}

// copyFlags parses --db and the one file flag of backup and restore.
func copyFlags(name, fileFlag, usage string, args []string, getenv env, stderr io.Writer) (config, string, error) {
	var file string
	c, fs, err := parseFlags(name, args, getenv, stderr, func(fs *flag.FlagSet, _ *config, _ *envReader) {
		fs.StringVar(&file, fileFlag, "", usage)
	})
	if err != nil {
		return c, "", err
	}
	if file == "" || fs.NArg() > 0 {
		return c, "", fmt.Errorf("usage: signpost %s --%s FILE [--db DATABASE]", name, fileFlag)
	}
	return c, file, nil
}

var errDatabaseInUse = errors.New("database in use")

// lockDatabase takes a lock beside the database: shared for a server,
// exclusive for restore. The lock is a flock on DATABASE.lock, not on the
// database file itself: closing any descriptor of the database file would
// drop the POSIX locks SQLite holds on it in this process.
// A PostgreSQL database has no file beside it and is restored with its own
// tools (pg_restore): nothing to lock.
func lockDatabase(path string, exclusive bool) (unlock func(), err error) {
	if store.IsPostgres(path) {
		return func() {}, nil
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := flock(f, exclusive); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
