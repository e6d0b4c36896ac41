package api

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"signpost/api/safehttp"
	"signpost/store"
)

type challengeDTO struct {
	User   string `json:"user" doc:"username of who challenged"`
	Reason string `json:"reason"`
	At     string `json:"at" format:"date-time"`
}

type proposalDTO struct {
	Outcome        int            `json:"outcome" doc:"the option index proposed (binary: 0 Yes, 1 No)"`
	Value          float64        `json:"value" doc:"the number the feed read"`
	Source         string         `json:"source" doc:"the address it was read from"`
	FetchedAt      string         `json:"fetched_at" format:"date-time" doc:"when it was read; a resolution from it is dated so"`
	SHA256         string         `json:"sha256" doc:"SHA-256 of the raw body the value was read from"`
	ProposedAt     string         `json:"proposed_at" format:"date-time"`
	ChallengeUntil string         `json:"challenge_until" format:"date-time"`
	Challenges     []challengeDTO `json:"challenges"`
}

func toProposalDTO(p store.Proposal) *proposalDTO {
	out := &proposalDTO{Outcome: p.Outcome, Value: p.Value, Source: safehttp.Redact(p.URL), FetchedAt: formatTime(p.FetchedAt),
		SHA256: p.SHA256, ProposedAt: formatTime(p.ProposedAt), ChallengeUntil: formatTime(p.ChallengeUntil),
		Challenges: make([]challengeDTO, len(p.Challenges))}
	for i, c := range p.Challenges {
		out.Challenges[i] = challengeDTO{User: c.Username, Reason: c.Reason, At: formatTime(c.At)}
	}
	return out
}

// withProposal sets a question view's pending proposal.
func (s *Server) withProposal(ctx context.Context, v *questionDTO) error {
	p, err := s.cfg.Store.PendingProposal(ctx, v.ID)
	switch {
	case err == nil:
		v.Proposal = toProposalDTO(p)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	return nil
}

type challengeRequest struct {
	Reason *string `json:"reason" required:"true" doc:"why the proposal is wrong, up to 2000 characters"`
}

func (s *Server) challengeProposal(c *fiber.Ctx, in *challengeRequest) (questionDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return questionDTO{}, err
	}
	if in.Reason == nil || strings.TrimSpace(*in.Reason) == "" || utf8.RuneCountInString(*in.Reason) > 2000 {
		return questionDTO{}, invalid("reason", "reason is required, up to 2000 characters")
	}
	p, _ := caller(c)
	if _, err := s.cfg.Store.ChallengeProposal(c.UserContext(), q.ID, p.ID, strings.TrimSpace(*in.Reason), s.now()); err != nil {
		return questionDTO{}, err
	}
	return s.questionView(c, &q)
}

func (s *Server) confirmProposal(c *fiber.Ctx) (questionDTO, error) {
	return s.decideProposal(c, true)
}

func (s *Server) rejectProposal(c *fiber.Ctx) (questionDTO, error) {
	return s.decideProposal(c, false)
}

func (s *Server) decideProposal(c *fiber.Ctx, accept bool) (questionDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return questionDTO{}, err
	}
	p, _ := caller(c)
	status := store.ProposalRejected
	if accept {
		status = store.ProposalConfirmed
	}
	if q, err = s.cfg.Store.DecideProposal(c.UserContext(), q.ID, accept, status, p.ID, s.now()); err != nil {
		return questionDTO{}, err
	}
	return s.questionView(c, &q)
}

// feedRoutes are the operations of data feeds and proposed resolutions.
func (s *Server) feedRoutes() []operation {
	return []operation{
		withBody(fiber.MethodPut, "/questions/:id/feed", "putFeed", "Set a question's data feed", s.putFeed).admin().
			describe(feedDoc),
		get("/questions/:id/feed", "getFeed", "A question's data feed with its newest fetch (headers are write-only)", s.getFeed).admin(),
		action(fiber.MethodDelete, "/questions/:id/feed", "deleteFeed", "Remove a question's feed (its snapshots stay)", s.deleteFeed).admin(),
		command("/questions/:id/feed/fetch", "fetchFeed", "Fetch a question's feed now", s.fetchFeed).admin().errors(409).
			describe("Answers the new snapshot: a failed fetch is a snapshot with status error, not an error of this call."),
		get("/questions/:id/feed/snapshots", "listSnapshots", "A question's feed snapshots, newest first", s.listSnapshots).
			withQuery("limit", "integer", "1-100 (default 20)").
			withQuery("cursor", "string", "next_cursor of the previous page"),
		post("/questions/:id/proposal/challenge", "challengeProposal", "Challenge the proposed resolution during its window",
			s.challengeProposal).user().errors(409).
			describe("One challenge per person; a challenged proposal waits for an admin instead of resolving by itself."),
		command("/questions/:id/proposal/confirm", "confirmProposal", "Resolve the question as proposed", s.confirmProposal).
			admin().errors(409).describe("The resolution is dated as the snapshot it was read from."),
		command("/questions/:id/proposal/reject", "rejectProposal", "Reject the proposed resolution", s.rejectProposal).
			admin().errors(409).describe("The server proposes again only from a newer snapshot."),
	}
}

const feedDoc = "The server fetches the url every `every` (enabled feeds only), reads one number (json: `pointer`, an " +
	"RFC 6901 JSON Pointer; with `column`, the pointer names an array of records and `row` picks one; csv: `column` " +
	"and `row`: \"last\" (default), \"first\" or {\"column\", \"equals\"}) and keeps a snapshot of each fetch with the " +
	"raw body (up to 1 MiB) and its SHA-256. Numbers must be plain: \"12.5%\" or \"1,234\" are errors, never guesses. " +
	"Once the question has closed (or, with early_yes, as soon as a binary rule holds) the server proposes the outcome " +
	"from the newest snapshot if that fetch succeeded; forecasters may challenge it during challenge_window; with " +
	"auto_resolve an unchallenged proposal resolves at the end of the window. Failed fetches back off. Headers are write-only."
