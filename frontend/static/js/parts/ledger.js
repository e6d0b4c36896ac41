// A resolved question's score, day by day, for the signed-in forecaster:
// which forecast stood, its Brier, the crowd's and the difference, with the
// total, and the same as a CSV file.

import { h, download } from '../lib/dom.js';
import { t, lang } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { num, pct, optionLabel, fmtDate } from '../lib/format.js';
import { apiMessage } from '../lib/page.js';

function standing(q, probs) {
  if (!Array.isArray(probs)) return t('common.none');
  if (q.kind === 'binary') return `${t('opt.yes')} ${pct(probs[0])}`;
  return `${probs.map((p) => Math.round(p * 1000) / 10).join(' / ')} %`;
}

function standingTitle(q, probs) {
  if (!Array.isArray(probs)) return null;
  return probs.map((p, i) => `${optionLabel(q, i)} ${pct(p)}`).join(' · ');
}

function sum(days, key) {
  return days.reduce((a, d) => a + (typeof d[key] === 'number' ? d[key] : 0), 0);
}

/**
 * The question score the ledger adds up to. The relative score is the sum
 * of daily differences over all N days of the question (days before the
 * first forecast count 0), so it is the difference column's sum ÷ N; the
 * Brier columns are means over the forecast days.
 */
function totals(res, days, score) {
  const n = days.length;
  const diff = sum(days, 'difference');
  const daysTotal = res.days_total || (score && score.days_total) || null;
  let relative = null;
  if (typeof res.relative === 'number') relative = res.relative;
  else if (days.every((d) => typeof d.contribution === 'number')) relative = sum(days, 'contribution');
  else if (daysTotal) relative = diff / daysTotal;
  return { diff, daysTotal, relative, brier: sum(days, 'brier') / n, crowd: sum(days, 'crowd_brier') / n };
}

/** The ledger card, or null when the caller has no ledger on this question; score is the caller's row of /scores. */
export async function ledgerSection(q, score) {
  let res;
  try {
    res = await get(`/questions/${q.id}/ledger`);
  } catch (_) {
    return null; // not resolved, annulled, or never forecast
  }
  const days = res.days || [];
  const box = h('section', { class: 'card ledger', id: 'ledger' }, h('h2', null, t('ledger.title')));
  if (!days.length) {
    box.appendChild(h('p', { class: 'muted' }, t('ledger.empty')));
    return box;
  }
  const total = totals(res, days, score);
  const status = h('p', { class: 'field-error', 'aria-live': 'polite' });
  const csv = h('button', { type: 'button', class: 'secondary', id: 'ledger-csv', on: { click: () => downloadCSV(q, csv, status) } }, t('ledger.csv'));
  box.append(
    h('p', { class: 'muted small' }, t('ledger.explain', { n: days.length })),
    h('p', { class: 'ledger-total', id: 'ledger-total' }, total.relative !== null && total.daysTotal
      ? t('ledger.totalLine', { rel: num(total.relative, true), diff: num(total.diff, true), n: total.daysTotal })
      : t('ledger.sumLine', { diff: num(total.diff, true) })),
    h('div', { class: 'table-wrap ledger-scroll' }, h('table', { class: 'lb-table small ledger-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('ledger.date')),
        h('th', { scope: 'col' }, t('ledger.standing')),
        h('th', { scope: 'col', class: 'n' }, t('ledger.mine')),
        h('th', { scope: 'col', class: 'n' }, t('ledger.crowd')),
        h('th', { scope: 'col', class: 'n' }, t('ledger.diff')))),
      h('tbody', null, days.map((d) => h('tr', null,
        h('td', { class: 'date' }, h('time', { datetime: d.date }, fmtDate(`${d.date.slice(0, 10)}T12:00:00Z`))),
        h('td', { title: standingTitle(q, d.probabilities) }, standing(q, d.probabilities)),
        h('td', { class: 'n' }, num(d.brier)),
        h('td', { class: 'n' }, num(d.crowd_brier)),
        h('td', { class: 'n' }, num(d.difference, true))))),
      h('tfoot', null, h('tr', null,
        h('th', { scope: 'row', colspan: 2 }, t('ledger.total')),
        h('td', { class: 'n' }, num(total.brier)),
        h('td', { class: 'n' }, num(total.crowd)),
        h('td', { class: 'n' }, num(total.relative, true)))))),
    h('div', { class: 'row' }, csv, h('span', { class: 'hint' }, t('ledger.csvHint'))),
    status);
  return box;
}

// The CSV needs the Authorization header, so a plain link cannot fetch it:
// fetch it here and hand the bytes to the browser as a file.
async function downloadCSV(q, btn, status) {
  status.textContent = '';
  btn.disabled = true;
  try {
    const blob = await get(`/questions/${q.id}/ledger?format=csv&lang=${lang()}`, { blob: true });
    download(`ledger-${q.slug || q.id}.csv`, blob);
  } catch (err) {
    status.textContent = apiMessage(err);
  } finally {
    btn.disabled = false;
  }
}
