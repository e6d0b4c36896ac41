package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// readingWorld is a small populated tournament for the reading tests: six
// forecasters on the scenario question and the Huawei indicator, a
// conditional pair on it answered by five, comments, a resolved indicator
// and an annulled question with forecasts.
type readingWorld struct {
	base                              string
	admin, fran                       spSession
	scenario, huawei, nvidia, annuled int64
	pair                              e2ePair
}

func readingSetup(t *testing.T) *readingWorld {
	t.Helper()
	base, scenario, huawei, model, nvidia, admin := signpostServer(t)
	w := &readingWorld{base: base, admin: admin, scenario: scenario, huawei: huawei, nvidia: nvidia}
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/conditionals", huawei), admin.Token,
		map[string]any{"scenario_question_id": scenario}, &w.pair); code != 201 {
		t.Fatalf("create pair = %d", code)
	}
	var extra e2eQuestion
	if code := apiJSON(t, base, "POST", "/tournaments/ai-scenarios-2027/questions", admin.Token, map[string]any{
		"kind": "binary", "title": map[string]string{"en": "A question that will be annulled", "zh": "将被作废的题目"},
		"criteria": map[string]string{"en": "Resolves Yes if so."}, "resolution_source": []string{"https://example.org/source"},
		"opens_at": "2026-01-01T00:00:00Z", "closes_at": "2031-01-01T00:00:00Z"}, &extra); code != 201 {
		t.Fatalf("create question = %d", code)
	}
	w.annuled = extra.ID
	// Fran's indicator forecasts contradict her scenario forecast: the
	// scenario page carries the coherence nudge for her.
	w.fran = spRegister(t, base, "fran")
	spForecast(t, base, w.fran.Token, scenario, []float64{0.85, 0.05, 0.05, 0.05})
	for _, id := range []int64{huawei, model, nvidia} {
		spForecast(t, base, w.fran.Token, id, []float64{0.95, 0.05})
	}
	for i, name := range []string{"gwen", "hugo", "ines", "jack", "kate"} {
		u := spRegister(t, base, name)
		spForecast(t, base, u.Token, scenario, []float64{0.25, 0.20, 0.15, 0.40})
		spForecast(t, base, u.Token, huawei, []float64{0.6, 0.4})
		spForecast(t, base, u.Token, nvidia, []float64{0.3, 0.7})
		spForecast(t, base, u.Token, w.annuled, []float64{0.2 + 0.1*float64(i), 0.8 - 0.1*float64(i)})
		spForecast(t, base, u.Token, w.pair.IfYes.ID, []float64{0.10, 0.40, 0.20, 0.30})
		spForecast(t, base, u.Token, w.pair.IfNo.ID, []float64{0.30, 0.10, 0.20, 0.40})
		if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/comments", scenario), u.Token,
			map[string]string{"body": "Compute keeps growing; see https://example.org/" + name}, nil); code != 201 {
			t.Fatalf("comment = %d", code)
		}
	}
	time.Sleep(1100 * time.Millisecond) // every forecast strictly before the answer
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/resolve", nvidia), admin.Token, map[string]any{"outcome": 1}, nil); code != 200 {
		t.Fatalf("resolve = %d", code)
	}
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/annul", w.annuled), admin.Token, map[string]any{"reason": "ambiguous wording"}, nil); code != 200 {
		t.Fatalf("annul = %d", code)
	}
	return w
}

// inViewport is a script: whether the element's box lies inside the
// screen's width and, after scrolling it into view, its height.
const inViewportJS = `(sel) => { const e = document.querySelector(sel); if (!e) return 'missing ' + sel;
	e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();
	if (r.width === 0 || r.height === 0) return 'hidden ' + sel;
	return r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight ? 'ok' : sel + ' at ' + [r.left, r.right, r.top, r.bottom].map(Math.round).join(',') + ' of ' + innerWidth; }`

