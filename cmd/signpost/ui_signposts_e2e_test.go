package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The signposts browser test drives the real server with headless Chromium:
// the board with crowd and implied figures in both languages, the pulse
// chart's mark for a resolved indicator, the coherence nudge for an
// incoherent forecaster and not for a coherent one, the score ledger and its
// CSV, an admin adding and deleting a link, and the reference row once the
// scenario question resolves. One server and one browser serve every step.

type spSession struct {
	Token     string          `json:"token"`
	ExpiresAt string          `json:"expires_at"`
	User      json.RawMessage `json:"user"`
}

type spBoard struct {
	ScenarioQuestionID int64 `json:"scenario_question_id"`
	Scenarios          []struct {
		Option  int      `json:"option"`
		Crowd   *float64 `json:"crowd"`
		Implied float64  `json:"implied"`
	} `json:"scenarios"`
}

type spCoherence struct {
	Incoherent bool    `json:"incoherent"`
	Distance   float64 `json:"distance"`
	Drivers    []struct {
		QuestionID int64 `json:"question_id"`
	} `json:"drivers"`
}

// pctText is the page's pct(): "42 %", or one decimal when needed.
func pctText(p float64) string {
	v := math.Round(p*1000) / 10
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64) + " %"
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " %"
}

// signInAs stores a session as the sign-in page does and reloads on a route.
func (b *browser) signInAs(sess spSession, hash string) {
	b.t.Helper()
	raw, err := json.Marshal(sess)
	if err != nil {
		b.t.Fatal(err)
	}
	b.eval(fmt.Sprintf(`(() => { localStorage.setItem('signpost.session', %q); return ''; })()`, raw))
	b.do("go to "+hash, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, hash)), chromedp.Reload())
	b.waitReady(strings.TrimPrefix(hash, "#"))
}

