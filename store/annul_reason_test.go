package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"testing"

	"signpost/store/storetest"
)

// legacyReasons are annul reasons as stored before migration 0008, with
// what the migration (and LegacyReason) must make of them.
var legacyReasons = []struct {
	stored, plain string
	text          Text
}{
	{`{"en":"The source vanished.","zh":"来源已消失。"}`, "The source vanished.", Text{"en": "The source vanished.", "zh": "来源已消失。"}},
	{`{"zh":"只有中文"}`, "只有中文", Text{"zh": "只有中文"}},
	{`{"en":"","zh":"中文"}`, "中文", Text{"zh": "中文"}},
	{`{"en":"x","note":"y"}`, `{"en":"x","note":"y"}`, nil}, // another key: plain text
	{`{"en":1}`, `{"en":1}`, nil},                   // not a string: plain text
	{`{"en":"","zh":""}`, `{"en":"","zh":""}`, nil}, // nothing in it
	{`{not json`, `{not json`, nil},
	{`plain words`, `plain words`, nil},
}

// TestMigrationSplitsLegacyReasons stores reasons on a database at schema
// 7, as the UI wrote them then, migrates it, and finds each bilingual one
// in the new columns of the question and of its audit entry, with the
// same result as LegacyReason gives archives; plain text is untouched.
func TestMigrationSplitsLegacyReasons(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, storetest.Address(t, "legacy.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ms, err := loadMigrations(st.dialect)
	if err != nil {
		t.Fatal(err)
	}
	upTo7 := ms[:0:0]
	for _, m := range ms {
		if m.version <= 7 {
			upTo7 = append(upTo7, m)
		}
	}
	if _, err := migrate(st.w, st.dialect, upTo7); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := st.w.Exec(sql, args...).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO tournaments (id, slug, title, starts_at, ends_at, created_at) VALUES (1, 'old', '{"en":"Old"}', 0, 10, 0)`)
	for i, c := range legacyReasons {
		id := i + 1
		exec(`INSERT INTO questions (id, tournament_id, slug, position, kind, title, criteria, options, opens_at, closes_at,
			annulled, annul_reason, created_at) VALUES (?, 1, ?, ?, 'binary', '{"en":"Q"}', '{}', ?, 0, 10, 1, ?, 0)`,
			id, "q"+itoa(int64(id)), id, `[{"label":{"en":"Yes"}},{"label":{"en":"No"}}]`, c.stored)
		exec(`INSERT INTO audit_log (tournament_id, question_id, action, reason, created_at) VALUES (1, ?, 'annul', ?, 0)`, id, c.stored)
	}
	// Only annulments' reasons are read as JSON.
	exec(`INSERT INTO audit_log (tournament_id, question_id, action, reason, created_at) VALUES (1, 1, 'resolve', ?, 0)`, legacyReasons[0].stored)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	log, err := st.AuditLog(ctx, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != len(legacyReasons)+1 || log[0].Action != "resolve" || log[0].Reason != legacyReasons[0].stored || log[0].ReasonText != nil {
		t.Fatalf("the resolve entry after migrating: %+v; want its reason untouched", log[0])
	}
	for i, c := range legacyReasons {
		q, err := st.FindQuestion(ctx, int64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		if q.AnnulReason != c.plain || !maps.Equal(q.AnnulReasonText, c.text) {
			t.Errorf("%s migrated to %q %v; want %q %v", c.stored, q.AnnulReason, q.AnnulReasonText, c.plain, c.text)
		}
		e := log[len(legacyReasons)-i] // newest first
		if e.Reason != c.plain || !maps.Equal(e.ReasonText, c.text) {
			t.Errorf("audit of %s migrated to %q %v; want %q %v", c.stored, e.Reason, e.ReasonText, c.plain, c.text)
		}
		plain, text, ok := LegacyReason(c.stored)
		if plain != c.plain || !maps.Equal(text, c.text) || ok != (c.text != nil) {
			t.Errorf("LegacyReason(%s) = %q %v %v; want what the migration made", c.stored, plain, text, ok)
		}
	}
}

// TestAnnulInBothLanguages: the reason per language is stored with the
// question and its audit entry.
func TestAnnulInBothLanguages(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	qs, _ := seededLinks(t, st)
	q, err := st.AnnulQuestionIn(ctx, qs[0].ID, "Ambiguous wording.", Text{"en": "Ambiguous wording.", "zh": "措辞含糊。"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := Text{"en": "Ambiguous wording.", "zh": "措辞含糊。"}
	if again, _ := st.FindQuestion(ctx, q.ID); again.AnnulReason != "Ambiguous wording." || !maps.Equal(again.AnnulReasonText, want) {
		t.Errorf("annulled question reads %q %v; want %v", again.AnnulReason, again.AnnulReasonText, want)
	}
	log, err := st.AuditLog(ctx, q.TournamentID, 1)
	if err != nil || len(log) != 1 || log[0].Action != "annul" || !maps.Equal(log[0].ReasonText, want) {
		t.Fatalf("audit = %+v, %v; want the annulment in both languages", log, err)
	}
}

// TestArchiveCarriesReasons: an export holds the reason per language and
// imports back with it; an archive of format 1 or 2 written before
// reason_i18n existed still imports, its JSON-in-reason split as the
// migration splits stored rows and its plain reason kept; a reason_i18n in
// an unknown language is refused, naming its field.
func TestArchiveCarriesReasons(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	a := testArchive("reasons", 3, 2, 6)
	a.Questions[0].Resolution = &ArchiveResolution{Annulled: true, Reason: "Ambiguous.", ReasonI18n: Text{"en": "Ambiguous.", "zh": "含糊。"}}
	a.Questions[1].Resolution = &ArchiveResolution{Annulled: true, Reason: legacyReasons[0].stored}
	a.Questions[2].Resolution = &ArchiveResolution{Annulled: true, Reason: "plain words"}
	if _, err := st.Import(ctx, a, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	tr, err := st.FindTournamentBySlug(ctx, "reasons")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := st.Export(ctx, tr.ID, &buf); err != nil {
		t.Fatal(err)
	}
	var out Archive
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	want := []ArchiveResolution{
		{Annulled: true, Reason: "Ambiguous.", ReasonI18n: Text{"en": "Ambiguous.", "zh": "含糊。"}},
		{Annulled: true, Reason: legacyReasons[0].plain, ReasonI18n: legacyReasons[0].text},
		{Annulled: true, Reason: "plain words"},
	}
	for i, w := range want {
		got := out.Questions[i].Resolution
		if got == nil || got.Reason != w.Reason || !maps.Equal(got.ReasonI18n, w.ReasonI18n) {
			t.Errorf("question %d exported %+v; want %+v", i, got, w)
		}
	}
	// The export imports again, as the older formats do.
	for _, format := range []string{ArchiveFormat, ArchiveFormatV1} {
		out.Format, out.Tournament.Slug = format, "again-"+format[len(format)-1:]
		if _, err := st.ImportReader(ctx, bytes.NewReader(mustJSON(t, out)), importNow, 0, noHash); err != nil {
			t.Fatalf("import of format %s: %v", format, err)
		}
		again, err := st.FindTournamentBySlug(ctx, out.Tournament.Slug)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := st.ListQuestions(ctx, again.ID)
		if err != nil || len(qs) != 3 || !maps.Equal(qs[0].AnnulReasonText, want[0].ReasonI18n) || qs[2].AnnulReason != "plain words" {
			t.Fatalf("format %s imported %+v, %v; want the reasons of the export", format, qs, err)
		}
	}
	bad := testArchive("bad-reason", 1, 1, 1)
	bad.Questions[0].Resolution = &ArchiveResolution{Annulled: true, Reason: "x", ReasonI18n: Text{"fr": "non"}}
	_, err = st.Import(ctx, bad, importNow, 0, noHash)
	var e *Error
	if !errors.As(err, &e) || e.Field != "questions[0].resolution.reason_i18n" {
		t.Fatalf("import with reason_i18n.fr = %v; want invalid questions[0].resolution.reason_i18n", err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
