package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

// Webhook events.
const (
	EventQuestionOpened   = "question.opened"
	EventQuestionClosing  = "question.closing"
	EventQuestionResolved = "question.resolved"
	EventQuestionAnnulled = "question.annulled"
	// EventQuestionReopened: a conditional branch the server had resolved
	// or annulled is open again, after a correction of its indicator.
	EventQuestionReopened = "question.reopened"
	EventTopChanged       = "leaderboard.top_changed"
	EventCrowdMoved       = "crowd.moved"
)

// WebhookEvents lists the events a webhook may subscribe to.
var WebhookEvents = []string{EventQuestionOpened, EventQuestionClosing, EventQuestionResolved,
	EventQuestionAnnulled, EventQuestionReopened, EventTopChanged, EventCrowdMoved}

// ClosingNotice is how long before a question closes question.closing fires.
const ClosingNotice = 24 * time.Hour

// EventOptions configure the messages events become.
type EventOptions struct {
	// Now is the clock that stamps deliveries (default the store's).
	Now func() time.Time
	// PublicURL is the server's address as users reach it, for links in
	// messages ("" leaves links relative).
	PublicURL string
}

// eventConfig holds the store's EventOptions.
type eventConfig struct {
	mu   sync.RWMutex
	opts EventOptions
}

// SetEventOptions sets the clock and public address webhook messages use.
func (s *Store) SetEventOptions(o EventOptions) {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	s.events.opts = o
}

func (s *Store) eventOptions() EventOptions {
	s.events.mu.RLock()
	defer s.events.mu.RUnlock()
	o := s.events.opts
	if o.Now == nil {
		o.Now = s.now
	}
	return o
}

// Crowd is a question's crowd forecast and how many forecasters make it.
type Crowd struct {
	Probabilities []float64 `json:"probabilities"`
	Forecasters   int       `json:"forecasters"`
}

// TopEntry is one line of a leaderboard's top.
type TopEntry struct {
	Rank        int
	UserID      int64
	Username    string
	DisplayName string
	Brier       float64
	Relative    float64
}

// Event is something a tournament's webhooks are told about.
type Event struct {
	Name       string
	At         time.Time
	Tournament Tournament
	Question   *Question
	Crowd      *Crowd
	// PrevCrowd is the crowd a crowd.moved event moved from.
	PrevCrowd *Crowd
	// Top is the new top of the leaderboard (leaderboard.top_changed).
	Top []TopEntry
}

// Language is the language of a tournament's messages: its extra
// "language" ("en" or "zh") when set, else English when its title has
// English, else Chinese.
func Language(t Tournament) string {
	var extra struct {
		Language string `json:"language"`
	}
	if json.Unmarshal(t.Extra, &extra) == nil && (extra.Language == "en" || extra.Language == "zh") {
		return extra.Language
	}
	if t.Title["en"] != "" {
		return "en"
	}
	return "zh"
}

// pick returns text in lang, falling back to the other language.
func pick(t Text, lang string) string {
	if v := t[lang]; v != "" {
		return v
	}
	for _, l := range Languages {
		if t[l] != "" {
			return t[l]
		}
	}
	return ""
}

type payloadTournament struct {
	Slug  string `json:"slug"`
	Title Text   `json:"title"`
}

type payloadResolution struct {
	Outcome    *int   `json:"outcome,omitempty"`
	ResolvedAt string `json:"resolved_at,omitempty"`
	Annulled   bool   `json:"annulled,omitempty"`
	Reason     string `json:"reason,omitempty"`
	ReasonI18n Text   `json:"reason_i18n,omitempty"`
}

type payloadQuestion struct {
	ID         int64              `json:"id"`
	Title      Text               `json:"title"`
	URL        string             `json:"url"`
	State      string             `json:"state"`
	Crowd      *Crowd             `json:"crowd"`
	Resolution *payloadResolution `json:"resolution"`
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
}

func questionURL(base string, id int64) string {
	return strings.TrimRight(base, "/") + "/#/q/" + strconv.FormatInt(id, 10)
}

// render builds the generic JSON body of an event.
func render(ev Event, base string) (string, error) {
	p := payload{Event: ev.Name, OccurredAt: ev.At.UTC().Format(time.RFC3339Nano),
		Tournament: payloadTournament{Slug: ev.Tournament.Slug, Title: orEmpty(ev.Tournament.Title)}}
	if q := ev.Question; q != nil {
		pq := &payloadQuestion{ID: q.ID, Title: q.Title, URL: questionURL(base, q.ID), State: q.State(ev.At), Crowd: ev.Crowd}
		switch {
		case q.Annulled:
			pq.Resolution = &payloadResolution{Annulled: true, Reason: q.AnnulReason, ReasonI18n: q.AnnulReasonText}
		case q.Resolution != nil:
			o := q.Resolution.Outcome
			pq.Resolution = &payloadResolution{Outcome: &o, ResolvedAt: q.Resolution.ResolvedAt.UTC().Format(time.RFC3339Nano)}
		}
		p.Question = pq
	}
	if ev.Name == EventTopChanged {
		p.Leaderboard = &payloadLeaderboard{Top: []payloadEntry{}}
		for _, e := range ev.Top {
			p.Leaderboard.Top = append(p.Leaderboard.Top, payloadEntry{Rank: e.Rank, Brier: e.Brier, Relative: e.Relative,
				User: payloadUser{ID: e.UserID, Username: e.Username, DisplayName: e.DisplayName}})
		}
	}
	return encodeJSON(p)
}

