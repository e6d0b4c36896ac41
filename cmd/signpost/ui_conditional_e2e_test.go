package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signpost/store"
)

type e2ePair struct {
	IfYes e2eQuestion `json:"if_yes"`
	IfNo  e2eQuestion `json:"if_no"`
}

// The conditional-pair browser test: a forecaster fills both branches of a
// pair side by side on the indicator's page, in English and in Chinese,
// with their own scenario and indicator forecasts shown for reference; a
// total that is not 100 % is refused with nothing sent; the branch's own
// page shows the same pair; an admin switches the tournament's "branches
// on the main leaderboard" setting on and off, in both languages; an admin
// creates a pair from an indicator's page; the board names each
// indicator's table source, and the pulse which indicators' tables it took
// from the crowd.
func TestUIConditionalPairs(t *testing.T) {
	base, qid := startUIServer(t)
	scenario, huawei, model := qid["scenario-2027"], qid["a-huawei-ascend-960-launch"], qid["a-china-model-1e26-flop"]
	if scenario == 0 || huawei == 0 || model == 0 {
		t.Fatalf("default tournament lacks the questions: %v", qid)
	}
	var admin spSession
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]any{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	var pair e2ePair
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/conditionals", huawei), admin.Token,
		map[string]any{"scenario_question_id": scenario}, &pair); code != 201 {
		t.Fatalf("create pair = %d", code)
	}
	fran := spRegister(t, base, "fran")
	spForecast(t, base, fran.Token, scenario, []float64{0.25, 0.20, 0.15, 0.40})
	spForecast(t, base, fran.Token, huawei, []float64{0.7, 0.3})

	mine := func(id int64) []float64 {
		var out struct {
			Forecasts []struct {
				Probabilities []float64 `json:"probabilities"`
			} `json:"forecasts"`
		}
		apiJSON(t, base, "GET", fmt.Sprintf("/questions/%d/forecasts/mine", id), fran.Token, nil, &out)
		if len(out.Forecasts) == 0 {
			return nil
		}
		return out.Forecasts[len(out.Forecasts)-1].Probabilities
	}

	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	run := b.subtest
	fill := func(branch int, values []string) {
		for i, v := range values {
			b.typeInto(fmt.Sprintf(`#conditional .cond-pair input[name="b%dp%d"]`, branch, i), v)
		}
	}
	for _, c := range []struct {
		lang, yes, no, ref, ind string
		ifYes, ifNo             []string
		wantYes, wantNo         float64 // the first scenario's saved probabilities
	}{
		{"en", "If Yes", "If No", "Your forecast", "70 %", []string{"10", "40", "20", "30"}, []string{"30", "10", "20", "40"}, 0.1, 0.3},
		{"zh", "若为“是”", "若为“否”", "你的预测", "70 %", []string{"5", "45", "20", "30"}, []string{"35", "5", "20", "40"}, 0.05, 0.35},
	} {
		run("side by side "+c.lang, func(t *testing.T) {
			b.setLang(c.lang)
			b.signInAs(fran, fmt.Sprintf("#/q/%d", huawei))
			b.waitJS("pair form", `!!document.querySelector('#conditional .cond-pair')`)
			head := b.text("#conditional .cond-table thead")
			if !strings.Contains(head, c.yes) || !strings.Contains(head, c.no) || !strings.Contains(head, c.ref) {
				t.Errorf("heading %q lacks %q, %q and %q", head, c.yes, c.no, c.ref)
			}
			if n := b.count("#conditional .cond-table tbody tr"); n != 4 {
				t.Errorf("%d scenario rows; want 4", n)
			}
			if got := b.text("#conditional .cond-table tbody tr td.ref"); got != "25 %" {
				t.Errorf("own scenario forecast in the first row %q; want 25 %%", got)
			}
			if got := b.text("#conditional .cond-ref"); !strings.Contains(got, c.ind) {
				t.Errorf("own indicator forecast %q; want %s", got, c.ind)
			}
			// Columns side by side: the "if No" inputs sit right of the "if Yes" ones, on the same row.
			if got := b.eval(`(() => { const a = document.querySelector('input[name="b0p0"]').getBoundingClientRect(); const c = document.querySelector('input[name="b1p0"]').getBoundingClientRect(); return String(c.left > a.right && Math.abs(c.top - a.top) < 2); })()`); got != "true" {
				t.Error("the two branches are not side by side")
			}
			// A branch not totalling 100 % is refused, with nothing sent.
			before := mine(pair.IfYes.ID)
			fill(0, []string{"10", "10", "10", "10"})
			fill(1, c.ifNo)
			b.click("#conditional .cond-submit")
			b.waitJS("sum error", `(document.querySelector('#conditional .field-error') || {}).textContent !== ''`)
			if got := mine(pair.IfYes.ID); fmt.Sprint(got) != fmt.Sprint(before) {
				t.Errorf("a refused form sent %v", got)
			}
			fill(0, c.ifYes)
			b.screenshot("cond-01-pair-" + c.lang)
			b.click("#conditional .cond-submit")
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				if y, n := mine(pair.IfYes.ID), mine(pair.IfNo.ID); len(y) == 4 && y[0] == c.wantYes && len(n) == 4 && n[0] == c.wantNo {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if y, n := mine(pair.IfYes.ID), mine(pair.IfNo.ID); len(y) != 4 || y[0] != c.wantYes || len(n) != 4 || n[0] != c.wantNo || n[3] != 0.4 {
				t.Fatalf("saved branches %v / %v; want %v / %v", y, n, c.ifYes, c.ifNo)
			}
			// Re-rendered with both branches saved: the total-probability
			// column, 0.7·P(S4|Yes) + 0.3·0.40, beside the direct 40 %.
			b.waitJS("total column", `!!document.querySelector('#conditional td.tp')`)
			if got, want := b.text("#conditional tbody tr:nth-child(4) td.tp"), pctText(0.7*0.30+0.3*0.40); got != want {
				t.Errorf("total probability of S4 %q; want %q", got, want)
			}
			b.checkProblems()
		})
	}
	b.setLang("en")

	run("branch page", func(t *testing.T) {
		b.route(fmt.Sprintf("#/q/%d", pair.IfNo.ID))
		b.waitJS("pair on the branch page", `!!document.querySelector('#conditional .cond-pair')`)
		if got := b.eval(`document.querySelector('input[name="b1p3"]').value`); got != "40" {
			t.Errorf("the branch page's if-No input for S4 = %q; want fran's 40", got)
		}
	})

	// The tournament setting that counts branches on the main board: on
	// in English, off again in Chinese, each saved through the API.
	for _, c := range []struct {
		lang, label string
		want        bool
	}{{"en", "Count conditional branches on the main leaderboard too", true}, {"zh", "条件分支也计入主排行榜", false}} {
		run("main board setting "+c.lang, func(t *testing.T) {
			b.setLang(c.lang)
			b.signInAs(admin, "#/admin")
			b.waitJS("settings form", `!!document.querySelector('#tournament-settings')`)
			if got := strings.TrimSpace(b.text("#tournament-settings label.check")); got != c.label {
				t.Errorf("setting label %q; want %q", got, c.label)
			}
			if got := b.eval(`String(document.querySelector('#conditionals-on-main').checked)`); got != fmt.Sprint(!c.want) {
				t.Errorf("checkbox shows %s before the change; want %v", got, !c.want)
			}
			b.click("#conditionals-on-main")
			b.click("#tournament-settings button[type=submit]")
			b.waitJS("saved", `!document.querySelector('#tournament-settings .form-ok').hidden`)
			var tour struct {
				ConditionalsOnMain bool `json:"conditionals_on_main"`
			}
			if apiJSON(t, base, "GET", "/tournaments/"+store.DefaultTournamentSlug, "", nil, &tour); tour.ConditionalsOnMain != c.want {
				t.Fatalf("conditionals_on_main = %v after saving; want %v", tour.ConditionalsOnMain, c.want)
			}
			b.checkProblems()
		})
	}
	b.setLang("en") // the next sign-in reloads the page in English

	run("admin creates a pair", func(t *testing.T) {
		b.signInAs(admin, fmt.Sprintf("#/q/%d", model))
		b.waitJS("create form", `!!document.querySelector('#create-pair')`)
		b.choose(`#conditional .cond-create select[name="scenario"]`, fmt.Sprint(scenario))
		b.click("#create-pair")
		b.waitJS("the new pair", `!!document.querySelector('#conditional .cond-pair')`)
		var pairs struct {
			Pairs []e2ePair `json:"pairs"`
		}
		if apiJSON(t, base, "GET", fmt.Sprintf("/questions/%d/conditionals", model), "", nil, &pairs); len(pairs.Pairs) != 1 {
			t.Fatalf("pairs of the model indicator: %+v; want one", pairs.Pairs)
		}
	})

	run("board sources", func(t *testing.T) {
		b.route("#/signposts")
		if n := b.count(`.sp-ind .sp-table[data-source="strengths"]`); n == 0 {
			t.Error("no table on the board says it comes from the admin's link strengths")
		}
		// Four more answer both branches: five in all, so the board and
		// the pulse take the Huawei indicator's table from the crowd.
		for _, name := range []string{"gwen", "hugo", "ines", "jack"} {
			u := spRegister(t, base, name)
			spForecast(t, base, u.Token, scenario, []float64{0.25, 0.20, 0.15, 0.40})
			spForecast(t, base, u.Token, pair.IfYes.ID, []float64{0.10, 0.40, 0.20, 0.30})
			spForecast(t, base, u.Token, pair.IfNo.ID, []float64{0.30, 0.10, 0.20, 0.40})
			spForecast(t, base, u.Token, huawei, []float64{0.6, 0.4})
		}
		b.route("#/rules")
		b.route("#/signposts")
		b.waitJS("crowd tables", `document.querySelectorAll('.sp-ind .sp-table[data-source="crowd"]').length > 0`)
		b.waitJS("pulse note", `!!document.querySelector('#pulse-crowd-links')`)
		if got := b.text("#pulse-crowd-links li a"); got == "" {
			t.Error("the pulse's crowd-links note names no indicator")
		}
		// The total through the branches sits beside the crowd link.
		if got := b.text(".sp-ind .sp-total"); !strings.HasPrefix(got, "both branches: ") {
			t.Errorf("total-probability check %q; want \"both branches: …\"", got)
		}
		b.screenshot("cond-02-board-crowd-links")
		b.route("#/rules")
		if got := b.text("#conditional"); got != "Conditional forecasts: the crowd’s own strengths" {
			t.Errorf("rules page section %q", got)
		}
		b.checkProblems()
	})
}
