package feeds

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"text/template"

	"signpost/store"
)

// document renders a testdata document (a template of the real source's
// shape) with the given values.
func document(t *testing.T, name string, values map[string]any) []byte {
	t.Helper()
	tpl := template.Must(template.ParseFiles("testdata/" + name))
	var b bytes.Buffer
	if err := tpl.Execute(&b, values); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestExtractRealisticDocuments(t *testing.T) {
	for _, c := range []struct {
		name string
		doc  []byte
		e    store.FeedExtract
		want float64
	}{
		{"edgar newest entry", document(t, "edgar_companyfacts.json", map[string]any{"Revenue": 57006000000}),
			store.FeedExtract{Format: "json", Pointer: "/facts/us-gaap/Revenues/units/USD", Column: "val", Row: json.RawMessage(`"last"`)}, 57006000000},
		{"edgar by frame", document(t, "edgar_companyfacts.json", map[string]any{"Revenue": 1}),
			store.FeedExtract{Format: "json", Pointer: "/facts/us-gaap/Revenues/units/USD", Column: "val",
				Row: json.RawMessage(`{"column":"frame","equals":"CY2025Q2"}`)}, 46743000000},
		{"edgar by index", document(t, "edgar_companyfacts.json", map[string]any{"Revenue": 1}),
			store.FeedExtract{Format: "json", Pointer: "/facts/us-gaap/Revenues/units/USD/0/val"}, 44062000000},
		{"openrouter share", document(t, "openrouter_rankings.json", map[string]any{"Share": 0.4999}),
			store.FeedExtract{Format: "json", Pointer: "/data/by_origin/china/share"}, 0.4999},
		{"hugging face first", document(t, "hf_models.json", map[string]any{"Downloads": 9000001}),
			store.FeedExtract{Format: "json", Pointer: "/0/downloads"}, 9000001},
		{"epoch by model", document(t, "epoch_ai_models.csv", map[string]any{"Compute": "1.2e+26"}),
			store.FeedExtract{Format: "csv", Column: "Training compute (FLOP)", Row: json.RawMessage(`{"column":"Model","equals":"DeepSeek-V4-Pro"}`)}, 1.2e26},
		{"btos last", document(t, "census_btos.csv", map[string]any{"Rate": "19.8"}),
			store.FeedExtract{Format: "csv", Column: "Estimate", Row: json.RawMessage(`"last"`)}, 19.8},
		{"csv first", document(t, "epoch_ai_models.csv", map[string]any{"Compute": "1"}),
			store.FeedExtract{Format: "csv", Column: "Training compute (FLOP)", Row: json.RawMessage(`"first"`)}, 2.1e25},
	} {
		got, err := Extract(c.e, c.doc)
		if err != nil || got != c.want {
			t.Errorf("%s: Extract = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func TestExtractRefusesWhatItWouldGuess(t *testing.T) {
	btos := func(rate string) []byte { return document(t, "census_btos.csv", map[string]any{"Rate": rate}) }
	for _, c := range []struct {
		name, wantErr string
		doc           []byte
		e             store.FeedExtract
	}{
		{"percent cell", "percent sign", btos("19.8%"), store.FeedExtract{Format: "csv", Column: "Estimate"}},
		{"thousands comma", "comma", btos(`"1,234"`), store.FeedExtract{Format: "csv", Column: "Estimate"}},
		{"empty cell", "empty", btos(""), store.FeedExtract{Format: "csv", Column: "Estimate"}},
		{"no column", "no column", btos("1"), store.FeedExtract{Format: "csv", Column: "Value"}},
		{"two matches", "more than one", btos("1"), store.FeedExtract{Format: "csv", Column: "Estimate",
			Row: json.RawMessage(`{"column":"Answer","equals":"Yes"}`)}},
		{"no match", "no record", btos("1"), store.FeedExtract{Format: "csv", Column: "Estimate",
			Row: json.RawMessage(`{"column":"Time Period","equals":"209901"}`)}},
		{"not json", "not JSON", []byte("<html>rate limited</html>"), store.FeedExtract{Format: "json", Pointer: "/a"}},
		{"missing member", "no member", []byte(`{"a":1}`), store.FeedExtract{Format: "json", Pointer: "/b"}},
		{"past the end", "past the array", []byte(`[1]`), store.FeedExtract{Format: "json", Pointer: "/1"}},
		{"append index", "not an array index", []byte(`[1]`), store.FeedExtract{Format: "json", Pointer: "/-"}},
		{"leading zero", "not an array index", []byte(`[1]`), store.FeedExtract{Format: "json", Pointer: "/01"}},
		{"not a number", "not a number", []byte(`{"a":true}`), store.FeedExtract{Format: "json", Pointer: "/a"}},
		{"null", "null", []byte(`{"a":null}`), store.FeedExtract{Format: "json", Pointer: "/a"}},
		{"quoted percent", "percent sign", []byte(`{"a":"12.5%"}`), store.FeedExtract{Format: "json", Pointer: "/a"}},
		{"two documents", "one JSON document", []byte(`{"a":1}{"a":2}`), store.FeedExtract{Format: "json", Pointer: "/a"}},
	} {
		got, err := Extract(c.e, c.doc)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: Extract = %v, %v; want an error saying %q", c.name, got, err, c.wantErr)
		}
	}
}

func TestPointerEscapes(t *testing.T) {
	doc := []byte(`{"a/b": {"m~n": {"": [10, 20]}}, "%": 3}`)
	for p, want := range map[string]float64{"/a~1b/m~0n//1": 20, "/%": 3} {
		got, err := Extract(store.FeedExtract{Format: "json", Pointer: p}, doc)
		if err != nil || got != want {
			t.Errorf("Extract(%q) = %v, %v; want %v", p, got, err, want)
		}
	}
	for _, p := range []string{"a", "/~2", "/x~"} {
		if field, err := CheckExtract(store.FeedExtract{Format: "json", Pointer: p}); field != "pointer" || err == nil {
			t.Errorf("CheckExtract(%q) = %q, %v; want a pointer error", p, field, err)
		}
	}
}

func TestParseNumber(t *testing.T) {
	for s, want := range map[string]float64{"12.5": 12.5, " -3 ": -3, "1e26": 1e26, "+.5": 0.5, "7.": 7, "2.1E+25": 2.1e25} {
		if got, err := ParseNumber(s); err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"12.5%", "1,234", "1 234", "$5", "NaN", "Inf", "0x10", "1_000", "1e999", "--1", "."} {
		if got, err := ParseNumber(s); err == nil {
			t.Errorf("ParseNumber(%q) = %v; want an error", s, got)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1", "12.5%", "1,234", "-0.5e-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err == nil && (v != v || strings.ContainsAny(s, ",%")) {
			t.Fatalf("ParseNumber(%q) = %v; want an error", s, v)
		}
	})
}