// messages are the chat texts of each event, by language; %[1]s is the
// tournament, %[2]s the question, %[3]s the detail.
var messages = map[string]map[string]string{
	"en": {
		EventQuestionOpened:   "[%[1]s] Open for forecasts: %[2]s",
		EventQuestionClosing:  "[%[1]s] Closes in 24 hours: %[2]s (%[3]s)",
		EventQuestionResolved: "[%[1]s] Resolved: %[2]s. Answer: %[3]s",
		EventQuestionAnnulled: "[%[1]s] Annulled: %[2]s. Reason: %[3]s",
		EventQuestionReopened: "[%[1]s] Open for forecasts again: %[2]s",
		EventTopChanged:       "[%[1]s] The leaderboard's top 3 changed: %[3]s",
		EventCrowdMoved:       "[%[1]s] The crowd moved on %[2]s: %[3]s",
	},
	"zh": {
		EventQuestionOpened:   "【%[1]s】开放预测：%[2]s",
		EventQuestionClosing:  "【%[1]s】24 小时内截止：%[2]s（%[3]s）",
		EventQuestionResolved: "【%[1]s】已结算：%[2]s。结果：%[3]s",
		EventQuestionAnnulled: "【%[1]s】已作废：%[2]s。原因：%[3]s",
		EventQuestionReopened: "【%[1]s】重新开放预测：%[2]s",
		EventTopChanged:       "【%[1]s】排行榜前三名变化：%[3]s",
		EventCrowdMoved:       "【%[1]s】群体预测变化：%[2]s：%[3]s",
	},
}

// message renders an event's chat text in the tournament's language.
func message(ev Event, base string) string {
	lang := Language(ev.Tournament)
	question, detail := "", ""
	if q := ev.Question; q != nil {
		question = pick(q.Title, lang) + " " + questionURL(base, q.ID)
		switch ev.Name {
		case EventQuestionClosing:
			detail = q.ClosesAt.UTC().Format("2006-01-02 15:04 UTC")
		case EventQuestionResolved:
			if q.Resolution != nil && q.Resolution.Outcome < len(q.Options) {
				detail = pick(q.Options[q.Resolution.Outcome].Label, lang)
			}
		case EventQuestionAnnulled:
			detail = q.AnnulReason
			if len(q.AnnulReasonText) > 0 {
				detail = pick(q.AnnulReasonText, lang)
			}
		case EventCrowdMoved:
			detail = crowdText(q, ev.PrevCrowd, ev.Crowd, lang)
		}
	}
	if ev.Name == EventTopChanged {
		var parts []string
		for _, e := range ev.Top {
			parts = append(parts, fmt.Sprintf("%d. %s (%.3f)", e.Rank, e.DisplayName, e.Brier))
		}
		detail = strings.Join(parts, ", ")
	}
	return fmt.Sprintf(messages[lang][ev.Name], pick(ev.Tournament.Title, lang), question, detail)
}

// crowdText lists each option's crowd probability, before -> after.
func crowdText(q *Question, prev, now *Crowd, lang string) string {
	if now == nil {
		return ""
	}
	var parts []string
	for i, p := range now.Probabilities {
		label := strconv.Itoa(i + 1)
		if i < len(q.Options) {
			label = pick(q.Options[i].Label, lang)
		}
		if prev != nil && i < len(prev.Probabilities) {
			parts = append(parts, fmt.Sprintf("%s %.0f%% → %.0f%%", label, 100*prev.Probabilities[i], 100*p))
		} else {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", label, 100*p))
		}
	}
	sep := ", "
	if lang == "zh" {
		sep = "，"
	}
	return strings.Join(parts, sep)
}

// subscribers are the webhooks of a tournament that subscribe to event and
// existed at at (so a new webhook is not flooded with the past).
func subscribers(tx *gorm.DB, tournamentID int64, event string, at time.Time) ([]webhookRow, error) {
	var rows []webhookRow
	if err := tx.Where("tournament_id = ? AND created_at <= ?", tournamentID, micros(at)).
		Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if slices.Contains(r.toWebhook().Events, event) {
			out = append(out, r)
		}
	}
	return out, nil
}

// enqueue writes one pending delivery of ev per subscriber.
func (s *Store) enqueue(tx *gorm.DB, ev Event) error {
	hooks, err := subscribers(tx, ev.Tournament.ID, ev.Name, ev.At)
	if err != nil {
		return err
	}
	return s.enqueueTo(tx, hooks, ev)
}