func (b *browser) setLang(lang string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(() => { localStorage.setItem('signpost.lang', %q); return ''; })()`, lang))
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	n, err := strconv.Atoi(b.eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, sel)))
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

func spRegister(t *testing.T, base, name string) spSession {
	t.Helper()
	var s spSession
	if code := apiJSON(t, base, "POST", "/auth/register", "", map[string]any{"username": name, "password": e2ePassword}, &s); code != 201 {
		t.Fatalf("register %s = %d", name, code)
	}
	return s
}

func spForecast(t *testing.T, base, token string, qid int64, probs []float64) {
	t.Helper()
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/forecasts", qid), token, map[string]any{"probabilities": probs}, nil); code != 201 {
		t.Fatalf("forecast on %d = %d", qid, code)
	}
}

func TestUISignposts(t *testing.T) {
	start := time.Now()
	base, scenario, huawei, model, nvidia, admin := signpostServer(t)

	// Carol is sure of three signposts that raise S2 and S3 and lower S1,
	// yet gives S1 85 %: incoherent. Dave forecasts only the scenarios.
	carol, dave := spRegister(t, base, "carol"), spRegister(t, base, "dave")
	spForecast(t, base, carol.Token, scenario, []float64{0.85, 0.05, 0.05, 0.05})
	for _, id := range []int64{huawei, model, nvidia} {
		spForecast(t, base, carol.Token, id, []float64{0.95, 0.05})
	}
	spForecast(t, base, dave.Token, scenario, []float64{0.25, 0.2, 0.15, 0.4})
	time.Sleep(1100 * time.Millisecond) // forecasts strictly before resolved_at
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/resolve", huawei), admin.Token, map[string]any{"outcome": 0}, nil); code != 200 {
		t.Fatalf("resolve Huawei = %d", code)
	}

	var board spBoard
	if code := apiJSON(t, base, "GET", "/tournaments/ai-scenarios-2027/signposts", "", nil, &board); code != 200 || len(board.Scenarios) != 4 {
		t.Fatalf("GET signposts = %d, %d scenarios", code, len(board.Scenarios))
	}
	var carolCoh, daveCoh spCoherence
	apiJSON(t, base, "GET", "/me/coherence?tournament=ai-scenarios-2027", carol.Token, nil, &carolCoh)
	apiJSON(t, base, "GET", "/me/coherence?tournament=ai-scenarios-2027", dave.Token, nil, &daveCoh)
	if !carolCoh.Incoherent || len(carolCoh.Drivers) == 0 || daveCoh.Incoherent {
		t.Fatalf("set-up: carol %+v should be incoherent with drivers, dave %+v coherent", carolCoh, daveCoh)
	}

	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	run := b.subtest

	run("home card", func(t *testing.T) {
		b.waitJS("board card", `!!document.querySelector('#board-card')`)
		if got := b.text("#board-card"); !strings.Contains(got, "signposts") || !strings.Contains(got, pctText(board.Scenarios[0].Implied)) {
			t.Errorf("home board card = %q", got)
		}
		if got := b.eval(`document.querySelector('#board-card a.button').getAttribute('href')`); got != "#/signposts" {
			t.Errorf("home card links to %q", got)
		}
	})

	for _, lang := range []string{"en", "zh"} {
		run("board "+lang, func(t *testing.T) {
			b.setLang(lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
			b.do("reload", chromedp.Evaluate[chromedp.Void](`location.hash = '#/signposts'`), chromedp.Reload())
			b.waitReady("/signposts")
			checkBoard(t, b, board, lang)
			checkPulse(t, b, huawei)
			b.screenshot("sp-01-board-" + lang)
			b.do("phone width", chromedp.EmulateViewport(390, 844))
			b.waitJS("pulse redrawn", `(() => { const s = document.querySelector('.pulse-box svg'); return s && s.viewBox.baseVal.width === Math.floor(document.querySelector('.pulse-box').clientWidth); })()`)
			if got := b.eval(`String(document.documentElement.scrollWidth)`); got != "390" {
				t.Errorf("board at 390 px: page is %s px wide (sideways scroll)", got)
			}
			// Chart text: its font size times the SVG's scale, as the eye sees it.
			px, _ := strconv.ParseFloat(b.eval(`(() => { const s = document.querySelector('.pulse-box svg'); const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width; return String(parseFloat(getComputedStyle(s.querySelector('text.tick')).fontSize) * scale); })()`), 64)
			if px < 10.9 {
				t.Errorf("pulse chart text at 390 px is %.1f px; want at least 11", px)
			}
			b.screenshotViewport("sp-02-board-phone-" + lang)
			b.eval(`(() => { document.getElementById('pulse').scrollIntoView(); return ''; })()`)
			b.screenshotViewport("sp-03-pulse-phone-" + lang)
			b.do("desktop width", chromedp.EmulateViewport(1280, 900))
		})
	}
	b.setLang("en")

	run("coherence nudge", func(t *testing.T) {
		b.signInAs(carol, fmt.Sprintf("#/q/%d", scenario))
		b.waitJS("nudge on the form", `!!document.querySelector('#forecast .coherence-nudge')`)
		driver := fmt.Sprintf(`#forecast .coherence-nudge a[href="#/q/%d"]`, carolCoh.Drivers[0].QuestionID)
		if b.count(driver) != 1 {
			t.Errorf("nudge does not link the first driver #%d: %q", carolCoh.Drivers[0].QuestionID, b.text("#forecast .coherence-nudge"))
		}
		if got := b.text("#forecast .coherence-nudge"); !strings.Contains(got, "85 %") {
			t.Errorf("nudge lacks carol's forecast 85 %%: %q", got)
		}
		if b.count("#submit-forecast") != 1 {
			t.Error("the nudge must not replace the form")
		}
		b.screenshot("sp-04-nudge-question")
		b.route("#/me")
		if b.count("main .coherence-nudge") != 1 {
			t.Error("no nudge on carol's profile")
		}
		b.do("phone width", chromedp.EmulateViewport(390, 844))
		b.screenshotViewport("sp-05-nudge-profile-phone")
		b.do("desktop width", chromedp.EmulateViewport(1280, 900))

		b.signInAs(dave, fmt.Sprintf("#/q/%d", scenario))
		if b.count("#forecast") != 1 || b.count(".coherence-nudge") != 0 {
			t.Errorf("coherent dave: form %d, nudges %d; want 1, 0", b.count("#forecast"), b.count(".coherence-nudge"))
		}
		b.route("#/me")
		if b.count(".coherence-nudge") != 0 {
			t.Error("nudge on coherent dave's profile")
		}
	})

	run("ledger", func(t *testing.T) {
		b.signInAs(carol, fmt.Sprintf("#/q/%d", huawei))
		b.waitJS("ledger", `document.querySelectorAll('#ledger tbody tr').length >= 1`)
		if got := b.text("#ledger tbody tr td:nth-child(2)"); !strings.Contains(got, "95 %") {
			t.Errorf("standing forecast = %q; want Yes 95 %%", got)
		}
		// The CSV is fetched with the token and handed over as a Blob: read
		// the Blob, and keep the browser from saving the file.
		b.eval(`(() => {
			const make = URL.createObjectURL;
			URL.createObjectURL = (blob) => {
				blob.arrayBuffer().then((a) => { window.__csv = new TextDecoder().decode(a); window.__bom = [...new Uint8Array(a).slice(0, 3)].join(','); });
				return make(blob);
			};
			document.addEventListener('click', (e) => { if (e.target.matches('a[download]')) { window.__file = e.target.download; e.preventDefault(); } }, true);
			return '';
		})()`)
		b.click("#ledger-csv")
		b.waitJS("csv fetched", `typeof window.__csv === 'string'`)
		if got := b.eval(`window.__file || ''`); !strings.HasSuffix(got, ".csv") {
			t.Errorf("download named %q; want a .csv file", got)
		}
		if got := b.eval(`window.__bom`); got != "239,187,191" {
			t.Errorf("CSV starts with bytes %s; want the UTF-8 BOM 239,187,191", got)
		}
		if lines := strings.Count(strings.TrimSpace(b.eval(`window.__csv`)), "\n"); lines != b.count("#ledger tbody tr") {
			t.Errorf("CSV has %d data lines; the table has %d rows", lines, b.count("#ledger tbody tr"))
		}
		if got := b.text("#indicator-links"); !strings.Contains(got, "more likely") || !strings.Contains(got, "The American Standard") {
			t.Errorf("indicator page does not show its links: %q", got)
		}
		b.screenshot("sp-06-ledger")
	})

	run("admin links", func(t *testing.T) {
		b.signInAs(admin, "#/admin/links")
		b.choose("#links select[name=indicator]", fmt.Sprint(huawei))
		b.waitJS("links listed", `document.querySelectorAll('#links-table tbody tr').length >= 1`)
		before := b.count("#links-table tbody tr")
		// Huawei has no seed link to S4 (option 3): add one, strongly lowering it.
		b.choose("#link-form select[name=option]", fmt.Sprintf("%d:3", scenario))
		b.choose("#link-form select[name=direction]", "-1")
		b.choose("#link-form select[name=strength]", "strong")
		b.click("#link-form button[type=submit]")
		b.waitJS("link added", fmt.Sprintf(`document.querySelectorAll('#links-table tbody tr').length === %d`, before+1))
		// The same link again is refused, with the reason shown by the form.
		b.click("#link-form button[type=submit]")
		b.waitJS("duplicate refused", `[...document.querySelectorAll('#link-form .form-error, #link-form .field-error')].some((e) => e.textContent.length > 0)`)
		if n := b.count("#links-table tbody tr"); n != before+1 {
			t.Errorf("after a duplicate: %d links; want %d", n, before+1)
		}
		b.screenshot("sp-07-admin-links")
		// Delete it in Chinese.
		b.setLang("zh")
		b.do("reload", chromedp.Reload())
		b.waitReady("/admin/links")
		b.choose("#links select[name=indicator]", fmt.Sprint(huawei))
		b.waitJS("links listed", fmt.Sprintf(`document.querySelectorAll('#links-table tbody tr').length === %d`, before+1))
		if got := b.text("#links h2"); got != "路标连接" {
			t.Errorf("links heading in Chinese = %q", got)
		}
		b.click("#links-table tbody tr:last-child .delete-link")
		b.waitJS("link deleted", fmt.Sprintf(`document.querySelectorAll('#links-table tbody tr').length === %d`, before))
		b.do("phone width", chromedp.EmulateViewport(390, 844))
		b.eval(`(() => { document.getElementById('links').scrollIntoView(); return ''; })()`)
		b.screenshotViewport("sp-08-admin-links-phone-zh")
		b.do("desktop width", chromedp.EmulateViewport(1280, 900))
		b.setLang("en")
	})

	run("reference row", func(t *testing.T) {
		if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/resolve", scenario), admin.Token, map[string]any{"outcome": 3}, nil); code != 200 {
			t.Fatalf("resolve scenario = %d", code)
		}
		b.signInAs(dave, fmt.Sprintf("#/q/%d", scenario))
		b.waitJS("scores table", `!!document.querySelector('#scores-table')`)
		if got := b.text("#scores-table .reference-row"); !strings.Contains(got, "not competing") {
			t.Errorf("reference row = %q", got)
		}
		if n := b.count("#scores-table tbody tr:not(.reference-row)"); n != 2 {
			t.Errorf("%d competing rows; want 2 (carol, dave)", n)
		}
		// Dave forecast the reference numbers themselves and beat carol.
		if got := b.eval(`[...document.querySelectorAll('#scores-table tbody tr:not(.reference-row) td:nth-child(2)')].map((td) => td.textContent).join('|')`); got != "dave (you)|carol" {
			t.Errorf("scores order = %q; want dave first", got)
		}
		b.screenshot("sp-09-scores-reference")
	})

	b.checkProblems()
	t.Logf("signposts browser test took %s", time.Since(start).Round(time.Millisecond))
}