// The conditional form on a phone: one branch at a time, chosen with a
// switch; every input and its scenario's name inside the screen, side by
// side, the names never one character a line; a total that is not 100 %
// brings its branch into view with the error readable. On a wide screen
// the two branches stay side by side.
func TestUIConditionalOnAPhone(t *testing.T) {
	w := readingSetup(t)
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	for _, lang := range []string{"en", "zh"} {
		b.subtest("phone "+lang, func(t *testing.T) {
			b.setLang(lang)
			b.do("viewport", chromedp.EmulateViewport(390, 844))
			b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.huawei))
			b.waitJS("pair form", `!!document.querySelector('#conditional .cond-pair')`)
			if n := b.count("#conditional .cond-switch button"); n != 2 {
				t.Fatalf("%d branch switches; want 2", n)
			}
			for branch := 0; branch < 2; branch++ {
				b.click(fmt.Sprintf(`#conditional .cond-switch button[data-branch="%d"]`, branch))
				if got := b.eval(fmt.Sprintf(`document.querySelector('#conditional .cond-switch button[data-branch="%d"]').getAttribute('aria-pressed')`, branch)); got != "true" {
					t.Errorf("branch %d switch pressed = %s", branch, got)
				}
				for i := 0; i < 4; i++ {
					input := fmt.Sprintf(`#conditional input[name="b%dp%d"]`, branch, i)
					label := fmt.Sprintf(`#conditional .cond-table tbody tr:nth-child(%d) th`, i+1)
					for _, sel := range []string{input, label} {
						if got := b.eval(fmt.Sprintf(`(%s)(%q)`, inViewportJS, sel)); got != "ok" {
							t.Errorf("branch %d: %s", branch, got)
						}
					}
					// The label beside its input, on the same line, wide enough for words.
					if got := b.eval(fmt.Sprintf(`(() => { const i = document.querySelector(%q).getBoundingClientRect(), l = document.querySelector(%q).getBoundingClientRect();
						const em = parseFloat(getComputedStyle(document.querySelector(%q)).fontSize);
						return String(l.right <= i.left && l.top < i.bottom && i.top < l.bottom && l.width >= 5 * em); })()`, input, label, label)); got != "true" {
						t.Errorf("branch %d row %d: the scenario's name is not beside its input, or is narrower than 5 em", branch, i)
					}
				}
				other := fmt.Sprintf(`#conditional input[name="b%dp0"]`, 1-branch)
				if got := b.eval(fmt.Sprintf(`String(document.querySelector(%q).getClientRects().length)`, other)); got != "0" {
					t.Errorf("branch %d shown, yet the other branch's input is drawn", branch)
				}
			}
			// A wrong total in the branch not shown: that branch comes into view with its error.
			b.click(`#conditional .cond-switch button[data-branch="1"]`)
			b.eval(`(() => { const i = document.querySelector('#conditional input[name="b0p0"]'); i.value = '90'; return ''; })()`)
			b.click("#conditional .cond-submit")
			b.waitJS("sum error", `(document.querySelector('#conditional .field-error') || {}).textContent !== ''`)
			if got := b.eval(`document.querySelector('#conditional .cond-pair').dataset.branch`); got != "0" {
				t.Errorf("after a wrong If-Yes total the form shows branch %s; want 0", got)
			}
			if got := b.eval(fmt.Sprintf(`(%s)('#conditional .field-error')`, inViewportJS)); got != "ok" {
				t.Errorf("total error: %s", got)
			}
			b.screenshotViewport("cond-phone-" + lang)
			b.fitsWidth("conditional form at 390 px " + lang)
			b.checkProblems()
		})
	}
	b.subtest("wide", func(t *testing.T) {
		b.do("viewport", chromedp.EmulateViewport(1280, 900))
		b.setLang("en")
		b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.huawei))
		b.waitJS("pair form", `!!document.querySelector('#conditional .cond-pair')`)
		if got := b.eval(`(() => { const a = document.querySelector('input[name="b0p0"]').getBoundingClientRect(); const c = document.querySelector('input[name="b1p0"]').getBoundingClientRect(); return String(c.left > a.right && Math.abs(c.top - a.top) < 2); })()`); got != "true" {
			t.Error("on a wide screen the two branches are not side by side")
		}
		if got := b.eval(`getComputedStyle(document.querySelector('#conditional .cond-switch')).display`); got != "none" {
			t.Errorf("the branch switch shows on a wide screen (display %s)", got)
		}
	})
}

