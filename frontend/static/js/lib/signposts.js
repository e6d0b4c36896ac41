// Signposts shared by the board, the home card, the coherence nudge and the
// admin's table editor: the board request, indicator wording, likelihood
// table rows, and the plain-words sentences that say what each number is
// (implied by the crowd's indicator forecasts, evidence from resolved ones).

import { h } from './dom.js';
import { t, loc, lang } from './i18n.js';
import { cachedGet, get } from './api.js';
import { pct } from './format.js';

// Gaps smaller than this (one percentage point) read as agreement.
const AGREE = 0.01;

/** GET the board of a tournament; null when the server has none (no scenario question). */
export async function fetchBoard(slug, fresh = false) {
  const path = `/tournaments/${encodeURIComponent(slug)}/signposts`;
  try {
    return await (fresh ? get(path) : cachedGet(path));
  } catch (err) {
    if (err.status === 404 || err.status === 409) return null;
    throw err;
  }
}

/** Text from the server: a {en, zh} object or a plain string. */
export function text(v) {
  return loc(v);
}

/** A title shortened on a word boundary, for sentences. */
export function shortTitle(title, max = lang() === 'zh' ? 32 : 64) {
  const s = text(title);
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

export function strengthLabel(strength) {
  const k = `q.strength.${strength}`;
  const v = t(k);
  return v === k ? String(strength || '') : v;
}

/**
 * The open indicators that move the implied figure the way of its gap from
 * the crowd, strongest first, by the server's shift (the scenario's implied
 * probability with the indicator minus without it).
 */
export function drivers(scn) {
  const gap = gapOf(scn);
  if (gap === null || Math.abs(gap) < AGREE) return [];
  const sign = gap > 0 ? 1 : -1;
  const all = (scn.for || []).concat(scn.against || []).filter((ind) => !isResolved(ind) && typeof ind.shift === 'number');
  return all.filter((ind) => ind.shift * sign > 0).sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift));
}

function gapOf(scn) {
  if (typeof scn.crowd !== 'number' || typeof scn.implied !== 'number') return null;
  return scn.implied - scn.crowd;
}

/** "‘Huawei ships…’ (70 %; the scenarios expect 48 %)". */
function driverPhrase(ind) {
  const params = { title: shortTitle(ind.title), p: pct(ind.probability) };
  if (typeof ind.expected !== 'number') return t('sp.driverNoExpected', params);
  return t('sp.driver', { ...params, e: pct(ind.expected) });
}

export function isResolved(ind) {
  return ind.state === 'resolved';
}

/** Sentences run on: a space between English ones, none between Chinese ones. */
function sentences(...parts) {
  return parts.join(lang() === 'zh' ? '' : ' ');
}

