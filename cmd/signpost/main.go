// Command signpost runs the Signpost forecasting tournament server and its
// maintenance sub-commands.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"signpost/api"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "signpost:", err)
		os.Exit(1)
	}
}

// env is how configuration reads the environment (os.Getenv, or a map in tests).
type env func(string) string

const usage = `Usage: signpost [command] [flags]

Commands:
  serve          run the server (the default)
  admin create   create an admin account (password from stdin)
  migrate        apply database migrations and exit
  copy           copy a whole database into an empty one (SQLite <-> PostgreSQL)
  export         write a tournament's archive to stdout
  import FILE    load an archive into the database
  score FILE     print the leaderboard (or -aggregates: the aggregates board) of an archive, offline
  feeds verify   re-read every stored feed snapshot and check its hash and value
  backup --to FILE     write a consistent copy of the database (server may run)
  restore --from FILE  replace the database with a backup (server stopped)
  openapi        print the API's OpenAPI 3.1 document (as served at /api/openapi.json)
  version        print the version

Run 'signpost COMMAND -h' for a command's flags.
`

// run is the whole program, with its dependencies passed in.
func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "admin":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: signpost admin create --username NAME (password on stdin)")
		}
		return adminCreate(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout, stderr)
	case "copy":
		return copyCmd(ctx, args, getenv, stdout, stderr)
	case "export":
		return exportCmd(ctx, args, getenv, stdout, stderr)
	case "import":
		return importCmd(ctx, args, getenv, stdout, stderr)
	case "score":
		return scoreCmd(ctx, args, getenv, stdout, stderr)
	case "feeds":
		return feedsCmd(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backupCmd(ctx, args, getenv, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "signpost", version)
		return nil
	case "openapi":
		return printOpenAPI(stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// printOpenAPI writes the API document without a database: it is derived
// from the route table alone (CI lints it).
func printOpenAPI(stdout io.Writer) error {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(api.New(api.Config{Version: version}).OpenAPI())
}
