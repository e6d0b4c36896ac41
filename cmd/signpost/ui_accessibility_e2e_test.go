package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// contrastJS defines ratio(a, b): the WCAG contrast ratio of two computed
// CSS colours ("rgb(…)").
const contrastJS = `const lum = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
		.reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
	const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
	const bg = (sel) => getComputedStyle(document.querySelector(sel)).backgroundColor;`

// Accessibility: the reference bars and the focus ring keep a non-text
// contrast of 3:1 against what they sit on (computed from the page's
// styles); a Chinese name in the English UI is marked lang="zh"; the API
// reference opens on a table of contents, its operations folded.
func TestUIAccessibility(t *testing.T) {
	w := readingSetup(t)
	var wang spSession
	if code := apiJSON(t, w.base, "POST", "/auth/register", "", map[string]any{"username": "wang", "password": e2ePassword, "display_name": "王小明"}, &wang); code != 201 {
		t.Fatalf("register wang = %d", code)
	}
	if code := apiJSON(t, w.base, "POST", fmt.Sprintf("/questions/%d/comments", w.scenario), wang.Token, map[string]string{"body": "Compute first."}, nil); code != 201 {
		t.Fatalf("comment = %d", code)
	}
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	ratios := func(what, js string) {
		b.t.Helper()
		got := b.eval(fmt.Sprintf(`(() => { %s; return %s; })()`, contrastJS, js))
		for _, part := range strings.Split(got, " ") {
			name, v, _ := strings.Cut(part, "=")
			if r, err := strconv.ParseFloat(v, 64); err != nil || r < 3 {
				b.t.Errorf("%s: contrast against %s is %s; want at least 3:1", what, name, v)
			}
		}
	}
	b.subtest("non-text contrast", func(t *testing.T) {
		b.setLang("en")
		b.do("viewport", chromedp.EmulateViewport(1280, 900))
		b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.scenario))
		ratios("reference bar", `(() => { const f = document.querySelector('#crowd .bar-fill.ref'); const c = getComputedStyle(f).backgroundColor;
			return ['track=' + ratio(c, getComputedStyle(f.parentElement).backgroundColor), 'card=' + ratio(c, bg('#crowd'))].join(' '); })()`)
		// The ring as the :focus-visible rule draws it, applied to a probe:
		// a headless window may not hold focus to show it on a real element.
		probe := `(() => { const rule = [...document.styleSheets].flatMap((s) => [...s.cssRules]).find((r) => r.selectorText === ':focus-visible');
			const p = document.createElement('span'); p.style.cssText = rule.style.cssText; document.body.append(p);
			const st = getComputedStyle(p); const out = [st.outlineStyle, st.outlineColor]; p.remove(); return out; })()`
		if got := b.eval(probe + `[0]`); got != "solid" {
			t.Errorf("the focus ring is %q; want solid", got)
		}
		ratios("focus ring", `(() => { const o = `+probe+`[1]; const input = document.querySelector('#forecast input[name=p0]');
			return ['input=' + ratio(o, getComputedStyle(input).backgroundColor), 'card=' + ratio(o, bg('#forecast')),
				'page=' + ratio(o, getComputedStyle(document.documentElement).backgroundColor), 'header=' + ratio(o, bg('#header'))].join(' '); })()`)
	})
	b.subtest("Chinese names in the English UI", func(t *testing.T) {
		b.setLang("en")
		b.signInAs(wang, fmt.Sprintf("#/q/%d", w.scenario))
		b.waitJS("comments", `document.querySelector('#comments').textContent.includes('王小明')`)
		for _, sel := range []string{"#comments .who-link", "#header .who"} {
			if got := b.eval(fmt.Sprintf(`(() => { const e = [...document.querySelectorAll(%q)].find((e) => e.textContent.includes('王小明')); return e ? String(!!e.querySelector('[lang="zh"]')) : 'missing'; })()`, sel)); got != "true" {
				t.Errorf("%s: the name 王小明 is not marked lang=\"zh\" (%s)", sel, got)
			}
		}
		b.route("#/u/wang")
		if b.count(`main h1 [lang="zh"]`) != 1 {
			t.Error("the profile's title does not mark the Chinese name lang=\"zh\"")
		}
		b.setLang("zh")
		b.reload("#/u/wang")
		if b.count(`main h1 [lang="zh"]`) != 0 {
			t.Error("in the Chinese UI a Chinese name needs no mark of its own")
		}
	})
	for _, lang := range []string{"en", "zh"} {
		for _, width := range []int64{390, 1280} {
			b.subtest(fmt.Sprintf("API reference %s %d", lang, width), func(t *testing.T) {
				b.setLang(lang)
				b.do("viewport", chromedp.EmulateViewport(width, 900))
				b.reload("#/api")
				if got := b.eval(`(() => { const toc = document.getElementById('api-toc'), op = document.querySelector('.api-op');
					return toc && op ? String(!!(toc.compareDocumentPosition(op) & Node.DOCUMENT_POSITION_FOLLOWING)) : 'missing'; })()`); got != "true" {
					t.Errorf("no table of contents before the operations (%s)", got)
				}
				if got := b.eval(`String(document.querySelectorAll('.api-op[open]').length)`); got != "0" {
					t.Errorf("%s operations open on arrival; want all folded", got)
				}
				if h := atoi(b.eval(`String(document.scrollingElement.scrollHeight)`)); h > 20000 {
					t.Errorf("the API reference is %d px tall; want a page to scan (at most 20,000 px)", h)
				}
				b.screenshotViewport(fmt.Sprintf("apiref-%s-%d", lang, width))
				b.click(`#api-toc a[data-target="op-createForecast"]`)
				b.waitJS("opened", `document.getElementById('op-createForecast').open`)
				if got := b.eval(`(() => { const r = document.getElementById('op-createForecast').getBoundingClientRect(); return String(r.top >= -1 && r.top < innerHeight); })()`); got != "true" {
					t.Error("the contents link does not bring createForecast into view")
				}
				b.fitsWidth("API reference " + lang)
				b.checkProblems()
			})
		}
	}
}
