package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestTriggers(t *testing.T) {
	cases := []struct {
		kind    Kind
		options int
		s       string
		p       []float64
		want    float64
		outcome int
		settled float64
	}{
		{Binary, 2, "yes", []float64{0.7, 0.3}, 0.7, 1, 0},
		{Ordered, 4, "higher", []float64{0.1, 0.2, 0.3, 0.4}, 0.7, 2, 1},
		{Ordered, 4, "lower", []float64{0.1, 0.2, 0.3, 0.4}, 0.3, 2, 0},
		{Ordered, 3, "higher", []float64{0.2, 0.4, 0.4}, 0.6, 1, 0.5}, // the middle bucket counts half
		{Ordered, 5, "2", []float64{0.1, 0.2, 0.3, 0.2, 0.2}, 0.3, 2, 1},
		{MultipleChoice, 3, "1", []float64{0.5, 0.25, 0.25}, 0.25, 0, 0},
	}
	for _, c := range cases {
		tr, err := ParseTrigger(c.kind, c.options, c.s)
		if err != nil {
			t.Fatalf("ParseTrigger(%v, %d, %q): %v", c.kind, c.options, c.s, err)
		}
		if tr.String() != c.s {
			t.Errorf("ParseTrigger(%q).String() = %q", c.s, tr.String())
		}
		if got := tr.Probability(c.p); !near(got, c.want) {
			t.Errorf("%q.Probability(%v) = %v; want %v", c.s, c.p, got, c.want)
		}
		if got := tr.Resolved(c.outcome, c.options); got != c.settled {
			t.Errorf("%q.Resolved(%d) = %v; want %v", c.s, c.outcome, got, c.settled)
		}
	}
	// A uniform forecast on "higher" carries no evidence.
	tr, _ := ParseTrigger(Ordered, 5, "higher")
	if got := tr.Probability([]float64{0.2, 0.2, 0.2, 0.2, 0.2}); !near(got, 0.5) {
		t.Errorf("higher of uniform 5 = %v; want 0.5", got)
	}
	for _, c := range []struct {
		kind    Kind
		options int
		s       string
	}{
		{Binary, 2, "no"}, {Binary, 2, "higher"}, {Binary, 2, "0"}, {Ordered, 4, "yes"},
		{Ordered, 4, "4"}, {Ordered, 4, "-1"}, {Ordered, 4, "01"}, {MultipleChoice, 3, "higher"},
	} {
		if _, err := ParseTrigger(c.kind, c.options, c.s); err == nil {
			t.Errorf("ParseTrigger(%v, %d, %q): no error", c.kind, c.options, c.s)
		}
	}
}

func TestCoherence(t *testing.T) {
	prior := []float64{0.25, 0.20, 0.15, 0.40}
	// A forecaster who is sure of an S2 signpost but gives S2 little.
	ev := seedLinks(7, 0.95, Strong, []int{1}, []int{0, 3})
	ev = append(ev, seedLinks(8, 0.5, Weak, []int{0}, nil)...) // no evidence
	c, err := CoherenceOf(prior, []float64{0.4, 0.05, 0.15, 0.4}, ev)
	if err != nil {
		t.Fatal(err)
	}
	imp, _ := Implied(prior, ev)
	if want := TVDistance(imp, []float64{0.4, 0.05, 0.15, 0.4}); !near(c.Distance, want) || c.Distance < 0.2 {
		t.Errorf("Distance = %v; want %v, above 0.2", c.Distance, want)
	}
	if len(c.Drivers) != 2 || c.Drivers[0].Indicator != 7 || c.Drivers[0].Effect <= 0.2 ||
		c.Drivers[0].Scenario != 1 || c.Drivers[0].Shift <= 0 {
		t.Fatalf("Drivers = %+v; want indicator 7 first, raising scenario 1", c.Drivers)
	}
	if d := c.Drivers[1]; d.Indicator != 8 || math.Abs(d.Effect) > 1e-12 {
		t.Errorf("Drivers[1] = %+v; want indicator 8 with no effect", d)
	}

	// Forecasting what one's own indicators imply is coherent.
	same, _ := CoherenceOf(prior, imp, ev)
	if same.Distance > 1e-12 {
		t.Errorf("Distance to own implied = %v; want 0", same.Distance)
	}
}

