package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"signpost/store"
)

func adminCreate(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	var username, display string
	c, _, err := parseFlags("admin create", args, getenv, stderr, func(fs *flag.FlagSet, _ *config, _ *envReader) {
		fs.StringVar(&username, "username", "", "the admin's username (required)")
		fs.StringVar(&display, "display-name", "", "display name (default: the username)")
	})
	if err != nil {
		return err
	}
	if username == "" {
		return errors.New("admin create: --username is required; the password is read from stdin")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	u, err := store.NewAccount(username, password, display, store.RoleAdmin, c.BcryptCost)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c, beside)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created admin account %q.\n", u.Username)
	return nil
}

func migrate(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	c, _, err := parseFlags("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	c.Migrate = true
	db, err := openStore(ctx, c, alone)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, name := range db.applied {
		fmt.Fprintln(stdout, "applied", name)
	}
	fmt.Fprintf(stdout, "schema is at version %d\n", store.SchemaVersion())
	return nil
}