// checkBoard compares the page with the API: four scenarios, each with the
// crowd's and the implied figure, and a sentence in the page's language.
func checkBoard(t *testing.T, b *browser, board spBoard, lang string) {
	t.Helper()
	if n := b.count(".sp-scenario"); n != len(board.Scenarios) {
		t.Fatalf("board shows %d scenarios; want %d", n, len(board.Scenarios))
	}
	for i, scn := range board.Scenarios {
		card := fmt.Sprintf(`.sp-scenario[data-option="%d"]`, scn.Option)
		if got := b.text(card + " .sp-fig.implied .big"); got != pctText(scn.Implied) {
			t.Errorf("scenario %d implied = %q; want %q", i, got, pctText(scn.Implied))
		}
		if scn.Crowd != nil {
			if got := b.text(card + " .sp-fig.crowd .big"); got != pctText(*scn.Crowd) {
				t.Errorf("scenario %d crowd = %q; want %q", i, got, pctText(*scn.Crowd))
			}
		}
		sentence := b.text(card + " .sp-sentence")
		want := map[string]string{"en": "indicator forecasts", "zh": "指标预测"}[lang]
		if !strings.Contains(sentence, want) || !strings.Contains(sentence, pctText(scn.Implied)) {
			t.Errorf("scenario %d sentence (%s) = %q", i, lang, sentence)
		}
	}
	if got := b.text("h1"); got != map[string]string{"en": "Signpost board", "zh": "路标看板"}[lang] {
		t.Errorf("title = %q", got)
	}
	if b.count(".sp-side.for .sp-ind")+b.count(".sp-side.against .sp-ind") == 0 {
		t.Error("no indicators listed for or against any scenario")
	}
}

