package api

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"signpost/scoring"
)

// ruleIndicator is a seed indicator with its likelihood table, as the
// rule's end-to-end tests forecast it.
type ruleIndicator struct {
	id      int64
	options int
	trigger scoring.Trigger
	table   []float64
}

// ruleIndicators reads every indicator of the seed tournament that bears
// on its scenario question, with the table the board uses.
func (e *testEnv) ruleIndicators(ids map[string]int64) []ruleIndicator {
	e.t.Helper()
	var out []ruleIndicator
	for slug, id := range ids {
		if slug == "scenario-2027" {
			continue
		}
		var q questionDTO
		e.must(200, "GET", qpath(id, ""), "", nil, &q)
		var l likelihoodsDTO
		if r := e.do("GET", qpath(id, "/likelihoods"), "", nil); r.status != 200 {
			continue
		} else {
			r.decode(e.t, &l)
		}
		kind, err := scoring.ParseKind(q.Kind)
		if err != nil {
			e.t.Fatal(err)
		}
		tr, err := scoring.ParseTrigger(kind, len(q.Options), l.Trigger)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, ruleIndicator{id: id, options: len(q.Options), trigger: tr, table: l.Probabilities})
	}
	// In question order, so a seeded simulation draws the same numbers for
	// the same indicators on every run (a map's order is random).
	slices.SortFunc(out, func(a, b ruleIndicator) int { return cmp.Compare(a.id, b.id) })
	return out
}

// forecastFor is a forecast of the indicator whose probability of the
// trigger is q.
func (ind ruleIndicator) forecastFor(q float64) []float64 {
	p := make([]float64, ind.options)
	last := ind.options - 1
	switch ind.trigger.Kind {
	case scoring.TriggerYes:
		p[0], p[1] = q, 1-q
	case scoring.TriggerHigher:
		p[last], p[0] = q, 1-q
	case scoring.TriggerLower:
		p[0], p[last] = q, 1-q
	default: // one bucket
		other := 0
		if ind.trigger.Option == 0 {
			other = 1
		}
		p[ind.trigger.Option], p[other] = q, 1-q
	}
	return p
}

// forecastCoherently posts belief on the scenario question and, on each
// indicator, what indicators predicts for its trigger (plus noise(ind);
// none where noise says so). It returns the trigger probabilities posted.
func (e *testEnv) forecastCoherently(tok string, scen int64, belief, indicators []float64, inds []ruleIndicator,
	noise func(ruleIndicator) (float64, bool)) map[int64]float64 {
	e.t.Helper()
	e.must(201, "POST", qpath(scen, "/forecasts"), tok, map[string]any{"probabilities": belief}, nil)
	out := map[int64]float64{}
	for _, ind := range inds {
		d, ok := noise(ind)
		if !ok {
			continue
		}
		q := min(max(scoring.ExpectedTrigger(indicators, ind.table)+d, 0.02), 0.98)
		e.must(201, "POST", qpath(ind.id, "/forecasts"), tok, map[string]any{"probabilities": ind.forecastFor(q)}, nil)
		out[ind.id] = q
	}
	return out
}

func exact(ruleIndicator) (float64, bool) { return 0, true }

