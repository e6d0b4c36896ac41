// Tournament home: the scenario question first, then indicator questions by area.

import { h, mount, nextId } from '../lib/dom.js';
import { t, loc } from '../lib/i18n.js';
import { get, getSession } from '../lib/api.js';
import { currentSlug, setCurrentSlug, tournaments } from '../lib/state.js';
import { pct, fmtDate, optionLabel, stateBadge, summary, bar, stackedBar, daysAgo } from '../lib/format.js';
import { pageTitle } from '../lib/page.js';
import { boardCard } from '../parts/board-card.js';
import { fetchBoard } from '../lib/signposts.js';

// Filters live in the URL (#/?state=open&mine=stale&q=…&sort=closing),
// so a filtered list can be bookmarked and survives a reload.
const filters = { state: 'all', area: 'all', mine: 'all', q: '', sort: 'default' };
const STALE_DAYS = 14;

function readFilters() {
  const p = new URLSearchParams(location.hash.split('?')[1] || '');
  for (const k of Object.keys(filters)) filters[k] = p.get(k) || (k === 'q' ? '' : k === 'sort' ? 'default' : 'all');
}

function writeFilters() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v && v !== 'all' && v !== 'default') p.set(k, v);
  const path = location.hash.replace(/^#/, '').split('?')[0] || '/';
  history.replaceState(null, '', `#${path}${p.toString() ? `?${p}` : ''}`);
}

export async function render(params) {
  readFilters();
  let slug = params[0];
  if (slug) setCurrentSlug(slug);
  else slug = await currentSlug();
  if (!slug) return h('section', null, pageTitle(t('home.tournament')), h('p', null, t('home.noTournament')));
  const boardReq = fetchBoard(slug, true).catch(() => null); // the home page works without it
  const [tour, list] = await Promise.all([get(`/tournaments/${encodeURIComponent(slug)}`), tournaments()]);
  const all = tour.questions || [];
  // A conditional branch is not a question of its own here: each pair is
  // listed under its indicator, and the count is of questions.
  const questions = all.filter((q) => !q.condition);
  const branches = all.filter((q) => q.condition);
  const featured = questions.filter((q) => !q.area && q.kind !== 'binary');
  const indicators = questions.filter((q) => !featured.includes(q));

  const root = h('div', { class: 'home' });
  root.appendChild(h('header', { class: 'tour-head' },
    list.length > 1 ? switcher(list, slug) : null,
    pageTitle(loc(tour.title)),
    h('p', { class: 'muted' }, t('home.period', { start: fmtDate(tour.starts_at), end: fmtDate(tour.ends_at) }), ' · ', t('home.questionCount', { n: questions.length })),
    tour.description ? h('details', { class: 'desc' }, h('summary', null, firstSentence(loc(tour.description))), h('p', { class: 'prose' }, loc(tour.description))) : null));
  if (!getSession()) {
    root.appendChild(h('p', { class: 'notice info' }, h('a', { href: '#/login' }, t('nav.signin')), ' · ', t('home.signinHint')));
  }
  featured.forEach((q) => root.appendChild(scenarioCard(q)));
  // The signpost card fills in when the board arrives; the page does not wait for it.
  const slot = h('div', { class: 'board-slot' });
  root.appendChild(slot);
  boardReq.then((board) => { if (board && (board.scenarios || []).length) slot.replaceWith(boardCard(board)); });
  if (indicators.length) root.appendChild(indicatorSection(tour, indicators, branches));
  return root;
}

function firstSentence(text) {
  const m = text.match(/^[^\n]{20,200}?(?:[.!?](?=\s|$)|[。！？])/);
  return m ? m[0].trim() : `${text.slice(0, 140)}…`;
}

function switcher(list, slug) {
  const id = nextId('tour');
  const sel = h('select', { id, on: { change: (e) => { location.hash = `#/t/${e.target.value}`; } } },
    list.map((x) => h('option', { value: x.slug, selected: x.slug === slug }, loc(x.title))));
  return h('div', { class: 'switcher' }, h('label', { for: id }, t('home.choose')), sel);
}

