// The signpost board: for each scenario, the crowd's probability beside the
// one its indicators imply, the indicators for and against it, a sentence
// naming what drives the gap, and the scenario pulse chart over time.

import { h } from '../lib/dom.js';
import { t, loc, lang } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { currentSlug } from '../lib/state.js';
import { pct, num, bar, optionLabel } from '../lib/format.js';
import { pageTitle } from '../lib/page.js';
import { fetchBoard, text, gapSentence, headline, changeBadge, strengthLabel, isResolved, drivers, pull } from '../lib/signposts.js';
import { pulseChart, pulseLegend } from '../parts/pulse.js';

// Below half a percentage point of shift an indicator is listed as quiet.
const QUIET = 0.005;

export async function render() {
  const slug = await currentSlug();
  const enc = encodeURIComponent(slug);
  const [board, hist, tour] = await Promise.all([
    fetchBoard(slug, true),
    get(`/tournaments/${enc}/signposts/history`).catch(() => null),
    get(`/tournaments/${enc}`),
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
  root.appendChild(h('p', { class: 'muted small' },
    t({ reference: 'sp.explainReference', uniform: 'sp.explainUniform' }[board.prior] || 'sp.explainCrowd'), ' ',
    h('a', { href: '#/rules' }, t('sp.howLink'))));
  root.appendChild(pulseSection(hist, board, labels, questions));
  root.appendChild(h('ol', { class: 'sp-scenarios' },
    board.scenarios.map((scn, i) => h('li', null, scenarioCard(scn, labels[i], board, scenarioQ)))));
  return root;
}

function scenarioLabel(scn, q) {
  const l = text(scn.label);
  if (l) return l;
  return q ? optionLabel(q, scn.option) : String(scn.option + 1);
}

// ---- one scenario ----

function scenarioCard(scn, label, board, scenarioQ) {
  const i = scn.option;
  const title = h('h2', { id: `sp-scn-${i}` },
    h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }),
    scenarioQ ? h('a', { href: `#/q/${scenarioQ.id}` }, label) : label);
  const named = new Set(drivers(scn).slice(0, 2).map((ind) => ind.question_id));
  return h('section', { class: 'card sp-scenario', 'aria-labelledby': `sp-scn-${i}`, dataset: { option: i } },
    title,
    h('dl', { class: 'sp-figures' },
      figure(t('sp.crowd'), scn.crowd, 'crowd'),
      figure(t('sp.implied'), scn.implied, 'implied'),
      typeof scn.reference === 'number' ? figure(t('sp.reference'), scn.reference, 'ref') : null),
    h('p', { class: 'sp-sentence' }, gapSentence(scn, board.prior)),
    h('div', { class: 'sp-sides' },
      side('for', scn.for || [], named, scn.crowd),
      side('against', scn.against || [], named, scn.crowd)));
}

function figure(label, p, cls) {
  return h('div', { class: `sp-fig ${cls}` },
    h('dt', null, label),
    h('dd', null, h('span', { class: 'big' }, pct(typeof p === 'number' ? p : null)), bar(p, cls)));
}

// How much an indicator moves its scenario now: the server's shift, or
// the log-weight move when the server sends none.
function weightOf(ind, which) {
  return Math.abs(typeof ind.shift === 'number' ? ind.shift : pull(ind, which === 'for' ? 1 : -1));
}

// Indicators that move the figure come first, biggest move first; those
// with no forecasts or no lean yet fold away so the list stays readable.
function side(which, list, named, crowd) {
  const head = h('h3', null, t(which === 'for' ? 'sp.for' : 'sp.against'));
  if (!list.length) return h('div', { class: `sp-side ${which}` }, head, h('p', { class: 'muted small' }, t('sp.noneSide')));
  const sorted = list.slice().sort((a, b) => weightOf(b, which) - weightOf(a, which));
  const active = sorted.filter((ind) => isResolved(ind) || (typeof ind.probability === 'number' && weightOf(ind, which) >= QUIET));
  const quiet = sorted.filter((ind) => !active.includes(ind));
  const row = (ind) => indicatorRow(ind, named.has(ind.question_id), crowd);
  return h('div', { class: `sp-side ${which}` }, head,
    active.length ? h('ul', { class: 'sp-inds' }, active.map(row)) : h('p', { class: 'muted small' }, t('sp.noneActive')),
    quiet.length ? h('details', { class: 'sp-quiet' },
      h('summary', null, t('sp.quiet', { n: quiet.length })),
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

function indicatorRow(ind, isDriver, crowd) {
  const evidence = isResolved(ind)
    ? h('span', { class: 'badge state-resolved' }, ind.probability >= 0.5 ? t('sp.happened') : t('sp.notHappened'))
    : h('span', { class: 'p', title: t('sp.probTitle') }, typeof ind.probability === 'number' ? pct(ind.probability) : t('sp.noForecasts'));
  return h('li', { class: isDriver ? 'sp-ind driver' : 'sp-ind', dataset: { qid: ind.question_id } },
    h('a', { href: `#/q/${ind.question_id}` }, text(ind.title)),
    h('div', { class: 'sp-ind-nums' },
      evidence,
      isResolved(ind) ? null : changeBadge(ind.change_30d),
      h('span', { class: `strength s-${ind.strength}` }, strengthLabel(ind.strength)),
      ind.source ? h('span', { class: `source src-${ind.source}`, title: `${t(`sp.sourceTitle.${ind.source}`)} · ×${num(ind.likelihood_ratio)}` }, t(`sp.source.${ind.source}`)) : null,
      typeof ind.total_probability === 'number' ? totalCheck(ind.total_probability, crowd) : null));
}

// ---- the pulse over time ----

/** Days in a common shape, whatever the server names its arrays. */
function normaliseDays(hist) {
  const raw = hist.days || hist.points || [];
  return raw.map((d) => {
    if (Array.isArray(d.crowd) || Array.isArray(d.implied)) return { date: d.date, crowd: d.crowd || null, implied: d.implied || null };
    const scns = d.scenarios || [];
    return { date: d.date, crowd: scns.map((x) => x.crowd), implied: scns.map((x) => x.implied) };
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
