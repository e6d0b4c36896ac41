// On an indicator question's page: which scenarios its answer makes more or
// less likely, read from its links, and the likelihood table the board
// reads it through (with its source), so that an admin's edit shows here at
// once.

import { h } from '../lib/dom.js';
import { t, lang } from '../lib/i18n.js';
import { get, cachedGet } from '../lib/api.js';
import { optionLabel } from '../lib/format.js';
import { strengthLabel, tableRow } from '../lib/signposts.js';

function triggerText(q, trig) {
  if (trig === 'yes') return t('q.sigTrigger.yes');
  if (trig === 'higher') return t('q.sigTrigger.higher_bucket');
  if (trig === 'lower') return t('q.sigTrigger.lower_bucket');
  // A conditional pair's threshold: that bucket or a higher one.
  const atLeast = /^>=(\d+)$/.exec(String(trig));
  if (atLeast) return t('links.trigAtLeast', { label: optionLabel(q, Number(atLeast[1])) });
  return t('links.trigBucket', { label: optionLabel(q, Number(trig)) });
}

/** The card, or null when the question has no links (a scenario question, or none set). */
export async function indicatorLinksCard(q) {
  let links;
  try {
    links = (await get(`/questions/${q.id}/links`)).links || [];
  } catch (_) {
    return null;
  }
  if (!links.length) return null;
  let scenarios = [];
  if (typeof q.tournament === 'string') {
    try {
      scenarios = (await cachedGet(`/tournaments/${encodeURIComponent(q.tournament)}`)).questions || [];
    } catch (_) { /* numbered options still make sense */ }
  }
  const name = (l) => {
    const sq = scenarios.find((x) => x.id === l.scenario_question_id);
    return `${sq ? optionLabel(sq, l.option) : `#${l.option + 1}`} (${strengthLabel(l.strength)})`;
  };
  // One sentence per trigger and direction, in a stable order.
  const groups = new Map();
  links.forEach((l) => {
    const key = `${l.trigger}|${l.direction > 0 ? 'raises' : 'lowers'}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(l);
  });
  const sep = lang() === 'zh' ? '、' : ', ';
  const table = await get(`/questions/${q.id}/likelihoods`).catch(() => null); // 404: it bears on no scenario
  const tableSq = table ? scenarios.find((x) => x.id === table.scenario_question_id) : null;
  return h('section', { class: 'card', id: 'indicator-links' },
    h('h2', null, t('q.signals')),
    [...groups.entries()].map(([key, ls]) => {
      const [trig, dir] = key.split('|');
      return h('p', null, t(dir === 'raises' ? 'q.sigRaises' : 'q.sigLowers', { trigger: triggerText(q, trig), list: ls.map(name).join(sep) }));
    }),
    table ? h('p', { class: 'small', id: 'indicator-table' }, t('q.sigTable', { trigger: triggerText(q, table.trigger) }), ' ',
      tableRow(table, tableSq ? (tableSq.options || []).map((_, k) => optionLabel(tableSq, k)) : [])) : null,
    h('p', { class: 'small' }, h('a', { href: '#/signposts' }, t('sp.open'))));
}
