package store

import (
	"context"
	"testing"
	"time"
)

func kinds(ns []Notification) map[string]int {
	out := map[string]int{}
	for _, n := range ns {
		out[n.Kind]++
	}
	return out
}

func TestSweepClosingOncePerQuestion(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	ann, bo := f.users[0], f.users[1]
	soon := f.question(t, "snow", noticeStart.Add(-time.Hour), noticeStart.Add(60*time.Hour))
	f.forecast(t, soon, ann, 0.4, noticeStart.Add(-time.Minute))
	f.forecast(t, soon, ann, 0.5, noticeStart)
	f.forecast(t, soon, bo, 0.5, noticeStart)
	// Keep the stale sweep out of this test.
	big := MaxStaleDays
	for _, u := range f.users {
		if _, err := f.st.UpdatePreferences(ctx, u.ID, PreferencesPatch{StaleDays: &big}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := f.st.SweepNotices(ctx, noticeStart.Add(11*time.Hour)); err != nil || n != 0 {
		t.Fatalf("sweep 49 h before the close = %d, %v; want nothing", n, err)
	}
	for range 2 {
		if _, err := f.st.SweepNotices(ctx, noticeStart.Add(13*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []User{ann, bo} {
		if got := f.notices(t, u); len(got) != 1 || got[0].Kind != NoticeClosing || got[0].QuestionID != soon.ID {
			t.Fatalf("%s's notices after two sweeps = %+v; want one closing notice", u.Username, got)
		}
	}
	if got := f.notices(t, f.users[2]); len(got) != 0 {
		t.Fatalf("cy never forecast but has %+v", got)
	}
}

func TestSweepStaleOncePerStandingForecast(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	ann, bo, cy := f.users[0], f.users[1], f.users[2]
	day := 24 * time.Hour
	f.forecast(t, f.q, ann, 0.4, noticeStart.Add(-9*day))
	f.forecast(t, f.q, ann, 0.6, noticeStart.Add(-8*day)) // ann's standing forecast
	f.forecast(t, f.q, bo, 0.5, noticeStart.Add(-time.Hour))
	f.forecast(t, f.q, cy, 0.5, noticeStart.Add(-9*day))
	zero, week := 0, 7
	no := false
	if _, err := f.st.UpdatePreferences(ctx, bo.ID, PreferencesPatch{StaleDays: &zero}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.UpdatePreferences(ctx, ann.ID, PreferencesPatch{StaleDays: &week}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.UpdatePreferences(ctx, cy.ID, PreferencesPatch{StaleDays: &zero, Stale: &no}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := f.st.SweepNotices(ctx, noticeStart); err != nil {
			t.Fatal(err)
		}
	}
	// ann: 8 days > 7; bo: 0 counts every standing forecast; cy: turned off.
	for _, u := range []User{ann, bo} {
		if got := f.notices(t, u); len(got) != 1 || got[0].Kind != NoticeStale {
			t.Fatalf("%s's notices = %+v; want one stale notice", u.Username, got)
		}
	}
	if got := f.notices(t, cy); len(got) != 0 {
		t.Fatalf("cy turned stale notices off but has %+v", got)
	}
	// A new forecast stands: stale again once it is old, not before.
	f.forecast(t, f.q, ann, 0.7, noticeStart.Add(time.Hour))
	if _, err := f.st.SweepNotices(ctx, noticeStart.Add(2*day)); err != nil {
		t.Fatal(err)
	}
	if got := f.notices(t, ann); len(got) != 1 {
		t.Fatalf("ann's notices 2 days after a new forecast = %+v; want still one", got)
	}
	if _, err := f.st.SweepNotices(ctx, noticeStart.Add(8*day)); err != nil {
		t.Fatal(err)
	}
	if got := kinds(f.notices(t, ann)); got[NoticeStale] != 2 {
		t.Fatalf("ann's notices 8 days after a new forecast = %v; want two stale notices", got)
	}
}

func TestCommentNoticesRepliesAndMentions(t *testing.T) {
	f := newNoticeFixture(t)
	ctx := context.Background()
	ann, bo, cy := f.users[0], f.users[1], f.users[2]
	post := func(u User, body string) Comment {
		t.Helper()
		c, err := f.st.CreateComment(ctx, Comment{QuestionID: f.q.ID, UserID: u.ID, Body: body, CreatedAt: noticeStart})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	post(ann, "First thoughts.")
	post(bo, "I disagree, @CYD. And @nobody-here, @ann.")
	post(ann, "Thanks @bob @bob")
	if got := kinds(f.notices(t, ann)); got[NoticeMention] != 1 || got[NoticeReply] != 0 || len(got) != 1 {
		t.Fatalf("ann's notices = %v; want one mention (bo's comment; her own reply is not news to her)", got)
	}
	if got := kinds(f.notices(t, bo)); got[NoticeMention] != 1 || len(got) != 1 {
		t.Fatalf("bo's notices = %v; want one mention", got)
	}
	if got := f.notices(t, cy); len(got) != 1 || got[0].Kind != NoticeMention || got[0].QuestionSlug != "rain" {
		t.Fatalf("cy's notices = %+v; want one mention on rain", got)
	}
	post(cy, "Hello.")
	if got := kinds(f.notices(t, bo)); got[NoticeReply] != 1 {
		t.Fatalf("bo's notices after cy's comment = %v; want a reply", got)
	}
}

func TestMentionedNames(t *testing.T) {
	got := mentionedNames("hi @Ann. and @bo_b, @x, mail@example.com (@ann)")
	want := []string{"ann", "bo_b"}
	if len(got) != len(want) {
		t.Fatalf("mentionedNames = %q; want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("mentionedNames = %q; want %q", got, want)
		}
	}
}
