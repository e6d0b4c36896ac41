// The scores table of a resolved question: every forecaster, best first,
// and the reference forecast as a row that does not compete.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { num, personName } from '../lib/format.js';

/**
 * The scores of every forecaster on a resolved question, best first, with the
 * reference forecast (when the server sends one) as a row that does not compete.
 */
export function scoresTable(res, user) {
  const scores = (res && res.scores) || [];
  const ref = res && res.reference;
  if (!scores.length && !ref) return null;
  // Best first, as the leaderboard ranks: relative score, then Brier.
  const sorted = scores.slice().sort((a, b) => a.relative - b.relative || a.brier - b.brier);
  const rows = sorted.map((sc, i) => ({ sc, rank: i + 1 }));
  if (ref) {
    // Placed where its relative score would rank it, without a rank of its own.
    const at = rows.findIndex((r) => typeof ref.relative === 'number' && r.sc.relative > ref.relative);
    rows.splice(at < 0 ? rows.length : at, 0, { sc: ref, ref: true });
  }
  return h('section', { class: 'card', id: 'scores' },
    h('h2', null, t('scores.title')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small', id: 'scores-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('lb.rank')),
        h('th', { scope: 'col' }, t('lb.name')),
        h('th', { scope: 'col', class: 'n' }, t('q.brier')),
        h('th', { scope: 'col', class: 'n' }, t('q.relative')))),
      h('tbody', null, rows.map((r) => scoreRow(r, user)))),
    ref ? h('p', { class: 'muted small' }, t('scores.refNote')) : null));
}

function scoreRow(r, user) {
  const { sc } = r;
  if (r.ref) {
    return h('tr', { class: 'reference-row' },
      h('td', null, t('common.none')),
      h('td', { class: 'name' }, h('span', null, t('scores.reference')), ' ', h('span', { class: 'badge not-competing' }, t('scores.notCompeting'))),
      h('td', { class: 'n' }, num(sc.brier)),
      h('td', { class: 'n' }, num(sc.relative, true)));
  }
  const mine = user && sc.user && sc.user.id === user.id;
  return h('tr', { class: mine ? 'mine' : null },
    h('td', null, String(r.rank)),
    h('td', { class: 'name' }, sc.user ? personName(sc.user) : '', mine ? h('span', { class: 'you' }, ` (${t('common.you')})`) : null),
    h('td', { class: 'n' }, num(sc.brier)),
    h('td', { class: 'n' }, num(sc.relative, true)));
}
