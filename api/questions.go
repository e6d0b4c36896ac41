package api

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

type optionDTO struct {
	Label       store.Text `json:"label"`
	Slug        string     `json:"slug,omitempty"`
	Description store.Text `json:"description,omitempty"`
}

type resolutionDTO struct {
	Outcome    *int   `json:"outcome,omitempty"`
	ResolvedAt string `json:"resolved_at,omitempty" format:"date-time"`
	// Readers are told when an answer changed.
	CorrectedAt string `json:"corrected_at,omitempty" format:"date-time" doc:"when the outcome or its date was last corrected; absent if never"`
	Annulled    bool   `json:"annulled,omitempty"`
	Reason      string `json:"reason,omitempty" doc:"why it was annulled, as one string (the English text when the reason was given in both languages)"`
	// The reason in each language, shaped as titles are.
	ReasonI18n store.Text `json:"reason_i18n,omitempty" doc:"why it was annulled, in each language given (en, zh); absent when only the plain reason was given"`
}

type crowdDTO struct {
	Probabilities []float64 `json:"probabilities"`
	Forecasters   int       `json:"forecasters"`
}

type questionDTO struct {
	ID         int64          `json:"id"`
	Tournament string         `json:"tournament"`
	Slug       string         `json:"slug"`
	Kind       string         `json:"kind" enum:"binary,multiple_choice,ordered"`
	Title      store.Text     `json:"title"`
	Criteria   store.Text     `json:"criteria"`
	Options    []optionDTO    `json:"options"`
	Area       string         `json:"area"`
	OpensAt    string         `json:"opens_at" format:"date-time"`
	ClosesAt   string         `json:"closes_at" format:"date-time"`
	State      string         `json:"state" enum:"upcoming,open,closed,resolved,annulled"`
	Resolution *resolutionDTO `json:"resolution"`
	Crowd      *crowdDTO      `json:"crowd"`
	// The count is shown where the crowd is withheld (see forecasterCount).
	Forecasters       int             `json:"forecasters" doc:"how many forecasters have forecast on the question; given even when crowd is null below the crowd minimum"`
	MyForecast        json.RawMessage `json:"my_forecast,omitempty" schema:"forecastOrNull" doc:"the caller's latest forecast, null before the first; absent without a token"`
	ResolutionSource  []string        `json:"resolution_source"`
	ResolveBy         *string         `json:"resolve_by"`
	ReferenceForecast json.RawMessage `json:"reference_forecast" schema:"referenceForecast"`
	Signals           json.RawMessage `json:"signals" schema:"signals"`
	// Forecasters see that a question changed after they read it.
	EditedAt  string        `json:"edited_at,omitempty" format:"date-time" doc:"when an admin last edited the question; absent if never"`
	Condition *conditionDTO `json:"condition" doc:"for a branch of a conditional pair: the indicator and the outcome it assumes; null otherwise"`
	Mirrors   *int64        `json:"mirrors" doc:"for a branch of a conditional pair: the scenario question whose outcome it takes; null otherwise"`
	Proposal  *proposalDTO  `json:"proposal" doc:"the outcome the server proposes from the question's data feed, open to challenges; null when none is pending"`
}

func toQuestionDTO(q *store.Question, state string) questionDTO {
	out := questionDTO{ID: q.ID, Tournament: q.TournamentSlug, Slug: q.Slug, Kind: q.Kind.String(),
		Title: q.Title, Criteria: q.Criteria, Area: q.Area, OpensAt: formatTime(q.OpensAt),
		ClosesAt: formatTime(q.ClosesAt), State: state, Options: make([]optionDTO, len(q.Options)),
		ResolutionSource: q.Extra.ResolutionSource, ReferenceForecast: jsonOrNull(q.Extra.ReferenceForecast),
		Signals: jsonOrNull(q.Extra.Signals)}
	for i, o := range q.Options {
		out.Options[i] = optionDTO{Label: o.Label, Slug: o.Slug, Description: o.Description}
	}
	if out.ResolutionSource == nil {
		out.ResolutionSource = []string{}
	}
	if !q.EditedAt.IsZero() {
		out.EditedAt = formatTime(q.EditedAt)
	}
	out.Condition, out.Mirrors = toConditionDTO(q)
	if q.Extra.ResolveBy != "" {
		out.ResolveBy = &q.Extra.ResolveBy
	}
	switch {
	case q.Annulled:
		out.Resolution = &resolutionDTO{Annulled: true, Reason: q.AnnulReason, ReasonI18n: reasonI18n(q.AnnulReason, q.AnnulReasonText)}
	case q.Resolution != nil:
		o := q.Resolution.Outcome
		out.Resolution = &resolutionDTO{Outcome: &o, ResolvedAt: formatTime(q.Resolution.ResolvedAt)}
		if at := q.Resolution.CorrectedAt; !at.IsZero() {
			out.Resolution.CorrectedAt = formatTime(at)
		}
	}
	return out
}

