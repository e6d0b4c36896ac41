package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// seededLinks seeds the default tournament and returns its questions and links.
func seededLinks(t *testing.T, st *Store) ([]Question, []Link) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tr, err := st.FindTournamentBySlug(ctx, DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := st.ListQuestions(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := st.TournamentLinks(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	return qs, ls
}

// linkKeys describes links independently of their IDs, sorted.
func linkKeys(ls []Link) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = fmt.Sprintf("%d>%d:%d %s %+d %s", l.IndicatorID, l.ScenarioID, l.Option, l.Trigger, l.Direction, l.Strength)
	}
	slices.Sort(out)
	return out
}

func TestSeedLoadsSignalsAsLinks(t *testing.T) {
	st := openTestStore(t)
	qs, ls := seededLinks(t, st)
	// One link per scenario each indicator's signals raise or lower: 60
	// in the seed file (5 with 3, 9 with 4, 3 with 3).
	if len(ls) != 60 {
		t.Fatalf("%d links; want 60", len(ls))
	}
	byID := map[int64]Question{}
	for _, q := range qs {
		byID[q.ID] = q
	}
	var capex []string
	for _, l := range ls {
		if l.ScenarioID != qs[0].ID {
			t.Fatalf("link %+v is not to the scenario question", l)
		}
		ind := byID[l.IndicatorID]
		if ind.Slug == "c-hyperscaler-capex-growth" {
			capex = append(capex, fmt.Sprintf("%s%+d", qs[0].Options[l.Option].Slug, l.Direction))
			if l.Trigger != "yes" || l.Strength != "strong" {
				t.Errorf("capex link %+v; want trigger yes, strong", l)
			}
		}
		if ind.Slug == "b-openrouter-china-token-share" && l.Trigger != "higher" {
			t.Errorf("openrouter link trigger %q; want higher", l.Trigger)
		}
	}
	slices.Sort(capex)
	want := []string{"s1-americas-ai-century+1", "s2-global-ai-chinese-influence-1", "s3-american-standard-1", "s4-chinas-ai-plus-world+1"}
	if !slices.Equal(capex, want) {
		t.Errorf("capex links %v; want %v", capex, want)
	}
}

// TestMigrationLoadsSignalsLikeTheSeed replays migration 0003's data step
// on a database seeded without links: it must build the links the seed's
// Go path builds.
func TestMigrationLoadsSignalsLikeTheSeed(t *testing.T) {
	st := openTestStore(t)
	_, want := seededLinks(t, st)
	if err := st.w.Exec("DELETE FROM question_links").Error; err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(st.dialect)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ms, func(m migration) bool { return m.version == 3 })
	if i < 0 {
		t.Fatal("no migration 0003")
	}
	step := map[*dialect]string{sqliteDialect: "INSERT OR IGNORE", postgresDialect: "INSERT INTO"}[st.dialect]
	_, insert, ok := strings.Cut(ms[i].sql, step)
	if !ok {
		t.Fatal("migration 0003 has no data step")
	}
	if err := st.w.Exec(step + insert).Error; err != nil {
		t.Fatal(err)
	}
	got, err := st.TournamentLinks(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(linkKeys(got), linkKeys(want)) {
		t.Errorf("migration links:\n%v\nseed links:\n%v", linkKeys(got), linkKeys(want))
	}
}

