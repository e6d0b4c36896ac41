package frontend

import (
	"embed"
	"fmt"
	"strings"
)

// The glossaries are embedded for the tests that hold the UI to them (the
// texts here, the rendered pages in the browser tests); the server does
// not serve them.
//
//go:embed glossary/*.md
var glossaries embed.FS

// Term is one concept of a language's glossary: the word the UI uses for
// it, the words it avoids, and the UI text keys that must carry the word.
type Term struct {
	Concept, Word string
	Avoid, Keys   []string
}

// Glossary reads the table of glossary/<lang>.md.
func Glossary(lang string) ([]Term, error) {
	raw, err := glossaries.ReadFile("glossary/" + lang + ".md")
	if err != nil {
		return nil, err
	}
	list := func(cell string) []string {
		var out []string
		for _, s := range strings.Split(cell, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	var terms []Term
	for _, line := range strings.Split(string(raw), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		first := strings.TrimSpace(cells[0])
		if len(cells) != 4 || strings.HasPrefix(first, "---") || first == "concept" {
			continue
		}
		terms = append(terms, Term{Concept: first, Word: strings.TrimSpace(cells[1]), Avoid: list(cells[2]), Keys: list(cells[3])})
	}
	if len(terms) < 5 {
		return nil, fmt.Errorf("glossary/%s.md: %d rows; the table did not parse", lang, len(terms))
	}
	return terms, nil
}
