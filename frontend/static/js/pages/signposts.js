// The signpost board: for each scenario, the crowd's probability beside
// what the crowd's indicator forecasts imply (with its 10–90 % range) and
// what the resolved signposts favour so far; the indicators for and against
// it, each with the gap between what the scenarios expect and what
// forecasters say and its likelihood table; and the pulse over time.

import { h } from '../lib/dom.js';
import { t, loc, lang } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { currentSlug } from '../lib/state.js';
import { pct, bar, optionLabel } from '../lib/format.js';
import { pageTitle } from '../lib/page.js';
import { fetchBoard, text, gapSentence, headline, changeBadge, isResolved, drivers, rangeText, priorName, tableRow, signpostState } from '../lib/signposts.js';
import { pulseChart, pulseLegend } from '../parts/pulse.js';
import { fetchTripwires, tripwiresCard } from '../parts/tripwires.js';

export async function render() {
  const slug = await currentSlug();
  const enc = encodeURIComponent(slug);
  const [board, hist, tour, wires] = await Promise.all([
    fetchBoard(slug, true),
    get(`/tournaments/${enc}/signposts/history`).catch(() => null),
    get(`/tournaments/${enc}`),
    fetchTripwires(slug),
  ]);
  const root = h('div', { class: 'signposts' }, pageTitle(t('sp.title')), h('p', { class: 'muted' }, loc(tour.title)));
  if (!board || !(board.scenarios || []).length) {
    root.appendChild(h('p', { class: 'notice info' }, t('sp.none')));
    return root;
  }
  const questions = tour.questions || [];
  const scenarioQ = questions.find((q) => q.id === board.scenario_question_id) || null;
  const labels = board.scenarios.map((scn) => scenarioLabel(scn, scenarioQ));
  root.appendChild(h('p', { class: 'lead', id: 'sp-headline' }, headline(board)));
  root.appendChild(h('p', { class: 'muted small', id: 'sp-explain' },
    t('sp.explain', { prior: priorName(board) }), ' ',
    h('a', { href: '#/rules' }, t('sp.howLink'))));
  const wiresCard = tripwiresCard(wires, questions, { showQuestion: true });
  if (wiresCard) root.appendChild(wiresCard);
  root.appendChild(pulseSection(hist, board, labels, questions));
  root.appendChild(h('ol', { class: 'sp-scenarios' },
    board.scenarios.map((scn, i) => h('li', null, scenarioCard(scn, labels[i], board, scenarioQ, labels)))));
  return root;
}

function scenarioLabel(scn, q) {
  const l = text(scn.label);
  if (l) return l;
  return q ? optionLabel(q, scn.option) : String(scn.option + 1);
}

// ---- one scenario ----

function scenarioCard(scn, label, board, scenarioQ, labels) {
  const i = scn.option;
  const title = h('h2', { id: `sp-scn-${i}` },
    h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }),
    scenarioQ ? h('a', { href: `#/q/${scenarioQ.id}` }, label) : label);
  const named = new Set(drivers(scn).slice(0, 2).map((ind) => ind.question_id));
  // With nothing resolved and nothing forecast, implied and evidence are
  // only the prior: shown, but greyed like the reference, without a range.
  const silent = signpostState(board).nothing;
  const range = silent ? '' : rangeText(scn.implied_range);
  return h('section', { class: silent ? 'card sp-scenario sp-silent' : 'card sp-scenario', 'aria-labelledby': `sp-scn-${i}`, dataset: { option: i } },
    title,
    h('dl', { class: 'sp-figures' },
      figure(t('sp.crowd'), scn.crowd, 'crowd'),
      figure(t('sp.implied'), scn.implied, 'implied', range ? h('span', { class: 'sp-range', title: t('sp.rangeTitle') }, t('sp.range', { range })) : null),
      figure(t('sp.evidence'), scn.evidence, 'evidence'),
      typeof scn.reference === 'number' ? figure(t('sp.reference'), scn.reference, 'ref') : null),
    h('p', { class: 'sp-sentence' }, gapSentence(scn, board)),
    h('div', { class: 'sp-sides' },
      side('for', scn.for || [], named, scn.crowd, labels),
      side('against', scn.against || [], named, scn.crowd, labels)));
}

function figure(label, p, cls, extra = null) {
  return h('div', { class: `sp-fig ${cls}` },
    h('dt', null, label),
    h('dd', null, h('span', { class: 'big' }, pct(typeof p === 'number' ? p : null)), extra, bar(p, cls)));
}

// The server lists indicators by the gap between what the scenarios
// expect and what forecasters say (the news first); those with neither a
// forecast nor a resolution fold away so the list stays readable.
function side(which, list, named, crowd, labels) {
  const head = h('h3', null, t(which === 'for' ? 'sp.for' : 'sp.against'));
  if (!list.length) return h('div', { class: `sp-side ${which}` }, head, h('p', { class: 'muted small' }, t('sp.noneSide')));
  const active = list.filter((ind) => isResolved(ind) || typeof ind.probability === 'number');
  const quiet = list.filter((ind) => !active.includes(ind));
  const row = (ind) => indicatorRow(ind, named.has(ind.question_id), crowd, labels);
  return h('div', { class: `sp-side ${which}` }, head,
    active.length ? h('ul', { class: 'sp-inds' }, active.map(row)) : null,
    quiet.length ? h('details', { class: 'sp-quiet' },
      h('summary', null, t(active.length ? 'sp.quiet' : 'sp.quietAll', { n: quiet.length })),
      h('ul', { class: 'sp-inds' }, quiet.map(row))) : null);
}

// A gap this large between the crowd's total through an indicator's
// branches and its direct forecast is worth discussing (never an error).
const TOTAL_GAP = 0.1;

