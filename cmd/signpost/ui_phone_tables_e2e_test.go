package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// clippedCellsJS lists the table cells cut off by the box that scrolls them
// when that box gives no sign of it (a .scroll-hint shown just before it),
// and the headers that break into a few characters a line in a narrow
// column.
const clippedCellsJS = `(() => {
	const out = [];
	for (const c of document.querySelectorAll('main td, main th')) {
		if (!c.getClientRects().length) continue;
		// A header row hidden for screen readers only (stacked tables) is not shown.
		const head = c.closest('thead');
		if (head && head.getBoundingClientRect().width <= 1) continue;
		const r = c.getBoundingClientRect();
		let box = c.parentElement;
		while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
		const right = box && box !== document.body ? box.getBoundingClientRect().right : innerWidth;
		if (r.right > right + 1) {
			const hint = box && box.previousElementSibling;
			const shown = hint && hint.classList.contains('scroll-hint') && !hint.hidden && hint.getClientRects().length > 0;
			if (!shown) out.push('clipped without a hint: ' + c.textContent.trim().slice(0, 30));
		}
		if (c.tagName === 'TH' && c.textContent.trim().length >= 4) {
			const st = getComputedStyle(c);
			const line = st.lineHeight === 'normal' ? parseFloat(st.fontSize) * 1.2 : parseFloat(st.lineHeight);
			const lines = Math.round((r.height - parseFloat(st.paddingTop) - parseFloat(st.paddingBottom)) / line);
			const chars = c.textContent.trim().length;
			if (lines > 2 && chars / lines < 4) out.push(lines + ' lines: ' + c.textContent.trim().slice(0, 30));
		}
	}
	return out.join('\n');
})()`

// Tables on a phone: no cell is cut off without a sign that the table
// scrolls, no header breaks into a character a line; the calibration
// chart's count labels do not overlap and bins with few forecasts are
// marked. Both languages at 390 px.
func TestUIPhoneTables(t *testing.T) {
	w := readingSetup(t)
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	pages := []string{"#/", fmt.Sprintf("#/q/%d", w.nvidia), "#/leaderboard", "#/u/fran", "#/signposts"}
	for _, lang := range []string{"en", "zh"} {
		b.subtest(lang, func(t *testing.T) {
			b.setLang(lang)
			b.do("viewport", chromedp.EmulateViewport(390, 844))
			b.signInAs(w.fran, "#/")
			for _, page := range pages {
				b.route(page)
				if page == "#/" {
					b.waitJS("board card", `!!document.querySelector('#board-card')`)
					b.shotOf("#board-card", "table-board-card-"+lang+"-390")
				}
				if page == fmt.Sprintf("#/q/%d", w.nvidia) {
					b.waitJS("ledger", `!!document.querySelector('#ledger table')`)
				}
				b.do("settle", chromedp.Sleep(200*time.Millisecond))
				if got := b.eval(clippedCellsJS); got != "" {
					t.Errorf("%s %s:\n%s", lang, page, got)
				}
			}
			b.route(fmt.Sprintf("#/q/%d", w.nvidia))
			b.waitJS("ledger", `!!document.querySelector('#ledger table')`)
			b.shotOf("#ledger", "table-ledger-"+lang+"-390")
			b.route("#/u/fran")
			overlap := b.eval(`(() => { const r = [...document.querySelectorAll('svg.calib text.count')].map(t => t.getBoundingClientRect());
				for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
					if (r[i].left < r[j].right && r[j].left < r[i].right && r[i].top < r[j].bottom && r[j].top < r[i].bottom) return 'overlap';
				return String(r.length); })()`)
			if overlap == "overlap" {
				t.Error("calibration count labels overlap")
			}
			if b.count("svg.calib circle.calib-dot.small-n") == 0 || b.count("#calibration .calib-note") != 1 || b.count("#calibration tr.small-n") == 0 {
				t.Error("bins of one or two forecasts are not marked as too few")
			}
			b.shotOf("#calibration", "table-calibration-"+lang+"-390")
			b.checkProblems()
		})
	}
}
