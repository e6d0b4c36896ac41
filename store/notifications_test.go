package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"signpost/scoring"
	"signpost/store/storetest"
)

// noticeFixture is a store on a settable clock with one tournament, one
// open binary question and three forecasters.
type noticeFixture struct {
	st    *Store
	mu    sync.Mutex
	now   time.Time
	tour  Tournament
	q     Question
	users []User
}

func (f *noticeFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *noticeFixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

var noticeStart = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)

func newNoticeFixture(t *testing.T) *noticeFixture {
	t.Helper()
	ctx := context.Background()
	f := &noticeFixture{now: noticeStart}
	st, err := Open(ctx, storetest.Address(t, "notices.db"), Options{Now: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f.st = st
	f.tour, err = st.CreateTournament(ctx, Tournament{Slug: "notices", Title: Text{"en": "Notices", "zh": "通知"},
		StartsAt: noticeStart.Add(-30 * 24 * time.Hour), EndsAt: noticeStart.Add(90 * 24 * time.Hour)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.q = f.question(t, "rain", noticeStart.Add(-10*24*time.Hour), noticeStart.Add(20*24*time.Hour))
	for _, name := range []string{"ann", "bob", "cyd"} {
		u, err := st.CreateUser(ctx, User{Username: name, DisplayName: name, Role: RoleForecaster, PasswordHash: "!"})
		if err != nil {
			t.Fatal(err)
		}
		f.users = append(f.users, u)
	}
	return f
}

func (f *noticeFixture) question(t *testing.T, slug string, opens, closes time.Time) Question {
	t.Helper()
	q, err := f.st.CreateQuestion(context.Background(), Question{TournamentID: f.tour.ID, Slug: slug, Kind: scoring.Binary,
		Title:   Text{"en": "Will it " + slug + "?", "zh": "会" + slug + "吗？"},
		Options: []Option{{Label: Text{"en": "Yes", "zh": "是"}}, {Label: Text{"en": "No", "zh": "否"}}},
		OpensAt: opens, ClosesAt: closes}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func (f *noticeFixture) forecast(t *testing.T, q Question, u User, p float64, at time.Time) Forecast {
	t.Helper()
	fc, err := f.st.CreateForecast(context.Background(), Forecast{QuestionID: q.ID, TournamentID: q.TournamentID,
		UserID: u.ID, Probs: []float64{p, 1 - p}, CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return fc
}

func (f *noticeFixture) notices(t *testing.T, u User) []Notification {
	t.Helper()
	ns, err := f.st.UserNotifications(context.Background(), u.ID, 0, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestPreferencesDefaultsAndValidation(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	u := f.users[0]
	p, err := f.st.UserPreferences(ctx, u.ID)
	if err != nil || p != DefaultPreferences() {
		t.Fatalf("UserPreferences of a new account = %+v, %v; want the defaults", p, err)
	}
	if _, err := f.st.UserPreferences(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("UserPreferences(missing) = %v; want ErrNotFound", err)
	}
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	no := false
	for _, c := range []struct {
		patch PreferencesPatch
		field string
	}{
		{PreferencesPatch{Language: str("fr")}, "language"},
		{PreferencesPatch{Digest: str("hourly")}, "digest"},
		{PreferencesPatch{StaleDays: num(-1)}, "stale_days"},
		{PreferencesPatch{StaleDays: num(366), Language: str("zh")}, "stale_days"},
	} {
		_, err := f.st.UpdatePreferences(ctx, u.ID, c.patch)
		var se *Error
		if !errors.As(err, &se) || !errors.Is(err, ErrInvalid) || se.Field != c.field {
			t.Errorf("UpdatePreferences(%+v) = %v; want ErrInvalid on %s", c.patch, err, c.field)
		}
	}
	got, err := f.st.UpdatePreferences(ctx, u.ID, PreferencesPatch{Language: str("zh"), Digest: str(DigestWeekly),
		StaleDays: num(0), Closing: &no})
	want := DefaultPreferences()
	want.Language, want.Digest, want.StaleDays, want.Notify.Closing = "zh", DigestWeekly, 0, false
	if err != nil || got != want {
		t.Fatalf("UpdatePreferences = %+v, %v; want %+v", got, err, want)
	}
	// A second patch keeps what it does not name.
	got, err = f.st.UpdatePreferences(ctx, u.ID, PreferencesPatch{StaleDays: num(365)})
	want.StaleDays = 365
	if err != nil || got != want {
		t.Fatalf("second UpdatePreferences = %+v, %v; want %+v", got, err, want)
	}
	if p, _ := f.st.UserPreferences(ctx, u.ID); p != want {
		t.Fatalf("UserPreferences after updates = %+v; want %+v", p, want)
	}
}

func TestNotifyDedupesAndRespectsFlags(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	ann, bo := f.users[0], f.users[1]
	no := false
	if _, err := f.st.UpdatePreferences(ctx, bo.ID, PreferencesPatch{Tripwire: &no}); err != nil {
		t.Fatal(err)
	}
	n := NewNotification{Kind: NoticeTripwire, QuestionID: f.q.ID, Key: "tw:1",
		Data: map[string]any{"text": map[string]string{"en": "Fired", "zh": "触发"}}}
	a, b := n, n
	a.UserID, b.UserID = ann.ID, bo.ID
	for range 2 {
		if err := f.st.Notify(ctx, a, b); err != nil {
			t.Fatal(err)
		}
	}
	got := f.notices(t, ann)
	if len(got) != 1 || got[0].Kind != NoticeTripwire || got[0].TournamentSlug != "notices" ||
		got[0].QuestionSlug != "rain" || got[0].QuestionTitle["zh"] == "" || got[0].Read {
		t.Fatalf("ann's notices after two writes = %+v; want one tripwire notice on rain", got)
	}
	if got := f.notices(t, bo); len(got) != 0 {
		t.Fatalf("bo turned tripwires off but has %+v", got)
	}
	if err := f.st.Notify(ctx, NewNotification{UserID: ann.ID, Kind: "gossip", Key: "x"}); err == nil {
		t.Fatal("an unknown kind was written")
	}
}

func TestNotificationsPageAndRead(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	u := f.users[0]
	var ns []NewNotification
	for i := range 7 {
		ns = append(ns, NewNotification{UserID: u.ID, Kind: NoticeTripwire, Key: fmt.Sprint("k", i)})
	}
	if err := f.st.Notify(ctx, ns...); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	before := int64(0)
	for {
		page, err := f.st.UserNotifications(ctx, u.ID, before, 3, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page {
			ids = append(ids, n.ID)
		}
		if len(page) < 3 {
			break
		}
		before = page[len(page)-1].ID
	}
	if len(ids) != 7 {
		t.Fatalf("pages gave %d notices; want 7", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Fatalf("ids %v are not newest first", ids)
		}
	}
	if err := f.st.MarkNotificationsRead(ctx, u.ID, ids[:2], false); err != nil {
		t.Fatal(err)
	}
	// Another user's read marks nothing of u's.
	if err := f.st.MarkNotificationsRead(ctx, f.users[1].ID, ids, true); err != nil {
		t.Fatal(err)
	}
	if n, err := f.st.UnreadNotifications(ctx, u.ID); err != nil || n != 5 {
		t.Fatalf("unread = %d, %v; want 5", n, err)
	}
	unread, _ := f.st.UserNotifications(ctx, u.ID, 0, 100, true)
	if len(unread) != 5 || unread[0].ID != ids[2] {
		t.Fatalf("unread notices = %+v; want the 5 not marked", unread)
	}
	if err := f.st.MarkNotificationsRead(ctx, u.ID, nil, true); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.st.UnreadNotifications(ctx, u.ID); n != 0 {
		t.Fatalf("unread after all read = %d", n)
	}
}

func TestResolutionNotifiesForecastersWithScores(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	ann, bo, cy := f.users[0], f.users[1], f.users[2]
	f.forecast(t, f.q, ann, 0.8, noticeStart.Add(-5*24*time.Hour))
	f.forecast(t, f.q, ann, 0.9, noticeStart.Add(-4*24*time.Hour))
	f.forecast(t, f.q, bo, 0.3, noticeStart.Add(-3*24*time.Hour))
	no := false
	if _, err := f.st.UpdatePreferences(ctx, bo.ID, PreferencesPatch{Resolved: &no}); err != nil {
		t.Fatal(err)
	}
	f.advance(time.Hour)
	q, err := f.st.ResolveQuestion(ctx, f.q.ID, Resolution{Outcome: 0, ResolvedAt: f.clock()}, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := f.notices(t, ann)
	if len(got) != 1 || got[0].Kind != NoticeResolved || got[0].QuestionID != q.ID {
		t.Fatalf("ann's notices = %+v; want one resolution", got)
	}
	var data struct {
		Outcome      int     `json:"outcome"`
		Brier        float64 `json:"brier"`
		Relative     float64 `json:"relative"`
		DaysForecast int     `json:"days_forecast"`
		OutcomeLabel Text    `json:"outcome_label"`
	}
	if err := json.Unmarshal(got[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	fs, _ := f.st.ScoringForecasts(ctx, q.ID)
	res, err := scoring.ScoreQuestion(q.ScoringQuestion(), fs, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := res.Users[0]
	if want.User != ann.ID || data.Brier != want.Brier || data.Relative != want.Relative ||
		data.DaysForecast != want.DaysForecast || data.OutcomeLabel["en"] != "Yes" {
		t.Fatalf("resolution data = %+v; want ann's score %+v and the label Yes", data, want)
	}
	if n := f.notices(t, bo); len(n) != 0 {
		t.Fatalf("bo turned resolutions off but has %+v", n)
	}
	if n := f.notices(t, cy); len(n) != 0 {
		t.Fatalf("cy never forecast but has %+v", n)
	}
	// A correction is news again; the annulment after it too.
	f.advance(time.Hour)
	if _, err := f.st.ResolveQuestion(ctx, f.q.ID, Resolution{Outcome: 1, ResolvedAt: f.clock(), CorrectedAt: f.clock()}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.AnnulQuestionIn(ctx, f.q.ID, "void", Text{"en": "void", "zh": "无效"}, 0); err != nil {
		t.Fatal(err)
	}
	got = f.notices(t, ann)
	if len(got) != 3 || got[0].Kind != NoticeAnnulled || got[1].Kind != NoticeResolved {
		t.Fatalf("ann's notices after a correction and an annulment = %+v", got)
	}
}