/** The law of total probability through a crowd link, beside the crowd's direct figure. */
function totalCheck(tp, crowd) {
  const gap = typeof crowd === 'number' && Math.abs(tp - crowd) >= TOTAL_GAP;
  return h('span', { class: gap ? 'sp-total gap' : 'sp-total', title: t('sp.totalTitle') },
    t('sp.total', { p: pct(tp) }), gap ? ` · ${t('sp.totalGap', { c: pct(crowd) })}` : '');
}

/** "the scenarios expect 48 %, forecasters say 70 %" for an open indicator. */
function gapText(ind) {
  if (isResolved(ind) || typeof ind.probability !== 'number') return null;
  if (typeof ind.expected !== 'number') return h('span', { class: 'sp-gap' }, t('sp.saysOnly', { p: pct(ind.probability) }));
  const pts = Math.round((ind.probability - ind.expected) * 100);
  return h('span', { class: Math.abs(pts) >= 10 ? 'sp-gap wide' : 'sp-gap', title: t('sp.gapTitle') },
    t('sp.expectSay', { e: pct(ind.expected), p: pct(ind.probability) }));
}

function indicatorRow(ind, isDriver, crowd, labels) {
  const evidence = isResolved(ind)
    ? h('span', { class: 'badge state-resolved' }, ind.probability >= 0.5 ? t('sp.happened') : t('sp.notHappened'))
    : typeof ind.probability === 'number' ? null : h('span', { class: 'p muted' }, t('sp.noForecasts'));
  return h('li', { class: isDriver ? 'sp-ind driver' : 'sp-ind', dataset: { qid: ind.question_id } },
    h('a', { href: `#/q/${ind.question_id}` }, text(ind.title)),
    h('div', { class: 'sp-ind-nums' },
      evidence,
      gapText(ind),
      isResolved(ind) || typeof ind.change_30d !== 'number' ? null : changeBadge(ind.change_30d),
      typeof ind.total_probability === 'number' ? totalCheck(ind.total_probability, crowd) : null),
    tableRow(ind.likelihoods, labels));
}

// ---- the pulse over time ----

/** Days in a common shape, whatever the server names its arrays. */
function normaliseDays(hist) {
  const raw = hist.days || hist.points || [];
  return raw.map((d) => {
    if (Array.isArray(d.crowd) || Array.isArray(d.implied)) return { date: d.date, crowd: d.crowd || null, implied: d.implied || null, evidence: d.evidence || null };
    const scns = d.scenarios || [];
    return { date: d.date, crowd: scns.map((x) => x.crowd), implied: scns.map((x) => x.implied), evidence: scns.map((x) => x.evidence) };
  });
}

function normaliseResolved(hist, questions) {
  const raw = hist.resolved || hist.indicators || [];
  return raw.map((r) => {
    const q = questions.find((x) => x.id === r.question_id);
    let outcome = text(r.label);
    if (outcome) { /* the server named the realised option */ } else if (q && typeof r.outcome === 'number') outcome = optionLabel(q, r.outcome);
    else if (q && q.resolution && typeof q.resolution.outcome === 'number') outcome = optionLabel(q, q.resolution.outcome);
    return { question_id: r.question_id, date: r.date || r.resolved_at, title: text(r.title) || (q ? loc(q.title) : `#${r.question_id}`), outcome };
  }).filter((r) => r.date);
}

/** Which indicators' links the implied lines took from the crowd, and from which day. */
function crowdLinksNote(hist, questions) {
  const since = new Map();
  ((hist && hist.points) || []).forEach((d) => (d.crowd_links || []).forEach((id) => {
    if (!since.has(id)) since.set(id, d.date);
  }));
  if (!since.size) return null;
  return h('div', { class: 'sp-crowd-links small', id: 'pulse-crowd-links' },
    h('p', null, t('sp.pulseCrowdLinks')),
    h('ul', null, [...since].map(([id, date]) => {
      const q = questions.find((x) => x.id === id);
      return h('li', null, h('a', { href: `#/q/${id}` }, q ? loc(q.title) : `#${id}`), ' ',
        t('sp.pulseCrowdSince', { date }));
    })));
}

function pulseSection(hist, board, labels, questions) {
  const box = h('section', { class: 'card sp-pulse', id: 'pulse' }, h('h2', null, t('sp.pulse')));
  const days = hist ? normaliseDays(hist) : [];
  const resolved = hist ? normaliseResolved(hist, questions) : [];
  if (!days.length && !resolved.length) {
    box.appendChild(h('p', { class: 'muted' }, t('sp.pulseEmpty')));
    return box;
  }
  let reference = hist && Array.isArray(hist.reference) ? hist.reference : null;
  if (!reference && board.scenarios.every((scn) => typeof scn.reference === 'number')) reference = board.scenarios.map((scn) => scn.reference);
  box.appendChild(pulseChart({ days, resolved, reference, labels, label: t('sp.pulse'), locale: lang() === 'zh' ? 'zh-CN' : 'en-GB' }));
  box.appendChild(pulseLegend(labels));
  const crowdNote = crowdLinksNote(hist, questions);
  if (crowdNote) box.appendChild(crowdNote);
  if (resolved.length) {
    box.appendChild(h('ul', { class: 'sp-resolved small' }, resolved.map((r) => h('li', null,
      h('span', { class: 'tri', 'aria-hidden': 'true' }, '▲ '),
      h('time', { datetime: r.date }, r.date.slice(0, 10)), ' · ',
      h('a', { href: `#/q/${r.question_id}` }, r.title),
      r.outcome ? ` — ${r.outcome}` : ''))));
  }
  return box;
}
