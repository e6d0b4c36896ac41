// The scenario pulse: the crowd's scenario probabilities over time (solid),
// what the crowd's indicator forecasts imply (dashed, same colour), what the
// resolved signposts favour (dash-dot), the reference forecast (dotted), and
// resolved indicators marked on the time axis.
//
// Unlike the charts in charts.js this one is drawn at the width it is shown
// at (the viewBox equals the rendered size), so its text stays 11 px on a
// phone instead of shrinking with a wide viewBox; it redraws on resize.

import { h, s, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

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
  let drawn = 0;
  const draw = () => {
    const w = Math.floor(box.clientWidth);
    if (!w || w === drawn) return;
    drawn = w;
    mount(box, drawPulse(w, opts));
  };
  if (typeof ResizeObserver === 'function') new ResizeObserver(draw).observe(box);
  else requestAnimationFrame(draw);
  return box;
}

function xRange(days, resolved) {
  const xs = days.map((d) => dayMs(d.date)).concat(resolved.map((r) => dayMs(r.date)));
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x1 - x0 < 2 * DAY) { x0 -= DAY; x1 += DAY; }
  return [x0, x1];
}

/** The SVG for a given width in CSS pixels. */
export function drawPulse(W, opts) {
  const { days = [], resolved = [], reference = null, labels = [], locale = 'en', label = '' } = opts;
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
    if (reference && typeof reference[i] === 'number') {
      svg.appendChild(s('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(reference[i]), y2: Y(reference[i]), class: `reference c${i % 8}` },
        s('title', null, `${labels[i]} · ${t('sp.legendReference')} ${Math.round(reference[i] * 100)} %`)));
    }
  }
  for (let i = 0; i < n; i += 1) {
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
  // About one date label per 110 px, never two on the same day.
  const iw = W - PAD.l - PAD.r;
  const n = Math.max(2, Math.min(Math.floor(iw / 110) + 1, Math.round((x1 - x0) / DAY) + 1));
  const withYear = new Date(x0).getUTCFullYear() !== new Date(x1).getUTCFullYear();
  let prev = '';
  for (let i = 0; i < n; i += 1) {
    const v = x0 + ((x1 - x0) * i) / (n - 1);
    const text = fmt(v, locale, withYear && (i === 0 || i === n - 1));
    if (text === prev) continue;
    prev = text;
    const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
    g.appendChild(s('text', { x: X(v), y: H - 8, 'text-anchor': anchor, class: 'tick' }, text));
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
