// The aggregates board: each aggregate of the crowd scored as a forecaster
// on the tournament's resolved questions, beside the best humans, with the
// number of questions behind every figure.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get } from '../lib/api.js';


// Aggregates differ from the median in the third decimal: four are shown.
const four = (x, signed = false) => {
  if (x === null || x === undefined || Number.isNaN(x)) return t('common.none');
  const s = x.toFixed(4);
  return signed && x > 0 ? `+${s}` : s;
};

/** The aggregates board of a tournament and its three best humans. */
export async function loadAggregates(slug) {
  const base = `/tournaments/${encodeURIComponent(slug)}`;
  const [board, top] = await Promise.all([
    get(`${base}/aggregates`),
    get(`${base}/leaderboard?participants=humans&limit=3`).catch(() => ({ entries: [] })),
  ]);
  return { board, top: top.entries || [] };
}

/** The name of an aggregate in the reader's language. */
export const aggregateName = (name) => t(`agg.n.${name}`);

/** The board as a table: the aggregates, then the best humans. */
export function aggregatesTable({ board, top }) {
  const rec = board.recommended;
  const rows = board.aggregates.map((a) => h('tr', { dataset: { aggregate: a.name }, class: a.name === board.default ? 'mine' : null },
    h('td', { class: 'name' }, h('span', null, aggregateName(a.name)),
      a.name === board.default ? h('span', { class: 'badge agg-crowd' }, t('agg.crowdBadge')) : null,
      a.name === rec ? h('span', { class: 'badge agg-rec' }, t('agg.recBadge')) : null),
    h('td', { class: 'n' }, String(a.questions)),
    h('td', { class: 'n' }, a.questions ? four(a.brier) : t('common.none')),
    h('td', { class: 'n' }, a.questions ? four(a.relative, true) : t('common.none')),
    h('td', { class: 'n lb-opt agg-interval' }, a.questions ? `[${four(a.interval[0], true)}, ${four(a.interval[1], true)}]` : t('common.none'))));
  const humans = top.map((e) => h('tr', { class: 'agg-human' },
    h('td', { class: 'name' }, h('a', { href: `#/u/${encodeURIComponent(e.user.username)}` }, h('span', null, e.user.display_name || e.user.username))),
    h('td', { class: 'n' }, String(e.questions)),
    h('td', { class: 'n' }, four(e.brier)),
    h('td', { class: 'n' }, t('common.none')),
    h('td', { class: 'n lb-opt' }, t('common.none'))));
  const head = [t('agg.aggregate'), t('lb.questions'), t('lb.brier'), t('agg.vsMedian'), t('agg.interval')];
  return h('table', { class: 'lb-table', id: 'aggregates-table' },
    h('caption', { class: 'visually-hidden' }, t('agg.title')),
    h('thead', null, h('tr', null, head.map((x, i) => h('th', { scope: 'col', class: i === 0 ? null : i === 4 ? 'n lb-opt' : 'n' }, x)))),
    h('tbody', null, rows),
    humans.length ? h('tbody', { id: 'aggregates-humans' },
      h('tr', null, h('th', { scope: 'rowgroup', colspan: 5, class: 'muted small' }, t('agg.bestHumans'))), humans) : null);
}

/** What the evidence recommends, in a sentence. */
export function recommendation(board) {
  if (!board.recommended) return t('agg.noRec', { n: 20 });
  const a = board.aggregates.find((x) => x.name === board.recommended);
  return t('agg.rec', { name: aggregateName(a.name), rel: four(a.relative, true), lo: four(a.interval[0], true), hi: four(a.interval[1], true), n: a.questions });
}

/** The explanations under the board. */
export function aggregatesExplain() {
  return h('section', { class: 'card explain' },
    h('p', null, t('agg.explain1')),
    h('p', null, t('agg.explain2')),
    h('p', null, t('agg.explain3')));
}

