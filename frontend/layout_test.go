package frontend

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The UI's modules sit in three layers: js/lib (api, dom, state, i18n,
// formatting, forms, charts), js/parts (widgets several pages show) and
// js/pages (the routed pages, a folder for a page with sub-modules of its
// own). Imports point down the layers only, and a page never imports
// another page, so a page can change or go without touching the others.

// kebabName is the one naming convention for files and folders.
var kebabName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]+)?$`)

func TestFileNames(t *testing.T) {
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if !kebabName.MatchString(d.Name()) {
			t.Errorf("%s: want a kebab-case name (lower case, words joined by -)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking the embedded UI: %v", err)
	}
}

// importSpec finds static imports (`from '…'`, `import '…'`) and dynamic
// ones (`import('…')`).
var importSpec = regexp.MustCompile(`(?m)(?:\bfrom|^import|\bimport\()\s*'([^']+)'`)

// imports maps each module under js/ to the modules it imports, as paths in FS().
func imports(t *testing.T) map[string][]string {
	t.Helper()
	graph := map[string][]string{}
	for p, body := range readAll(t) {
		if !strings.HasSuffix(p, ".js") {
			continue
		}
		graph[p] = nil
		for _, m := range importSpec.FindAllStringSubmatch(body, -1) {
			if !strings.HasPrefix(m[1], ".") {
				t.Errorf("%s imports %q; want a relative path (no bare or absolute specifiers)", p, m[1])
				continue
			}
			graph[p] = append(graph[p], path.Join(path.Dir(p), m[1]))
		}
	}
	return graph
}

// routedPages are the pages main.js's router loads.
func routedPages(t *testing.T, graph map[string][]string) map[string]bool {
	t.Helper()
	routed := map[string]bool{}
	for _, target := range graph["js/main.js"] {
		if strings.HasPrefix(target, "js/pages/") {
			routed[target] = true
		}
	}
	if len(routed) < 5 {
		t.Fatalf("main.js routes %d pages; parser broken?", len(routed))
	}
	return routed
}

func layerOf(p string) int {
	switch {
	case strings.HasPrefix(p, "js/lib/"):
		return 0
	case strings.HasPrefix(p, "js/parts/"):
		return 1
	case strings.HasPrefix(p, "js/pages/"):
		return 2
	}
	return 3 // main.js, the entry point
}

func TestModuleLayers(t *testing.T) {
	graph := imports(t)
	routed := routedPages(t, graph)
	for from, targets := range graph {
		if layerOf(from) == 3 && from != "js/main.js" {
			t.Errorf("%s: a module outside js/lib, js/parts and js/pages (only main.js sits at the top)", from)
		}
		for _, to := range targets {
			if _, ok := graph[to]; !ok {
				t.Errorf("%s imports %s, which does not exist", from, to)
				continue
			}
			switch {
			case layerOf(to) < layerOf(from):
				// down the layers: fine
			case layerOf(from) == 3:
				// main.js loads anything
			case layerOf(from) == 2 && layerOf(to) == 2:
				// a page's own sub-module, in the page's folder
				if routed[to] || path.Dir(to) != path.Dir(from) || path.Dir(from) == "js/pages" {
					t.Errorf("page module %s imports page module %s; pages import only js/lib, js/parts and their own sub-modules", from, to)
				}
			case layerOf(to) == layerOf(from) && layerOf(from) < 2:
				// lib uses lib, parts use parts
			default:
				t.Errorf("%s imports %s, up the layers (lib → parts → pages)", from, to)
			}
		}
	}
	for p := range graph {
		if layerOf(p) == 2 && path.Dir(p) == "js/pages" && !routed[p] {
			t.Errorf("%s sits in js/pages but main.js does not route to it; move it to js/parts or into its page's folder", p)
		}
	}
}

var languageFiles = []string{"js/lib/i18n/en.json", "js/lib/i18n/zh.json"}

// dictionary reads one language's texts, refusing a key given twice (which
// encoding/json would silently accept, keeping the last).
func dictionary(t *testing.T, name string) map[string]string {
	t.Helper()
	f, err := FS().Open(name)
	if err != nil {
		t.Fatalf("opening %s: %v", name, err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: want one JSON object, got %v (%v)", name, tok, err)
	}
	texts := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		key := tok.(string)
		var text string
		if err := dec.Decode(&text); err != nil {
			t.Fatalf("%s: %s: want a string: %v", name, key, err)
		}
		if _, dup := texts[key]; dup {
			t.Errorf("%s: key %s given twice", name, key)
		}
		if text == "" {
			t.Errorf("%s: key %s has an empty text", name, key)
		}
		texts[key] = text
	}
	return texts
}

var placeholder = regexp.MustCompile(`\{\w+\}`)

func placeholders(text string) string {
	found := placeholder.FindAllString(text, -1)
	sort.Strings(found)
	return strings.Join(slices.Compact(found), " ")
}

// The two languages have exactly the same keys, each with the same
// placeholders, and every key the code names exists.
func TestDictionariesComplete(t *testing.T) {
	en, zh := dictionary(t, languageFiles[0]), dictionary(t, languageFiles[1])
	if len(en) < 100 {
		t.Fatalf("only %d English keys found; parser broken?", len(en))
	}
	var problems []string
	for k, text := range en {
		other, ok := zh[k]
		switch {
		case !ok:
			problems = append(problems, "missing in zh: "+k)
		case placeholders(text) != placeholders(other):
			problems = append(problems, "placeholders differ: "+k)
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			problems = append(problems, "missing in en: "+k)
		}
	}
	literal := regexp.MustCompile(`\bt\('([a-zA-Z0-9_.]+)'`)
	prefix := regexp.MustCompile("\\bt\\(`([a-zA-Z0-9_.]+\\.)\\$\\{")
	for p, body := range readAll(t) {
		if !strings.HasSuffix(p, ".js") {
			continue
		}
		for _, m := range literal.FindAllStringSubmatch(body, -1) {
			if _, ok := en[m[1]]; !ok {
				problems = append(problems, p+" uses "+m[1])
			}
		}
		for _, m := range prefix.FindAllStringSubmatch(body, -1) {
			if !anyKeyWithPrefix(en, m[1]) {
				problems = append(problems, p+" uses "+m[1]+"…")
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

func anyKeyWithPrefix(texts map[string]string, prefix string) bool {
	for k := range texts {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}