func jsonOrNull(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage("null")
	}
	return m
}

// questionView is a question as a caller sees it now: derived state, the
// crowd forecast and, with a token, the caller's latest forecast.
func (s *Server) questionView(c *fiber.Ctx, q *store.Question) (questionDTO, error) {
	if err := s.crowd.Sync(c.UserContext()); err != nil {
		return questionDTO{}, err
	}
	v, err := s.syncedView(c, q)
	if err != nil {
		return v, err
	}
	return v, s.withProposal(c.UserContext(), &v)
}

// syncedView is questionView once the crowd cache is up to date: a
// tournament's questions share one sync.
func (s *Server) syncedView(c *fiber.Ctx, q *store.Question) (questionDTO, error) {
	out := toQuestionDTO(q, q.State(s.now()))
	crowd, n := s.crowd.Shown(q.ID)
	if crowd != nil {
		out.Crowd = &crowdDTO{Probabilities: crowd, Forecasters: n}
	}
	out.Forecasters = n
	if p, ok := caller(c); ok {
		// Signed in: my_forecast is present, null until the first forecast.
		// The crowd cache knows which forecast is the latest; one primary
		// key lookup fetches it.
		out.MyForecast = json.RawMessage("null")
		if id := s.crowd.LatestID(q.ID, p.ID); id != 0 {
			f, err := s.cfg.Store.FindForecast(c.UserContext(), id)
			if err != nil {
				return out, err
			}
			if out.MyForecast, err = json.Marshal(toForecastDTO(f)); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

type questionRequest struct {
	Slug     *string         `json:"slug"`
	Kind     *string         `json:"kind" enum:"binary,multiple_choice,ordered"`
	Title    store.Text      `json:"title"`
	Criteria store.Text      `json:"criteria"`
	Options  []optionRequest `json:"options"`
	Area     *string         `json:"area"`
	OpensAt  *string         `json:"opens_at" format:"date-time"`
	ClosesAt *string         `json:"closes_at" format:"date-time"`
	// extensions beyond the first API version, as the seed has them
	ResolutionSource  []string        `json:"resolution_source"`
	ResolveBy         *string         `json:"resolve_by"`
	ReferenceForecast json.RawMessage `json:"reference_forecast" schema:"referenceForecast"`
}

type optionRequest struct {
	Label       store.Text `json:"label"`
	Slug        string     `json:"slug"`
	Description store.Text `json:"description"`
}

func (r questionRequest) toQuestion() (store.Question, error) {
	var q store.Question
	if r.Kind == nil {
		return q, invalid("kind", "kind is required: binary, multiple_choice or ordered")
	}
	kind, err := scoring.ParseKind(*r.Kind)
	if err != nil {
		return q, invalid("kind", "kind must be binary, multiple_choice or ordered")
	}
	if kind != scoring.Binary && r.Options == nil {
		return q, invalid("options", "options are required (2-20) for a "+kind.String()+" question")
	}
	opens, err := parseTime("opens_at", r.OpensAt, true)
	if err != nil {
		return q, err
	}
	closes, err := parseTime("closes_at", r.ClosesAt, true)
	if err != nil {
		return q, err
	}
	q = store.Question{Kind: kind, Title: r.Title, Criteria: r.Criteria, OpensAt: opens, ClosesAt: closes,
		Extra: store.QuestionExtra{ResolutionSource: r.ResolutionSource, ReferenceForecast: r.ReferenceForecast}}
	if r.Slug != nil {
		q.Slug = *r.Slug
		if q.Slug == "" {
			return q, invalid("slug", "slug must be 1-64 characters of a-z 0-9 -")
		}
	}
	if r.Area != nil {
		q.Area = strings.TrimSpace(*r.Area)
	}
	if r.ResolveBy != nil {
		q.Extra.ResolveBy = *r.ResolveBy
	}
	for _, o := range r.Options {
		if utf8.RuneCountInString(o.Slug) > 64 {
			return q, invalid("options", "option slugs are at most 64 characters")
		}
		q.Options = append(q.Options, store.Option{Label: o.Label, Slug: o.Slug, Description: o.Description})
	}
	if len(r.ReferenceForecast) > 0 && string(r.ReferenceForecast) != "null" && !json.Valid(r.ReferenceForecast) {
		return q, invalid("reference_forecast", "reference_forecast is not valid JSON")
	}
	return q, store.ValidateQuestion(&q)
}

func (s *Server) createQuestion(c *fiber.Ctx, req *questionRequest) (questionDTO, error) {
	ctx := c.UserContext()
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, c.Params("slug"))
	if err != nil {
		return questionDTO{}, err
	}
	q, err := req.toQuestion()
	if err != nil {
		return questionDTO{}, err
	}
	q.TournamentID = t.ID
	p, _ := caller(c)
	q, err = s.cfg.Store.CreateQuestion(ctx, q, p.ID)
	if err != nil {
		return questionDTO{}, err
	}
	return s.questionView(c, &q)
}

func (s *Server) loadQuestion(c *fiber.Ctx) (store.Question, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return store.Question{}, notFound("no such question")
	}
	return s.cfg.Store.FindQuestion(c.UserContext(), id)
}

func (s *Server) getQuestion(c *fiber.Ctx) (questionDTO, error) {
	q, err := s.cachedQuestion(c)
	if err != nil {
		return questionDTO{}, err
	}
	return s.questionView(c, &q)
}

type resolveRequest struct {
	Outcome    *int    `json:"outcome" required:"true" doc:"the index of the option that happened (binary: 0 Yes, 1 No)"`
	ResolvedAt *string `json:"resolved_at" format:"date-time" doc:"when the answer became known (default: now on a first resolution, the current resolved_at on a correction)"`
}

func (s *Server) resolveQuestion(c *fiber.Ctx, req *resolveRequest) (questionDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return questionDTO{}, err
	}
	if q.Annulled {
		return questionDTO{}, conflict("question is annulled")
	}
	if req.Outcome == nil {
		return questionDTO{}, invalid("outcome", "outcome (an option index) is required")
	}
	if *req.Outcome < 0 || *req.Outcome >= len(q.Options) {
		return questionDTO{}, invalid("outcome", "outcome must be an option index from 0 to "+strconv.Itoa(len(q.Options)-1))
	}
	now := s.now()
	at, err := parseTime("resolved_at", req.ResolvedAt, false)
	if err != nil {
		return questionDTO{}, err
	}
	if at.IsZero() {
		at = now
		if q.Resolution != nil {
			// A correction that omits resolved_at keeps the answer's date:
			// moving it silently would change every score.
			at = q.Resolution.ResolvedAt
		}
	}
	if at.Before(q.OpensAt) {
		return questionDTO{}, invalid("resolved_at", "resolved_at must not be before the question opens ("+formatTime(q.OpensAt)+")")
	}
	if at.After(now) {
		return questionDTO{}, invalid("resolved_at", "resolved_at must not be in the future")
	}
	p, _ := caller(c)
	q, err = s.cfg.Store.ResolveQuestion(c.UserContext(), q.ID, store.Resolution{Outcome: *req.Outcome, ResolvedAt: at, CorrectedAt: now}, p.ID)
	if err != nil {
		return questionDTO{}, err
	}
	return s.questionView(c, &q)
}

