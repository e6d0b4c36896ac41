package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

// The webhook events the store fires itself, inside the transaction of
// the change or by the clock; package api/webhook lists them all.
const (
	EventQuestionOpened   = "question.opened"
	EventQuestionClosing  = "question.closing"
	EventQuestionResolved = "question.resolved"
	EventQuestionAnnulled = "question.annulled"
	// EventQuestionReopened: a conditional branch the server had resolved
	// or annulled is open again, after a correction of its indicator.
	EventQuestionReopened = "question.reopened"
)

// ClosingNotice is how long before a question closes question.closing fires.
const ClosingNotice = 24 * time.Hour

// EventOptions configure the messages events become.
type EventOptions struct {
	// Now is the clock that stamps deliveries (default the store's).
	Now func() time.Time
	// Render turns an event into the generic JSON body and the chat text
	// its deliveries carry. It runs inside the event's transaction, so a
	// change and its deliveries commit together; the store knows no
	// message format of its own (package api/webhook injects its own).
	// Without it, an event with subscribers fails its transaction rather
	// than be lost.
	Render func(Event) (payload, message string, err error)
	// CrowdEstablished, when positive, makes an event's Crowd count its
	// Established forecasters: accounts at least this old with a forecast
	// on another question (see EstablishedForecasters).
	CrowdEstablished time.Duration
}

// eventConfig holds the store's EventOptions.
type eventConfig struct {
	mu   sync.RWMutex
	opts EventOptions
}

// SetEventOptions sets the clock and the renderer of webhook messages.
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
	// Established is how many of the forecasters count toward the crowd
	// minimum (see EventOptions.CrowdEstablished); never sent.
	Established int `json:"-"`
}

// Event is something a tournament's webhooks are told about, as data: the
// renderer of EventOptions (package api/webhook) makes it a message.
type Event struct {
	Name       string
	At         time.Time
	Tournament Tournament
	Question   *Question
	Crowd      *Crowd
	// Detail is what a detector of package api/webhook adds for its
	// renderer (a crowd's previous value, a leaderboard's top), in that
	// package's own types: the store only passes it through.
	Detail any
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
	if o.Render == nil {
		return errors.New("store: no webhook renderer set (EventOptions.Render)")
	}
	body, text, err := o.Render(ev)
	if err != nil {
		return err
	}
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
// and the notices of its forecasters, inside the change's transaction.
func (s *Store) questionEvent(tx *gorm.DB, name string, q Question) error {
	return s.questionEventWith(tx, name, q, nil)
}

// questionEventWith is questionEvent with a detail for the renderer.
func (s *Store) questionEventWith(tx *gorm.DB, name string, q Question, detail any) error {
	if err := s.noticeQuestionChange(tx, name, q); err != nil {
		return err
	}
	t, err := findTournament(tx, "id = ?", q.TournamentID)
	if err != nil {
		return err
	}
	now := s.eventOptions().Now()
	hooks, err := subscribers(tx, t.ID, name, now)
	if err != nil || len(hooks) == 0 {
		return err // no one listens: spare the crowd's query
	}
	crowd, err := s.crowdAt(tx, q, now)
	if err != nil {
		return err
	}
	return s.enqueueTo(tx, hooks, Event{Name: name, At: now, Tournament: t, Question: &q, Crowd: crowd, Detail: detail})
}

// crowdAt is the question's crowd from each forecaster's latest forecast
// before at (or before the close, if earlier); nil without forecasts.
func (s *Store) crowdAt(tx *gorm.DB, q Question, at time.Time) (*Crowd, error) {
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
	c := &Crowd{Probabilities: scoring.Crowd(ps), Forecasters: len(ps), Established: len(ps)}
	if age := s.eventOptions().CrowdEstablished; age > 0 {
		n, err := countEstablished(tx, q.ID, micros(at), at.Add(-age))
		if err != nil {
			return nil, err
		}
		c.Established = n
	}
	return c, nil
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
	crowd, err := s.crowdAt(tx, q, now)
	if err != nil {
		return err
	}
	return s.enqueueTo(tx, hooks, Event{Name: name, At: at, Tournament: t, Question: &q, Crowd: crowd})
}
