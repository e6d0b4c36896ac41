// Admin: a question's data feed — where its answer is read, how often, and
// the rule from the number to an outcome — with its latest fetch.

import { h, mount } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { get, post, request, ApiError } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/format.js';
import { field, formSlots, showError, showOk, submitForm } from '../../lib/forms.js';

export function feedSection(tour) {
  const qs = (tour.questions || []).filter((q) => (q.kind === 'binary' || q.kind === 'ordered') && !q.condition);
  const body = h('div', { id: 'feed-editor' });
  const sel = field({ label: t('admin.question'), name: 'feed-question', tag: 'select',
    children: qs.map((q) => h('option', { value: q.id }, `#${q.id} ${loc(q.title)}`)) });
  let shown = 0; // the latest load wins: an earlier, slower answer is dropped
  const load = async () => {
    const q = qs.find((x) => String(x.id) === sel.querySelector('select').value);
    if (!q) return;
    const ticket = ++shown;
    const feed = await get(`/questions/${q.id}/feed`).catch((err) => {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    });
    if (ticket === shown) mount(body, feedForm(q, feed, load));
  };
  sel.querySelector('select').addEventListener('change', () => load());
  load().catch(() => mount(body, h('p', { class: 'muted' }, t('common.error'))));
  // Folded by default: the admin page is long, and feeds are set rarely.
  return h('section', { class: 'card', id: 'feeds' },
    h('h2', null, t('feed.title')),
    h('p', { class: 'muted small' }, t('feed.explain')),
    h('details', null, h('summary', null, t('feed.open')), sel, body));
}

function feedForm(q, feed, reload) {
  const f = feed || { format: 'json', every: '6h', challenge_window: '48h', rule: q.kind === 'binary' ? { op: '>=', value: '' } : { bounds: [] } };
  const row = f.row || 'last';
  const rowKind = typeof row === 'string' ? row : 'match';
  const binary = q.kind === 'binary';
  const check = (name, label, on) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name, checked: !!on }), ` ${label}`);
  const form = h('form', { class: 'stack-form', id: 'feed-form', novalidate: true }, formSlots(),
    field({ label: t('feed.url'), name: 'url', type: 'url', value: f.url || '', autocomplete: 'off', spellcheck: 'false' }),
    h('div', { class: 'two-col' },
      field({ label: t('feed.format'), name: 'format', tag: 'select',
        children: ['json', 'csv'].map((x) => h('option', { value: x, selected: f.format === x }, x.toUpperCase())) }),
      field({ label: t('feed.every'), name: 'every', value: f.every, hint: t('feed.everyHint') })),
    field({ label: t('feed.pointer'), name: 'pointer', value: f.pointer || '', hint: t('feed.pointerHint'), spellcheck: 'false' }),
    field({ label: t('feed.column'), name: 'column', value: f.column || '', hint: t('feed.columnHint') }),
    h('div', { class: 'two-col' },
      field({ label: t('feed.row'), name: 'row', tag: 'select',
        children: ['last', 'first', 'match'].map((x) => h('option', { value: x, selected: rowKind === x }, t(`feed.row.${x}`))) }),
      field({ label: t('feed.matchColumn'), name: 'row.column', value: rowKind === 'match' ? row.column : '' }),
      field({ label: t('feed.matchEquals'), name: 'row.equals', value: rowKind === 'match' ? row.equals : '' })),
    binary
      ? h('div', { class: 'two-col' },
        field({ label: t('feed.op'), name: 'rule.op', tag: 'select',
          children: ['>=', '>', '<=', '<'].map((x) => h('option', { value: x, selected: f.rule.op === x }, x)) }),
        field({ label: t('feed.value'), name: 'rule.value', value: f.rule.value === undefined ? '' : String(f.rule.value), inputmode: 'decimal' }))
      : field({ label: t('feed.bounds'), name: 'rule.bounds', value: (f.rule.bounds || []).join(', '),
        hint: t('feed.boundsHint', { n: (q.options || []).length - 1 }) }),
    field({ label: t('feed.window'), name: 'challenge_window', value: f.challenge_window }),
    field({ label: t('feed.headers'), name: 'headers', tag: 'textarea', rows: 2, spellcheck: 'false',
      hint: feed && (feed.header_names || []).length ? t('feed.headersStored', { names: feed.header_names.join(', ') }) : t('feed.headersHint') }),
    h('div', { class: 'checks' },
      binary ? check('early_yes', t('feed.earlyYes'), f.early_yes) : null,
      check('auto_resolve', t('feed.autoResolve'), f.auto_resolve),
      check('enabled', t('feed.enabled'), f.enabled)),
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'primary' }, t('feed.save')),
      feed ? h('button', { type: 'button', class: 'secondary', id: 'feed-fetch', on: { click: () => fetchNow(q, form, reload) } }, t('feed.fetch')) : null,
      feed ? h('button', { type: 'button', class: 'danger', id: 'feed-delete', on: { click: async () => {
        await request('DELETE', `/questions/${q.id}/feed`);
        await reload();
      } } }, t('feed.delete')) : null));
  submitForm(form, async () => {
    const el = form.elements;
    const b = { url: el.url.value.trim(), format: el.format.value, every: el.every.value.trim(),
      challenge_window: el.challenge_window.value.trim() || undefined,
      auto_resolve: el.auto_resolve.checked, enabled: el.enabled.checked };
    if (el.pointer.value.trim()) b.pointer = el.pointer.value.trim();
    if (el.column.value.trim()) b.column = el.column.value.trim();
    if (b.column) b.row = el.row.value === 'match' ? { column: el['row.column'].value.trim(), equals: el['row.equals'].value.trim() } : el.row.value;
    if (binary) {
      b.early_yes = el.early_yes.checked;
      const v = Number(el['rule.value'].value.trim());
      if (el['rule.value'].value.trim() === '' || !Number.isFinite(v)) { showError(form, 'rule.value', t('feed.needNumber')); return; }
      b.rule = { op: el['rule.op'].value, value: v };
    } else {
      const bounds = el['rule.bounds'].value.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
      if (bounds.some((x) => !Number.isFinite(x))) { showError(form, 'rule.bounds', t('feed.needNumber')); return; }
      b.rule = { bounds };
    }
    const lines = el.headers.value.split('\n').map((x) => x.trim()).filter(Boolean);
    if (lines.length) {
      b.headers = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i < 1) { showError(form, 'headers', t('feed.headerLine')); return; }
        b.headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
    }
    await request('PUT', `/questions/${q.id}/feed`, b);
    showOk(form, t('feed.saved'));
    await reload();
  });
  return h('div', null, lastFetch(feed), form);
}

function lastFetch(feed) {
  if (!feed) return h('p', { class: 'muted' }, t('feed.none'));
  const l = feed.last;
  if (!l) return h('p', { class: 'muted feed-last' }, t('feed.neverFetched'));
  return l.status === 'ok'
    ? h('p', { class: 'notice ok feed-last' }, t('feed.lastOk', { value: String(l.value), date: fmtDateTime(l.fetched_at) }))
    : h('p', { class: 'notice warn feed-last' }, t('feed.lastError', { date: fmtDateTime(l.fetched_at), n: feed.failures }), ' ', h('code', null, l.error));
}

async function fetchNow(q, form, reload) {
  try {
    await post(`/questions/${q.id}/feed/fetch`);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    showError(form, 'url', err.message);
    return;
  }
  await reload();
}
