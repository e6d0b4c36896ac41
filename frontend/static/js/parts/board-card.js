// The signpost summary on the tournament home: who leads for the crowd and
// for the signposts, each scenario's two figures, and the way to the board.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { pct } from '../lib/format.js';
import { text, headline, gapOf } from '../lib/signposts.js';

function gapCell(scn) {
  const gap = gapOf(scn);
  if (gap === null) return h('td', { class: 'n' }, t('common.none'));
  const pts = Math.round(gap * 100);
  const dir = pts > 0 ? 'up' : pts < 0 ? 'down' : 'flat';
  return h('td', { class: `n change ${dir}` }, `${{ up: '▲ +', down: '▼ −', flat: '– ' }[dir]}${Math.abs(pts)}`);
}

/** The home card for a board answer. */
export function boardCard(board) {
  return h('section', { class: 'card board-card', id: 'board-card', 'aria-labelledby': 'board-card-h' },
    h('p', { class: 'eyebrow' }, t('sp.eyebrow')),
    h('h2', { id: 'board-card-h' }, h('a', { href: '#/signposts' }, t('sp.cardTitle'))),
    h('p', { class: 'lead' }, headline(board)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small board-mini' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('coh.scenario')),
        h('th', { scope: 'col', class: 'n' }, t('sp.crowd')),
        h('th', { scope: 'col', class: 'n' }, t('sp.implied')),
        h('th', { scope: 'col', class: 'n' }, t('sp.gap')))),
      h('tbody', null, (board.scenarios || []).map((scn) => h('tr', null,
        h('th', { scope: 'row' }, h('span', { class: `swatch c${scn.option % 8}`, 'aria-hidden': 'true' }), text(scn.label)),
        h('td', { class: 'n crowd' }, pct(typeof scn.crowd === 'number' ? scn.crowd : null)),
        h('td', { class: 'n implied' }, pct(scn.implied)),
        gapCell(scn)))))),
    h('p', null, h('a', { class: 'button', href: '#/signposts' }, t('sp.open'))));
}
