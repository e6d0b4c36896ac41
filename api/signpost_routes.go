package api

import "github.com/gofiber/fiber/v2"

// signpostRoutes are the endpoints of signposts: links, likelihood
// tables, the board, the pulse, coherence and the score ledger.
func (s *Server) signpostRoutes() []operation {
	const tournamentDoc = "tournament slug (default: the default tournament)"
	return []operation{
		get("/questions/:id/links", "listLinks", "An indicator question's signpost links", s.questionLinks),
		post("/questions/:id/links", "createLink", "Link an indicator to a scenario option", s.createLink).
			admin().created().errors(409),
		action("DELETE", "/questions/:id/links/:link_id", "deleteLink", "Remove a signpost link", s.deleteLink).admin(),
		get("/questions/:id/likelihoods", "getLikelihoods",
			"An indicator's likelihood table: P(trigger | scenario) for each scenario option", s.questionLikelihoods).
			errors(404).tagged("signposts"),
		withBody(fiber.MethodPut, "/questions/:id/likelihoods", "putLikelihoods",
			"Set an indicator's likelihood table", s.putLikelihoods).admin().errors(404).tagged("signposts"),
		action("DELETE", "/questions/:id/likelihoods", "deleteLikelihoods",
			"Return an indicator to the likelihood table derived from its links", s.deleteLikelihoods).
			admin().errors(404).tagged("signposts"),
		get("/tournaments/:slug/signposts", "getSignposts",
			"Signpost board: crowd and signpost-implied scenario probabilities", s.signposts).tagged("signposts"),
		get("/tournaments/:slug/signposts/history", "getSignpostHistory",
			"Scenario pulse: daily crowd and implied probabilities, resolved indicators", s.signpostHistory).tagged("signposts"),
		get("/me/coherence", "getMyCoherence", "My scenario forecast against what my indicator forecasts imply",
			s.myCoherence).user().withQuery("tournament", "string", tournamentDoc).errors(404).tagged("signposts"),
		customOp[ledgerDTO]("GET", "/questions/:id/ledger", "getLedger",
			"My per-day score ledger on a resolved question", "", s.ledger).user().
			withQuery("format", "string", "json (default) or csv (UTF-8 with a byte order mark)", "json", "csv").
			withQuery("user", "string", "another user's ledger (admin only)").
			withQuery("lang", "string", "language of the CSV's option labels", "en", "zh").
			alsoMedia("text/csv").errors(403, 409),
	}
}
