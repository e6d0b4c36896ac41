// Numbers, dates, option labels, state badges and bars, in the reader's
// language and time zone.

import { h } from './dom.js';
import { t, lang, loc } from './i18n.js';

const locale = () => (lang() === 'zh' ? 'zh-CN' : 'en-GB');

/** 0.4213 -> "42 %" (one decimal when needed). */
export function pct(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return t('common.none');
  const v = Math.round(p * 1000) / 10;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} %`;
}

/** A number with up to 3 decimals, signed when asked. */
export function num(x, signed = false) {
  if (x === null || x === undefined || Number.isNaN(x)) return t('common.none');
  const s = (Math.round(x * 1000) / 1000).toFixed(3);
  return signed && x > 0 ? `+${s}` : s;
}

/**
 * A calendar date, e.g. "31 Dec 2027" / "2027年12月31日": an instant's date
 * in the reader's time zone, a bare date ("2028-01-31") as written.
 */
export function fmtDate(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const zone = String(iso).length === 10 ? { timeZone: 'UTC' } : {};
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', day: 'numeric', ...zone }).format(d);
}

/** A date and time in the reader's time zone, the zone named. */
export function fmtDateTime(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(d);
}

/** The same instant in UTC, for hover titles. */
export function fmtUTC(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A <time> in the reader's zone showing UTC on hover. */
export function timeEl(iso) {
  return h('time', { datetime: iso, title: fmtUTC(iso) }, fmtDateTime(iso));
}

/** "today", "1 day ago", "N days ago" from an instant. */
export function daysAgo(iso) {
  const n = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 86400000));
  return n === 0 ? t('time.today') : n === 1 ? t('time.dayAgo') : t('time.daysAgo', { n });
}

/**
 * A forecaster's name as a node: a Chinese name inside the English UI is
 * marked lang="zh", so that screen readers and fonts treat it as Chinese.
 */
export function personName(u) {
  const name = typeof u === 'string' ? u : (u.display_name || u.username);
  return lang() !== 'zh' && /[\u3400-\u9fff\uf900-\ufaff]/.test(name) ? h('span', { lang: 'zh' }, name) : name;
}

/** The label of option i of question q in the current language. */
export function optionLabel(q, i) {
  if (q.kind === 'binary') return i === 0 ? t('opt.yes') : t('opt.no');
  const o = (q.options || [])[i];
  return o ? loc(o.label) : String(i + 1);
}

export function optionCount(q) {
  return q.kind === 'binary' ? 2 : (q.options || []).length;
}

export function stateBadge(state) {
  return h('span', { class: `badge state-${state}` }, t(`state.${state}`));
}

/** A short text for a probability vector: "Yes 42 %" or the most likely option. */
export function summary(q, probs) {
  if (!probs) return t('common.none');
  if (q.kind === 'binary') return `${t('opt.yes')} ${pct(probs[0])}`;
  let best = 0;
  probs.forEach((p, i) => { if (p > probs[best]) best = i; });
  return `${optionLabel(q, best)}${t('common.colon')}${pct(probs[best])}`;
}

/** A horizontal bar of width p inside a track (width set through the CSSOM, allowed by the CSP). */
export function bar(p, cls = '') {
  const fill = h('span', { class: `bar-fill ${cls}` });
  fill.style.width = `${Math.max(0, Math.min(1, p || 0)) * 100}%`;
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

/** A stacked bar over all options of a distribution. */
export function stackedBar(q, probs) {
  const el = h('span', { class: 'stack', role: 'img', 'aria-label': probs.map((p, i) => `${optionLabel(q, i)} ${pct(p)}`).join(', ') });
  probs.forEach((p, i) => {
    const seg = h('span', { class: `seg c${i % 8}`, title: `${optionLabel(q, i)}${t('common.colon')}${pct(p)}` });
    seg.style.width = `${p * 100}%`;
    el.appendChild(seg);
  });
  return el;
}