// checkPulse waits for the chart and finds the resolved indicator's mark.
func checkPulse(t *testing.T, b *browser, resolved int64) {
	t.Helper()
	b.waitJS("pulse chart", `!!document.querySelector('.pulse-box svg')`)
	mark := fmt.Sprintf(`.pulse-box .resolved-mark[data-qid="%d"]`, resolved)
	if b.count(mark) != 1 {
		t.Errorf("pulse chart has no mark for resolved indicator %d", resolved)
		return
	}
	if got := b.eval(fmt.Sprintf(`document.querySelector('%s title').textContent`, mark)); !strings.Contains(got, "Huawei") && !strings.Contains(got, "华为") {
		t.Errorf("mark title = %q", got)
	}
	if b.count(".pulse-box .series.crowd path") == 0 && b.count(".pulse-box .series.crowd circle") == 0 {
		t.Error("pulse chart draws no crowd line")
	}
	if b.count(".pulse-box line.reference") != 4 {
		t.Errorf("pulse chart has %d reference lines; want 4", b.count(".pulse-box line.reference"))
	}
}

// signpostServer starts the UI server on the default tournament with its
// admin signed in, and finds the scenario question and three indicators.
// The boards are drawn from crowds of one and two forecasters: the crowd
// minimum is lowered to show them.
func signpostServer(t *testing.T) (base string, scenario, huawei, model, nvidia int64, admin spSession) {
	t.Helper()
	base, qid := startUIServer(t, map[string]string{"SIGNPOST_CROWD_MIN": "1"})
	scenario, huawei = qid["scenario-2027"], qid["a-huawei-ascend-960-launch"]
	model, nvidia = qid["a-china-model-1e26-flop"], qid["a-nvidia-china-revenue-share"]
	if scenario == 0 || huawei == 0 || model == 0 || nvidia == 0 {
		t.Fatalf("default tournament lacks the scenario or indicator questions: %v", qid)
	}
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]any{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	return base, scenario, huawei, model, nvidia, admin
}
