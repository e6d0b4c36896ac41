// Leaderboard: individual, team, conditional-branch and aggregates tabs, paged (100
// rows a page, the page in the URL as ?o=offset), the participants filter
// in the URL (?p=humans), a "my row" jump (?around=me) and the signed-in
// user's row highlighted. The team board ends with the teams that have no
// scored question yet.

import { h, mount, nextId } from '../lib/dom.js';
import { t, loc } from '../lib/i18n.js';
import { get, getSession } from '../lib/api.js';
import { currentSlug, me, tournaments } from '../lib/state.js';
import { num, personName } from '../lib/format.js';
import { pageTitle } from '../lib/page.js';
import { loadAggregates, aggregatesTable, aggregatesExplain } from '../parts/aggregates-board.js';

const LIMIT = 100;
const PARTICIPANTS = ['all', 'humans', 'bots'];
// The boards: the tab's path segment and what it ranks.
const VIEWS = { individual: '', team: '/team', conditional: '/conditional', aggregates: '/aggregates' };

/** The board's route with its tournament and participants filter: the URL holds the whole view. */
function boardRoute(view, slug, participants) {
  const p = view !== 'team' && participants !== 'all' ? `&p=${participants}` : '';
  return `#/leaderboard${VIEWS[view]}?t=${encodeURIComponent(slug)}${p}`;
}

export async function render(params) {
  const view = params[0] || 'individual';
  const byTeam = view === 'team';
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  const slug = query.get('t') || await currentSlug();
  const participants = PARTICIPANTS.includes(query.get('p')) ? query.get('p') : 'all';
  if (view === 'aggregates') return renderAggregates(slug, participants);
  const user = getSession() ? await me().catch(() => null) : null;
  // A human has no row on the bots' board, nor a bot on the humans'.
  const mayRank = !!user && !byTeam && !(participants === 'bots' && !user.bot) && !(participants === 'humans' && user.bot);
  const wantMine = query.get('around') === 'me' && (byTeam ? !!user : mayRank);
  const offset = Math.max(0, parseInt(query.get('o') || '0', 10) || 0);
  const [page, list] = await Promise.all([
    boardPage(slug, view, participants, wantMine, offset),
    tournaments(),
  ]);
  const tour = list.find((x) => x.slug === slug);
  const entries = page.entries || [];
  const myTeam = byTeam && user ? (user.teams || []).find((tm) => tm.tournament === slug) : null;
  const mineId = byTeam ? (myTeam && myTeam.id) : (mayRank && user.id);
  const mineIdx = mineId ? entries.findIndex((e) => (byTeam ? e.team.id : e.user.id) === mineId) : -1;
  const root = h('div', { class: 'leaderboard' },
    pageTitle(t('lb.title')),
    list.length > 1 ? tourPicker(list, slug, view, participants) : tour ? h('p', { class: 'muted' }, loc(tour.title)) : null,
    boardTabs(slug, view, participants),
    view === 'conditional' ? h('p', { class: 'muted small', id: 'lb-conditional-note' }, t('lb.conditionalNote')) : null,
    byTeam ? null : participantsFilter(slug, view, participants));
  if (page.notOnBoard) root.appendChild(h('p', { class: 'notice info', id: 'lb-not-ranked' }, t(byTeam ? 'lb.teamNotRanked' : 'lb.notRanked')));
  const tableBox = h('div', { class: 'table-wrap' });
  const unscored = page.next_cursor === null ? (page.unscored_teams || []) : [];
  if (!entries.length && !unscored.length) {
    mount(tableBox, h('p', { class: 'muted' }, page.total ? t('lb.pastEnd') : t('lb.empty')));
  } else {
    mount(tableBox, drawTable(entries, unscored, byTeam, mineIdx, myTeam, slug));
  }
  const nav = pager(boardRoute(view, slug, participants), page, entries.length, mineId, byTeam);
  root.append(nav, tableBox);
  if (mineIdx >= 0) root.insertBefore(h('p', { class: 'muted small' }, t('lb.myRow')), nav);
  if (entries.length > 20) root.appendChild(pager(boardRoute(view, slug, participants), page, entries.length, mineId, byTeam));
  root.appendChild(h('section', { class: 'card explain' },
    h('p', null, t('lb.explain1')),
    h('p', null, t('lb.explain2')),
    h('p', null, t('lb.explain3')),
    h('p', null, h('a', { href: '#/rules' }, t('lb.rules')))));
  return root;
}

