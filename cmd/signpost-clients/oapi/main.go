// Command oapi drives a live Signpost server through a client that
// oapi-codegen generated from the server's own OpenAPI document (into
// ./gen, not kept in the repository; see .ci/clients.sh): register, login,
// a forecast, the admin's resolution, a leaderboard page and comments. It
// fails on any answer the flow does not expect.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"signpost-clients/oapi/gen"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "oapi-codegen client:", err)
		os.Exit(1)
	}
	fmt.Println("oapi-codegen client: register, login, forecast, resolve, leaderboard, comments: ok")
}

// bearer sends the token with a request.
func bearer(token string) gen.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// answer is what every generated response has: its status, for the error
// when the expected typed answer is missing.
type answer interface{ StatusCode() int }

// must is the response, or the end of the program when the request got
// none (the connection failed).
func must[R any](res R, err error) R {
	if err != nil {
		fmt.Fprintln(os.Stderr, "oapi-codegen client:", err)
		os.Exit(1)
	}
	return res
}

func check[T any](res answer, got *T, what string) (*T, error) {
	if got == nil {
		return nil, fmt.Errorf("%s: unexpected status %d", what, res.StatusCode())
	}
	return got, nil
}

func ptr[T any](v T) *T { return &v }

func run(ctx context.Context) error {
	c, err := gen.NewClientWithResponses(os.Getenv("SIGNPOST_URL"))
	if err != nil {
		return err
	}
	name := "oapi" + time.Now().UTC().Format("150405")

	reg := must(c.RegisterWithResponse(ctx, gen.RegisterRequest{Username: name, Password: "a-long-password"}))
	if _, err := check(reg, reg.JSON201, "register"); err != nil {
		return err
	}
	login := must(c.LoginWithResponse(ctx, gen.LoginRequest{Username: name, Password: "a-long-password"}))
	auth, err := check(login, login.JSON200, "login")
	if err != nil {
		return err
	}
	asUser := bearer(auth.Token)
	adminLogin := must(c.LoginWithResponse(ctx, gen.LoginRequest{
		Username: os.Getenv("SIGNPOST_ADMIN_USERNAME"), Password: os.Getenv("SIGNPOST_ADMIN_PASSWORD")}))
	adminAuth, err := check(adminLogin, adminLogin.JSON200, "admin login")
	if err != nil {
		return err
	}
	asAdmin := bearer(adminAuth.Token)

	now := time.Now().UTC()
	tr := must(c.CreateTournamentWithResponse(ctx, gen.TournamentRequest{Slug: name,
		Title: gen.Text{"en": "Client check " + name}, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour)}, asAdmin))
	t, err := check(tr, tr.JSON201, "create tournament")
	if err != nil {
		return err
	}
	qr := must(c.CreateQuestionWithResponse(ctx, t.Slug, gen.QuestionRequest{
		Slug: ptr("rain"), Kind: ptr(gen.QuestionRequestKindBinary),
		Title: &gen.Text{"en": "Will it rain?"}, Criteria: &gen.Text{"en": "Yes if it rains."},
		OpensAt: ptr(now.Add(-time.Hour)), ClosesAt: ptr(now.Add(24 * time.Hour))}, asAdmin))
	q, err := check(qr, qr.JSON201, "create question")
	if err != nil {
		return err
	}

	fr := must(c.CreateForecastWithResponse(ctx, q.Id, gen.ForecastRequest{Probability: ptr(0.7)}, asUser))
	f, err := check(fr, fr.JSON201, "forecast")
	if err != nil {
		return err
	}
	if len(f.Probabilities) != 2 || f.CreatedAt.IsZero() {
		return fmt.Errorf("forecast: got %+v", f)
	}
	gr := must(c.GetQuestionWithResponse(ctx, q.Id, asUser))
	seen, err := check(gr, gr.JSON200, "get question")
	if err != nil {
		return err
	}
	if seen.MyForecast == nil || seen.MyForecast.Id != f.Id {
		return fmt.Errorf("my_forecast: got %+v, want forecast %d", seen.MyForecast, f.Id)
	}

	rr := must(c.ResolveQuestionWithResponse(ctx, q.Id, gen.ResolveRequest{Outcome: 0}, asAdmin))
	resolved, err := check(rr, rr.JSON200, "resolve")
	if err != nil {
		return err
	}
	if resolved.State != gen.QuestionStateResolved {
		return fmt.Errorf("resolve: state %s", resolved.State)
	}

	lr := must(c.GetLeaderboardWithResponse(ctx, t.Slug, &gen.GetLeaderboardParams{Limit: ptr(10)}, asUser))
	page, err := check(lr, lr.JSON200, "leaderboard")
	if err != nil {
		return err
	}
	if page.Total != 1 || len(page.Entries) != 1 {
		return fmt.Errorf("leaderboard: got %+v", page)
	}
	if e, err := page.Entries[0].AsEntry(); err != nil || e.User.Username != name || e.Rank != 1 {
		return fmt.Errorf("leaderboard: first row %+v (%v)", e, err)
	}

	// The team board: the new team ranked (its row a TeamEntry) or unscored.
	team := name + " team"
	ct := must(c.CreateTeamWithResponse(ctx, t.Slug, gen.TeamRequest{Name: team}, asUser))
	if _, err := check(ct, ct.JSON201, "create team"); err != nil {
		return err
	}
	tl := must(c.GetLeaderboardWithResponse(ctx, t.Slug, &gen.GetLeaderboardParams{By: ptr(gen.GetLeaderboardParamsByTeam)}, asUser))
	teams, err := check(tl, tl.JSON200, "team leaderboard")
	if err != nil {
		return err
	}
	found := false
	for _, row := range teams.Entries {
		e, err := row.AsTeamEntry()
		if err != nil || e.Team.Name == "" {
			return fmt.Errorf("team leaderboard: a row that is not a team entry (%v)", err)
		}
		found = found || e.Team.Name == team
	}
	if teams.UnscoredTeams != nil {
		for _, u := range *teams.UnscoredTeams {
			found = found || u.Team.Name == team
		}
	}
	if !found {
		return fmt.Errorf("team leaderboard: no team %q in %+v", team, teams)
	}

	cr := must(c.CreateCommentWithResponse(ctx, q.Id, gen.CommentRequest{Body: "Rain was likely."}, asUser))
	if _, err := check(cr, cr.JSON201, "comment"); err != nil {
		return err
	}
	lc := must(c.ListCommentsWithResponse(ctx, q.Id, &gen.ListCommentsParams{}, asUser))
	list, err := check(lc, lc.JSON200, "list comments")
	if err != nil {
		return err
	}
	if len(list.Comments) != 1 || list.Comments[0].Body != "Rain was likely." || list.Comments[0].User.Username != name {
		return fmt.Errorf("list comments: got %+v", list.Comments)
	}
	return nil
}
