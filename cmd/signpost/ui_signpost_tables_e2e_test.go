package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The signpost tables browser test: on the fresh seed tournament (nothing
// resolved, nothing forecast) the board and the home card say the
// signposts say nothing yet instead of pointing anywhere; once forecasters
// and a resolution arrive, every scenario shows the implied figure with its
// 10–90 % range and the evidence, and every indicator its likelihood table
// with its source and numbers, in English and Chinese, at 1280 and 390 px.
// An admin enters a table in the link editor (a wrong entry is refused at
// its own field), the board names it as the admin's, and the admin returns
// the indicator to its derived table. The rules page explains the table,
// evidence, expected and implied with a worked example each.

type tableBoard struct {
	Prior     string `json:"prior"`
	Scenarios []struct {
		Option       int        `json:"option"`
		Implied      float64    `json:"implied"`
		Evidence     float64    `json:"evidence"`
		ImpliedRange []float64  `json:"implied_range"`
		For          []tableInd `json:"for"`
		Against      []tableInd `json:"against"`
	} `json:"scenarios"`
}

type tableInd struct {
	QuestionID  int64    `json:"question_id"`
	Probability *float64 `json:"probability"`
	Expected    *float64 `json:"expected"`
	Likelihoods *struct {
		Probabilities []float64 `json:"probabilities"`
		Source        string    `json:"source"`
	} `json:"likelihoods"`
}

// find is the board's entry for indicator qid, from whichever list holds it.
func (tb tableBoard) find(qid int64) *tableInd {
	for _, s := range tb.Scenarios {
		for _, list := range [][]tableInd{s.For, s.Against} {
			for i := range list {
				if list[i].QuestionID == qid {
					return &list[i]
				}
			}
		}
	}
	return nil
}

// rangeText is the page's rangeText(): "22–40 %".
func rangeText(r []float64) string {
	if len(r) != 2 {
		return ""
	}
	return strings.TrimSuffix(pctText(r[0]), " %") + "–" + pctText(r[1])
}

// texts of the board a reader checks, per language.
var tableWords = map[string]struct{ nothing, oldPointTo, implied, evidence, admin, strengths, expect string }{
	"en": {"The signposts say nothing yet", "point to", "indicator forecasts imply", "Resolved signposts so far favour", "set by an admin", "from link strengths", "the scenarios expect"},
	"zh": {"路标暂时还说明不了什么", "指向", "指标预测意味着", "已判定的路标目前倾向", "管理员设定", "由连接强度推出", "情景预期"},
}

func TestUISignpostBoardShowsTableSourcesRangesAndNothingYet(t *testing.T) {
	start := time.Now()
	base, scenario, huawei, model, nvidia, admin := signpostServer(t)
	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	run := b.subtest

	// The fresh seed tournament: nothing resolved, nothing forecast.
	for _, lang := range []string{"en", "zh"} {
		w := tableWords[lang]
		run("nothing yet "+lang, func(t *testing.T) {
			b.setLang(lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
			b.do("reload home", chromedp.Evaluate[chromedp.Void](`location.hash = '#/'`), chromedp.Reload())
			b.waitReady("/")
			b.waitJS("board card", `!!document.querySelector('#board-card')`)
			// Before the likelihood tables the card said the signposts
			// "point to" the reference forecast's favourite.
			if got := b.text("#board-card .lead"); !strings.Contains(got, w.nothing) || strings.Contains(got, w.oldPointTo) {
				t.Errorf("home card on an empty tournament = %q; want %q and not %q", got, w.nothing, w.oldPointTo)
			}
			b.route("#/signposts")
			if got := b.text("#sp-headline"); !strings.Contains(got, w.nothing) || strings.Contains(got, w.oldPointTo) {
				t.Errorf("board headline on an empty tournament = %q; want %q and not %q", got, w.nothing, w.oldPointTo)
			}
			if n, all := b.count(".sp-scenario"), b.count(`.sp-scenario .sp-sentence`); n == 0 || all != n {
				t.Fatalf("%d scenario cards, %d sentences", n, all)
			}
			for i := 0; i < b.count(".sp-scenario"); i++ {
				if got := b.text(fmt.Sprintf(`.sp-scenario[data-option="%d"] .sp-sentence`, i)); !strings.Contains(got, w.nothing) {
					t.Errorf("scenario %d sentence = %q; want %q", i, got, w.nothing)
				}
			}
			b.screenshot("sp-tables-01-nothing-" + lang)
			b.do("phone width", chromedp.EmulateViewport(390, 844))
			b.screenshotViewport("sp-tables-02-nothing-phone-" + lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
		})
	}
	b.setLang("en")

	// Three forecasters who disagree, so the range has a width; one
	// indicator resolves, so the evidence moves off the prior.
	crowd := []struct {
		name      string
		scenarios []float64
		yes       map[int64]float64
	}{
		{"erin", []float64{0.40, 0.20, 0.15, 0.25}, map[int64]float64{huawei: 0.8, model: 0.3, nvidia: 0.6}},
		{"finn", []float64{0.20, 0.30, 0.20, 0.30}, map[int64]float64{huawei: 0.6, model: 0.7, nvidia: 0.2}},
		{"gail", []float64{0.25, 0.25, 0.10, 0.40}, map[int64]float64{huawei: 0.9, model: 0.5, nvidia: 0.4}},
	}
	for _, f := range crowd {
		s := spRegister(t, base, f.name)
		spForecast(t, base, s.Token, scenario, f.scenarios)
		for id, p := range f.yes {
			spForecast(t, base, s.Token, id, []float64{p, 1 - p})
		}
	}
	time.Sleep(1100 * time.Millisecond) // forecasts strictly before resolved_at
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/resolve", huawei), admin.Token, map[string]any{"outcome": 0}, nil); code != 200 {
		t.Fatalf("resolve Huawei = %d", code)
	}

	run("admin enters a table", func(t *testing.T) {
		b.signInAs(admin, "#/admin/links")
		b.choose("#links select[name=indicator]", fmt.Sprint(model))
		b.waitJS("table editor", `!!document.querySelector('#lik-form input[name="probabilities[3]"]')`)
		if got := b.eval(`document.querySelector('#lik-current').dataset.source || ''`); got != "strengths" {
			t.Errorf("before: the model indicator's table source = %q; want strengths", got)
		}
		for k, v := range []string{"0.2", "0.7", "1.5", "0.4"} {
			b.typeInto(fmt.Sprintf(`#lik-form input[name="probabilities[%d]"]`, k), v)
		}
		b.click("#lik-form button[type=submit]")
		b.waitJS("refused at its field", `document.querySelector('#lik-form [data-field="probabilities[2]"] .field-error').textContent.length > 0`)
		if got := b.text(`#lik-form [data-field="probabilities[1]"] .field-error`); got != "" {
			t.Errorf("a right entry shows the error %q", got)
		}
		b.do("phone width", chromedp.EmulateViewport(390, 844))
		b.eval(`(() => { document.getElementById('likelihoods').scrollIntoView(); return ''; })()`)
		b.screenshotViewport("sp-tables-03-editor-error-phone")
		b.do("desktop width", chromedp.EmulateViewport(1280, 900))
		b.typeInto(`#lik-form input[name="probabilities[2]"]`, "0.6")
		b.click("#lik-form button[type=submit]")
		b.waitJS("saved", `(document.querySelector('#lik-current') || {dataset: {}}).dataset.source === 'admin'`)
		if got := b.text("#lik-current .sp-table"); !strings.Contains(got, "set by an admin") || !strings.Contains(got, "60 %") {
			t.Errorf("after saving: current table %q; want the admin's, with 60 %%", got)
		}
		b.eval(`(() => { document.getElementById('likelihoods').scrollIntoView(); return ''; })()`)
		b.screenshotViewport("sp-tables-04-editor-saved")
		// The indicator's own page shows the table the board reads it through.
		b.route(fmt.Sprintf("#/q/%d", model))
		b.waitJS("indicator table", `!!document.querySelector('#indicator-table .sp-table')`)
		if got := b.text("#indicator-table .sp-table-src"); got != "set by an admin" {
			t.Errorf("indicator page table source = %q; want the admin's", got)
		}
	})

	var board tableBoard
	if code := apiJSON(t, base, "GET", "/tournaments/ai-scenarios-2027/signposts", "", nil, &board); code != 200 || len(board.Scenarios) != 4 {
		t.Fatalf("GET signposts = %d, %d scenarios", code, len(board.Scenarios))
	}
	adminInd, strengthInd := board.find(model), board.find(nvidia)
	if adminInd == nil || adminInd.Likelihoods == nil || adminInd.Likelihoods.Source != "admin" || strengthInd == nil || strengthInd.Likelihoods == nil || strengthInd.Likelihoods.Source != "strengths" {
		t.Fatalf("set-up: the board's model indicator %+v should have the admin's table, nvidia %+v the strengths'", adminInd, strengthInd)
	}

	for _, lang := range []string{"en", "zh"} {
		w := tableWords[lang]
		run("board "+lang, func(t *testing.T) {
			b.setLang(lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
			b.do("reload", chromedp.Evaluate[chromedp.Void](`location.hash = '#/signposts'`), chromedp.Reload())
			b.waitReady("/signposts")
			head := b.text("#sp-headline")
			if !strings.Contains(head, w.implied) || !strings.Contains(head, w.evidence) || strings.Contains(head, w.nothing) {
				t.Errorf("headline = %q; want %q and %q", head, w.implied, w.evidence)
			}
			for _, scn := range board.Scenarios {
				card := fmt.Sprintf(`.sp-scenario[data-option="%d"]`, scn.Option)
				if got, want := b.text(card+" .sp-fig.implied .sp-range"), rangeText(scn.ImpliedRange); want == "" || !strings.HasSuffix(got, want) {
					t.Errorf("scenario %d range = %q; want …%q", scn.Option, got, want)
				}
				if got := b.text(card + " .sp-fig.evidence .big"); got != pctText(scn.Evidence) {
					t.Errorf("scenario %d evidence = %q; want %q", scn.Option, got, pctText(scn.Evidence))
				}
			}
			checkTableRow(t, b, model, adminInd, w.admin)
			checkTableRow(t, b, nvidia, strengthInd, w.strengths)
			if strengthInd.Expected != nil && strengthInd.Probability != nil {
				want := map[string]string{
					"en": fmt.Sprintf("the scenarios expect %s, forecasters say %s", pctText(*strengthInd.Expected), pctText(*strengthInd.Probability)),
					"zh": fmt.Sprintf("情景预期 %s，预测者认为 %s", pctText(*strengthInd.Expected), pctText(*strengthInd.Probability)),
				}[lang]
				if got := b.text(fmt.Sprintf(`.sp-ind[data-qid="%d"] .sp-gap`, nvidia)); got != want {
					t.Errorf("nvidia gap = %q; want %q", got, want)
				}
			} else {
				t.Errorf("nvidia on the board has no expected or no probability: %+v", strengthInd)
			}
			b.waitJS("pulse chart", `!!document.querySelector('.pulse-box svg')`)
			if b.count(".pulse-box .series.evidence") != len(board.Scenarios) {
				t.Errorf("pulse draws %d evidence series; want %d", b.count(".pulse-box .series.evidence"), len(board.Scenarios))
			}
			b.screenshot("sp-tables-05-board-" + lang)
			b.do("phone width", chromedp.EmulateViewport(390, 844))
			if got := b.eval(`String(document.documentElement.scrollWidth)`); got != "390" {
				t.Errorf("board at 390 px: page is %s px wide (sideways scroll)", got)
			}
			b.screenshotViewport("sp-tables-06-board-phone-" + lang)
			b.eval(fmt.Sprintf(`(() => { document.querySelector('.sp-ind[data-qid="%d"]').scrollIntoView(); return ''; })()`, model))
			b.screenshotViewport("sp-tables-07-table-phone-" + lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
			b.route("#/")
			b.waitJS("board card", `!!document.querySelector('#board-card')`)
			if got := b.text("#board-card"); !strings.Contains(got, rangeText(board.Scenarios[0].ImpliedRange)) || !strings.Contains(got, w.evidence) {
				t.Errorf("home card = %q; want the range %q and %q", got, rangeText(board.Scenarios[0].ImpliedRange), w.evidence)
			}
			b.screenshot("sp-tables-08-home-" + lang)
			b.do("phone width", chromedp.EmulateViewport(390, 844))
			b.eval(`(() => { document.getElementById('board-card').scrollIntoView(); return ''; })()`)
			b.screenshotViewport("sp-tables-09-home-phone-" + lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
		})
	}
	b.setLang("en")

	// The rules page explains each part with a worked example, and says
	// that evidence assumes indicators independent given the scenario.
	for _, c := range []struct{ lang, independent string }{{"en", "conditionally independent given the scenario"}, {"zh", "在给定情景下条件独立"}} {
		run("rules "+c.lang, func(t *testing.T) {
			b.setLang(c.lang)
			b.do("reload", chromedp.Evaluate[chromedp.Void](`location.hash = '#/rules'`), chromedp.Reload())
			b.waitReady("/rules")
			for _, id := range []string{"rules-table", "rules-evidence", "rules-expected", "rules-implied"} {
				if n := b.count("#" + id + " p.worked"); n == 0 {
					t.Errorf("rules section #%s has no worked example", id)
				}
			}
			if got := b.text("#rules-evidence"); !strings.Contains(got, c.independent) || !strings.Contains(got, "52.8 %") {
				t.Errorf("rules on evidence = %q; want %q and the example's 52.8 %%", got, c.independent)
			}
			b.eval(`(() => { document.getElementById('signposts').scrollIntoView(); return ''; })()`)
			b.screenshotViewport("sp-tables-10-rules-" + c.lang)
			b.do("phone width", chromedp.EmulateViewport(390, 844))
			b.eval(`(() => { document.getElementById('rules-evidence').scrollIntoView(); return ''; })()`)
			b.screenshotViewport("sp-tables-11-rules-phone-" + c.lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
		})
	}
	b.setLang("en")

	run("admin returns to the derived table", func(t *testing.T) {
		b.signInAs(admin, "#/admin/links")
		b.choose("#links select[name=indicator]", fmt.Sprint(model))
		b.waitJS("admin table", `(document.querySelector('#lik-current') || {dataset: {}}).dataset.source === 'admin'`)
		b.click("#lik-derived")
		b.waitJS("derived table", `(document.querySelector('#lik-current') || {dataset: {}}).dataset.source === 'strengths'`)
		var lik struct {
			Source string `json:"source"`
		}
		if code := apiJSON(t, base, "GET", fmt.Sprintf("/questions/%d/likelihoods", model), "", nil, &lik); code != 200 || lik.Source != "strengths" {
			t.Errorf("after returning: GET likelihoods = %d, source %q; want 200, strengths", code, lik.Source)
		}
	})

	b.checkProblems()
	t.Logf("signpost tables browser test took %s", time.Since(start).Round(time.Millisecond))
}

// checkTableRow finds indicator qid's likelihood table on the board: its
// source named in the page's language and its numbers as the API gives them.
func checkTableRow(t *testing.T, b *browser, qid int64, ind *tableInd, source string) {
	t.Helper()
	row := fmt.Sprintf(`.sp-ind[data-qid="%d"] .sp-table`, qid)
	if b.count(row) == 0 {
		t.Errorf("indicator %d shows no likelihood table", qid)
		return
	}
	if got := b.text(row + " .sp-table-src"); got != source {
		t.Errorf("indicator %d table source = %q; want %q", qid, got, source)
	}
	var want []string
	for _, p := range ind.Likelihoods.Probabilities {
		want = append(want, pctText(p))
	}
	got := b.eval(fmt.Sprintf(`[...document.querySelector(%q).querySelectorAll('.sp-lik b')].map((e) => e.textContent).join('|')`, row))
	if got != strings.Join(want, "|") {
		t.Errorf("indicator %d table = %s; want %s", qid, got, strings.Join(want, "|"))
	}
}
