package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"signpost/scoring"
)

// TestQuestionNoticesSurviveAStop: a question change whose notices were
// not written when it committed (the process stopped in between) leaves
// its fan-out recorded; DeliverPendingNotices writes them, scored against
// the resolution the change made, once, and forgets the fan-out. A
// fan-out younger than the grace is left to the write that recorded it.
func TestQuestionNoticesSurviveAStop(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	ann, bo := f.users[0], f.users[1]
	f.forecast(t, f.q, ann, 0.8, noticeStart.Add(-5*24*time.Hour))
	f.forecast(t, f.q, bo, 0.3, noticeStart.Add(-3*24*time.Hour))
	f.advance(time.Hour)
	q, err := f.st.ResolveQuestion(ctx, f.q.ID, Resolution{Outcome: 0, ResolvedAt: f.clock()}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.notices(t, ann); len(got) != 1 {
		t.Fatalf("ann's notices after the resolution = %+v; want one", got)
	}
	var pending int64
	if err := f.st.r.Raw("SELECT COUNT(*) FROM notice_fanouts").Scan(&pending).Error; err != nil || pending != 0 {
		t.Fatalf("%d fan-outs left after a delivered change (%v); want 0", pending, err)
	}

	// A correction to outcome 1 committed, then the process stopped.
	at := micros(f.clock())
	one := 1
	stopped := fanoutRow{QuestionID: q.ID, Event: EventQuestionResolved, Revision: q.Revision + 1,
		Outcome: &one, ResolvedAt: &at, CreatedAt: micros(f.clock())}
	if err := f.st.w.Create(&stopped).Error; err != nil {
		t.Fatal(err)
	}
	if n, err := f.st.DeliverPendingNotices(ctx, f.clock()); err != nil || n != 0 {
		t.Fatalf("a fresh fan-out: delivered %d (%v); want it left to its write", n, err)
	}
	later := f.clock().Add(2 * fanoutGrace)
	if n, err := f.st.DeliverPendingNotices(ctx, later); err != nil || n != 1 {
		t.Fatalf("delivered %d (%v); want the one left behind", n, err)
	}
	if n, err := f.st.DeliverPendingNotices(ctx, later); err != nil || n != 0 {
		t.Fatalf("delivered %d again (%v); want 0", n, err)
	}
	got := f.notices(t, ann)
	if len(got) != 2 || got[0].Kind != NoticeResolved {
		t.Fatalf("ann's notices = %+v; want the correction's and the resolution's", got)
	}
	var data struct {
		Outcome int     `json:"outcome"`
		Brier   float64 `json:"brier"`
	}
	if err := json.Unmarshal(got[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	fs, err := f.st.ScoringForecasts(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	sq := q.ScoringQuestion()
	sq.Outcome = 1
	res, err := scoring.ScoreQuestion(sq, fs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range res.Users {
		if u.User == ann.ID && (data.Outcome != 1 || data.Brier != u.Brier) {
			t.Fatalf("the correction's notice = %+v; want outcome 1 and Brier %v", data, u.Brier)
		}
	}
}

// TestNoticeScorerScoresResolutions: with a scorer set (the leaderboards'
// cache sets its own), a resolution's notices take their scores from it,
// for the question as the change resolved it, instead of reading the
// question's forecasts.
func TestNoticeScorerScoresResolutions(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	ann := f.users[0]
	f.forecast(t, f.q, ann, 0.8, noticeStart.Add(-5*24*time.Hour))
	f.advance(time.Hour)
	var asked []int
	f.st.SetNoticeScorer(func(_ context.Context, q *Question, _ Membership) (scoring.Result, error) {
		asked = append(asked, q.Resolution.Outcome)
		return scoring.Result{Users: []scoring.UserScore{{User: ann.ID, Brier: 0.125}}}, nil
	})
	if _, err := f.st.ResolveQuestion(ctx, f.q.ID, Resolution{Outcome: 1, ResolvedAt: f.clock()}, 0); err != nil {
		t.Fatal(err)
	}
	got := f.notices(t, ann)
	var data struct {
		Brier float64 `json:"brier"`
	}
	if len(got) != 1 || json.Unmarshal(got[0].Data, &data) != nil || data.Brier != 0.125 || len(asked) != 1 || asked[0] != 1 {
		t.Fatalf("notices %+v (scorer asked for outcomes %v); want ann's Brier 0.125 from the scorer, asked once for outcome 1", got, asked)
	}
}