type annulRequest struct {
	Reason     *string    `json:"reason" doc:"why, as one string, up to 2000 characters; required unless reason_i18n is given"`
	ReasonI18n store.Text `json:"reason_i18n" doc:"why, in each language (en, zh) as a title is given, up to 2000 characters each; required unless reason is given"`
}

func (s *Server) annulQuestion(c *fiber.Ctx, req *annulRequest) (questionDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return questionDTO{}, err
	}
	if q.Annulled {
		return questionDTO{}, conflict("question is already annulled")
	}
	reason, text, err := req.reasons()
	if err != nil {
		return questionDTO{}, err
	}
	p, _ := caller(c)
	q, err = s.cfg.Store.AnnulQuestionIn(c.UserContext(), q.ID, reason, text, p.ID)
	if err != nil {
		return questionDTO{}, err
	}
	return s.questionView(c, &q)
}

// cachedQuestion loads the question in the path from memory when its
// revision has not moved: one indexed lookup instead of a join and the
// decoding of its (long, bilingual) texts.
func (s *Server) cachedQuestion(c *fiber.Ctx) (store.Question, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return store.Question{}, notFound("no such question")
	}
	rev, err := s.cfg.Store.QuestionRevision(c.UserContext(), id)
	if err != nil {
		return store.Question{}, err
	}
	if v, ok := s.questions.Load(id); ok {
		if q := v.(store.Question); q.Revision == rev {
			return q, nil
		}
	}
	q, err := s.cfg.Store.FindQuestion(c.UserContext(), id)
	if err != nil {
		return q, err
	}
	s.questions.Store(id, q)
	return q, nil
}
