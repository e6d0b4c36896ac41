package api

// signpostRoutes are the endpoints of signposts: links, the board, the
// pulse, coherence and the score ledger.
func (s *Server) signpostRoutes() []route {
	return []route{
		{"GET", "/questions/:id/links", "", "An indicator question's signpost links", typed(s.questionLinks)},
		{"POST", "/questions/:id/links", "admin", "Link an indicator to a scenario option", typedBody(s.createLink)},
		{"DELETE", "/questions/:id/links/:link_id", "admin", "Remove a signpost link", typed(s.deleteLink)},
		{"GET", "/tournaments/:slug/signposts", "", "Signpost board: crowd and implied scenario probabilities", typed(s.signposts)},
		{"GET", "/tournaments/:slug/signposts/history", "", "Scenario pulse: daily crowd and implied probabilities", typed(s.signpostHistory)},
		{"GET", "/me/coherence", "user", "My scenario forecast against what my indicator forecasts imply", typed(s.myCoherence)},
		{"GET", "/questions/:id/ledger", "user", "My per-day score ledger on a resolved question (JSON or ?format=csv)", s.ledger},
	}
}
