// The scenario pulse: the crowd's scenario probabilities over time (solid),
// what the crowd's indicator forecasts imply (dashed, same colour), what the
// resolved signposts favour (dash-dot), the reference forecast (dotted), and
// resolved indicators marked on the time axis.
//
// Unlike the charts in charts.js this one is drawn at the width it is shown
// at (the viewBox equals the rendered size), so its text stays 11 px on a
// phone instead of shrinking with a wide viewBox; it redraws on resize.
// On a phone it shows one scenario at a time, chosen with a switch; dates
// are ticked at a whole number of days apart; a tap (or click) reads the
// chosen day's values aloud in a line under the chart.

import { h, s, mount } from '../lib/dom.js';
import { t, lang } from '../lib/i18n.js';

const PAD = { l: 40, r: 12, t: 12, b: 46 };
const DAY = 86400000;

function dayMs(d) {
  return typeof d === 'number' ? d : Date.parse(d.length === 10 ? `${d}T12:00:00Z` : d);
}

function fmt(ms, locale, withYear) {
  const o = { month: 'short', day: 'numeric', timeZone: 'UTC' };
  if (withYear) o.year = 'numeric';
  return new Intl.DateTimeFormat(locale, o).format(new Date(ms));
}

/**
 * pulseChart({days, resolved, reference, labels, locale, label}) returns a box
 * that draws itself once it has a width. days: [{date, crowd: [p], implied: [p], evidence: [p]}];
 * resolved: [{date, title, outcome}]; reference: [p] or null; labels: [name].
 */
export function pulseChart(opts) {
  const box = h('div', { class: 'chart-box pulse-box' });
  const labels = opts.labels || [];
  const readout = h('p', { class: 'pulse-readout small', 'aria-live': 'polite' }, t('sp.pulseTap'));
  let drawn = 0;
  let chosen = 0;
  let width = 0;
  const switches = labels.map((name, i) => h('button', {
    type: 'button', class: `pulse-choice c${i % 8}`, 'aria-pressed': String(i === chosen), dataset: { scenario: String(i) },
    on: { click: () => { chosen = i; drawn = 0; draw(); } },
  }, h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }), name));
  const bar = h('div', { class: 'pulse-switch', role: 'group', 'aria-label': t('sp.pulseChoose') }, switches);
  const draw = () => {
    const w = Math.floor(box.clientWidth);
    if (!w || w === drawn) return;
    drawn = w;
    width = w;
    const narrow = w < NARROW && labels.length > 1;
    switches.forEach((btn, i) => btn.setAttribute('aria-pressed', String(i === chosen)));
    bar.hidden = !narrow;
    const svg = drawPulse(w, { ...opts, only: narrow ? chosen : null });
    svg.addEventListener('click', (e) => readAt(svg, e, narrow));
    mount(box, bar, svg, readout);
  };
  // The day nearest the tap, its values for the scenario shown (or every
  // scenario on a wide screen), and a rule on the chart at that day.
  const readAt = (svg, e, narrow) => {
    const days = opts.days || [];
    if (!days.length) return;
    const r = svg.getBoundingClientRect();
    const [x0, x1] = xRange(days, opts.resolved || []);
    const at = x0 + ((e.clientX - r.left - PAD.l) / (width - PAD.l - PAD.r)) * (x1 - x0);
    const day = days.reduce((a, d) => (Math.abs(dayMs(d.date) - at) < Math.abs(dayMs(a.date) - at) ? d : a));
    const which = narrow ? [chosen] : labels.map((_, i) => i);
    const val = (key, i) => (day[key] && typeof day[key][i] === 'number' ? `${Math.round(day[key][i] * 100)} %` : '–');
    readout.textContent = `${fmt(dayMs(day.date), opts.locale || 'en', true)}${t('common.colon')}` + which.map((i) => t('sp.pulseRead', {
      s: labels[i], c: val('crowd', i), i: val('implied', i), e: val('evidence', i) })).join(lang() === 'zh' ? '；' : '; ');
    const x = PAD.l + ((dayMs(day.date) - x0) / (x1 - x0)) * (width - PAD.l - PAD.r);
    const old = svg.querySelector('.read-rule');
    if (old) old.remove();
    svg.appendChild(s('line', { x1: x, x2: x, y1: PAD.t, y2: svg.viewBox.baseVal.height - PAD.b, class: 'read-rule' }));
  };
  if (typeof ResizeObserver === 'function') new ResizeObserver(draw).observe(box);
  else requestAnimationFrame(draw);
  return box;
}

/** Narrower than this (CSS px), the pulse shows one scenario at a time. */
const NARROW = 520;

function xRange(days, resolved) {
  const xs = days.map((d) => dayMs(d.date)).concat(resolved.map((r) => dayMs(r.date)));
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x1 - x0 < 2 * DAY) { x0 -= DAY; x1 += DAY; }
  // Half a day's margin: the first and last days' ticks fit inside the plot.
  return [x0 - DAY / 2, x1 + DAY / 2];
}

