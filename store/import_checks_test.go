package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// An import checks its users' display names as registration does: a
// blank one falls back to the username, an overlong one is refused with
// its field.
func TestImportChecksDisplayNames(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	a := testArchive("names", 1, 2, 2)
	a.Users[0].DisplayName = strings.Repeat("n", 65)
	_, err := st.Import(ctx, a, importNow, 0, noHash)
	var se *Error
	if !errors.As(err, &se) || !errors.Is(err, ErrInvalid) || se.Field != "users[0].display_name" {
		t.Fatalf("Import with a 65-character display name = %v; want ErrInvalid at users[0].display_name", err)
	}
	a.Users[0].DisplayName = "   "
	if _, err := st.Import(ctx, a, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	u, err := st.FindUserByUsername(ctx, "user0")
	if err != nil || u.DisplayName != "user0" {
		t.Fatalf("blank display name stored as %q (%v); want the username", u.DisplayName, err)
	}
}

// A question whose close moves earlier while an import stages forecasts on
// it refuses the forecasts now after its close, at the commit point: the
// staged ones were checked against the close as it was.
func TestImportRefusesForecastsAfterACloseMovedWhileStaging(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	first := testArchive("moved", 1, 1, 0)
	if _, err := st.Import(ctx, first, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	const n = 6000
	a := testArchive("moved", 1, 20, n)
	closes := importStart.Add(n / 2 * time.Second)
	moved := false
	_, err := st.ImportStream(ctx, bytes.NewReader(forecastsLast(t, a)), ImportOptions{Now: importNow, Hash: noHash,
		Progress: func(phase string, _ int64) {
			if phase == "staged" && !moved {
				moved = true
				if err := st.w.Exec("UPDATE questions SET closes_at = ? WHERE slug = 'q0'", micros(closes)).Error; err != nil {
					t.Error(err)
				}
			}
		}})
	var se *Error
	want := forecastField(n/2, "created_at")
	if !errors.As(err, &se) || !errors.Is(err, ErrInvalid) || se.Field != want {
		t.Fatalf("ImportStream = %v; want ErrInvalid at %s", err, want)
	}
	if imports, staged := stagingLeft(t, st); imports != 0 || staged != 0 {
		t.Fatalf("%d imports, %d staged forecasts left; want none", imports, staged)
	}
}
