// The signpost summary on the tournament home: who leads for the crowd,
// what the crowd's indicator forecasts imply (with their range) and what the
// resolved signposts favour so far, each scenario's figures, and the way to
// the board.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { pct } from '../lib/format.js';
import { text, headline, rangeText, signpostState } from '../lib/signposts.js';

function impliedCell(scn, silent) {
  const range = silent ? '' : rangeText(scn.implied_range);
  return h('td', { class: 'n implied' }, pct(scn.implied),
    range ? h('span', { class: 'sp-range', title: t('sp.rangeTitle') }, range) : null);
}

/** The home card for a board answer. */
export function boardCard(board) {
  const silent = signpostState(board).nothing;
  return h('section', { class: 'card board-card', id: 'board-card', 'aria-labelledby': 'board-card-h' },
    h('p', { class: 'eyebrow' }, t('sp.eyebrow')),
    h('h2', { id: 'board-card-h' }, h('a', { href: '#/signposts' }, t('sp.cardTitle'))),
    h('p', { class: 'lead' }, headline(board)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small board-mini' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('coh.scenario')),
        h('th', { scope: 'col', class: 'n' }, t('sp.crowd')),
        h('th', { scope: 'col', class: 'n' }, t('sp.implied')),
        h('th', { scope: 'col', class: 'n' }, t('sp.evidence')))),
      h('tbody', null, (board.scenarios || []).map((scn) => h('tr', null,
        h('th', { scope: 'row' }, h('span', { class: `swatch c${scn.option % 8}`, 'aria-hidden': 'true' }), text(scn.label)),
        h('td', { class: 'n crowd' }, pct(typeof scn.crowd === 'number' ? scn.crowd : null)),
        impliedCell(scn, silent),
        h('td', { class: 'n evidence' }, pct(typeof scn.evidence === 'number' ? scn.evidence : null))))))),
    h('p', null, h('a', { class: 'button', href: '#/signposts' }, t('sp.open'))));
}
