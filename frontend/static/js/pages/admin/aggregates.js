// Admin: which aggregate the tournament's crowd is, chosen by evidence:
// each aggregate's score to date with its interval, the recommendation
// (only when one beats the median by more than its interval) and the
// setting.

import { h, mount, nextId } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { patch, clearCache } from '../../lib/api.js';
import { formSlots, showOk, submitForm } from '../../lib/forms.js';
import { loadAggregates, aggregatesTable, aggregateName, recommendation } from '../../parts/aggregates-board.js';

const NAMES = ['median', 'mean_logodds', 'recency_median', 'skill_weighted', 'extremized'];

export function aggregatesSection(tour) {
  const board = h('div', { class: 'table-wrap', id: 'admin-aggregates' }, h('p', { class: 'muted' }, t('common.loading')));
  const advice = h('p', { class: 'notice info', id: 'aggregate-recommendation' });
  const refresh = async () => {
    const data = await loadAggregates(tour.slug);
    mount(board, aggregatesTable(data));
    mount(advice, recommendation(data.board));
  };
  const id = nextId('crowd-agg');
  const sel = h('select', { id, name: 'crowd_aggregate' },
    NAMES.map((n) => h('option', { value: n, selected: n === (tour.crowd_aggregate || 'median') }, aggregateName(n))));
  const form = h('form', { class: 'stack-form', id: 'crowd-aggregate-form', novalidate: true }, formSlots(),
    h('div', { class: 'field', dataset: { field: 'crowd_aggregate' } },
      h('label', { for: id }, t('agg.setting')), sel,
      h('p', { class: 'hint' }, t('agg.settingHint')),
      h('p', { class: 'field-error', 'aria-live': 'polite' })),
    h('button', { type: 'submit', class: 'primary' }, t('agg.save')));
  submitForm(form, async () => {
    const res = await patch(`/tournaments/${encodeURIComponent(tour.slug)}`, { crowd_aggregate: sel.value });
    clearCache();
    tour.crowd_aggregate = res.crowd_aggregate;
    showOk(form, t('agg.saved', { name: aggregateName(res.crowd_aggregate) }));
    await refresh();
  });
  refresh().catch(() => mount(board, h('p', { class: 'muted' }, t('common.error'))));
  return h('section', { class: 'card', id: 'aggregates' },
    h('h2', null, t('agg.adminTitle')),
    h('p', { class: 'muted small' }, t('agg.adminExplain')),
    advice, board, form);
}
