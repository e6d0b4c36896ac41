package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestUITripwires drives tripwires in Chromium: an admin sets one in the
// admin editor (a wrong owner first, named beside its field), the
// server's evaluator fires it, and the signpost board and the question
// page show it fired, with its owner, action, time and value, in both
// languages and on a phone.
func TestUITripwires(t *testing.T) {
	base, qid := startUIServer(t, map[string]string{"SIGNPOST_CROWD_MIN": "1", "SIGNPOST_TRIPWIRE_INTERVAL": "1s"})
	huawei := qid["a-huawei-ascend-960-launch"]
	var admin spSession
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]any{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	olive := spRegister(t, base, "olive")
	spForecast(t, base, olive.Token, huawei, []float64{0.8, 0.2})

	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	b.signInAs(admin, "#/admin/tripwires")
	b.waitJS("tripwire editor", `!!document.querySelector('#tripwire-list') && document.querySelector('#tripwire-list').textContent.includes('No tripwires yet')`)
	form := "#tripwire-create "
	b.typeInto(form+"input[name='name.en']", "Huawei ships the Ascend 960")
	b.typeInto(form+"input[name='name.zh']", "华为推出昇腾 960")
	b.choose(form+"select[name='kind']", "crowd")
	b.choose(form+"select[name='question_id']", fmt.Sprint(huawei))
	b.choose(form+"select[name='option']", "0")
	b.choose(form+"select[name='op']", ">=")
	b.typeInto(form+"input[name='value']", "0.6")
	b.typeInto(form+"input[name='owner']", "nobody")
	b.typeInto(form+"textarea[name='action.en']", "The strategy team reviews the supplier plan.")
	b.typeInto(form+"textarea[name='action.zh']", "战略团队复核供应商计划。")
	b.click(form + "button[type='submit']")
	b.waitJS("owner refused beside its field",
		`(document.querySelector("#tripwire-create [data-field='owner'] .field-error") || {}).textContent.includes('nobody')`)
	b.typeInto(form+"input[name='owner']", "olive")
	b.click(form + "button[type='submit']")
	b.waitJS("tripwire listed", `document.querySelectorAll('#tripwire-list [data-tripwire]').length === 1`)
	b.shotOf("#tripwires-admin", "tripwires-01-admin")

	// The evaluator runs every second: the crowd (80 %) is past 60 %.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var l struct {
			Tripwires []struct {
				State string `json:"state"`
			} `json:"tripwires"`
		}
		apiJSON(t, base, "GET", "/tournaments/ai-scenarios-2027/tripwires", "", nil, &l)
		if len(l.Tripwires) == 1 && l.Tripwires[0].State == "fired" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tripwires %+v; want the one fired within 15 s", l.Tripwires)
		}
		time.Sleep(200 * time.Millisecond)
	}

	for _, lang := range []string{"en", "zh"} {
		want := map[string][]string{
			"en": {"fired", "Huawei ships the Ascend 960", "Crowd: Yes ≥ 60 %", "Owner @olive: The strategy team reviews the supplier plan.", "at 80 %"},
			"zh": {"已触发", "华为推出昇腾 960", "群体：是 ≥ 60 %", "负责人 @olive：战略团队复核供应商计划。", "数值 80 %"},
		}[lang]
		b.setLang(lang)
		for _, page := range []string{"#/signposts", fmt.Sprintf("#/q/%d", huawei)} {
			b.reload(page)
			b.waitJS("tripwires on "+page, `!!document.querySelector('#tripwires .tw-fired')`)
			got := b.text("#tripwires")
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("%s %s: tripwires card %q lacks %q", lang, page, got, w)
				}
			}
			if n := b.count("#tripwires [data-state='fired']"); n != 1 {
				t.Errorf("%s %s: %d fired tripwires shown; want 1", lang, page, n)
			}
		}
		b.screenshot("tripwires-02-question-" + lang)
		b.route("#/signposts")
		b.do("scroll to tripwires", chromedp.ScrollIntoView("#tripwires"))
		b.screenshotViewport("tripwires-03-board-" + lang)
	}
	// The audit trail says who set it and that it fired (zh is on).
	b.reload("#/admin/audit")
	if got := b.text("#audit-table"); !strings.Contains(got, "设置了警戒线「华为推出昇腾 960」") || !strings.Contains(got, "已触发") {
		t.Errorf("audit trail %q; want the tripwire set and fired", got)
	}
	b.do("phone", chromedp.EmulateViewport(390, 844))
	b.reload("#/signposts")
	b.fitsWidth("signpost board with tripwires at 390 px in zh")
	b.do("scroll to tripwires", chromedp.ScrollIntoView("#tripwires"))
	b.screenshotViewport("tripwires-04-board-zh-390")
	b.checkProblems()
}
