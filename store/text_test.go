package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		s                  string
		text, name, visual bool // passes CheckText, CheckName, CheckVisible
	}{
		{"plain 字", true, true, true},
		{"two\nlines\r\nand\ttab", true, false, true},
		{"nul\x00", false, false, true},
		{"bell\x07", false, false, true},
		{"escape\x1b[2J", false, false, true},
		{"override\u202e", true, false, false},
		{"isolate\u2066x\u2069", true, false, false},
		{"zero\u200bwidth", true, false, false},
		{"joiner\u2060", true, false, false},
		{"\ufeffbom", true, false, false},
		{"accent é and emoji 🎉", true, true, true},
	} {
		if got := CheckText("f", c.s) == nil; got != c.text {
			t.Errorf("CheckText(%q) passes = %v; want %v", c.s, got, c.text)
		}
		if got := CheckName("f", c.s) == nil; got != c.name {
			t.Errorf("CheckName(%q) passes = %v; want %v", c.s, got, c.name)
		}
		if got := CheckVisible("f", c.s) == nil; got != c.visual {
			t.Errorf("CheckVisible(%q) passes = %v; want %v", c.s, got, c.visual)
		}
	}
}

// TestImportRefusesControlText: an archive's text obeys the rule the API
// applies (NUL in a rationale, a title or a label; an override in a display
// name): 400-class ErrInvalid naming the field, nothing stored.
func TestImportRefusesControlText(t *testing.T) {
	st := openTestStore(t)
	for _, c := range []struct {
		field string
		spoil func(a *Archive)
	}{
		{"forecasts[3].rationale", func(a *Archive) { a.Forecasts[3].Rationale = "why\x00" }},
		{"questions[1].title.en", func(a *Archive) { a.Questions[1].Title = Text{"en": "Q\x00"} }},
		{"questions[0].criteria.en", func(a *Archive) { a.Questions[0].Criteria = Text{"en": "c\x01"} }},
		{"tournament.description.zh", func(a *Archive) { a.Tournament.Description = Text{"zh": "\x1b"} }},
		{"users[2].display_name", func(a *Archive) { a.Users[2].DisplayName = "admin\u202e" }},
		{"teams[0].name", func(a *Archive) { a.Teams = []ArchiveTeam{{Name: "a\nb", Members: []string{"user0"}}} }},
	} {
		a := testArchive("text-rule", 2, 3, 10)
		c.spoil(&a)
		doc, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.ImportReader(context.Background(), bytes.NewReader(doc), importNow, 0, noHash)
		var se *Error
		if !errors.As(err, &se) || se.Kind != ErrInvalid || se.Field != c.field {
			t.Errorf("import with bad %s = %v; want ErrInvalid on that field", c.field, err)
		}
	}
	if _, err := st.FindTournamentBySlug(context.Background(), "text-rule"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a refused import left its tournament: %v", err)
	}
}

// TestCopyRefusesNUL: a SQLite row holding NUL (older versions stored
// them) stops a copy to PostgreSQL with a message naming the table, the
// row and the column, before anything is committed; with StripNUL the copy
// goes through without the NUL and reports the value it changed.
func TestCopyRefusesNUL(t *testing.T) {
	to := openTestStore(t)
	if to.dialect != postgresDialect {
		t.Skip("NUL only troubles PostgreSQL: set SIGNPOST_TEST_POSTGRES_DSN")
	}
	ctx := context.Background()
	from := openSQLiteStore(t)
	if _, err := from.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := from.CreateUser(ctx, User{Username: "nul", DisplayName: "bad\x00name", Role: RoleForecaster, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Copy(ctx, from, to)
	var ne *NULError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "copy users") || !strings.Contains(err.Error(), "display_name") ||
		!strings.Contains(err.Error(), "id = "+itoa(u.ID)) {
		t.Fatalf("copy of a NUL display name = %v; want a refusal naming users, the row and display_name", err)
	}
	var n int64
	if err := to.r.Table("tournaments").Count(&n).Error; err != nil || n != 0 {
		t.Fatalf("destination holds %d tournaments after the refused copy (%v); want 0", n, err)
	}
	var stripped []string
	_, err = CopyWith(ctx, from, to, CopyOptions{StripNUL: true, Stripped: func(table, column string, key any) {
		stripped = append(stripped, fmt.Sprintf("%s.%s %v", table, column, key))
	}})
	if err != nil {
		t.Fatalf("copy stripping NUL: %v", err)
	}
	got, err := to.FindUserByUsername(ctx, "nul")
	if err != nil || got.DisplayName != "badname" || len(stripped) != 1 || stripped[0] != "users.display_name "+itoa(u.ID) {
		t.Fatalf("after stripping: user %+v (%v), reported %v; want badname, one value reported", got, err, stripped)
	}
}
