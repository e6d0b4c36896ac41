package webhook

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"signpost/api/safehttp"
	"signpost/store"
)

type payloadTournament struct {
	Slug  string     `json:"slug"`
	Title store.Text `json:"title"`
}

type payloadResolution struct {
	Outcome    *int       `json:"outcome,omitempty"`
	ResolvedAt string     `json:"resolved_at,omitempty"`
	Annulled   bool       `json:"annulled,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	ReasonI18n store.Text `json:"reason_i18n,omitempty"`
}

type payloadQuestion struct {
	ID         int64              `json:"id"`
	Title      store.Text         `json:"title"`
	URL        string             `json:"url"`
	State      string             `json:"state"`
	Crowd      *store.Crowd       `json:"crowd"`
	Resolution *payloadResolution `json:"resolution"`
	Proposal   *payloadProposal   `json:"proposal,omitempty"`
}

// payloadProposal is the outcome the server proposes from a feed (the
// question.proposed event).
type payloadProposal struct {
	Outcome        int     `json:"outcome"`
	Value          float64 `json:"value"`
	Source         string  `json:"source"`
	SHA256         string  `json:"sha256"`
	FetchedAt      string  `json:"fetched_at"`
	ChallengeUntil string  `json:"challenge_until"`
}

type payloadUser struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

type payloadEntry struct {
	Rank     int         `json:"rank"`
	User     payloadUser `json:"user"`
	Brier    float64     `json:"brier"`
	Relative float64     `json:"relative"`
}

type payloadLeaderboard struct {
	Top []payloadEntry `json:"top"`
}

type payload struct {
	Event       string              `json:"event"`
	OccurredAt  string              `json:"occurred_at"`
	Tournament  payloadTournament   `json:"tournament"`
	Question    *payloadQuestion    `json:"question,omitempty"`
	Leaderboard *payloadLeaderboard `json:"leaderboard,omitempty"`
	Tripwire    *payloadTripwire    `json:"tripwire,omitempty"`
}

func questionURL(base string, id int64) string {
	return strings.TrimRight(base, "/") + "/#/q/" + strconv.FormatInt(id, 10)
}

// renderJSON builds the generic JSON body of an event.
func renderJSON(ev store.Event, base string) (string, error) {
	title := ev.Tournament.Title
	if title == nil {
		title = store.Text{}
	}
	p := payload{Event: ev.Name, OccurredAt: ev.At.UTC().Format(time.RFC3339Nano),
		Tournament: payloadTournament{Slug: ev.Tournament.Slug, Title: title}}
	if q := ev.Question; q != nil {
		pq := &payloadQuestion{ID: q.ID, Title: q.Title, URL: questionURL(base, q.ID), State: q.State(ev.At), Crowd: ev.Crowd}
		switch {
		case q.Annulled:
			pq.Resolution = &payloadResolution{Annulled: true, Reason: q.AnnulReason, ReasonI18n: q.AnnulReasonText}
		case q.Resolution != nil:
			o := q.Resolution.Outcome
			pq.Resolution = &payloadResolution{Outcome: &o, ResolvedAt: q.Resolution.ResolvedAt.UTC().Format(time.RFC3339Nano)}
		}
		if pr, ok := ev.Detail.(store.Proposal); ok {
			pq.Proposal = &payloadProposal{Outcome: pr.Outcome, Value: pr.Value, Source: safehttp.Redact(pr.URL), SHA256: pr.SHA256,
				FetchedAt: pr.FetchedAt.UTC().Format(time.RFC3339Nano), ChallengeUntil: pr.ChallengeUntil.UTC().Format(time.RFC3339Nano)}
		}
		p.Question = pq
	}
	if ev.Name == TopChanged {
		p.Leaderboard = &payloadLeaderboard{Top: []payloadEntry{}}
		top, _ := ev.Detail.([]TopEntry)
		for _, e := range top {
			p.Leaderboard.Top = append(p.Leaderboard.Top, payloadEntry{Rank: e.Rank, Brier: e.Brier, Relative: e.Relative,
				User: payloadUser{ID: e.UserID, Username: e.Username, DisplayName: e.DisplayName}})
		}
	}
	if t, ok := ev.Detail.(store.Tripwire); ok && ev.Name == TripwireFired {
		p.Tripwire = toPayloadTripwire(t)
	}
	b, err := json.Marshal(p)
	return string(b), err
}
