package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"signpost/api"
	"signpost/api/crowd"
	"signpost/scoring"
	"signpost/store"
)

// dbCommand parses a sub-command's flags (the database ones plus extra) and
// opens the store.
func dbCommand(ctx context.Context, name string, need access, args []string, getenv env, stderr io.Writer,
	extra func(*flag.FlagSet, *config, *envReader)) (*database, *flag.FlagSet, config, error) {
	c, fs, err := parseFlags(name, args, getenv, stderr, extra)
	if err != nil {
		return nil, nil, c, err
	}
	st, err := openStore(ctx, c, need)
	return st, fs, c, err
}

func exportCmd(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var slug string
	st, _, _, err := dbCommand(ctx, "export", beside, args, getenv, stderr, func(fs *flag.FlagSet, _ *config, _ *envReader) {
		fs.StringVar(&slug, "tournament", store.DefaultTournamentSlug, "the tournament's slug")
	})
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := st.FindTournamentBySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("export: tournament %q: %w", slug, err)
	}
	return st.Export(ctx, t.ID, stdout)
}

func importCmd(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	st, fs, c, err := dbCommand(ctx, "import", alone, args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	if fs.NArg() != 1 {
		return errors.New("usage: signpost import [flags] FILE")
	}
	return importFile(ctx, st.Store, fs.Arg(0), c, stdout, stderr)
}

// importFile imports an archive file, telling stderr how far it is.
func importFile(ctx context.Context, st *store.Store, path string, c config, stdout, stderr io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	counts, err := st.ImportStream(ctx, bufio.NewReaderSize(f, 1<<16), store.ImportOptions{Now: c.Now(),
		Hash: store.Hasher(c.BcryptCost), Progress: progressPrinter(stderr, c.Now)})
	if err != nil {
		var se *store.Error
		if errors.As(err, &se) && se.Field != "" {
			return fmt.Errorf("import rejected, nothing stored: %s (at %s)", se.Message, se.Field)
		}
		return fmt.Errorf("import rejected, nothing stored: %w", err)
	}
	fmt.Fprintf(stdout, "Imported %d users, %d questions, %d forecasts.\n", counts.Users, counts.Questions, counts.Forecasts)
	fmt.Fprintln(stderr, "import: saving the crowds for the next start")
	crowd.SaveAll(ctx, st, slog.New(slog.NewTextHandler(stderr, nil)), c.Now())
	return nil
}

// progressPrinter prints an import's progress at most once a second, and
// the first report of each phase: "read and checked" while the document is
// read, then "published". now is the clock the pace is kept with.
func progressPrinter(w io.Writer, now func() time.Time) func(phase string, forecasts int64) {
	var last time.Time
	var lastPhase string
	return func(phase string, forecasts int64) {
		t := now()
		if phase == lastPhase && t.Sub(last) < time.Second {
			return
		}
		last, lastPhase = t, phase
		what := "read and checked"
		if phase == "published" {
			what = "published"
		}
		fmt.Fprintf(w, "import: %d forecasts %s\n", forecasts, what)
	}
}

// scoreCmd recomputes an archive's leaderboard with no server: it imports
// the archive into a throwaway database and runs the very code the server
// runs, so a published leaderboard can be checked against its export.
func scoreCmd(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	byTeam := fs.Bool("teams", false, "print the team leaderboard")
	asJSON := fs.Bool("json", false, "print JSON as the API serves it")
	aggregates := fs.Bool("aggregates", false, "print the aggregates board: each aggregate of the crowd scored as a forecaster")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: signpost score [-teams | -aggregates] [-json] ARCHIVE.json")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	dir, err := os.MkdirTemp("", "signpost-score-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	c := config{DB: filepath.Join(dir, "score.db"), Migrate: true, Now: time.Now}
	st, err := openStore(ctx, c, alone)
	if err != nil {
		return err
	}
	defer st.Close()
	noPasswords := func(string) (string, error) { return "!", nil }
	counts, err := st.ImportReader(ctx, bufio.NewReaderSize(f, 1<<16), c.Now(), 0, noPasswords)
	if err != nil {
		return fmt.Errorf("the archive is invalid: %w", err)
	}
	t, err := st.FindTournamentBySlug(ctx, counts.Tournament)
	if err != nil {
		return err
	}
	if *aggregates {
		return printAggregates(ctx, st.Store, t, *asJSON, stdout)
	}
	lb, err := st.Leaderboards(ctx, t.ID, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(api.LeaderboardBody(lb, *byTeam))
	}
	printBoard(stdout, lb, *byTeam)
	return nil
}

func printBoard(w io.Writer, lb store.Leaderboards, byTeam bool) {
	fmt.Fprintf(w, "%-5s %-32s %9s %12s %12s\n", "rank", "name", "questions", "brier", "relative")
	if byTeam {
		for _, e := range lb.Teams {
			fmt.Fprintf(w, "%-5d %-32s %9d %12.6f %12.6f\n", e.Rank, e.TeamName, e.Questions, e.Brier, e.Relative)
		}
		return
	}
	for _, e := range lb.Users {
		fmt.Fprintf(w, "%-5d %-32s %9d %12.6f %12.6f\n", e.Rank, e.User.Username, e.Questions, e.Brier, e.Relative)
	}
}

// printAggregates prints the tournament's aggregates board, from the very
// evaluation the server runs (store.EvaluateAggregates).
func printAggregates(ctx context.Context, st *store.Store, t store.Tournament, asJSON bool, w io.Writer) error {
	current, err := scoring.ParseAggregate(t.CrowdAggregate)
	if err != nil {
		return err
	}
	_, scores, err := st.EvaluateAggregates(ctx, t.ID)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(w).Encode(api.AggregatesBody(current, scores))
	}
	board := scoring.AggregateBoard(scores)
	fmt.Fprintf(w, "%-16s %9s %12s %12s %27s\n", "aggregate", "questions", "brier", "relative", "interval")
	for a, c := range board {
		fmt.Fprintf(w, "%-16s %9d %12.6f %12.6f   [%+.6f, %+.6f]\n", scoring.Aggregates[a], c.Questions, c.Brier, c.Relative, c.Low, c.High)
	}
	recommended := "none (no aggregate beats the median by more than its interval)"
	if a, ok := scoring.Recommend(board); ok {
		recommended = a.String()
	}
	fmt.Fprintf(w, "crowd: %v; recommended: %s\n", current, recommended)
	return nil
}
