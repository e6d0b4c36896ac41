package api

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"signpost/api/scoreboard"
	"signpost/store"
)

// leaderboardDoc is the getLeaderboard operation's description.
const leaderboardDoc = "Pages of the board, best first: `limit` rows (default 100, at most 1000) from `offset` " +
	"(default 0), or from the position a `next_cursor` names, or around the caller's own row with `around=me`; " +
	"`total` counts the ranked rows and `next_cursor` is null on the last page. " +
	"A cursor is a position on one board (tournament, by, participants and kind): another board's cursor is 400. " +
	"When scores change between two pages, the next page is cut from the new ranking at the same position, so across " +
	"that change a row can be seen twice or not at all; ranks are always current. " +
	"`around=me` needs a signed-in caller (400 otherwise) and answers the page that holds the caller's row " +
	"(their team's, with by=team) roughly in its middle; without such a row it is 404 with field `around`. " +
	"On its last page the team board also lists the tournament's teams without a scored question (`unscored_teams`), " +
	"which are neither ranked nor counted in total. Answers 304 to a matching If-None-Match (ETag)."

func (s *Server) leaderboard(c *fiber.Ctx) error {
	by := c.Query("by")
	if by != "" && by != "user" && by != "team" {
		return invalid("by", "by must be user or team")
	}
	kind := c.Query("kind")
	if kind != "" && kind != "main" && kind != "conditional" {
		return invalid("kind", "kind must be main or conditional")
	}
	participants, err := participantsParam(c)
	if err != nil {
		return err
	}
	id, version, err := s.scores.Version(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	conditional, byTeam := kind == "conditional", by == "team"
	key := scoreboard.Key(conditional, participants, byTeam)
	pr, err := pageParams(c, id, key)
	if err != nil {
		return err
	}
	b, err := s.scores.Boards(c.UserContext(), id, version)
	if err != nil {
		return err
	}
	board := b.Pick(conditional, participants, byTeam)
	if pr.aroundMe {
		if pr.offset, err = s.aroundMe(c, board, id, byTeam, pr.limit); err != nil {
			return err
		}
	}
	page, err := board.Page(key, pr.offset, pr.limit, func(next int) string {
		return scoreboard.Cursor{Tournament: id, Board: key, Offset: next, Limit: pr.limit}.String()
	})
	if err != nil {
		return err
	}
	return sendEncoded(c, page)
}

// aroundMe is the offset of the page around the caller's row: their own,
// or their team's on a team board.
func (s *Server) aroundMe(c *fiber.Ctx, board *scoreboard.Board, tournamentID int64, byTeam bool, limit int) (int, error) {
	p, ok := caller(c)
	if !ok {
		return 0, invalid("around", "around=me needs a signed-in caller; page with cursor or offset instead")
	}
	id := p.ID
	if byTeam {
		m, err := s.scores.Membership(c.UserContext(), tournamentID)
		if err != nil {
			return 0, err
		}
		if id, ok = m.TeamOf[p.ID]; !ok {
			return 0, noRow("you are in no team of this tournament")
		}
	}
	i := board.IndexOf(id)
	if i < 0 {
		return 0, noRow("you have no row on this board yet: rows appear once a question you forecast is scored")
	}
	return board.Around(i, limit), nil
}

func noRow(msg string) error {
	return &apiError{Status: http.StatusNotFound, Code: "not_found", Message: msg, Field: "around"}
}

// boardPageDTO documents one page of a leaderboard (the bytes are written
// by scoreboard.Board.Page). Its rows are individual entries, or team
// entries with ?by=team: a oneOf told apart by the rows' own properties
// (an entry has a user, a team entry a team and members), since neither
// the page nor a row carries a field naming its board.
type boardPageDTO struct{}

func (boardPageDTO) openAPISchema(s *schemas) map[string]any {
	row := map[string]any{"oneOf": []any{s.of(typeOf[entryDTO](), false), s.of(typeOf[teamEntryDTO](), false)}}
	return s.named("LeaderboardPage", map[string]any{"type": "object", "required": []string{"entries", "total", "offset", "next_cursor"},
		"description": "a page of the individual board (rows are Entry), or of the team board with by=team (rows are TeamEntry)",
		"properties": map[string]any{
			"entries":     map[string]any{"type": "array", "description": "best first; ties share a rank", "items": row},
			"total":       map[string]any{"type": "integer", "description": "ranked rows on the whole board"},
			"offset":      map[string]any{"type": "integer", "description": "position of the page's first row, from 0"},
			"next_cursor": map[string]any{"type": []string{"string", "null"}, "description": "pass as ?cursor= for the next page; null on the last page"},
			"unscored_teams": map[string]any{"type": "array", "description": "team board, last page only: the teams without a scored question, by name (not ranked, not in total)",
				"items": s.of(typeOf[unscoredTeamDTO](), false)},
		}})
}

// The leaderboards' rows are the scoreboard's, which encodes them once per
// score version; the API documents them under these names.
type (
	entryDTO        = scoreboard.Entry
	teamEntryDTO    = scoreboard.TeamEntry
	unscoredTeamDTO = scoreboard.UnscoredTeam
)

// LeaderboardBody is a leaderboard as the API serves it (the individual
// board, or the team board when byTeam): `signpost score -json` prints it.
func LeaderboardBody(lb store.Leaderboards, byTeam bool) any {
	if byTeam {
		return boardDTO{Entries: scoreboard.TeamEntries(lb)}
	}
	return boardDTO{Entries: scoreboard.Entries(lb.Users)}
}
