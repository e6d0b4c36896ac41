// SVG charts drawn by the project: a time-series line chart and a calibration chart.

import { s, h } from './dom.js';

const H = 260;
const PAD = { l: 44, r: 12, t: 12, b: 30 };

// A bare date ("2027-01-05") is a whole UTC day: it is drawn at noon.
function dayMs(d) {
  if (d instanceof Date) return d.getTime();
  return typeof d === 'number' ? d : Date.parse(d.length === 10 ? `${d}T12:00:00Z` : d);
}

function shortDate(ms, locale) {
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(ms));
}

/**
 * lineChart({series, markers, yMax, yTicks, yFormat, label, locale}) draws lines
 * over time. series: [{name, cls, points: [{x: date, y}]}]; markers: [{x, y, cls, title}].
 */
export function lineChart(opts) {
  // Drawn at the width it is shown at (see fitChart), so text keeps its CSS size.
  const W = Math.max(240, Math.round(opts.width || 640));
  const { series = [], markers = [], yMax = 1, yTicks = [0, 0.25, 0.5, 0.75, 1], yFormat = (v) => `${Math.round(v * 100)}%`, label = '', locale = 'en' } = opts;
  const xs = [];
  series.forEach((sr) => sr.points.forEach((p) => xs.push(dayMs(p.x))));
  markers.forEach((m) => xs.push(dayMs(m.x)));
  if (opts.xMin !== undefined) xs.push(dayMs(opts.xMin));
  if (opts.xMax !== undefined) xs.push(dayMs(opts.xMax));
  if (!xs.length) return null;
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x1 - x0 < 86400000) { x0 -= 43200000; x1 += 43200000; }
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const X = (v) => PAD.l + ((dayMs(v) - x0) / (x1 - x0)) * iw;
  const Y = (v) => PAD.t + ih - (Math.max(0, Math.min(yMax, v)) / yMax) * ih;

  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
  svg.appendChild(s('title', null, label));
  const grid = s('g', { class: 'grid' });
  yTicks.forEach((v) => {
    grid.appendChild(s('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(v), y2: Y(v) }));
    grid.appendChild(s('text', { x: PAD.l - 6, y: Y(v) + 4, 'text-anchor': 'end', class: 'tick' }, yFormat(v)));
  });
  const nTicks = Math.max(2, Math.min(W < 480 ? 3 : 5, Math.round((x1 - x0) / 86400000) + 1));
  let prev = '';
  for (let i = 0; i < nTicks; i += 1) {
    const v = x0 + ((x1 - x0) * i) / (nTicks - 1);
    const text = shortDate(v, locale);
    if (text === prev) continue;
    prev = text;
    const anchor = i === 0 ? 'start' : i === nTicks - 1 ? 'end' : 'middle';
    grid.appendChild(s('text', { x: X(v), y: H - 8, 'text-anchor': anchor, class: 'tick' }, text));
  }
  svg.appendChild(grid);

  series.forEach((sr) => {
    if (!sr.points.length) return;
    const d = sr.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ');
    const g = s('g', { class: `series ${sr.cls || ''}` });
    g.appendChild(s('path', { d, class: 'line' }, s('title', null, sr.name)));
    if (sr.points.length === 1) {
      g.appendChild(s('circle', { cx: X(sr.points[0].x), cy: Y(sr.points[0].y), r: 4, class: 'pt' }));
    }
    svg.appendChild(g);
  });
  markers.forEach((m) => {
    svg.appendChild(s('circle', { cx: X(m.x), cy: Y(m.y), r: 5, class: `marker ${m.cls || ''}` }, s('title', null, m.title || '')));
  });
  return svg;
}

/** A legend for a chart: [{name, cls}]. */
export function legend(items) {
  return h('ul', { class: 'legend' }, items.map((it) => h('li', null, h('span', { class: `swatch ${it.cls || ''}`, 'aria-hidden': 'true' }), it.name)));
}

/**
 * calibrationChart(bins, {label, xLabel, yLabel}) plots observed frequency
 * against mean forecast for each bin, with the count printed beside each dot.
 */
export function calibrationChart(bins, opts = {}) {
  const size = 300;
  const p = { l: 40, r: 12, t: 12, b: 40 };
  const iw = size - p.l - p.r;
  const ih = size - p.t - p.b;
  const X = (v) => p.l + v * iw;
  const Y = (v) => p.t + ih - v * ih;
  const svg = s('svg', { viewBox: `0 0 ${size} ${size}`, class: 'chart calib', role: 'img', 'aria-label': opts.label || '' });
  svg.appendChild(s('title', null, opts.label || ''));
  const g = s('g', { class: 'grid' });
  [0, 0.2, 0.4, 0.6, 0.8, 1].forEach((v) => {
    g.appendChild(s('line', { x1: X(0), x2: X(1), y1: Y(v), y2: Y(v) }));
    g.appendChild(s('line', { x1: X(v), x2: X(v), y1: Y(0), y2: Y(1) }));
    g.appendChild(s('text', { x: p.l - 5, y: Y(v) + 4, 'text-anchor': 'end', class: 'tick' }, `${Math.round(v * 100)}`));
    g.appendChild(s('text', { x: X(v), y: Y(0) + 14, 'text-anchor': 'middle', class: 'tick' }, `${Math.round(v * 100)}`));
  });
  g.appendChild(s('text', { x: X(0.5), y: size - 4, 'text-anchor': 'middle', class: 'axis-label' }, `${opts.xLabel || ''} (%)`));
  g.appendChild(s('text', { x: 10, y: Y(0.5), 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 10 ${Y(0.5)})` }, `${opts.yLabel || ''} (%)`));
  svg.appendChild(g);
  svg.appendChild(s('line', { x1: X(0), y1: Y(0), x2: X(1), y2: Y(1), class: 'diagonal' }));
  const pts = bins.filter((b) => b.count > 0 && b.observed !== null && b.observed !== undefined);
  if (pts.length > 1) {
    const d = pts.map((b, i) => `${i ? 'L' : 'M'}${X(mid(b)).toFixed(1)},${Y(b.observed).toFixed(1)}`).join(' ');
    svg.appendChild(s('path', { d, class: 'calib-line' }));
  }
  // A count label goes above its dot, else below, else nowhere (the table
  // beside the chart has every count): labels never overlap. A bin with
  // few forecasts is drawn hollow, so that it does not read like the rest.
  const placed = [];
  const clash = (x, y) => placed.some((o) => Math.abs(o.x - x) < 30 && Math.abs(o.y - y) < 13);
  pts.forEach((b) => {
    const cx = X(mid(b));
    const cy = Y(b.observed);
    const few = b.count < SMALL_SAMPLE;
    svg.appendChild(s('circle', { cx, cy, r: 4 + Math.min(6, Math.sqrt(b.count)), class: few ? 'calib-dot small-n' : 'calib-dot' },
      s('title', null, `${Math.round(b.lower * 100)}–${Math.round(b.upper * 100)}%: n=${b.count}`)));
    const y = [cy - 12, cy + 22].find((v) => v > p.t + 8 && v < p.t + ih + 4 && !clash(cx, v));
    if (y === undefined) return;
    placed.push({ x: cx, y });
    svg.appendChild(s('text', { x: cx, y, 'text-anchor': 'middle', class: 'count' }, `n=${b.count}`));
  });
  return svg;
}

/** Calibration bins with fewer forecasts than this are marked as too few to judge. */
export const SMALL_SAMPLE = 5;

function mid(b) {
  if (typeof b.mean_forecast === 'number') return b.mean_forecast;
  return (b.lower + b.upper) / 2;
}

/**
 * fitChart(draw) returns a box that draws draw(width) at the box's own width
 * and again when it changes: a viewBox scaled down would shrink the text.
 */
export function fitChart(draw) {
  const box = h('div', { class: 'chart-box' });
  let drawn = 0;
  const paint = (w) => {
    if (!w || Math.abs(w - drawn) < 8) return;
    drawn = w;
    const svg = draw(w);
    if (svg) box.replaceChildren(svg);
  };
  paint(640);
  drawn = 0; // draw again once laid out
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver((entries) => paint(Math.floor(entries[0].contentRect.width))).observe(box);
  }
  return box;
}