func TestTVDistance(t *testing.T) {
	if got := TVDistance([]float64{1, 0}, []float64{0, 1}); got != 1 {
		t.Errorf("TVDistance(disjoint) = %v; want 1", got)
	}
	if got := TVDistance([]float64{0.5, 0.3, 0.2}, []float64{0.3, 0.3, 0.4}); !near(got, 0.2) {
		t.Errorf("TVDistance = %v; want 0.2", got)
	}
}

// TestLedgerSumsToRelative checks on random tournaments that a user's
// ledger days add up to their relative score, and that each day names the
// forecast that stood.
func TestLedgerSumsToRelative(t *testing.T) {
	r := rand.New(rand.NewPCG(92, 93))
	checked := 0
	for range rounds(400) {
		c := genQuestion(r, 200)
		res, err := ScoreQuestion(c.q, c.fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range res.Users {
			days, err := Ledger(c.q, c.fs, u.User)
			if err != nil {
				t.Fatal(err)
			}
			if len(days) != u.DaysForecast {
				t.Fatalf("user %d: %d ledger days; want %d", u.User, len(days), u.DaysForecast)
			}
			var sum float64
			for _, d := range days {
				sum += d.Contribution
				f := c.fs[d.Forecast]
				if f.User != u.User || !f.At.Before(d.Day.AddDate(0, 0, 1)) || !near(Brier(c.q.Kind, f.Probs, c.q.Outcome), d.Brier) {
					t.Fatalf("user %d day %v: forecast %d %+v did not stand with Brier %v", u.User, d.Day, d.Forecast, f, d.Brier)
				}
				if !near(d.Difference, d.Brier-d.Median) {
					t.Fatalf("Difference = %v; want %v", d.Difference, d.Brier-d.Median)
				}
			}
			if math.Abs(sum-u.Relative) > 1e-9 {
				t.Fatalf("user %d: ledger sums to %v; relative is %v", u.User, sum, u.Relative)
			}
			checked++
		}
	}
	if checked < rounds(400)/4 {
		t.Errorf("only %d users checked", checked)
	}
}

// TestReferenceScoreMatchesAStandingForecaster checks ReferenceScore
// against the rules themselves: a forecaster whose one forecast, made
// before the opening, equals the reference scores exactly as the
// reference does against the same medians.
func TestReferenceScoreMatchesAStandingForecaster(t *testing.T) {
	r := rand.New(rand.NewPCG(94, 95))
	checked := 0
	for range rounds(300) {
		c := genQuestion(r, 100)
		if c.q.Days() == 0 {
			continue
		}
		ref := randProbs(r, c.q.Options)
		const refUser = 99999
		at := c.q.OpensAt
		if len(c.fs) > 0 && c.fs[0].At.Before(at) {
			at = c.fs[0].At
		}
		fs := append([]Forecast{{User: refUser, At: at.Add(-time.Second), Probs: ref}}, c.fs...)
		res, err := ScoreQuestion(c.q, fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReferenceScore(c.q, ref, res.Median)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range res.Users {
			if u.User != refUser {
				continue
			}
			if !near(got.Brier, u.Brier) || !near(got.CrowdBrier, u.CrowdBrier) || !near(got.Relative, u.Relative) ||
				got.DaysTotal != u.DaysTotal || got.DaysForecast != u.DaysForecast {
				t.Fatalf("ReferenceScore = %+v; the standing forecaster scored %+v", got, u)
			}
			checked++
		}
	}
	if checked < rounds(300)/3 {
		t.Errorf("only %d cases checked", checked)
	}
	if _, err := ReferenceScore(Question{Kind: Binary, Options: 2}, []float64{0.5, 0.5}, nil); err == nil {
		t.Error("ReferenceScore of an unresolved question: no error")
	}
}
