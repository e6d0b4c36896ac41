// Shared pieces of UI: formatting, option labels, state badges, form fields
// and the display of API errors next to the field they name.

import { h, nextId } from './dom.js';
import { t, lang, loc } from './i18n.js';
import { ApiError } from './api.js';

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

export function loading() {
  return h('p', { class: 'muted', role: 'status' }, t('common.loading'));
}

/** A message box for a failed page load. */
export function errorBox(err) {
  return h('div', { class: 'notice error', role: 'alert' }, apiMessage(err), errorDetail(err));
}

/**
 * The sentence to show for an ApiError, always in the reader's language:
 * err.<code>.<field>, else err.field.<field> for a validation error, else
 * err.<code>. The server's own text is only offered by errorDetail.
 */
export function apiMessage(err) {
  if (!err) return t('common.error');
  if (err.code === 'network') return t('err.network');
  const keys = [];
  if (err.field) {
    const f = String(err.field).replace(/\[\d+\]/g, '').replace(/\.(en|zh)$/, '');
    keys.push(`err.${err.code}.${f}`);
    if (err.code === 'validation_failed' || err.code === 'bad_request') keys.push(`err.field.${f}`);
  }
  keys.push(`err.${err.code}`);
  for (const k of keys) {
    const s = t(k);
    if (s !== k) return s;
  }
  return t('common.error');
}

/** The server's message, folded away, for whoever needs the details. */
export function errorDetail(err) {
  if (!err || !err.message || err.message === err.code || err.code === 'network') return null;
  return h('details', { class: 'err-detail' }, h('summary', null, t('err.details')),
    // The field once: import messages already start with its path.
    h('code', null, err.field && !err.message.includes(err.field) ? `${err.field}: ${err.message}` : err.message));
}

/**
 * field({label, name, type, hint, ...inputAttrs}) builds a labelled input with a
 * hint and an error slot; the input's name is the API field it feeds.
 */
export function field(opts) {
  const { label, name, type = 'text', hint, tag, children, ...rest } = opts;
  const id = nextId(name.replace(/[^a-z0-9]/gi, '-'));
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  let input;
  if (tag === 'textarea') input = h('textarea', { id, name, 'aria-describedby': describedBy, ...rest });
  else if (tag === 'select') input = h('select', { id, name, 'aria-describedby': describedBy, ...rest }, children || []);
  else input = h('input', { id, name, type, 'aria-describedby': describedBy, ...rest });
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input,
    h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
}

/** Remove every error message shown in a form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const top = form.querySelector('.form-error');
  if (top) { top.textContent = ''; top.hidden = true; }
  const ok = form.querySelector('.form-ok');
  if (ok) { ok.textContent = ''; ok.hidden = true; }
}

/** Show a message next to the field named `name` (or at the form's top). */
export function showError(form, name, message) {
  const box = findField(form, name);
  if (box) {
    const slot = box.querySelector('.field-error');
    slot.textContent = message;
    const input = box.querySelector('input, select, textarea');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    return;
  }
  const top = form.querySelector('.form-error');
  if (top) { top.textContent = message; top.hidden = false; top.focus(); }
}

function findField(form, name) {
  if (!name) return null;
  const boxes = [...form.querySelectorAll('[data-field]')];
  const exact = boxes.find((b) => b.dataset.field === name);
  if (exact) return exact;
  // "title.en" or "options[2].label" falls back to "title" / "options[2]" / "options".
  const parts = [name.replace(/\.[^.[\]]*$/, ''), name.replace(/\[.*$/, ''), name.split('.')[0]];
  for (const p of parts) {
    const b = boxes.find((x) => x.dataset.field === p);
    if (b) return b;
  }
  // "title" names the pair "title.en" / "title.zh": show it at the first.
  return boxes.find((x) => x.dataset.field.startsWith(`${name}.`) || x.dataset.field.startsWith(`${name}[`)) || null;
}

/** Show an ApiError next to its field, the server's text folded beneath. */
export function showApiError(form, err) {
  showError(form, err.field, apiMessage(err));
  const box = findField(form, err.field);
  const slot = box ? box.querySelector('.field-error') : form.querySelector('.form-error');
  const detail = errorDetail(err);
  if (slot && detail) slot.appendChild(detail);
}

export function showOk(form, message) {
  const ok = form.querySelector('.form-ok');
  if (ok) { ok.textContent = message; ok.hidden = false; }
}

/** The top-of-form slots for errors and success messages. */
export function formSlots() {
  return [
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true }),
    h('p', { class: 'form-ok', role: 'status', hidden: true }),
  ];
}

/** Run fn on submit with errors cleared and buttons disabled; an ApiError shows at its field. */
export function submitForm(form, fn) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    await busy(form, async () => {
      try {
        await fn();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
}

/** Disable a form's submit button while a request runs. */
export async function busy(form, fn) {
  const btns = form.querySelectorAll('button');
  btns.forEach((b) => { b.disabled = true; });
  try {
    return await fn();
  } finally {
    btns.forEach((b) => { b.disabled = false; });
  }
}

/** "2027-03-31T10:00" from a datetime-local input -> RFC 3339 in UTC. */
export function utcInput(v) {
  if (!v) return '';
  return v.length === 16 ? `${v}:00Z` : `${v}Z`;
}

/** A localised-text object from two inputs, without empty languages. */
export function bilingual(form, base) {
  const o = {};
  const en = form.elements[`${base}.en`]?.value.trim();
  const zh = form.elements[`${base}.zh`]?.value.trim();
  if (en) o.en = en;
  if (zh) o.zh = zh;
  return o;
}

export function pageTitle(text) {
  document.title = `${text} · Signpost`;
  return h('h1', { tabindex: '-1', class: 'page-title' }, text);
}