/** The SVG for a given width in CSS pixels. */
export function drawPulse(W, opts) {
  const { days = [], resolved = [], reference = null, labels = [], locale = 'en', label = '', only = null } = opts;
  const shown = (i) => only === null || only === i;
  const H = W < 520 ? 250 : 300;
  const [x0, x1] = xRange(days, resolved);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const X = (v) => PAD.l + ((dayMs(v) - x0) / (x1 - x0)) * iw;
  const Y = (v) => PAD.t + ih - Math.max(0, Math.min(1, v)) * ih;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart pulse', role: 'img', 'aria-label': label });
  svg.appendChild(s('title', null, label));
  svg.appendChild(grid(W, H, X, Y, x0, x1, locale));
  const n = labels.length;
  for (let i = 0; i < n; i += 1) {
    if (shown(i) && reference && typeof reference[i] === 'number') {
      svg.appendChild(s('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(reference[i]), y2: Y(reference[i]), class: `reference c${i % 8}` },
        s('title', null, `${labels[i]} · ${t('sp.legendReference')} ${Math.round(reference[i] * 100)} %`)));
    }
  }
  for (let i = 0; i < n; i += 1) {
    if (!shown(i)) continue;
    svg.appendChild(line(days, 'evidence', i, X, Y, `series evidence c${i % 8}`, `${labels[i]} · ${t('sp.legendEvidence')}`));
    svg.appendChild(line(days, 'implied', i, X, Y, `series implied c${i % 8}`, `${labels[i]} · ${t('sp.legendImplied')}`));
    svg.appendChild(line(days, 'crowd', i, X, Y, `series crowd c${i % 8}`, `${labels[i]} · ${t('sp.legendCrowd')}`));
  }
  resolved.forEach((r) => svg.appendChild(resolvedMark(r, X(r.date), PAD.t, PAD.t + ih, locale)));
  return svg;
}

function grid(W, H, X, Y, x0, x1, locale) {
  const g = s('g', { class: 'grid' });
  [0, 0.25, 0.5, 0.75, 1].forEach((v) => {
    g.appendChild(s('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(v), y2: Y(v) }));
    g.appendChild(s('text', { x: PAD.l - 6, y: Y(v) + 4, 'text-anchor': 'end', class: 'tick' }, `${Math.round(v * 100)}%`));
  });
  // Dates a whole number of days apart (1, 2, 7, 14, 30… days), at most
  // one per 64 px, on the days' middles; a label that would stick out of
  // the plot is left out, the others keep their even spacing.
  const iw = W - PAD.l - PAD.r;
  const most = Math.max(2, Math.floor(iw / 64));
  const step = [1, 2, 7, 14, 30, 61, 91, 182, 365].find((k) => Math.floor((x1 - x0) / (k * DAY)) + 1 <= most) || 730;
  const withYear = new Date(x0).getUTCFullYear() !== new Date(x1).getUTCFullYear();
  for (let k = Math.ceil((x0 - DAY / 2) / (step * DAY)); (k * step + 0.5) * DAY <= x1; k += 1) {
    const v = (k * step + 0.5) * DAY;
    const x = X(v);
    if (x < PAD.l + 16 || x > W - PAD.r - 24) continue;
    g.appendChild(s('text', { x, y: H - 8, 'text-anchor': 'middle', class: 'tick date-tick' }, fmt(v, locale, withYear)));
  }
  return g;
}

// One path per scenario; days without a value (no crowd yet) break the line.
function line(days, key, i, X, Y, cls, name) {
  let d = '';
  let pen = false;
  const single = [];
  days.forEach((day, k) => {
    const v = day[key] ? day[key][i] : null;
    if (typeof v !== 'number') { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${X(day.date).toFixed(1)},${Y(v).toFixed(1)} `;
    const prevOk = k > 0 && days[k - 1][key] && typeof days[k - 1][key][i] === 'number';
    const nextOk = k < days.length - 1 && days[k + 1][key] && typeof days[k + 1][key][i] === 'number';
    if (!prevOk && !nextOk) single.push([X(day.date), Y(v)]);
    pen = true;
  });
  const g = s('g', { class: cls });
  if (d) g.appendChild(s('path', { d: d.trim(), class: 'line' }, s('title', null, name)));
  // A lone day is a dot; the evidence's a square, to tell it from implied's.
  single.forEach(([cx, cy]) => g.appendChild(key === 'evidence'
    ? s('rect', { x: cx - 3, y: cy - 3, width: 6, height: 6, class: 'pt' }, s('title', null, name))
    : s('circle', { cx, cy, r: 3, class: 'pt' }, s('title', null, name))));
  return g;
}

function resolvedMark(r, x, top, bottom, locale) {
  const title = t('sp.resolvedMark', { date: fmt(dayMs(r.date), locale, true), title: r.title, outcome: r.outcome });
  const g = s('g', { class: 'resolved-mark', 'data-qid': r.question_id });
  g.appendChild(s('line', { x1: x, x2: x, y1: top, y2: bottom, class: 'resolved-rule' }));
  const y = bottom + 4;
  g.appendChild(s('path', { d: `M${x.toFixed(1)},${y} l-6,10 h12 z`, class: 'resolved-tri' }));
  g.appendChild(s('title', null, title));
  return g;
}

/** The legend: a swatch per scenario, then the four line styles. */
export function pulseLegend(labels) {
  const styleKey = (cls, key) => h('li', null,
    s('svg', { width: 28, height: 10, class: `key ${cls}`, 'aria-hidden': 'true' }, s('line', { x1: 1, x2: 27, y1: 5, y2: 5 })), t(key));
  return h('div', { class: 'pulse-legend' },
    h('ul', { class: 'legend' }, labels.map((name, i) => h('li', null, h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }), name))),
    h('ul', { class: 'legend styles' },
      styleKey('crowd', 'sp.legendCrowd'),
      styleKey('implied', 'sp.legendImplied'),
      styleKey('evidence', 'sp.legendEvidence'),
      styleKey('reference', 'sp.legendReference'),
      h('li', null, s('svg', { width: 14, height: 12, class: 'key tri', 'aria-hidden': 'true' }, s('path', { d: 'M7,1 l-6,10 h12 z' })), t('sp.legendResolved'))));
}
