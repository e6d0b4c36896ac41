package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"signpost/scoring"
	"signpost/store/storetest"
)

var condT0 = time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)

// condFixture is a tournament with a binary indicator, an ordered
// indicator (4 buckets), a scenario question (3 futures) and another
// binary question, on a store whose clock stands at condT0.
type condFixture struct {
	st                           *Store
	admin                        int64
	binary, ordered, scen, other Question
}

func newCondFixture(t *testing.T) condFixture {
	t.Helper()
	ctx := context.Background()
	st, err := Open(ctx, storetest.Address(t, "cond.db"), Options{Now: func() time.Time { return condT0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, User{Username: "ann", DisplayName: "Ann", PasswordHash: "!", Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	opens := condT0.AddDate(0, 0, -9)
	tr, err := st.CreateTournament(ctx, Tournament{Slug: "t", Title: Text{"en": "T"},
		StartsAt: opens, EndsAt: opens.AddDate(1, 0, 0)}, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(slug string, kind scoring.Kind, options ...string) Question {
		q := Question{TournamentID: tr.ID, Slug: slug, Kind: kind, Title: Text{"en": "Title " + slug, "zh": "题 " + slug},
			Criteria: Text{"en": "C"}, OpensAt: opens, ClosesAt: opens.AddDate(0, 6, 0)}
		for _, o := range options {
			q.Options = append(q.Options, Option{Label: Text{"en": o, "zh": o}})
		}
		if kind == scoring.Binary {
			q.Options = BinaryOptions()
		}
		q, err := st.CreateQuestion(ctx, q, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	return condFixture{st: st, admin: u.ID,
		scen:    mk("scenarios", scoring.MultipleChoice, "S1", "S2", "S3"),
		binary:  mk("ind", scoring.Binary),
		ordered: mk("buckets", scoring.Ordered, "<10", "10-20", "20-30", ">30"),
		other:   mk("other", scoring.Binary)}
}

func (f condFixture) pair(t *testing.T, ind Question, threshold int) ConditionalPair {
	t.Helper()
	p, err := f.st.CreateConditionalPair(context.Background(), ind.ID, f.scen.ID, threshold, condT0, f.admin)
	if err != nil {
		t.Fatalf("CreateConditionalPair(%d, %d, %d): %v", ind.ID, f.scen.ID, threshold, err)
	}
	return p
}

func TestCreateConditionalPair(t *testing.T) {
	f := newCondFixture(t)
	p := f.pair(t, f.binary, 0)
	for _, c := range []struct {
		q       Question
		outcome string
	}{{p.IfYes, "yes"}, {p.IfNo, "no"}} {
		q := c.q
		if q.Kind != scoring.MultipleChoice || len(q.Options) != 3 || q.Options[1].Label["en"] != "S2" {
			t.Errorf("branch %s: kind %s, options %v; want the scenario's", c.outcome, q.Kind, q.Options)
		}
		if q.Condition == nil || *q.Condition != (Condition{QuestionID: f.binary.ID, Outcome: c.outcome}) || q.Mirrors != f.scen.ID {
			t.Errorf("branch %s: condition %+v mirrors %d", c.outcome, q.Condition, q.Mirrors)
		}
		if !q.OpensAt.Equal(condT0) || !q.ClosesAt.Equal(f.scen.ClosesAt) || q.State(condT0) != StateOpen {
			t.Errorf("branch %s: window %v-%v state %s; want open from now to the scenario's close", c.outcome, q.OpensAt, q.ClosesAt, q.State(condT0))
		}
		if q.Title["en"] == "" || q.Title["zh"] == "" || q.Criteria["zh"] == "" {
			t.Errorf("branch %s: texts %v %v", c.outcome, q.Title, q.Criteria)
		}
	}
	pairs, err := f.st.ConditionalPairs(context.Background(), f.binary.ID)
	if err != nil || len(pairs) != 1 || pairs[0].IfYes.ID != p.IfYes.ID || pairs[0].IfNo.ID != p.IfNo.ID || pairs[0].ScenarioID != f.scen.ID {
		t.Fatalf("ConditionalPairs = %+v, %v; want the one pair", pairs, err)
	}
	op := f.pair(t, f.ordered, 2)
	if op.IfYes.Condition.Threshold != 2 || op.IfYes.Title["en"] != "If “Title buckets” lands at or above “20-30”: Title scenarios" {
		t.Errorf("ordered branch: condition %+v title %q", op.IfYes.Condition, op.IfYes.Title["en"])
	}
	f.pair(t, f.ordered, 1) // another threshold is another pair
}

func TestCreateConditionalPairRejects(t *testing.T) {
	f := newCondFixture(t)
	p := f.pair(t, f.binary, 0)
	for _, c := range []struct {
		name      string
		ind, scen int64
		threshold int
		kind      error
		field     string
	}{
		{"indicator is multiple choice", f.scen.ID, f.scen.ID, 0, ErrInvalid, "id"},
		{"scenario is binary", f.binary.ID, f.other.ID, 0, ErrInvalid, "scenario_question_id"},
		{"scenario is a branch", f.other.ID, p.IfYes.ID, 0, ErrInvalid, "scenario_question_id"},
		{"indicator is a branch", p.IfYes.ID, f.scen.ID, 0, ErrInvalid, "id"},
		{"no such scenario", f.binary.ID, 999, 0, ErrInvalid, "scenario_question_id"},
		{"binary with a threshold", f.other.ID, f.scen.ID, 1, ErrInvalid, "threshold"},
		{"ordered without a threshold", f.ordered.ID, f.scen.ID, 0, ErrInvalid, "threshold"},
		{"ordered threshold past the buckets", f.ordered.ID, f.scen.ID, 4, ErrInvalid, "threshold"},
		{"duplicate pair", f.binary.ID, f.scen.ID, 0, ErrConflict, ""},
		{"no such indicator", 999, f.scen.ID, 0, ErrNotFound, ""},
	} {
		_, err := f.st.CreateConditionalPair(context.Background(), c.ind, c.scen, c.threshold, condT0, f.admin)
		var se *Error
		if !errors.Is(err, c.kind) || (c.field != "" && (!errors.As(err, &se) || se.Field != c.field)) {
			t.Errorf("%s: error %v; want %v on field %q", c.name, err, c.kind, c.field)
		}
	}
	qs, err := f.st.ListQuestions(context.Background(), f.scen.TournamentID)
	if err != nil || len(qs) != 6 {
		t.Errorf("%d questions after the rejected pairs (%v); want 6: nothing stored", len(qs), err)
	}
	// A resolved indicator takes no new pair.
	if _, err := f.st.ResolveQuestion(context.Background(), f.other.ID, Resolution{Outcome: 0, ResolvedAt: condT0}, f.admin); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CreateConditionalPair(context.Background(), f.other.ID, f.scen.ID, 0, condT0, f.admin); !errors.Is(err, ErrConflict) {
		t.Errorf("pair on a resolved indicator: %v; want ErrConflict", err)
	}
}

// The archive carries a pair's condition and mirrors to another server,
// with the branches' outcomes as they were.
func TestConditionalPairArchiveRoundTrip(t *testing.T) {
	f := newCondFixture(t)
	ctx := context.Background()
	p := f.pair(t, f.binary, 0)
	f.pair(t, f.ordered, 2)
	if _, err := f.st.ResolveQuestion(ctx, f.binary.ID, Resolution{Outcome: 1, ResolvedAt: condT0}, f.admin); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.st.Export(ctx, f.scen.TournamentID, &buf); err != nil {
		t.Fatal(err)
	}
	fresh := openTestStore(t)
	if _, err := fresh.ImportReader(ctx, bytes.NewReader(buf.Bytes()), condT0, 0, noHash); err != nil {
		t.Fatalf("import: %v", err)
	}
	tr, err := fresh.FindTournamentBySlug(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := fresh.ListQuestions(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]Question{}
	for _, q := range qs {
		bySlug[q.Slug] = q
	}
	ind, scen := bySlug[f.binary.Slug], bySlug[f.scen.Slug]
	pairs, err := fresh.ConditionalPairs(ctx, ind.ID)
	if err != nil || len(pairs) != 1 {
		t.Fatalf("imported pairs %+v, %v; want one", pairs, err)
	}
	yes, no := pairs[0].IfYes, pairs[0].IfNo
	if yes.Slug != p.IfYes.Slug || yes.Mirrors != scen.ID || *yes.Condition != (Condition{QuestionID: ind.ID, Outcome: "yes"}) ||
		!yes.Annulled || yes.AnnulReason != ReasonConditionFailed || no.Annulled || no.Resolution != nil {
		t.Fatalf("imported branches %+v / %+v", yes, no)
	}
	if ord, err := fresh.ConditionalPairs(ctx, bySlug[f.ordered.Slug].ID); err != nil || len(ord) != 1 || ord[0].Threshold != 2 {
		t.Fatalf("imported ordered pair %+v, %v; want threshold 2", ord, err)
	}
	// The automatic resolution goes on in the new home.
	if _, err := fresh.ResolveQuestion(ctx, scen.ID, Resolution{Outcome: 2, ResolvedAt: condT0}, 0); err != nil {
		t.Fatal(err)
	}
	if got := branchSummary(t, fresh, no.ID); got != "resolved 2 at 12" {
		t.Errorf("imported if-No branch after the scenario resolved: %s", got)
	}
}

func TestBranchIsNotALinkScenario(t *testing.T) {
	f := newCondFixture(t)
	p := f.pair(t, f.binary, 0)
	_, err := f.st.CreateLink(context.Background(), Link{IndicatorID: f.other.ID, ScenarioID: p.IfYes.ID, Option: 0,
		Trigger: "yes", Direction: 1, Strength: "weak"}, f.admin)
	var se *Error
	if !errors.As(err, &se) || se.Field != "scenario_question_id" {
		t.Fatalf("link to a branch: %v; want ErrInvalid on scenario_question_id", err)
	}
}