function joinList(parts) {
  if (lang() === 'zh') return parts.join('、');
  if (parts.length < 2) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Every indicator of the board once, whichever scenarios list it. */
export function boardIndicators(board) {
  const seen = new Map();
  (board.scenarios || []).forEach((scn) => (scn.for || []).concat(scn.against || []).forEach((ind) => {
    if (!seen.has(ind.question_id)) seen.set(ind.question_id, ind);
  }));
  return [...seen.values()];
}

/**
 * What the signposts have to go on: resolved indicators (the evidence) and
 * open indicators the crowd has forecast (what implied reads). With
 * neither, implied and evidence are only the prior and the board says the
 * signposts say nothing yet.
 */
export function signpostState(board) {
  const inds = boardIndicators(board);
  const resolved = inds.filter(isResolved).length;
  const forecast = inds.filter((ind) => !isResolved(ind) && ind.state !== 'annulled' && typeof ind.probability === 'number').length;
  return { resolved, forecast, nothing: resolved === 0 && forecast === 0 };
}

/** The prior's name in a sentence: "the reference forecast" or "an even split". */
export function priorName(board) {
  return t(board.prior === 'reference' ? 'sp.priorReference' : 'sp.priorUniform');
}

/** [lo, hi] -> "22–40 %", or '' without a range. */
export function rangeText(range) {
  if (!Array.isArray(range) || range.length !== 2 || typeof range[0] !== 'number' || typeof range[1] !== 'number') return '';
  return `${pct(range[0]).replace(/\s*%$/, '')}–${pct(range[1])}`;
}

/** "31 % (10–90 %: 22–40 %)" for implied with its range. */
export function impliedWithRange(scn) {
  const r = rangeText(scn.implied_range);
  return r ? t('sp.withRange', { p: pct(scn.implied), range: r }) : pct(scn.implied);
}

/**
 * The plain-words sentence for one scenario of the board, in the page's
 * language: what the crowd's indicator forecasts imply beside the crowd,
 * what the resolved signposts say, and which indicators make the gap.
 */
export function gapSentence(scn, board) {
  const state = signpostState(board);
  if (state.nothing) return t('sp.nothingScn', { implied: pct(scn.implied), prior: priorName(board) });
  const evidence = state.resolved
    ? t('sp.evidenceScn', { evidence: pct(scn.evidence) })
    : t('sp.noEvidenceScn');
  if (!state.forecast) return sentences(t('sp.noForecastScn', { implied: pct(scn.implied) }), evidence);
  const nums = { implied: impliedWithRange(scn), crowd: pct(scn.crowd) };
  const gap = gapOf(scn);
  let first;
  if (gap === null) first = t('sp.noCrowd', nums);
  else if (Math.abs(gap) < AGREE) first = t('sp.agree', nums);
  else {
    const named = drivers(scn).slice(0, 2).map(driverPhrase);
    first = named.length ? t(gap > 0 ? 'sp.up' : 'sp.down', { ...nums, list: joinList(named) }) : t('sp.differ', nums);
  }
  return sentences(first, evidence);
}

/** The option with the highest value of key ('crowd', 'implied' or 'evidence'), or null. */
export function favourite(board, key) {
  let best = null;
  (board.scenarios || []).forEach((scn) => {
    if (typeof scn[key] === 'number' && (!best || scn[key] > best[key])) best = scn;
  });
  return best;
}

/**
 * The lines for the top of the board and the home card: who leads for the
 * crowd, what the crowd's indicator forecasts imply (with the range), and
 * what the resolved signposts favour so far; or that they say nothing yet.
 */
export function headline(board) {
  const crowd = favourite(board, 'crowd');
  const parts = [crowd ? t('sp.headCrowd', { label: text(crowd.label), p: pct(crowd.crowd) }) : t('sp.headNoCrowd')];
  const state = signpostState(board);
  if (state.nothing) {
    parts.push(t('sp.headNothing', { prior: priorName(board) }));
    return sentences(...parts);
  }
  const implied = favourite(board, 'implied');
  if (state.forecast && implied) parts.push(t('sp.headImplied', { label: text(implied.label), p: impliedWithRange(implied) }));
  const evidence = favourite(board, 'evidence');
  if (state.resolved && evidence) parts.push(t('sp.headEvidence', { label: text(evidence.label), p: pct(evidence.evidence) }));
  else parts.push(t('sp.headNoEvidence', { prior: priorName(board) }));
  return sentences(...parts);
}

/** The name of a likelihood table's source: admin, strengths or crowd. */
export function tableSourceLabel(source) {
  const k = `sp.table.${source}`;
  const v = t(k);
  return v === k ? String(source || '') : v;
}

/**
 * A compact row of a likelihood table: P(trigger | S_k) for each scenario,
 * labelled S1, S2… (the full name in a tooltip), then the table's source.
 * labels: the scenario names in option order.
 */
export function tableRow(lik, labels) {
  if (!lik || !Array.isArray(lik.probabilities)) return null;
  const cells = lik.probabilities.map((p, k) => h('span', { class: 'sp-lik', title: `P(${t('sp.tableTrigger')} | ${labels[k] || `S${k + 1}`}) = ${pct(p)}` },
    h('span', { class: `swatch c${k % 8}`, 'aria-hidden': 'true' }), `S${k + 1} `, h('b', null, pct(p))));
  return h('span', { class: 'sp-table', dataset: { source: lik.source } },
    h('span', { class: 'sp-table-label' }, t('sp.tableLabel')), ' ', cells, ' ',
    h('span', { class: `sp-table-src src-${lik.source}`, title: t(`sp.tableTitle.${lik.source}`) }, tableSourceLabel(lik.source)));
}

/** "▲ 5 pts" / "▼ 3 pts" / "– 0 pts" for a change of probability. */
export function changeBadge(change) {
  if (typeof change !== 'number') return h('span', { class: 'change none' }, t('common.none'));
  const pts = Math.round(change * 100);
  const dir = pts > 0 ? 'up' : pts < 0 ? 'down' : 'flat';
  const arrow = { up: '▲', down: '▼', flat: '–' }[dir];
  const label = t(`sp.change.${dir}`, { n: Math.abs(pts) });
  return h('span', { class: `change ${dir}`, title: t('sp.change30'), 'aria-label': `${t('sp.change30')}: ${label}` },
    h('span', { 'aria-hidden': 'true' }, `${arrow} ${pts > 0 ? '+' : pts < 0 ? '−' : ''}${Math.abs(pts)}`), ` ${t('sp.pts')}`);
}
