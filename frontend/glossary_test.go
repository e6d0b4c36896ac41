package frontend

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func readTexts(t *testing.T, lang string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("static", "js", "lib", "i18n", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	if err := json.Unmarshal(raw, &texts); err != nil {
		t.Fatal(err)
	}
	return texts
}

// contains matches whole words in English, any substring in Chinese.
func contains(lang, text, word string) bool {
	if lang == "zh" {
		return strings.Contains(text, word)
	}
	return regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(word) + `\b`).MatchString(text)
}

// TestUITextsFollowTheGlossary: each language's UI texts use the
// glossary's one term for each concept: never a word it avoids, and the
// term in the texts it lists (the nav link and the page it opens say the
// same).
func TestUITextsFollowTheGlossary(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		texts := readTexts(t, lang)
		terms, err := Glossary(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range terms {
			for key, text := range texts {
				for _, word := range row.Avoid {
					if contains(lang, text, word) {
						t.Errorf("%s.json %s = %q uses %q; the glossary's term for %s is %q", lang, key, text, word, row.Concept, row.Word)
					}
				}
			}
			for _, key := range row.Keys {
				text, ok := texts[key]
				if !ok {
					t.Errorf("glossary/%s.md lists %s for %q, a key %s.json lacks", lang, key, row.Word, lang)
				} else if !contains(lang, text, row.Word) {
					t.Errorf("%s.json %s = %q; want the glossary's term %q", lang, key, text, row.Word)
				}
			}
		}
	}
}

// TestEnglishCountsHaveASingular: "{n} forecasts" has a twin "…1" for n = 1,
// so that the UI never says "(1 forecasts)".
func TestEnglishCountsHaveASingular(t *testing.T) {
	texts := readTexts(t, "en")
	plural := regexp.MustCompile(`\{n\} [a-z]+s\b`)
	for key, text := range texts {
		m := plural.FindString(text)
		if m == "" || strings.HasSuffix(m, " pts") {
			continue
		}
		if _, ok := texts[key+"1"]; !ok {
			t.Errorf("en.json %s = %q counts with %q but has no singular %s1", key, text, m, key)
		}
	}
}
