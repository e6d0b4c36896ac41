package feeds

import (
	"testing"

	"signpost/store"
)

// Every feed the seed ships reads and rules as the API would accept it.
func TestSeedFeedsParse(t *testing.T) {
	fs, err := store.DefaultSeedFeeds()
	if err != nil {
		t.Fatal(err)
	}
	_, qs, err := store.DefaultSeed()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 {
		t.Fatal("the seed ships no feed")
	}
	for _, q := range qs {
		f, ok := fs[q.Slug]
		if !ok {
			continue
		}
		if field, err := CheckExtract(f.Extract); err != nil {
			t.Errorf("%s: %s: %v", q.Slug, field, err)
		}
		if _, err := ParseRule(f.Rule, q.Kind, len(q.Options)); err != nil {
			t.Errorf("%s: rule: %v", q.Slug, err)
		}
		if f.Enabled || f.AutoResolve {
			t.Errorf("%s: seeded enabled %v, auto_resolve %v; want both off", q.Slug, f.Enabled, f.AutoResolve)
		}
	}
}