// Neutrality end to end: a crowd whose indicator forecasts are what its
// scenario forecast predicts is implied as itself, and nobody whose own
// forecasts agree that way is nudged, whatever they believe.
func TestSignpostsNeutralCrowd(t *testing.T) {
	e := newTestEnv(t)
	e.clock.set(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	ids := e.questionIDs()
	scen := ids["scenario-2027"]
	inds := e.ruleIndicators(ids)
	if len(inds) != 17 {
		t.Fatalf("%d indicators with a table; want the seed's 17", len(inds))
	}
	belief := []float64{0.1, 0.3, 0.4, 0.2}
	var tokens []string
	for _, name := range []string{"ann", "bob", "cat", "dan", "eve"} {
		tok := e.register2(name)
		e.forecastCoherently(tok, scen, belief, belief, inds, exact)
		tokens = append(tokens, tok)
	}
	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/signposts", "", nil, &b)
	ref := []float64{0.25, 0.2, 0.15, 0.4}
	for k, sc := range b.Scenarios {
		if math.Abs(sc.Implied-belief[k]) > 0.01 || !near(sc.Evidence, ref[k]) {
			t.Errorf("scenario %d: implied %v evidence %v; want the crowd's %v and the reference %v", k, sc.Implied,
				sc.Evidence, belief[k], ref[k])
		}
		for _, l := range append(sc.For, sc.Against...) {
			if l.Expected == nil || l.Probability == nil || math.Abs(*l.Expected-*l.Probability) > 1e-9 {
				t.Errorf("indicator %d: expected %v, probability %v; want equal", l.QuestionID, l.Expected, l.Probability)
			}
		}
	}
	// The range is seeded: computed again a few minutes later (the cache
	// keeps a board for a minute at most), the same forecasts give the
	// same range.
	e.clock.set(time.Date(2026, 11, 25, 12, 5, 0, 0, time.UTC))
	var again signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/signposts", "", nil, &again)
	for k, sc := range again.Scenarios {
		if r := sc.ImpliedRange; r != b.Scenarios[k].ImpliedRange || r[0] > r[1] {
			t.Errorf("scenario %d: range %v, then %v; want the same, low to high", k, b.Scenarios[k].ImpliedRange, r)
		}
	}
	others := [][]float64{{0.7, 0.1, 0.1, 0.1}, {0.05, 0.05, 0.1, 0.8}, {0.25, 0.25, 0.25, 0.25}}
	for i, bel := range others {
		tok := e.register2("other" + string(rune('a'+i)))
		e.forecastCoherently(tok, scen, bel, bel, inds, exact)
		tokens = append(tokens, tok)
	}
	for i, tok := range tokens {
		var c coherenceDTO
		e.must(200, "GET", "/api/v1/me/coherence", tok, nil, &c)
		if c.Incoherent || c.Distance == nil || *c.Distance > 0.01 || c.OwnIndicators != 17 {
			t.Errorf("forecaster %d: %+v; want coherent within 0.01 on 17 own indicators", i, c)
		}
	}
}

// TestNudgesOnASimulatedCrowd measures the nudge on the seed tournament
// with a simulated crowd of 30: 25 forecasters whose indicator forecasts
// are what their own scenario forecast predicts plus noise (each skipping
// an indicator now and then), and 5 whose indicator forecasts follow
// another belief than the scenario forecast they give (`go test -run
// NudgesOnASimulatedCrowd -v` shows the counts). It counts who the
// rule this package used before (the crowd as prior, every open
// indicator as likelihood-ratio evidence) and the likelihood tables'
// rule nudge.
func TestNudgesOnASimulatedCrowd(t *testing.T) {
	if testing.Short() {
		t.Skip("posts about 500 forecasts per noise level")
	}
	for _, noise := range []float64{0, 0.02, 0.05} {
		t.Run(fmt.Sprintf("noise %.2f", noise), func(t *testing.T) { nudgesOnASimulatedCrowd(t, noise) })
	}
}

// nudgesOnASimulatedCrowd is TestNudgesOnASimulatedCrowd with indicator
// forecasts off what their belief predicts by a normal error of standard
// deviation noise.
func nudgesOnASimulatedCrowd(t *testing.T, noise float64) {
	e := newTestEnv(t)
	e.clock.set(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	ids := e.questionIDs()
	scen := ids["scenario-2027"]
	inds := e.ruleIndicators(ids)
	rng := rand.New(rand.NewPCG(19, 2027))
	center := []float64{0.25, 0.2, 0.15, 0.4}
	around := func(spread float64) []float64 {
		p := make([]float64, len(center))
		var s float64
		for k, c := range center {
			p[k] = c * math.Exp(spread*rng.NormFloat64())
			s += p[k]
		}
		for k := range p {
			p[k] /= s
		}
		return p
	}
	const forecasters, incoherent = 30, 5
	type who struct {
		tok        string
		forecast   []float64
		own        map[int64]float64 // trigger probabilities by indicator
		incoherent bool
	}
	var crowd []who
	for f := range forecasters {
		tok := e.register2("sim" + string(rune('a'+f/26)) + string(rune('a'+f%26)))
		belief := around(0.5)
		noisy := func(ruleIndicator) (float64, bool) { return noise * rng.NormFloat64(), rng.Float64() < 0.85 }
		indicators := belief
		if f < incoherent {
			indicators = around(1.5) // indicator forecasts from another belief than the scenario forecast
		}
		own := e.forecastCoherently(tok, scen, belief, indicators, inds, noisy)
		crowd = append(crowd, who{tok: tok, forecast: belief, own: own, incoherent: f < incoherent})
	}

	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/signposts", "", nil, &b)
	prior := make([]float64, len(b.Scenarios))
	for k, sc := range b.Scenarios {
		prior[k] = *sc.Crowd
		for _, ls := range [][]signpostIndicatorDTO{sc.For, sc.Against} {
			for i := 1; i < len(ls); i++ {
				if gapOf(ls[i]) > gapOf(ls[i-1])+1e-12 {
					t.Errorf("scenario %d: indicator %d (gap %v) after %d (gap %v); want the largest gap first",
						k, ls[i].QuestionID, gapOf(ls[i]), ls[i-1].QuestionID, gapOf(ls[i-1]))
				}
			}
		}
	}
	var oldNudged, newNudged, oldCoherentNudged, newCoherentNudged int
	for _, w := range crowd {
		var c coherenceDTO
		e.must(200, "GET", "/api/v1/me/coherence", w.tok, nil, &c)
		if c.Incoherent {
			newNudged++
			if !w.incoherent {
				newCoherentNudged++
			}
		}
		if oldRuleNudges(t, prior, w.forecast, w.own, b) {
			oldNudged++
			if !w.incoherent {
				oldCoherentNudged++
			}
		}
	}
	t.Logf("nudged of %d (%d incoherent by construction): old rule %d (%d coherent), likelihood tables %d (%d coherent)",
		forecasters, incoherent, oldNudged, oldCoherentNudged, newNudged, newCoherentNudged)
	if newCoherentNudged > oldCoherentNudged || (noise == 0 && newCoherentNudged > 0) {
		t.Errorf("the tables nudge %d coherent forecasters, the old rule %d", newCoherentNudged, oldCoherentNudged)
	}
}

// oldRuleNudges applies the rule the board used before likelihood tables
// to one forecaster: the crowd's scenario forecast as prior, and every
// link of the board as likelihood-ratio evidence at the forecaster's own
// probability of the trigger (the crowd's where they have none).
func oldRuleNudges(t *testing.T, prior, forecast []float64, own map[int64]float64, b signpostsDTO) bool {
	t.Helper()
	var ev []scoring.Evidence
	for k, sc := range b.Scenarios {
		for _, l := range append(sc.For, sc.Against...) {
			s, _ := scoring.ParseStrength(l.Strength)
			p, ok := own[l.QuestionID]
			if !ok {
				if l.Probability == nil {
					continue
				}
				p = *l.Probability
			}
			ev = append(ev, scoring.Evidence{Indicator: l.QuestionID, Scenario: k, Direction: l.Direction, Strength: s, P: p})
		}
	}
	co, err := scoring.CoherenceOf(prior, forecast, ev)
	if err != nil {
		t.Fatal(err)
	}
	return co.Distance > DefaultCoherenceThreshold && len(own) > 0
}

// gapOf is how far the crowd's probability of a board indicator's trigger
// is from what the crowd's scenario forecast expects; -1 without either.
func gapOf(l signpostIndicatorDTO) float64 {
	if l.Expected == nil || l.Probability == nil {
		return -1
	}
	return math.Abs(*l.Expected - *l.Probability)
}