func (s *Store) enqueueTo(tx *gorm.DB, hooks []webhookRow, ev Event) error {
	if len(hooks) == 0 {
		return nil
	}
	o := s.eventOptions()
	body, err := render(ev, o.PublicURL)
	if err != nil {
		return err
	}
	text := message(ev, o.PublicURL)
	now := micros(o.Now())
	for _, h := range hooks {
		d := deliveryRow{WebhookID: h.ID, Event: ev.Name, Payload: body, Message: text, Status: DeliveryPending,
			NextAttemptAt: now, CreatedAt: now}
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
	}
	return nil
}

// questionEvent enqueues the event of an admin's change to a question,
// inside the change's transaction.
func (s *Store) questionEvent(tx *gorm.DB, name string, q Question) error {
	t, err := findTournament(tx, "id = ?", q.TournamentID)
	if err != nil {
		return err
	}
	now := s.eventOptions().Now()
	hooks, err := subscribers(tx, t.ID, name, now)
	if err != nil || len(hooks) == 0 {
		return err // no one listens: spare the crowd's query
	}
	crowd, err := crowdAt(tx, q, now)
	if err != nil {
		return err
	}
	return s.enqueueTo(tx, hooks, Event{Name: name, At: now, Tournament: t, Question: &q, Crowd: crowd})
}

// crowdAt is the question's crowd from each forecaster's latest forecast
// before at (or before the close, if earlier); nil without forecasts.
func crowdAt(tx *gorm.DB, q Question, at time.Time) (*Crowd, error) {
	if q.ClosesAt.Before(at) {
		at = q.ClosesAt
	}
	// Each user's latest forecast before at (arrival breaking ties), in
	// SQL both databases speak: no later one of the same user exists.
	var rows []struct {
		Probabilities []byte
		Last          int64
	}
	if err := tx.Raw(`SELECT f.probabilities, f.created_at AS last FROM forecasts f
		WHERE f.question_id = ? AND f.created_at < ? AND NOT EXISTS (SELECT 1 FROM forecasts g
			WHERE g.question_id = f.question_id AND g.user_id = f.user_id AND g.created_at < ?
			AND (g.created_at > f.created_at OR (g.created_at = f.created_at AND g.id > f.id)))`,
		q.ID, micros(at), micros(at)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ps := make([][]float64, 0, len(rows))
	for _, r := range rows {
		p, err := decodeProbs(r.Probabilities)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return &Crowd{Probabilities: scoring.Crowd(ps), Forecasters: len(ps)}, nil
}

// timeEvents are the events that happen by the clock alone: the moment
// each fires at, as SQL over questions q.
var timeEvents = []struct{ name, moment string }{
	{EventQuestionOpened, "q.opens_at"},
	{EventQuestionClosing, "(q.closes_at - " + strconv.FormatInt(ClosingNotice.Microseconds(), 10) + ")"},
}

// NoticeTimeEvents enqueues question.opened and question.closing for every
// question whose moment has come, once each (a mark records it in the same
// transaction), to the webhooks that existed at that moment. It returns how
// many events it noticed.
func (s *Store) NoticeTimeEvents(ctx context.Context, now time.Time) (int, error) {
	// Most rounds find nothing: look on a reader first, so they cost no
	// write transaction on the one writer connection.
	due := 0
	for _, te := range timeEvents {
		ids, err := dueTimeEvents(s.r.WithContext(ctx), te.name, te.moment, now)
		if err != nil {
			return 0, err
		}
		due += len(ids)
	}
	if due == 0 {
		return 0, nil
	}
	n := 0
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, te := range timeEvents {
			ids, err := dueTimeEvents(tx, te.name, te.moment, now)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if err := s.timeEvent(tx, te.name, id, now); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// dueTimeEvents lists the questions whose event is due: still open, the
// moment come and after some webhook's creation, not yet noticed.
func dueTimeEvents(db *gorm.DB, name, moment string, now time.Time) ([]int64, error) {
	var ids []int64
	err := db.Raw(`SELECT DISTINCT q.id FROM questions q JOIN webhooks w ON w.tournament_id = q.tournament_id
		WHERE q.annulled = 0 AND q.outcome IS NULL AND q.closes_at > ? AND `+moment+` <= ?
		AND `+moment+` >= w.created_at
		AND NOT EXISTS (SELECT 1 FROM webhook_marks m WHERE m.key = ? || q.id)`,
		micros(now), micros(now), name+":").Scan(&ids).Error
	return ids, err
}

func (s *Store) timeEvent(tx *gorm.DB, name string, id int64, now time.Time) error {
	q, err := findQuestion(tx, id)
	if err != nil {
		return err
	}
	t, err := findTournament(tx, "id = ?", q.TournamentID)
	if err != nil {
		return err
	}
	if err := setMark(tx, name+":"+strconv.FormatInt(id, 10), "", now); err != nil {
		return err
	}
	at := q.OpensAt
	if name == EventQuestionClosing {
		at = q.ClosesAt.Add(-ClosingNotice)
	}
	hooks, err := subscribers(tx, t.ID, name, at)
	if err != nil || len(hooks) == 0 {
		return err
	}
	crowd, err := crowdAt(tx, q, now)
	if err != nil {
		return err
	}
	return s.enqueueTo(tx, hooks, Event{Name: name, At: at, Tournament: t, Question: &q, Crowd: crowd})
}
