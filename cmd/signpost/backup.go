package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

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
	lk, err := lockExclusively(c.DB)
	if errors.Is(err, errDatabaseInUse) {
		return fmt.Errorf("restore: %s is in use by a running server: stop it first", c.DB)
	}
	if err != nil {
		return err
	}
	defer lk.release()
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