function scenarioCard(q) {
  const crowd = q.crowd ? q.crowd.probabilities : null;
  const ref = q.reference_forecast ? q.reference_forecast.probabilities : null;
  const mine = q.my_forecast ? q.my_forecast.probabilities : null;
  const n = q.forecasters || 0;
  const rows = (q.options || []).map((o, i) => h('li', { class: 'scen-row' },
    h('div', { class: 'scen-text' },
      h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }),
      h('strong', null, optionLabel(q, i)),
      o.description ? h('p', { class: 'muted small' }, loc(o.description)) : null),
    h('dl', { class: 'scen-nums' },
      numRow(t('home.crowd'), crowd && crowd[i], 'crowd'),
      ref ? numRow(t('home.reference'), ref[i], 'ref') : null,
      getSession() ? numRow(t('home.mine'), mine && mine[i], 'mine') : null)));
  return h('section', { class: 'card scenario', 'aria-labelledby': `q-${q.id}-title` },
    h('p', { class: 'eyebrow' }, t('home.scenarioHeading')),
    h('h2', { id: `q-${q.id}-title` }, h('a', { href: `#/q/${q.id}` }, loc(q.title))),
    meta(q, n),
    h('ol', { class: 'scen-list' }, rows),
    q.reference_forecast ? h('p', { class: 'muted small' }, t('q.referenceLine', { source: loc(q.reference_forecast.source), note: loc(q.reference_forecast.note) })) : null,
    h('p', null, h('a', { class: 'button', href: `#/q/${q.id}` }, q.state === 'open' ? t('home.forecastThis') : t('home.details'))));
}

function numRow(label, p, cls) {
  return h('div', { class: `num-row ${cls}` }, h('dt', null, label), h('dd', null, bar(p, cls), h('span', { class: 'num' }, pct(p))));
}

function meta(q, n) {
  const r = q.resolution;
  const mine = q.my_forecast;
  return h('p', { class: 'meta' },
    stateBadge(q.state), ' ',
    q.state === 'upcoming' ? h('span', null, t('home.opens', { date: fmtDate(q.opens_at) }))
      : q.state === 'resolved' && r ? h('span', { class: 'card-outcome' }, t('home.outcomeIs', { option: optionLabel(q, r.outcome) }))
        : h('span', null, t('home.closes', { date: fmtDate(q.closes_at) })),
    n && q.state !== 'annulled' ? h('span', null, ' · ', n === 1 ? t('home.forecasters1') : t('home.forecasters', { n })) : null,
    mine && mine.created_at ? h('span', { class: 'last-updated' }, ' · ', t('home.updated', { ago: daysAgo(mine.created_at) })) : null);
}

function indicatorSection(tour, questions, branches) {
  const areas = (tour.areas || []).slice();
  const known = new Set(areas.map((a) => a.id));
  const extra = [...new Set(questions.map((q) => q.area || '').filter((a) => !known.has(a)))];
  extra.forEach((id) => areas.push({ id, title: id ? { en: id } : null }));
  const listBox = h('div', { class: 'areas' });
  const stateId = nextId('fstate');
  const areaId = nextId('farea');
  const stateSel = h('select', { id: stateId, name: 'state' },
    ['all', 'open', 'closed', 'resolved'].map((v) => h('option', { value: v, selected: filters.state === v }, v === 'all' ? t('home.all') : t(`state.${v}`))));
  const areaSel = h('select', { id: areaId, name: 'area' },
    h('option', { value: 'all' }, t('home.all')),
    areas.map((a) => h('option', { value: a.id, selected: filters.area === a.id }, a.title ? loc(a.title) : t('home.otherArea'))));
  const mineId = nextId('fmine');
  const sortId = nextId('fsort');
  const searchId = nextId('fq');
  const mineSel = h('select', { id: mineId, name: 'mine' },
    ['all', 'todo', 'stale'].map((v) => h('option', { value: v, selected: filters.mine === v }, t(`home.mine.${v}`))));
  const sortSel = h('select', { id: sortId, name: 'sort' },
    ['default', 'closing', 'forecasters'].map((v) => h('option', { value: v, selected: filters.sort === v }, t(`home.sort.${v}`))));
  const search = h('input', { id: searchId, type: 'search', name: 'q', value: filters.q, autocomplete: 'off' });
  const update = () => {
    filters.state = stateSel.value;
    filters.area = areaSel.value;
    filters.mine = mineSel.value;
    filters.sort = sortSel.value;
    filters.q = search.value.trim();
    writeFilters();
    drawAreas(listBox, areas, questions, branches);
  };
  [stateSel, areaSel, mineSel, sortSel].forEach((el) => el.addEventListener('change', update));
  search.addEventListener('input', update);
  drawAreas(listBox, areas, questions, branches);
  return h('section', { class: 'indicators', 'aria-labelledby': 'ind-h' },
    h('h2', { id: 'ind-h' }, t('home.indicators')),
    h('form', { class: 'filters', role: 'search', 'aria-label': t('home.filters'), on: { submit: (e) => e.preventDefault() } },
      h('div', { class: 'field inline' }, h('label', { for: stateId }, t('home.filterState')), stateSel),
      h('div', { class: 'field inline' }, h('label', { for: areaId }, t('home.filterArea')), areaSel),
      getSession() ? h('div', { class: 'field inline' }, h('label', { for: mineId }, t('home.filterMine')), mineSel) : null,
      h('div', { class: 'field inline' }, h('label', { for: sortId }, t('home.sortBy')), sortSel),
      h('div', { class: 'field inline search' }, h('label', { for: searchId }, t('home.search')), search)),
    listBox);
}

