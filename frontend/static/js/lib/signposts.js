// Signposts shared by the board, the home card and the coherence nudge: the
// board request, indicator wording, and the plain-words sentence that names
// which indicators pull the signpost-implied figure away from the crowd.

import { h } from './dom.js';
import { t, loc, lang } from './i18n.js';
import { cachedGet, get } from './api.js';
import { pct } from './format.js';

// The likelihood ratio of each strength (the scoring package's weights),
// used when an indicator does not carry its own weight.
const RATIO = { weak: 1.5, moderate: 2.5, strong: 5 };

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

function ratio(ind) {
  if (typeof ind.weight === 'number' && ind.weight > 0) return ind.weight;
  return RATIO[ind.strength] || 1;
}

/**
 * How an indicator moves its scenario's log-weight, as the implied rule
 * does: evidence 2q − 1 (q its probability, 0 or 1 once resolved) times
 * the link's direction times log L. Positive raises the scenario.
 */
export function pull(ind, direction) {
  const q = typeof ind.probability === 'number' ? ind.probability : 0.5; // no forecasts: no evidence
  return (2 * q - 1) * direction * Math.log(ratio(ind));
}

/**
 * The indicators that pull the implied figure the way of the gap, strongest
 * first: by the server's shift (the scenario's implied probability with the
 * indicator minus without it), else by the log-weight move.
 */
export function drivers(scn) {
  const gap = gapOf(scn);
  if (gap === null || Math.abs(gap) < AGREE) return [];
  const sign = gap > 0 ? 1 : -1;
  const move = (ind, dir) => (typeof ind.shift === 'number' ? ind.shift : pull(ind, ind.direction || dir));
  const all = (scn.for || []).map((ind) => [ind, move(ind, 1)]).concat((scn.against || []).map((ind) => [ind, move(ind, -1)]));
  return all.filter(([, v]) => v * sign > 0).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).map(([ind]) => ind);
}

export function gapOf(scn) {
  if (typeof scn.crowd !== 'number' || typeof scn.implied !== 'number') return null;
  return scn.implied - scn.crowd;
}

/** "Huawei ships… (strong, 80 %)" or "(strong, happened)" once resolved. */
// An open indicator below 50 % pulls the other way from its link: it is
// named as "looking unlikely" so the sentence does not seem to contradict
// the indicator's side.
function driverPhrase(ind) {
  const params = { title: shortTitle(ind.title), strength: strengthLabel(ind.strength) };
  if (isResolved(ind)) return t('sp.driver', { ...params, evidence: ind.probability >= 0.5 ? t('sp.happened') : t('sp.notHappened') });
  return t(ind.probability < 0.5 ? 'sp.driverUnlikely' : 'sp.driver', { ...params, evidence: pct(ind.probability) });
}

export function isResolved(ind) {
  return ind.state === 'resolved';
}

function joinList(parts) {
  if (lang() === 'zh') return parts.join('、');
  if (parts.length < 2) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * The plain-words sentence for one scenario of the board, in the page's
 * language: how far the signposts move it from the crowd, and why.
 */
export function gapSentence(scn, prior = 'crowd') {
  const gap = gapOf(scn);
  if (gap === null) {
    if (typeof scn.implied !== 'number') return t('sp.noData');
    return t(prior === 'reference' ? 'sp.noCrowdRef' : 'sp.noCrowd', { implied: pct(scn.implied) });
  }
  const nums = { implied: pct(scn.implied), crowd: pct(scn.crowd) };
  if (Math.abs(gap) < AGREE) return t('sp.agree', nums);
  const named = drivers(scn).slice(0, 2).map(driverPhrase);
  if (!named.length) return t(gap > 0 ? 'sp.upNoDriver' : 'sp.downNoDriver', nums);
  return t(gap > 0 ? 'sp.up' : 'sp.down', { ...nums, list: joinList(named) });
}

/** The option with the highest value of key ('crowd' or 'implied'), or null. */
export function favourite(board, key) {
  let best = null;
  (board.scenarios || []).forEach((scn) => {
    if (typeof scn[key] === 'number' && (!best || scn[key] > best[key])) best = scn;
  });
  return best;
}

/** One line for the top of the board and the home card: who leads, and whether signposts agree. */
export function headline(board) {
  const crowd = favourite(board, 'crowd');
  const implied = favourite(board, 'implied');
  if (!implied) return t('sp.noData');
  const impliedPart = { label: text(implied.label), p: pct(implied.implied) };
  if (!crowd) return t('sp.headNoCrowd', impliedPart);
  const crowdPart = { clabel: text(crowd.label), cp: pct(crowd.crowd) };
  if (crowd.option === implied.option) return t('sp.headSame', { ...crowdPart, ...impliedPart });
  return t('sp.headDiffer', { ...crowdPart, ...impliedPart });
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