// boardPage fetches one page; a "my row" jump without a row of mine falls
// back to the first page, marked notOnBoard.
async function boardPage(slug, view, participants, aroundMe, offset) {
  const who = view === 'team' ? 'by=team' : `participants=${participants}${view === 'conditional' ? '&kind=conditional' : ''}`;
  const base = `/tournaments/${encodeURIComponent(slug)}/leaderboard?${who}&limit=${LIMIT}`;
  if (!aroundMe) return get(`${base}&offset=${offset}`);
  try {
    return await get(`${base}&around=me`);
  } catch (e) {
    if (e.status !== 404 || e.field !== 'around') throw e;
    return { ...(await get(`${base}&offset=0`)), notOnBoard: true };
  }
}

// pager: previous and next pages, where this page is, and the jump to my row.
function pager(route, page, shown, mineId, byTeam) {
  const from = page.offset || 0;
  const prev = from > 0 ? `${route}&o=${Math.max(0, from - LIMIT)}` : null;
  const next = page.next_cursor ? `${route}&o=${from + shown}` : null;
  const link = (href, label, cls) => (href
    ? h('a', { href, class: `button secondary ${cls}` }, label)
    : h('span', { class: `button secondary disabled ${cls}`, 'aria-disabled': 'true' }, label));
  const paged = prev || next; // one page only: no Previous and Next to grey out
  return h('nav', { class: 'pager', 'aria-label': t('lb.pages') },
    paged ? link(prev, t('lb.prev'), 'lb-prev') : null,
    h('span', { class: 'lb-where muted small' }, shown
      ? t('lb.where', { from: (from + 1).toLocaleString(), to: (from + shown).toLocaleString(), total: (page.total || 0).toLocaleString() })
      : t('lb.count', { total: (page.total || 0).toLocaleString() })),
    paged ? link(next, t('lb.next'), 'lb-next') : null,
    mineId && page.total ? h('a', { href: `${route}&around=me`, class: 'button lb-jump' }, t(byTeam ? 'lb.jumpTeam' : 'lb.jump')) : null);
}

// renderAggregates is the aggregates tab: each aggregate of the crowd
// scored as a forecaster, the best humans beneath.
async function renderAggregates(slug, participants) {
  const [data, list] = await Promise.all([loadAggregates(slug), tournaments()]);
  const tour = list.find((x) => x.slug === slug);
  return h('div', { class: 'leaderboard' },
    pageTitle(t('lb.title')),
    list.length > 1 ? tourPicker(list, slug, 'aggregates', participants) : tour ? h('p', { class: 'muted' }, loc(tour.title)) : null,
    boardTabs(slug, 'aggregates', participants),
    h('p', { class: 'muted small', id: 'aggregates-intro' }, t('agg.intro')),
    h('div', { class: 'table-wrap' }, aggregatesTable(data)),
    aggregatesExplain());
}

function boardTabs(slug, view, participants) {
  return h('nav', { class: 'tabs', 'aria-label': t('lb.tabs') },
    Object.keys(VIEWS).map((v) => tab(boardRoute(v, slug, participants), t(`lb.view.${v}`), v === view)));
}

// The board says which tournament it ranks, and the reader chooses.
function tourPicker(list, slug, view, participants) {
  const id = nextId('lbt');
  return h('div', { class: 'field inline' }, h('label', { for: id }, t('lb.tournament')),
    h('select', { id, on: { change: (e) => { location.hash = boardRoute(view, e.target.value, participants); } } },
      list.map((x) => h('option', { value: x.slug, selected: x.slug === slug }, loc(x.title)))));
}

function tab(href, label, active) {
  return h('a', { href, class: active ? 'tab active' : 'tab', 'aria-current': active ? 'page' : null }, label);
}

