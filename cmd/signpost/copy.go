package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"signpost/store"
)

// copyCmd moves a whole database into another, empty one: from a SQLite
// file to PostgreSQL (or back). The destination is migrated first; the
// source must already be at this binary's schema version.
func copyCmd(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var from, to string
	var strip bool
	c, fs, err := parseFlags("copy", args, getenv, stderr, func(fs *flag.FlagSet, _ *config, _ *envReader) {
		fs.StringVar(&from, "from", "", "the database to copy: a SQLite file or a postgres:// address")
		fs.StringVar(&to, "to", "", "the empty database to copy into: a postgres:// address or a SQLite file")
		fs.BoolVar(&strip, "strip-nul", false, "remove NUL characters from text bound for PostgreSQL, which cannot store them, "+
			"instead of refusing (each value changed is listed)")
	})
	if err != nil {
		return err
	}
	if from == "" || to == "" || fs.NArg() > 0 {
		return errors.New("usage: signpost copy --from FILE.db --to postgres://user:password@host/database (or back)")
	}
	src, err := store.Open(ctx, from, storeOptions(c))
	if err != nil {
		return err
	}
	defer src.Close()
	c.DB, c.Migrate = to, true
	dst, err := openStore(ctx, c, alone)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := store.CopyWith(ctx, src, dst.Store, store.CopyOptions{StripNUL: strip,
		Stripped: func(table, column string, key any) {
			fmt.Fprintf(stderr, "removed NUL from %s.%s of the row %v\n", table, column, key)
		}})
	var nul *store.NULError
	if errors.As(err, &nul) {
		return fmt.Errorf("%w; run the copy again with --strip-nul to remove such characters", err)
	}
	if err != nil {
		return err
	}
	tables := make([]string, 0, len(counts))
	for t := range counts {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		fmt.Fprintf(stdout, "%-15s %d\n", t, counts[t])
	}
	fmt.Fprintf(stdout, "copied %s to %s\n", displayDB(from), displayDB(to))
	return nil
}
