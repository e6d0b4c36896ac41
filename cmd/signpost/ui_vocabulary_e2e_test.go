package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signpost/frontend"
)

// One vocabulary in each language, as rendered: no page uses a word its
// glossary avoids; the nav link and the page it opens say the same;
// criteria and sources cite other questions by title, not by slug; counts
// of one are singular; webhook formats are named in the reader's language.
func TestUIOneVocabulary(t *testing.T) {
	w := readingSetup(t)
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	slug := regexp.MustCompile(`\b[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}\b`)
	pages := []string{"#/", fmt.Sprintf("#/q/%d", w.scenario), fmt.Sprintf("#/q/%d", w.huawei), fmt.Sprintf("#/q/%d", w.nvidia),
		fmt.Sprintf("#/q/%d", w.pair.IfYes.ID), "#/signposts", "#/leaderboard", "#/leaderboard/conditional", "#/rules", "#/u/gwen", "#/admin", "#/admin/questions", "#/admin/webhooks", "#/admin/audit"}
	for _, c := range []struct{ lang, feishu string }{{"en", "Feishu / Lark"}, {"zh", "飞书"}} {
		b.subtest(c.lang, func(t *testing.T) {
			terms, err := frontend.Glossary(c.lang)
			if err != nil {
				t.Fatal(err)
			}
			b.setLang(c.lang)
			b.signInAs(w.admin, "#/")
			for _, page := range pages {
				b.route(page)
				text := b.eval(`document.body.innerText`)
				for _, term := range terms {
					for _, word := range term.Avoid {
						if strings.Contains(strings.ToLower(text), strings.ToLower(word)) {
							t.Errorf("%s %s says %q; the glossary's word for %s is %q", c.lang, page, word, term.Concept, term.Word)
						}
					}
				}
			}
			b.route("#/rules")
			if nav, h1 := b.text(`header nav a[href="#/rules"]`), b.text("main h1"); nav != h1 {
				t.Errorf("the nav says %q, the page it opens %q", nav, h1)
			}
			b.route(fmt.Sprintf("#/q/%d", w.scenario))
			for _, sel := range []string{"#criteria", "#sources"} {
				if m := slug.FindString(b.eval(fmt.Sprintf(`document.querySelector(%q).innerText`, sel))); m != "" {
					t.Errorf("%s cites a question by its slug %q", sel, m)
				}
			}
			if b.count("#criteria a.cited-question") == 0 || b.count("#sources a.cited-question") == 0 {
				t.Error("criteria and sources do not link the questions they cite")
			}
			b.route("#/admin/webhooks")
			b.waitJS("webhook form", `!!document.querySelector('#webhook-create select[name="format"]')`)
			if got := b.eval(`document.querySelector('#webhook-create option[value="feishu"]').textContent`); got != c.feishu {
				t.Errorf("webhook format feishu reads %q; want %q", got, c.feishu)
			}
			b.checkProblems()
		})
	}
	b.subtest("counts of one", func(t *testing.T) {
		b.setLang("en")
		b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.nvidia))
		b.waitJS("forecasters", `!!document.querySelector('.forecasters')`)
		text := b.eval(`document.querySelector('main').innerText`)
		if strings.Contains(text, "(1 forecasts)") || !strings.Contains(text, "(1 forecast)") {
			t.Errorf("the forecasters' list does not say \"(1 forecast)\": %q", text)
		}
	})
}
