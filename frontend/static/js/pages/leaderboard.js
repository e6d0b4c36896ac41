// Leaderboard: individual and team tabs, the signed-in user's row highlighted.

import { h, mount, nextId } from '../dom.js';
import { t, loc } from '../i18n.js';
import { get, getSession } from '../api.js';
import { currentSlug, me, tournaments } from '../state.js';
import { num, pageTitle } from '../ui.js';

const TOP = 25;
const PARTICIPANTS = ['all', 'humans', 'bots'];
let participants = 'all'; // who the individual board ranks, kept while browsing

export async function render(params, ctx) {
  const byTeam = params[0] === 'team';
  const asked = new URLSearchParams(location.hash.split('?')[1] || '').get('t');
  const slug = asked || await currentSlug();
  const [res, user, list] = await Promise.all([
    get(`/tournaments/${encodeURIComponent(slug)}/leaderboard${byTeam ? '?by=team' : `?participants=${participants}`}`),
    getSession() ? me().catch(() => null) : Promise.resolve(null),
    tournaments(),
  ]);
  const tour = list.find((x) => x.slug === slug);
  const entries = res.entries || [];
  let mineIdx = -1;
  if (user) {
    if (byTeam) {
      const team = (user.teams || []).find((tm) => tm.tournament === slug);
      if (team) mineIdx = entries.findIndex((e) => e.team && e.team.id === team.id);
    } else {
      mineIdx = entries.findIndex((e) => e.user && e.user.id === user.id);
    }
  }
  const root = h('div', { class: 'leaderboard' },
    pageTitle(t('lb.title')),
    list.length > 1 ? tourPicker(list, slug, byTeam) : tour ? h('p', { class: 'muted' }, loc(tour.title)) : null,
    h('nav', { class: 'tabs', 'aria-label': t('lb.tabs') },
      tab(`#/leaderboard?t=${encodeURIComponent(slug)}`, t('lb.individual'), !byTeam),
      tab(`#/leaderboard/team?t=${encodeURIComponent(slug)}`, t('lb.team'), byTeam)),
    byTeam ? null : participantsFilter(slug, ctx));
  const tableBox = h('div', { class: 'table-wrap' });
  root.appendChild(tableBox);
  if (!entries.length) {
    mount(tableBox, h('p', { class: 'muted' }, t('lb.empty')));
  } else {
    drawTable(tableBox, entries, byTeam, mineIdx, false, slug);
    if (mineIdx >= 0) root.insertBefore(h('p', { class: 'muted small' }, t('lb.myRow')), tableBox);
  }
  // ui2: my team before it has a score is not missing, only unscored.
  const myTeam = byTeam && user ? (user.teams || []).find((tm) => tm.tournament === slug) : null;
  if (myTeam && mineIdx < 0) {
    root.insertBefore(h('p', { class: 'notice info', id: 'unscored-team' },
      h('a', { href: `#/team/${encodeURIComponent(slug)}/${myTeam.id}` }, myTeam.name), ` ${t('common.none')} `, t('ui2.unscoredTeam')), tableBox.nextSibling);
  }
  root.appendChild(h('section', { class: 'card explain' },
    h('p', null, t('lb.explain1')),
    h('p', null, t('lb.explain2')),
    h('p', null, t('lb.explain3')),
    h('p', null, h('a', { href: '#/rules' }, t('lb.rules')))));
  return root;
}

// ui2: the board says which tournament it ranks, and the reader chooses.
function tourPicker(list, slug, byTeam) {
  const id = nextId('lbt');
  return h('div', { class: 'field inline' }, h('label', { for: id }, t('lb.tournament')),
    h('select', { id, on: { change: (e) => { location.hash = `#/leaderboard${byTeam ? '/team' : ''}?t=${encodeURIComponent(e.target.value)}`; } } },
      list.map((x) => h('option', { value: x.slug, selected: x.slug === slug }, loc(x.title)))));
}

