package store

import (
	"encoding/json"
	"time"

	"signpost/scoring"
)

// Text is localised text keyed by language ("en", "zh").
type Text map[string]string

// Roles a user may have.
const (
	RoleForecaster = "forecaster"
	RoleAdmin      = "admin"
)

// User is an account.
type User struct {
	ID           int64
	Username     string
	DisplayName  string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	// Disabled accounts cannot sign in, and their tokens are refused.
	Disabled bool
	// TokenVersion is written into every token; raising it revokes every
	// token issued before.
	TokenVersion int64
	// Bot marks an account an AI forecaster uses.
	Bot bool
}

// Tournament groups questions.
type Tournament struct {
	ID          int64
	Slug        string
	Title       Text
	Description Text
	StartsAt    time.Time
	EndsAt      time.Time
	// Extra holds what the seed carries beyond the API's fields (areas,
	// source, definitions) as a JSON object.
	Extra        json.RawMessage
	ScoreVersion int64
	// ConditionalsOnMain counts the tournament's conditional branches on
	// its main leaderboard too; they always have their own.
	ConditionalsOnMain bool
	// CrowdAggregate names the aggregate the tournament's crowd is
	// (scoring.ParseAggregate spells them); "" is read as "median".
	CrowdAggregate string
}

// Option is one answer of a question.
type Option struct {
	Label       Text   `json:"label"`
	Slug        string `json:"slug,omitempty"`
	Description Text   `json:"description,omitempty"`
}

// Resolution is a question's answer.
type Resolution struct {
	Outcome    int
	ResolvedAt time.Time
	// CorrectedAt is when the answer was last corrected (zero: never). On a
	// ResolveQuestion call it is the moment of the call; it is kept only
	// when the question was already resolved.
	CorrectedAt time.Time
}

// QuestionExtra holds seed fields beyond the API's question fields.
type QuestionExtra struct {
	ResolutionSource  []string        `json:"resolution_source,omitempty"`
	ResolveBy         string          `json:"resolve_by,omitempty"`
	Signals           json.RawMessage `json:"signals,omitempty" schema:"signals"`
	ReferenceForecast json.RawMessage `json:"reference_forecast,omitempty" schema:"referenceForecast"`
	PreOpenCheck      string          `json:"pre_open_check,omitempty"`
}

// Question is one forecasting question.
type Question struct {
	ID             int64
	TournamentID   int64
	TournamentSlug string
	Slug           string
	Position       int
	Kind           scoring.Kind
	Title          Text
	Criteria       Text
	Options        []Option
	Area           string
	OpensAt        time.Time
	ClosesAt       time.Time
	Resolution     *Resolution
	Annulled       bool
	AnnulReason    string
	// AnnulReasonText is the annul reason in each language given (en, zh);
	// empty when only the plain AnnulReason was given.
	AnnulReasonText Text
	Extra           QuestionExtra
	Revision        int64
	// EditedAt is when an admin last edited the text or dates (zero: never).
	EditedAt time.Time
	// Condition and Mirrors are set on the branches of a conditional pair
	// (see CreateConditionalPair) and nil / 0 on ordinary questions.
	Condition *Condition
	Mirrors   int64
}

// Question states, derived from time and admin actions.
const (
	StateUpcoming = "upcoming"
	StateOpen     = "open"
	StateClosed   = "closed"
	StateResolved = "resolved"
	StateAnnulled = "annulled"
)

// State derives the question's state at now.
func (q *Question) State(now time.Time) string {
	return stateAt(q.Annulled, q.Resolution != nil, q.OpensAt, q.ClosesAt, now)
}

// stateAt is the question-state rule, the one place it is written: an
// annulment outranks a resolution, which outranks the clock; a question is
// open on [opens_at, closes_at). The forecast writer's insertIfOpenSQL
// states the open case in SQL and must agree.
func stateAt(annulled, resolved bool, opensAt, closesAt, now time.Time) string {
	switch {
	case annulled:
		return StateAnnulled
	case resolved:
		return StateResolved
	case now.Before(opensAt):
		return StateUpcoming
	case now.Before(closesAt):
		return StateOpen
	}
	return StateClosed
}

// ScoringQuestion is the question as the scoring package sees it.
func (q *Question) ScoringQuestion() scoring.Question {
	sq := scoring.Question{Kind: q.Kind, Options: len(q.Options), OpensAt: q.OpensAt, ClosesAt: q.ClosesAt}
	if q.Resolution != nil {
		sq.ResolvedAt = q.Resolution.ResolvedAt
		sq.Outcome = q.Resolution.Outcome
	}
	return sq
}

// Forecast is one probability forecast; forecasts are append-only.
type Forecast struct {
	ID           int64
	QuestionID   int64
	TournamentID int64
	UserID       int64
	Probs        []float64
	Rationale    string
	CreatedAt    time.Time
}

// Team is a group of users within one tournament.
type Team struct {
	ID           int64
	TournamentID int64
	Name         string
	InviteCode   string
	Members      []int64
}

// AuditEntry records one admin action.
type AuditEntry struct {
	ID            int64
	TournamentID  int64
	QuestionID    int64
	ActorID       int64
	ActorUsername string
	Action        string
	Old           json.RawMessage
	New           json.RawMessage
	Reason        string
	// ReasonText is the reason in each language given (annulments).
	ReasonText Text
	CreatedAt  time.Time
}

// BinaryOptions are the fixed options of every binary question: index 0 is Yes.
func BinaryOptions() []Option {
	return []Option{{Label: Text{"en": "Yes", "zh": "是"}}, {Label: Text{"en": "No", "zh": "否"}}}
}
