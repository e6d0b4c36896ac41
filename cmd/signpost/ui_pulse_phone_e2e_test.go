package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The scenario pulse on a phone: one scenario at a time, chosen with a
// switch; date ticks evenly spaced and apart; a tap reads the day's values
// in words. On a wide screen every scenario is drawn and no switch shows.
func TestUIPulseOnAPhone(t *testing.T) {
	w := readingSetup(t)
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	for _, c := range []struct{ lang, scenario string }{{"en", "The American Standard"}, {"zh", "美国标准"}} {
		b.subtest("phone "+c.lang, func(t *testing.T) {
			b.setLang(c.lang)
			b.do("viewport", chromedp.EmulateViewport(390, 844))
			b.signInAs(w.fran, "#/signposts")
			b.waitJS("pulse", `!!document.querySelector('.pulse-box svg')`)
			if n := b.count(".pulse-switch:not([hidden]) button"); n != 4 {
				t.Fatalf("%d scenario switches shown; want 4", n)
			}
			if n := b.count(".pulse-box .series.crowd"); n != 1 {
				t.Errorf("%d scenarios drawn at once on a phone; want 1", n)
			}
			b.click(`.pulse-switch button[data-scenario="2"]`)
			b.waitJS("third scenario", `!!document.querySelector('.pulse-box .series.crowd.c2')`)
			if n := b.count(".pulse-box .series.crowd"); n != 1 {
				t.Errorf("after switching, %d scenarios drawn; want 1", n)
			}
			ticks := b.eval(`[...document.querySelectorAll('.pulse-box text.date-tick')].map((e) => { const r = e.getBoundingClientRect(); return r.left.toFixed(1) + ':' + r.right.toFixed(1); }).join(' ')`)
			var lefts, rights []float64
			for _, p := range strings.Fields(ticks) {
				l, r, _ := strings.Cut(p, ":")
				lf, _ := strconv.ParseFloat(l, 64)
				rf, _ := strconv.ParseFloat(r, 64)
				lefts, rights = append(lefts, lf), append(rights, rf)
			}
			if len(lefts) < 2 {
				t.Errorf("%d date ticks; want at least 2", len(lefts))
			}
			for i := 1; i < len(lefts); i++ {
				if lefts[i] < rights[i-1]+4 {
					t.Errorf("date ticks %d and %d overlap or touch: %s", i-1, i, ticks)
				}
				centre := func(k int) float64 { return (lefts[k] + rights[k]) / 2 }
				if i > 1 && abs(centre(i)-centre(i-1)-(centre(i-1)-centre(i-2))) > 1.5 {
					t.Errorf("date ticks unevenly spaced: %s", ticks)
				}
			}
			b.eval(`document.getElementById('pulse').scrollIntoView({block: 'center'}), ''`)
			xy := b.eval(`(() => { const r = document.querySelector('.pulse-box svg').getBoundingClientRect(); return Math.round(r.left + r.width * 0.9) + ' ' + Math.round(r.top + r.height / 2); })()`)
			var x, y float64
			fmt.Sscan(xy, &x, &y)
			b.do("tap the chart", chromedp.MouseClickXY(x, y))
			b.waitJS("read out", `document.querySelector('.pulse-readout').textContent.includes('%')`)
			if got := b.text(".pulse-readout"); !strings.Contains(got, c.scenario) {
				t.Errorf("the tap reads %q; want the chosen scenario %q", got, c.scenario)
			}
			b.screenshotViewport("pulse-phone-" + c.lang)
			b.fitsWidth("pulse at 390 px " + c.lang)
			b.checkProblems()
		})
	}
	b.subtest("wide", func(t *testing.T) {
		b.setLang("en")
		b.do("viewport", chromedp.EmulateViewport(1280, 900))
		b.signInAs(w.fran, "#/signposts")
		b.waitJS("pulse", `!!document.querySelector('.pulse-box svg')`)
		if n := b.count(".pulse-box .series.crowd"); n != 4 {
			t.Errorf("%d scenarios drawn on a wide screen; want 4", n)
		}
		if n := b.count(".pulse-switch:not([hidden])"); n != 0 {
			t.Error("the scenario switch shows on a wide screen")
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
