// The coherence nudge: when a forecaster's own indicator forecasts imply
// scenario probabilities far from their scenario forecast, say so gently,
// with both sets of numbers and the indicators that make the difference:
// for each, what their scenario forecast expects beside what they say.
// It never blocks a forecast.

import { h } from '../lib/dom.js';
import { t, loc, lang } from '../lib/i18n.js';
import { get, getSession } from '../lib/api.js';
import { pct } from '../lib/format.js';

/** GET /me/coherence for a tournament; null when signed out or when the server has no answer. */
export async function fetchCoherence(slug) {
  if (!getSession() || !slug) return null;
  try {
    return await get(`/me/coherence?tournament=${encodeURIComponent(slug)}`);
  } catch (_) {
    return null; // no scenario forecast yet, or no scenario question: nothing to say
  }
}

/** Signed percentage points: 0.12 -> "+12". */
function points(x) {
  const v = Math.round(x * 100);
  return v > 0 ? `+${v}` : v < 0 ? `−${Math.abs(v)}` : '0';
}

/** "your scenario forecast expects 30 %, you say 70 %", or null without both numbers. */
function expectSay(d) {
  if (typeof d.expected !== 'number' || typeof d.forecast !== 'number') return null;
  return h('span', { class: 'coh-expect' }, t('coh.expectSay', { e: pct(d.expected), f: pct(d.forecast) }));
}

// A driver is named when the forecaster's indicator forecast is at least
// half a point from what their scenario forecast expects; without those two
// numbers, when it adds to the distance (effect).
const NAMED = 0.005;

function disagrees(d) {
  if (typeof d.expected === 'number' && typeof d.forecast === 'number') return Math.abs(d.forecast - d.expected) >= NAMED;
  return typeof d.effect !== 'number' || d.effect > NAMED / 10;
}

function driverDetail(d, labels) {
  const parts = [];
  const k = typeof d.option === 'number' ? d.option : d.scenario;
  if (typeof k === 'number' && typeof d.shift === 'number' && labels[k]) {
    parts.push(t(d.shift >= 0 ? 'coh.raises' : 'coh.lowers', { s: labels[k], n: Math.abs(Math.round(d.shift * 100)) }));
  }
  // With expected and forecast shown, effect (their gap) says nothing more.
  if (!expectSay(d) && typeof d.effect === 'number' && Math.abs(d.effect) >= NAMED) parts.push(t('coh.effect', { n: points(d.effect) }));
  if (d.own === false) parts.push(t('coh.notOwn'));
  if (d.source === 'crowd') parts.push(t('coh.crowdLink'));
  return parts.length ? `(${parts.join(lang() === 'zh' ? '；' : '; ')})` : '';
}

/**
 * coherenceNudge(res, labels) is the note for an incoherent answer, or null.
 * labels: the scenario names in option order.
 */
export function coherenceNudge(res, labels) {
  if (!res || !res.incoherent || !Array.isArray(res.implied) || !Array.isArray(res.forecast)) return null;
  // A list rather than a table: the nudge sits in the narrow form column.
  const rows = res.forecast.map((f, i) => h('li', null,
    h('span', { class: 'coh-label' }, h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }), labels[i] || String(i + 1)),
    h('span', { class: 'coh-nums' }, t('coh.row', { f: pct(f), p: pct(res.implied[i]), d: points(res.implied[i] - f) }))));
  const driverList = (res.drivers || []).filter(disagrees).slice(0, 3).map((d) => {
    const gap = expectSay(d);
    return h('li', null,
      h('a', { href: `#/q/${d.question_id}` }, loc(d.title)),
      gap ? ': ' : null, gap,
      h('span', { class: 'muted small' }, ' ', driverDetail(d, labels)));
  });
  const threshold = typeof res.threshold === 'number' ? res.threshold : null;
  // Folded into one line that opens: the form stays near the top.
  return h('details', { class: 'notice coherence-nudge' },
    h('summary', null, h('strong', { id: 'coh-h' }, t('coh.title')), ' ', h('span', { class: 'coh-distance' }, t('coh.distance', { d: pct(res.distance) }))),
    h('p', null, t(threshold === null ? 'coh.body' : 'coh.bodyThreshold', { d: pct(res.distance), th: pct(threshold) })),
    h('ul', { class: 'coh-rows' }, rows),
    driverList.length ? h('p', null, t('coh.drivers')) : null,
    driverList.length ? h('ul', { class: 'coh-drivers' }, driverList) : null,
    h('p', { class: 'muted small' }, t('coh.never')));
}
