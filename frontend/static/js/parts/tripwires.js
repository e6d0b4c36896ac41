// Tripwires as the signpost board and the question page show them: each
// named threshold with its state (armed or fired), what it watches, its
// owner and the action committed to, and when and at what value it last
// fired.

import { h } from '../lib/dom.js';
import { t, loc } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { pct, optionLabel, fmtDateTime } from '../lib/format.js';

/** The tournament's tripwires, or [] when they cannot be read. */
export async function fetchTripwires(slug) {
  try {
    const res = await get(`/tournaments/${encodeURIComponent(slug)}/tripwires`);
    return res.tripwires || [];
  } catch (_) {
    return [];
  }
}

/** A value as the tripwire reads it: a probability in per cent, a feed's value as it is. */
export function wireValue(w, v) {
  if (typeof v !== 'number') return '—';
  return w.kind === 'feed' ? String(v) : pct(v);
}

/** "Owner @olive: the action" in the page's language. */
export function wireOwner(w) {
  return t('tw.ownerAction', { owner: `@${w.owner}`, action: loc(w.action) });
}

/** "Crowd: Yes ≥ 70%" — what the tripwire watches and its threshold. */
export function wireThreshold(w, questions) {
  const q = (questions || []).find((x) => x.id === w.question_id);
  const op = w.op === '<=' ? '≤' : '≥';
  const params = { kind: t(`tw.kind.${w.kind}`), op, value: wireValue(w, w.value) };
  if (typeof w.option !== 'number') return t('tw.thresholdFeed', params);
  return t('tw.threshold', { ...params, option: q ? optionLabel(q, w.option) : String(w.option + 1) });
}

function wireItem(w, questions, showQuestion) {
  const q = (questions || []).find((x) => x.id === w.question_id);
  const fired = w.state === 'fired';
  return h('li', { class: `tw tw-${w.state}`, dataset: { tripwire: w.id, state: w.state } },
    h('p', { class: 'tw-head' },
      h('span', { class: `badge tw-state ${w.state}` }, t(`tw.state.${w.state}`)), ' ',
      h('strong', { class: 'tw-name' }, loc(w.name))),
    h('p', { class: 'tw-rule small' }, wireThreshold(w, questions),
      showQuestion && q ? [' · ', h('a', { href: `#/q/${q.id}` }, loc(q.title))] : null),
    h('p', { class: 'tw-action small' }, wireOwner(w)),
    w.fired_at ? h('p', { class: fired ? 'tw-fired small' : 'tw-fired small muted' },
      t(fired ? 'tw.firedAt' : 'tw.lastFired', { at: fmtDateTime(w.fired_at), value: wireValue(w, w.fired_value) })) : null);
}

/**
 * The card of tripwires: fired ones first. With showQuestion each names
 * the question it watches (the board shows every tripwire of the
 * tournament). Null when there are none.
 */
export function tripwiresCard(wires, questions, { showQuestion = false, cls = '' } = {}) {
  if (!wires.length) return null;
  const sorted = [...wires].sort((a, b) => (a.state === b.state ? a.id - b.id : a.state === 'fired' ? -1 : 1));
  return h('section', { class: `card tripwires ${cls}`.trim(), id: 'tripwires' },
    h('h2', null, t('tw.title')),
    h('p', { class: 'muted small' }, t('tw.explain')),
    h('ul', { class: 'tw-list' }, sorted.map((w) => wireItem(w, questions, showQuestion))));
}
