package webhook

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"signpost/api/crowd"
	"signpost/store"
)

var update = flag.Bool("update", false, "rewrite testdata/render.golden from the current texts")

// TestRenderGolden pins every event's JSON body and chat text, in both
// languages and with and without a public address, byte for byte: a
// receiver that verifies signatures or parses texts sees no change unless
// this file changes too (go test -update after a deliberate one).
func TestRenderGolden(t *testing.T) {
	var b bytes.Buffer
	for _, ev := range goldenEvents() {
		for _, base := range []string{"", "https://s.example/"} {
			body, text, err := Render(base, crowd.Rule{Min: 1})(ev)
			fmt.Fprintf(&b, "%s|%v\n%s\n", body, err, text)
		}
	}
	const golden = "testdata/render.golden"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("rendered events differ from %s; run go test -update after a deliberate change:\n%s", golden, b.String())
	}
}

func goldenEvents() []store.Event {
	at := time.Date(2026, 12, 1, 12, 0, 0, 123000, time.UTC)
	res := time.Date(2026, 11, 9, 5, 0, 0, 0, time.UTC)
	q := store.Question{ID: 42, TournamentID: 1, Title: store.Text{"en": "Who wins?", "zh": "谁赢？"}, Options: []store.Option{{Label: store.Text{"en": "Yes", "zh": "是"}}, {Label: store.Text{"en": "No"}}},
		OpensAt: at.Add(-time.Hour), ClosesAt: at.Add(24 * time.Hour)}
	rq := q
	rq.Resolution = &store.Resolution{Outcome: 1, ResolvedAt: res}
	aq := q
	aq.Annulled, aq.AnnulReason, aq.AnnulReasonText = true, "Ambiguous <b>&", store.Text{"en": "Ambiguous.", "zh": "含糊。"}
	aq2 := q
	aq2.Annulled, aq2.AnnulReason = true, "plain"
	crowd := &store.Crowd{Probabilities: []float64{0.25, 0.75}, Forecasters: 4}
	prev := &store.Crowd{Probabilities: []float64{0.6, 0.4}, Forecasters: 3}
	opt, fired, firedAt := 0, 0.62, at.Add(-time.Minute)
	crowdWire := store.Tripwire{ID: 9, TournamentID: 1, Name: store.Text{"en": "Yes passes 60%", "zh": "是超过 60%"}, Kind: store.TripwireCrowd,
		QuestionID: 42, Option: &opt, Op: ">=", Value: 0.6, Owner: "kramer", Action: store.Text{"en": "Review the plan.", "zh": "复核计划。"},
		State: store.TripwireFired, FiredAt: &firedAt, FiredValue: &fired}
	low := 1.2e6
	feedWire := store.Tripwire{ID: 10, TournamentID: 1, Name: store.Text{"en": "Sales drop"}, Kind: store.TripwireFeed, QuestionID: 42,
		Op: "<=", Value: 1.5e6, Owner: "j", Action: store.Text{"zh": "通知团队。"}, State: store.TripwireFired, FiredAt: &firedAt, FiredValue: &low}
	var out []store.Event
	for _, tr := range []store.Tournament{{ID: 1, Slug: "us", Title: store.Text{"en": "2016 & <x>"}}, {ID: 2, Slug: "zh", Title: store.Text{"zh": "中文杯"}},
		{ID: 3, Slug: "n"}, {ID: 4, Slug: "x", Title: store.Text{"en": "E", "zh": "中"}, Extra: []byte(`{"language":"zh"}`)}} {
		out = append(out,
			store.Event{Name: "question.opened", At: at, Tournament: tr, Question: &q},
			store.Event{Name: "question.closing", At: at, Tournament: tr, Question: &q, Crowd: crowd},
			store.Event{Name: "question.resolved", At: at, Tournament: tr, Question: &rq, Crowd: crowd},
			store.Event{Name: "question.annulled", At: at, Tournament: tr, Question: &aq},
			store.Event{Name: "question.annulled", At: at, Tournament: tr, Question: &aq2},
			store.Event{Name: "question.reopened", At: at, Tournament: tr, Question: &q},
			store.Event{Name: "question.proposed", At: at, Tournament: tr, Question: &q, Detail: store.Proposal{Outcome: 0,
				Value: 0.5231, URL: "https://data.example/a.json", SHA256: "ab12", FetchedAt: res, ChallengeUntil: at.Add(48 * time.Hour)}},
			store.Event{Name: "crowd.moved", At: at, Tournament: tr, Question: &q, Crowd: crowd, Detail: crowdMove{From: prev}},
			store.Event{Name: "crowd.moved", At: at, Tournament: tr, Question: &q, Crowd: crowd},
			store.Event{Name: "leaderboard.top_changed", At: at, Tournament: tr, Detail: []TopEntry{{Rank: 1, UserID: 5, Username: "k", DisplayName: "Kramer", Brier: 0.1234, Relative: -0.05}, {Rank: 2, UserID: 6, Username: "j", DisplayName: "J", Brier: 0.2}}},
			store.Event{Name: "leaderboard.top_changed", At: at, Tournament: tr},
			store.Event{Name: "tripwire.fired", At: at, Tournament: tr, Question: &q, Detail: crowdWire},
			store.Event{Name: "tripwire.fired", At: at, Tournament: tr, Question: &q, Detail: feedWire},
		)
	}
	return out
}