func TestCreateLinkValidation(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	qs, _ := seededLinks(t, st)
	scen := qs[0]
	var binary, ordered Question
	for _, q := range qs[1:] {
		if q.Kind.String() == "binary" && binary.ID == 0 {
			binary = q
		}
		if q.Kind.String() == "ordered" && ordered.ID == 0 {
			ordered = q
		}
	}
	ok := Link{IndicatorID: binary.ID, ScenarioID: scen.ID, Option: 0, Trigger: "yes", Direction: 1, Strength: "weak"}
	cases := []struct {
		name  string
		edit  func(l *Link)
		kind  error
		field string
	}{
		{"unknown option", func(l *Link) { l.Option = 4 }, ErrInvalid, "option"},
		{"non-scenario target", func(l *Link) { l.ScenarioID = ordered.ID }, ErrInvalid, "scenario_question_id"},
		{"missing target", func(l *Link) { l.ScenarioID = 9999 }, ErrInvalid, "scenario_question_id"},
		{"self link", func(l *Link) { l.IndicatorID = scen.ID }, ErrInvalid, "scenario_question_id"},
		{"higher on binary", func(l *Link) { l.Trigger = "higher" }, ErrInvalid, "trigger"},
		{"yes on ordered", func(l *Link) { l.IndicatorID, l.Trigger = ordered.ID, "yes" }, ErrInvalid, "trigger"},
		{"direction 0", func(l *Link) { l.Direction = 0 }, ErrInvalid, "direction"},
		{"strength", func(l *Link) { l.Strength = "huge" }, ErrInvalid, "strength"},
		{"duplicate of a seed link", func(l *Link) { l.Option = 1 }, ErrConflict, ""},
		{"missing indicator", func(l *Link) { l.IndicatorID = 9999 }, ErrNotFound, ""},
	}
	for _, c := range cases {
		l := ok
		c.edit(&l)
		_, err := st.CreateLink(ctx, l, 0)
		var e *Error
		if !errors.Is(err, c.kind) || (c.field != "" && (!errors.As(err, &e) || e.Field != c.field)) {
			t.Errorf("%s: CreateLink = %v; want %v on %q", c.name, err, c.kind, c.field)
		}
	}
	before, _ := st.IndicatorLinks(ctx, ordered.ID)
	l, err := st.CreateLink(ctx, Link{IndicatorID: ordered.ID, ScenarioID: scen.ID, Option: 2, Trigger: "0",
		Direction: -1, Strength: "moderate"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := st.IndicatorLinks(ctx, ordered.ID)
	if len(after) != len(before)+1 || after[len(after)-1] != l {
		t.Fatalf("links after create = %+v; want %+v last", after, l)
	}
	if err := st.DeleteLink(ctx, binary.ID, l.ID, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteLink through another indicator = %v; want ErrNotFound", err)
	}
	if err := st.DeleteLink(ctx, ordered.ID, l.ID, 0); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.IndicatorLinks(ctx, ordered.ID); len(again) != len(before) {
		t.Errorf("%d links after delete; want %d", len(again), len(before))
	}
}

func TestArchiveRoundTripsLinks(t *testing.T) {
	ctx := context.Background()
	src := openTestStore(t)
	qs, want := seededLinks(t, src)
	// An edit that is not in the signals must survive the round trip.
	extra, err := src.CreateLink(ctx, Link{IndicatorID: qs[1].ID, ScenarioID: qs[0].ID, Option: 3, Trigger: "yes",
		Direction: -1, Strength: "weak"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, extra)
	var buf bytes.Buffer
	if err := src.Export(ctx, qs[0].TournamentID, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"format":"signpost-archive/2"`)) || !bytes.Contains(buf.Bytes(), []byte(`"links":[`)) {
		t.Fatalf("export lacks format 2 or links: %.300s", buf.String())
	}
	dst := openTestStore(t)
	for range 2 { // twice: the second import adds nothing
		if _, err := dst.ImportReader(ctx, bytes.NewReader(buf.Bytes()), importNow, 0, noHash); err != nil {
			t.Fatal(err)
		}
	}
	got, err := dst.TournamentLinks(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Same database layout, so the same question IDs.
	if !slices.Equal(linkKeys(got), linkKeys(want)) {
		t.Errorf("imported links:\n%v\nwant:\n%v", linkKeys(got), linkKeys(want))
	}

	// A version 1 archive (no links) still imports; its signals give links.
	v1 := bytes.Replace(buf.Bytes(), []byte(`"signpost-archive/2"`), []byte(`"signpost-archive/1"`), 1)
	v1 = bytes.Replace(v1, []byte(`"links":[`), []byte(`"ignored":[`), 1)
	old := openTestStore(t)
	if _, err := old.ImportReader(ctx, bytes.NewReader(v1), importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	got, _ = old.TournamentLinks(ctx, 1)
	if !slices.Equal(linkKeys(got), linkKeys(want[:len(want)-1])) {
		t.Errorf("links from a v1 archive:\n%v\nwant the seed's:\n%v", linkKeys(got), linkKeys(want[:len(want)-1]))
	}
}

func TestImportRejectsBadLinks(t *testing.T) {
	a := testArchive("links-bad", 2, 1, 0)
	a.Links = []ArchiveLink{{Indicator: "q0", Scenario: "q1", Option: 0, Trigger: "yes", Direction: 1, Strength: "weak"}}
	st := openTestStore(t)
	_, err := st.Import(context.Background(), a, importNow, 0, noHash)
	var e *Error
	if !errors.As(err, &e) || e.Field != "links[0].scenario_question_id" {
		t.Fatalf("Import with a link to a binary question = %v; want invalid links[0].scenario_question_id", err)
	}
	if _, err := st.FindTournamentBySlug(context.Background(), "links-bad"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a failed import left its tournament: %v", err)
	}
}