function tab(href, label, active) {
  return h('a', { href, class: active ? 'tab active' : 'tab', 'aria-current': active ? 'page' : null }, label);
}

function drawTable(box, entries, byTeam, mineIdx, all, slug) {
  const head = byTeam
    ? [t('lb.rank'), t('lb.teamName'), t('lb.members'), t('lb.questions'), t('lb.brier'), t('lb.relative')]
    : [t('lb.rank'), t('lb.name'), t('lb.questions'), t('lb.brier'), t('lb.relative')];
  let shown = entries.map((e, i) => i);
  if (!all && entries.length > TOP) {
    shown = shown.slice(0, TOP);
    if (mineIdx >= TOP) {
      shown.push(-1); // a gap row
      for (let i = Math.max(TOP, mineIdx - 1); i <= Math.min(entries.length - 1, mineIdx + 1); i += 1) shown.push(i);
    }
  }
  const rows = shown.map((i) => {
    if (i < 0) return h('tr', { class: 'gap' }, h('td', { colspan: head.length }, t('lb.gap')));
    const e = entries[i];
    const mine = i === mineIdx;
    const name = byTeam
      ? e.team.name
      : (e.user.display_name || e.user.username);
    const nameCell = h('td', { class: 'name' },
      byTeam ? h('a', { href: `#/team/${encodeURIComponent(slug)}/${e.team.id}` }, h('span', null, name))
        : h('a', { href: `#/u/${encodeURIComponent(e.user.username)}` }, h('span', null, name)),
      !byTeam && e.user.display_name && e.user.display_name !== e.user.username ? h('span', { class: 'muted small' }, ` @${e.user.username}`) : null,
      !byTeam && e.user.bot ? h('span', { class: 'badge bot', title: t('lb.botTitle') }, t('lb.bot')) : null,
      mine ? h('span', { class: 'you' }, t('ui2.paren', { x: t('common.you') })) : null);
    const cells = [h('td', null, String(e.rank)), nameCell];
    // On a phone the optional columns hide; rank, name and the ranking
    // Relative column stay.
    if (byTeam) cells.push(h('td', { class: 'n lb-opt' }, String(e.members)));
    cells.push(h('td', { class: 'n lb-opt' }, String(e.questions)), h('td', { class: 'n lb-opt' }, num(e.brier)), h('td', { class: 'n' }, num(e.relative, true)));
    return h('tr', { class: mine ? 'mine' : null, 'aria-current': mine ? 'true' : null }, cells);
  });
  const table = h('table', { class: 'lb-table', id: 'leaderboard-table' },
    h('caption', { class: 'visually-hidden' }, byTeam ? t('lb.team') : t('lb.individual')),
    h('thead', null, h('tr', null, head.map((x, i) => h('th', { scope: 'col', class: i === head.length - 1 ? 'n' : i >= 2 ? 'n lb-opt' : null }, x)))),
    h('tbody', null, rows));
  mount(box, table,
    !all && entries.length > TOP
      ? h('button', { type: 'button', class: 'secondary', on: { click: () => drawTable(box, entries, byTeam, mineIdx, true, slug) } }, t('lb.showAll', { n: entries.length }))
      : null);
}

// participantsFilter ranks everyone, humans only or bots only, and links the
// same board as CSV for spreadsheets.
function participantsFilter(slug, ctx) {
  const id = nextId('participants');
  const sel = h('select', { id, on: { change: (e) => { participants = e.target.value; ctx.rerender(); } } },
    PARTICIPANTS.map((p) => h('option', { value: p, selected: p === participants }, t(`lb.p.${p}`))));
  const csv = `/api/v1/tournaments/${encodeURIComponent(slug)}/export.csv?table=leaderboard&participants=${participants}`;
  return h('div', { class: 'field inline' },
    h('label', { for: id }, t('lb.participants')), sel, ' ',
    h('a', { href: csv, download: `${slug}-leaderboard.csv`, id: 'leaderboard-csv' }, t('lb.csv')));
}
