package api

import (
	"math"
	"slices"
	"testing"
	"time"
)

// The pulse and the per-forecaster implied figures use the crowd's links
// where the board does: each pulse day from the branches as they stood
// that day, and both say which indicators' links were the crowd's.
func TestPulseAndCoherenceUseCrowdLinks(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	e.must(201, "POST", qpath(ind, "/links"), e.admin, map[string]any{"scenario_question_id": scen, "option": 0,
		"trigger": "yes", "direction": 1, "strength": "strong"}, nil)
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	names := []string{"ann", "bob", "cat", "dan", "eve"}
	forecast := func(name string, id int64, p ...float64) {
		token := e.login(name, "password-"+name) // tokens last a day; the clock moves
		e.must(201, "POST", qpath(id, "/forecasts"), token, map[string]any{"probabilities": p}, nil)
	}
	for _, name := range names {
		e.register(name)
		forecast(name, scen, 0.5, 0.5)
		forecast(name, ind, 0.75, 0.25)
		forecast(name, pair.IfYes.ID, 0.8, 0.2)
		if name != "eve" {
			forecast(name, pair.IfNo.ID, 0.4, 0.6)
		}
	}
	coherence := func() coherenceDTO {
		var c coherenceDTO
		e.must(200, "GET", "/api/v1/me/coherence?tournament=signs", e.login("ann", "password-ann"), nil, &c)
		return c
	}
	// The admin's strong link gives the table 5/6, ½: the indicator at
	// 75 % is what p·5/6 + (1 − p)·½ predicts at p = 0.75.
	admin := []float64{0.75, 0.25}
	// The crowd's table by Bayes with q = 0.75 is 6/7, ½: p = 0.7.
	crowd := 0.7

	c := coherence()
	if len(c.CrowdLinks) != 0 || math.Abs(c.Implied[0]-admin[0]) > 1e-6 || len(c.Drivers) != 1 || c.Drivers[0].Source != "admin" {
		t.Fatalf("coherence with 4 forecasters on both branches: %+v; want the admin's link (implied %v)", c, admin[0])
	}

	e.clock.set(testStart.Add(48 * time.Hour))
	forecast("eve", pair.IfNo.ID, 0.4, 0.6) // the fifth answers both, two days later
	e.clock.set(testStart.Add(72 * time.Hour))

	c = coherence()
	if !slices.Equal(c.CrowdLinks, []int64{ind}) || math.Abs(c.Implied[0]-crowd) > 1e-6 || len(c.Drivers) != 1 ||
		c.Drivers[0].Source != "crowd" {
		t.Fatalf("coherence with 5 forecasters on both branches: %+v; want the crowd's links (implied %v)", c, crowd)
	}

	var h pulseDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/signposts/history", "", nil, &h)
	if len(h.Points) != 4 {
		t.Fatalf("pulse %+v; want 4 days", h.Points)
	}
	for i, want := range []struct {
		crowdLinked bool
		implied     float64
	}{{false, admin[0]}, {false, admin[0]}, {true, crowd}, {true, crowd}} {
		pt := h.Points[i]
		if got := len(pt.CrowdLinks) == 1 && pt.CrowdLinks[0] == ind; got != want.crowdLinked || (!want.crowdLinked && len(pt.CrowdLinks) != 0) ||
			math.Abs(pt.Implied[0]-want.implied) > 1e-6 {
			t.Errorf("pulse %s: crowd links %v, implied %v; want crowd-linked %v, implied %v", pt.Date, pt.CrowdLinks,
				pt.Implied[0], want.crowdLinked, want.implied)
		}
	}
	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/signposts", "", nil, &b)
	if math.Abs(b.Scenarios[0].Implied-h.Points[3].Implied[0]) > 1e-12 || b.Scenarios[0].Evidence != h.Points[3].Evidence[0] {
		t.Errorf("today's pulse %v differs from the board's %v", h.Points[3].Implied[0], b.Scenarios[0].Implied)
	}
}