function matchesText(q) {
  if (!filters.q) return true;
  const needle = filters.q.toLowerCase();
  return Object.values(q.title || {}).some((s) => String(s).toLowerCase().includes(needle));
}

function matchesMine(q) {
  if (filters.mine === 'all' || !getSession()) return true;
  if (q.state !== 'open') return false;
  const f = q.my_forecast;
  if (filters.mine === 'todo') return !f;
  return !!f && Date.now() - Date.parse(f.created_at) > STALE_DAYS * 86400000;
}

function sorted(qs) {
  const out = qs.slice();
  if (filters.sort === 'closing') out.sort((a, b) => Date.parse(a.closes_at) - Date.parse(b.closes_at));
  if (filters.sort === 'forecasters') out.sort((a, b) => (b.forecasters || 0) - (a.forecasters || 0));
  return out;
}

function matchesState(q) {
  if (!matchesText(q) || !matchesMine(q)) return false;
  if (filters.state === 'all') return true;
  if (filters.state === 'resolved') return q.state === 'resolved' || q.state === 'annulled';
  return q.state === filters.state;
}

function drawAreas(box, areas, questions, branches) {
  const out = [];
  areas.forEach((a) => {
    if (filters.area !== 'all' && filters.area !== a.id) return;
    const qs = questions.filter((q) => (q.area || '') === a.id && matchesState(q));
    if (!qs.length) return;
    out.push(h('section', { class: 'area' },
      h('h3', null, a.title ? loc(a.title) : t('home.otherArea')),
      a.description ? h('p', { class: 'muted small' }, loc(a.description)) : null,
      h('ul', { class: 'qlist' }, sorted(qs).map((q) => questionItem(q, branches.filter((b) => b.condition.question_id === q.id))))));
  });
  if (!out.length) out.push(h('p', { class: 'muted' }, t('home.noMatch')));
  mount(box, out);
}

function questionItem(q, branches) {
  const crowd = q.crowd && q.state !== 'annulled' ? q.crowd.probabilities : null;
  const mine = q.my_forecast ? q.my_forecast.probabilities : null;
  return h('li', { class: 'qitem', dataset: { qid: q.id, state: q.state } },
    h('a', { class: 'qtitle', href: `#/q/${q.id}` }, loc(q.title)),
    meta(q, q.forecasters || 0),
    h('dl', { class: 'qnums' },
      h('div', null, h('dt', null, t('home.crowd')), h('dd', null, crowd ? summary(q, crowd) : t('q.noCrowd'), crowd && q.kind !== 'binary' ? stackedBar(q, crowd) : null)),
      getSession() ? h('div', null, h('dt', null, t('home.mine')), h('dd', { class: 'mine' }, mine ? summary(q, mine) : t('common.none'))) : null),
    branches.length ? pairLinks(q, branches) : null);
}

/** The conditional branches of an indicator, one short link each: "If Yes · 6 forecasters". */
function pairLinks(indicator, branches) {
  return h('div', { class: 'qpairs' },
    h('span', { class: 'muted small' }, t('home.pairs')),
    h('ul', null, branches.map((b) => {
      const n = b.forecasters || 0;
      return h('li', null, h('a', { href: `#/q/${b.id}` }, branchLabel(indicator, b)),
        h('span', { class: 'muted small' }, ' · ', n === 1 ? t('home.forecasters1') : t('home.forecasters', { n })));
    })));
}

function branchLabel(indicator, b) {
  const c = b.condition;
  const no = c.outcome === 'no';
  if (c.threshold) return t(no ? 'cond.ifBelow' : 'cond.ifAtLeast', { label: optionLabel(indicator, c.threshold) });
  return t(no ? 'cond.ifNo' : 'cond.ifYes');
}