// The question page puts the forecast first: at 390 px and 1280 px, in
// both languages, the form starts within the first screen, above the
// crowd, the criteria and the comments, in the document (so in keyboard
// order) as on screen; the coherence nudge is one line that opens; after
// a forecast is sent focus stays on the form. Once resolved, the score
// takes the form's place. An annulled question's crowd card and chart
// agree.
func TestUIQuestionPageOrder(t *testing.T) {
	w := readingSetup(t)
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	before := func(a, c string) string {
		return fmt.Sprintf(`(() => { const a = document.querySelector(%q), c = document.querySelector(%q); return a && c ? String(!!(a.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING)) : 'missing'; })()`, a, c)
	}
	for _, lang := range []string{"en", "zh"} {
		for _, width := range []int64{390, 1280} {
			b.subtest(fmt.Sprintf("%s %d", lang, width), func(t *testing.T) {
				b.setLang(lang)
				b.do("viewport", chromedp.EmulateViewport(width, 844))
				b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.scenario))
				b.waitJS("form", `!!document.querySelector('#forecast form')`)
				if got := b.eval(`String(Math.round(document.querySelector('#forecast').getBoundingClientRect().top))`); atoi(got) >= 844 {
					t.Errorf("the forecast form starts at %s px; want within the first screen (844)", got)
				}
				for _, pair := range [][2]string{{"#forecast", "#crowd"}, {"#crowd", "#criteria"}, {"#criteria", "#comments"}, {"#forecast input", "#comments a, #comments button, #comments textarea"}} {
					if got := b.eval(before(pair[0], pair[1])); got != "true" {
						t.Errorf("%s does not come before %s in the document (%s)", pair[0], pair[1], got)
					}
				}
				if got := b.eval(`(() => { const d = document.querySelector('#forecast details.coherence-nudge'); return d ? String(!d.open) + ' ' + Math.round(d.getBoundingClientRect().height) : 'none'; })()`); !strings.HasPrefix(got, "true ") || atoi(strings.TrimPrefix(got, "true ")) > 80 {
					t.Errorf("the coherence nudge: folded, height = %s; want folded and at most 80 px", got)
				}
				b.screenshotViewport(fmt.Sprintf("question-order-%s-%d", lang, width))
				b.checkProblems()
			})
		}
	}
	b.subtest("focus after sending", func(t *testing.T) {
		b.setLang("en")
		b.do("viewport", chromedp.EmulateViewport(390, 844))
		b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.scenario))
		for i, v := range []string{"40", "30", "20", "10"} {
			b.typeInto(fmt.Sprintf("#forecast input[name=p%d]", i), v)
		}
		b.click("#submit-forecast")
		b.waitJS("saved", `document.querySelectorAll('#history > ol > li').length === 2`)
		b.waitJS("focus on the form", `!!(document.activeElement && document.activeElement.closest('#forecast'))`)
	})
	b.subtest("resolved: the score first", func(t *testing.T) {
		for _, width := range []int64{390, 1280} {
			b.do("viewport", chromedp.EmulateViewport(width, 844))
			b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.nvidia))
			b.waitJS("score", `!!document.querySelector('#my-score dl')`)
			if got := b.eval(`String(Math.round(document.querySelector('#my-score').getBoundingClientRect().top))`); atoi(got) >= 844 {
				t.Errorf("%d px: my score starts at %s px; want within the first screen", width, got)
			}
			if b.count("#forecast") != 0 {
				t.Errorf("%d px: a resolved question still shows the forecast card", width)
			}
			if got := b.eval(before("#my-score", "#crowd")); got != "true" {
				t.Errorf("%d px: my score does not come before the crowd (%s)", width, got)
			}
		}
	})
	for _, c := range []struct{ lang, noCrowd, head string }{
		{"en", "Not enough forecasters", "annulled"},
		{"zh", "预测者还不够", "作废"},
	} {
		b.subtest("annulled "+c.lang, func(t *testing.T) {
			b.setLang(c.lang)
			b.do("viewport", chromedp.EmulateViewport(390, 844))
			b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.annuled))
			chart := b.count("main svg.chart") > 0
			page := b.text("#crowd")
			if chart && strings.Contains(page, c.noCrowd) {
				t.Errorf("an annulled question says %q above a drawn crowd chart", c.noCrowd)
			}
			if !strings.Contains(b.text("#crowd h2"), c.head) {
				t.Errorf("crowd heading %q does not say the question was annulled (%q)", b.text("#crowd h2"), c.head)
			}
			if !strings.Contains(page, "5") {
				t.Errorf("the crowd card %q does not count the 5 forecasters", page)
			}
			b.screenshot("question-annulled-" + c.lang)
			b.checkProblems()
		})
	}
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}
