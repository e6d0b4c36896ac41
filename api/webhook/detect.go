package webhook

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"signpost/store"
)

// detector notices one kind of event and enqueues it through the store.
type detector struct {
	name   string // for errors
	notice func(ctx context.Context, now time.Time) error
}

// detectors are the worker's detectors, in the order of each round: a new
// event that is noticed rather than fired by a change is one more here.
func (w *Worker) detectors() []detector {
	return []detector{
		{"time events", w.noticeTime},
		{"leaderboard top", w.noticeTop},
		{"crowds", w.noticeCrowds},
	}
}

// noticeTime fires question.opened and question.closing, which the store
// finds by the clock alone.
func (w *Worker) noticeTime(ctx context.Context, now time.Time) error {
	_, err := w.st.NoticeTimeEvents(ctx, now)
	return err
}

// TopEntry is one line of a leaderboard's top (leaderboard.top_changed
// carries the top as its store.Event Detail).
type TopEntry struct {
	Rank        int
	UserID      int64
	Username    string
	DisplayName string
	Brier       float64
	Relative    float64
}

// crowdMove is the Detail of crowd.moved: the crowd it moved from.
type crowdMove struct {
	From *store.Crowd
}

// topSize is how many leaders leaderboard.top_changed watches.
const topSize = 3

// noticeTop compares each watched tournament's top 3 with the one last
// noted; the first look only notes it, so a new webhook is not told
// about a top that was already there.
func (w *Worker) noticeTop(ctx context.Context, now time.Time) error {
	st := w.st
	if w.src.Top == nil {
		return nil
	}
	ids, err := st.WebhookTournaments(ctx, TopChanged)
	if err != nil {
		return err
	}
	for _, id := range ids {
		t, err := st.FindTournamentByID(ctx, id)
		if err != nil {
			return err
		}
		top, err := w.src.Top(ctx, t, topSize)
		if err != nil {
			return err
		}
		top = top[:min(topSize, len(top))]
		var key []string
		for _, e := range top {
			key = append(key, strconv.Itoa(e.Rank)+":"+strconv.FormatInt(e.UserID, 10))
		}
		value := strings.Join(key, ",")
		markKey := TopChanged + ":" + strconv.FormatInt(id, 10)
		old, _, seen, err := st.Mark(ctx, markKey)
		if err != nil {
			return err
		}
		if seen && old == value {
			continue
		}
		var ev *store.Event
		if seen {
			ev = &store.Event{Name: TopChanged, At: now, Tournament: t, Detail: top}
		}
		if err := st.SetMark(ctx, markKey, value, now, ev); err != nil {
			return err
		}
	}
	return nil
}

// crowdMark is what the worker notes per question for crowd.moved: the
// crowd it last compared against and when it last sent the event.
type crowdMark struct {
	Crowd   store.Crowd `json:"crowd"`
	FiredAt time.Time   `json:"fired_at"`
}

// noticeCrowds sends crowd.moved when an open question's crowd has moved
// more than CrowdPoints percentage points on some option since the last
// message (or since first seen), at most once a day per question.
func (w *Worker) noticeCrowds(ctx context.Context, now time.Time) error {
	st := w.st
	if w.src.Crowd == nil {
		return nil
	}
	ids, err := st.WebhookTournaments(ctx, CrowdMoved)
	if err != nil || len(ids) == 0 {
		return err
	}
	if w.src.SyncCrowds != nil {
		if err := w.src.SyncCrowds(ctx); err != nil {
			return err
		}
	}
	for _, id := range ids {
		t, err := st.FindTournamentByID(ctx, id)
		if err != nil {
			return err
		}
		qs, err := st.ListQuestions(ctx, id)
		if err != nil {
			return err
		}
		for i := range qs {
			if qs[i].State(now) != store.StateOpen {
				continue
			}
			if err := w.noticeCrowd(ctx, t, &qs[i], now); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *Worker) noticeCrowd(ctx context.Context, t store.Tournament, q *store.Question, now time.Time) error {
	probs, n := w.src.Crowd(q.ID) // below the minimum nothing is announced
	if probs == nil {
		return nil
	}
	st := w.st
	// Shown already: every forecaster counts as established for Render.
	cur := store.Crowd{Probabilities: probs, Forecasters: n, Established: n}
	key := CrowdMoved + ":" + strconv.FormatInt(q.ID, 10)
	raw, _, seen, err := st.Mark(ctx, key)
	if err != nil {
		return err
	}
	var m crowdMark
	if seen && json.Unmarshal([]byte(raw), &m) != nil {
		seen = false
	}
	if !seen {
		return st.SetMark(ctx, key, string(rawJSONOf(crowdMark{Crowd: cur})), now, nil)
	}
	if movedPoints(m.Crowd.Probabilities, probs) <= w.cfg.CrowdPoints ||
		(!m.FiredAt.IsZero() && now.Sub(m.FiredAt) < 24*time.Hour) {
		return nil
	}
	prev := m.Crowd
	ev := &store.Event{Name: CrowdMoved, At: now, Tournament: t, Question: q, Crowd: &cur, Detail: crowdMove{From: &prev}}
	return st.SetMark(ctx, key, string(rawJSONOf(crowdMark{Crowd: cur, FiredAt: now})), now, ev)
}

// movedPoints is the largest change of any option's probability, in
// percentage points.
func movedPoints(before, after []float64) float64 {
	if len(before) != len(after) {
		return math.Inf(1)
	}
	moved := 0.0
	for i := range after {
		moved = max(moved, math.Abs(after[i]-before[i])*100)
	}
	return moved
}

func rawJSONOf(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