function drawTable(entries, unscored, byTeam, mineIdx, myTeam, slug) {
  const head = byTeam
    ? [t('lb.rank'), t('lb.teamName'), t('lb.members'), t('lb.questions'), t('lb.brier'), t('lb.relative')]
    : [t('lb.rank'), t('lb.name'), t('lb.questions'), t('lb.brier'), t('lb.relative')];
  const rows = entries.map((e, i) => {
    const mine = i === mineIdx;
    const name = byTeam
      ? e.team.name
      : personName(e.user);
    const nameCell = h('td', { class: 'name' },
      byTeam ? h('a', { href: `#/team/${encodeURIComponent(slug)}/${e.team.id}` }, h('span', null, name))
        : h('a', { href: `#/u/${encodeURIComponent(e.user.username)}` }, h('span', null, name)),
      !byTeam && e.user.display_name && e.user.display_name !== e.user.username ? h('span', { class: 'muted small' }, ` @${e.user.username}`) : null,
      !byTeam && e.user.bot ? h('span', { class: 'badge bot', title: t('lb.botTitle') }, t('lb.bot')) : null,
      mine ? h('span', { class: 'you' }, t('common.paren', { x: t('common.you') })) : null);
    const cells = [h('td', null, String(e.rank)), nameCell];
    // On a phone the optional columns hide; rank, name and the ranking
    // Relative column stay.
    if (byTeam) cells.push(h('td', { class: 'n lb-opt' }, String(e.members)));
    cells.push(h('td', { class: 'n lb-opt' }, String(e.questions)), h('td', { class: 'n lb-opt' }, num(e.brier)), h('td', { class: 'n' }, num(e.relative, true)));
    return h('tr', { class: mine ? 'mine' : null, 'aria-current': mine ? 'true' : null }, cells);
  });
  return h('table', { class: 'lb-table', id: 'leaderboard-table' },
    h('caption', { class: 'visually-hidden' }, byTeam ? t('lb.team') : t('lb.individual')),
    h('thead', null, h('tr', null, head.map((x, i) => h('th', { scope: 'col', class: i === head.length - 1 ? 'n' : i >= 2 ? 'n lb-opt' : null }, x)))),
    h('tbody', null, rows),
    unscored.length ? unscoredRows(unscored, head.length, myTeam, slug) : null);
}

// unscoredRows lists the teams without a scored question after the ranked
// ones: a dash for a rank and a note instead of scores.
function unscoredRows(teams, columns, myTeam, slug) {
  return h('tbody', { id: 'unscored-team', class: 'unscored' }, teams.map((e) => {
    const mine = !!myTeam && myTeam.id === e.team.id;
    return h('tr', { class: mine ? 'mine' : null, 'aria-current': mine ? 'true' : null },
      h('td', null, t('common.none')),
      h('td', { class: 'name' }, h('a', { href: `#/team/${encodeURIComponent(slug)}/${e.team.id}` }, h('span', null, e.team.name)),
        mine ? h('span', { class: 'you' }, t('common.paren', { x: t('common.you') })) : null),
      h('td', { class: 'n lb-opt' }, String(e.members)),
      h('td', { colspan: columns - 3, class: 'muted small unscored-note' }, t('lb.unscored')));
  }));
}

// participantsFilter ranks everyone, humans only or bots only (kept in the
// URL), and links the main board as CSV for spreadsheets.
function participantsFilter(slug, view, participants) {
  const id = nextId('participants');
  const sel = h('select', { id, on: { change: (e) => { location.hash = boardRoute(view, slug, e.target.value); } } },
    PARTICIPANTS.map((p) => h('option', { value: p, selected: p === participants }, t(`lb.p.${p}`))));
  const csv = `/api/v1/tournaments/${encodeURIComponent(slug)}/export.csv?table=leaderboard&participants=${participants}`;
  return h('div', { class: 'field inline' },
    h('label', { for: id }, t('lb.participants')), sel, ' ',
    view === 'individual' ? h('a', { href: csv, download: `${slug}-leaderboard.csv`, id: 'leaderboard-csv' }, t('lb.csv')) : null);
}
