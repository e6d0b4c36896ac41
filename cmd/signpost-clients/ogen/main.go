// Command ogen drives a live Signpost server through a client that ogen
// generated from the server's own OpenAPI document (into ./gen, not kept in
// the repository; see .ci/clients.sh): register, login, a forecast, the
// admin's resolution, a leaderboard page and comments. It fails on any
// answer the flow does not expect.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ogen-go/ogen/ogenerrors"

	"signpost-clients/ogen/gen"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "ogen client:", err)
		os.Exit(1)
	}
	fmt.Println("ogen client: register, login, forecast, resolve, leaderboard, comments: ok")
}

// token is a security source holding a bearer token; empty, the request
// goes without one.
type token struct{ value string }

func (t *token) Bearer(context.Context, gen.OperationName) (gen.Bearer, error) {
	if t.value == "" {
		return gen.Bearer{}, ogenerrors.ErrSkipClientSecurity
	}
	return gen.Bearer{Token: t.value}, nil
}

func client(base string, t *token) (*gen.Client, error) { return gen.NewClient(base, t) }

func run(ctx context.Context) error {
	base := os.Getenv("SIGNPOST_URL")
	name := "ogen" + time.Now().UTC().Format("150405")
	userTok, adminTok := &token{}, &token{}
	user, err := client(base, userTok)
	if err != nil {
		return err
	}
	admin, err := client(base, adminTok)
	if err != nil {
		return err
	}

	if _, err := want[*gen.Auth](user.Register(ctx, &gen.RegisterRequest{Username: name, Password: "a-long-password"})); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	auth, err := want[*gen.Auth](user.Login(ctx, &gen.LoginRequest{Username: name, Password: "a-long-password"}))
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	userTok.value = auth.Token
	adminAuth, err := want[*gen.Auth](admin.Login(ctx, &gen.LoginRequest{
		Username: os.Getenv("SIGNPOST_ADMIN_USERNAME"), Password: os.Getenv("SIGNPOST_ADMIN_PASSWORD")}))
	if err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	adminTok.value = adminAuth.Token

	now := time.Now().UTC()
	t, err := want[*gen.Tournament](admin.CreateTournament(ctx, &gen.TournamentRequest{Slug: name,
		Title: gen.Text{"en": "Client check " + name}, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour)}))
	if err != nil {
		return fmt.Errorf("create tournament: %w", err)
	}
	q, err := want[*gen.Question](admin.CreateQuestion(ctx, &gen.QuestionRequest{
		Slug: gen.NewOptString("rain"), Kind: gen.NewOptQuestionRequestKind(gen.QuestionRequestKindBinary),
		Title: gen.NewOptText(gen.Text{"en": "Will it rain?"}), Criteria: gen.NewOptText(gen.Text{"en": "Yes if it rains."}),
		OpensAt: gen.NewOptDateTime(now.Add(-time.Hour)), ClosesAt: gen.NewOptDateTime(now.Add(24 * time.Hour)),
	}, gen.CreateQuestionParams{Slug: t.Slug}))
	if err != nil {
		return fmt.Errorf("create question: %w", err)
	}

	f, err := want[*gen.Forecast](user.CreateForecast(ctx, &gen.ForecastRequest{Probability: gen.NewOptFloat64(0.7)},
		gen.CreateForecastParams{ID: q.ID}))
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	if len(f.Probabilities) != 2 || f.CreatedAt.IsZero() {
		return fmt.Errorf("forecast: got %+v", f)
	}
	seen, err := want[*gen.Question](user.GetQuestion(ctx, gen.GetQuestionParams{ID: q.ID}))
	if err != nil {
		return fmt.Errorf("get question: %w", err)
	}
	if mine, ok := seen.MyForecast.Get(); !ok || mine.ID != f.ID {
		return fmt.Errorf("my_forecast: got %+v, want forecast %d", seen.MyForecast, f.ID)
	}

	resolved, err := want[*gen.Question](admin.ResolveQuestion(ctx, &gen.ResolveRequest{Outcome: 0},
		gen.ResolveQuestionParams{ID: q.ID}))
	if err != nil {
		return fmt.Errorf("resolve: %w", err)
	}
	if resolved.State != gen.QuestionStateResolved {
		return fmt.Errorf("resolve: state %s", resolved.State)
	}

	page, err := want[*gen.LeaderboardPage](user.GetLeaderboard(ctx, gen.GetLeaderboardParams{Slug: t.Slug,
		Limit: gen.NewOptInt(10)}))
	if err != nil {
		return fmt.Errorf("leaderboard: %w", err)
	}
	if page.Total != 1 || len(page.Entries) != 1 {
		return fmt.Errorf("leaderboard: got %+v", page)
	}
	if e, ok := page.Entries[0].GetEntry(); !ok || e.User.Username != name || e.Rank != 1 {
		return fmt.Errorf("leaderboard: first row %+v", page.Entries[0])
	}

	if err := teamBoard(ctx, user, t.Slug, name); err != nil {
		return err
	}

	if _, err := want[*gen.Comment](user.CreateComment(ctx, &gen.CommentRequest{Body: "Rain was likely."},
		gen.CreateCommentParams{ID: q.ID})); err != nil {
		return fmt.Errorf("comment: %w", err)
	}
	list, err := want[*gen.CommentList](user.ListComments(ctx, gen.ListCommentsParams{ID: q.ID}))
	if err != nil {
		return fmt.Errorf("list comments: %w", err)
	}
	if len(list.Comments) != 1 || list.Comments[0].Body != "Rain was likely." || list.Comments[0].User.Username != name {
		return fmt.Errorf("list comments: got %+v", list.Comments)
	}
	return nil
}

// teamBoard creates a team and finds it on the team board's page: ranked
// (its row a TeamEntry, which the page's oneOf tells from an Entry by its
// properties) or among the unscored teams.
func teamBoard(ctx context.Context, user *gen.Client, slug, name string) error {
	if _, err := want[*gen.Team](user.CreateTeam(ctx, &gen.TeamRequest{Name: name + " team"},
		gen.CreateTeamParams{Slug: slug})); err != nil {
		return fmt.Errorf("create team: %w", err)
	}
	page, err := want[*gen.LeaderboardPage](user.GetLeaderboard(ctx, gen.GetLeaderboardParams{Slug: slug,
		By: gen.NewOptGetLeaderboardBy(gen.GetLeaderboardByTeam)}))
	if err != nil {
		return fmt.Errorf("team leaderboard: %w", err)
	}
	found := false
	for _, row := range page.Entries {
		e, ok := row.GetTeamEntry()
		if !ok {
			return fmt.Errorf("team leaderboard: a row that is not a team entry: %+v", row)
		}
		found = found || e.Team.Name == name+" team"
	}
	for _, u := range page.UnscoredTeams {
		found = found || u.Team.Name == name+" team"
	}
	if !found {
		return fmt.Errorf("team leaderboard: no team %q in %+v", name+" team", page)
	}
	return nil
}

// want is the answer as the success type T, or an error naming the answer
// the server gave instead (ogen returns error statuses as typed values).
func want[T any](res any, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	v, ok := res.(T)
	if !ok {
		return zero, fmt.Errorf("unexpected answer %T: %+v", res, res)
	}
	return v, nil
}
