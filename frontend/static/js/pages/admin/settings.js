// Admin: a tournament's settings. Conditional branches always have their
// own leaderboard; a tournament may count them on the main one too.

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { patch, clearCache } from '../../lib/api.js';
import { formSlots, showOk, submitForm } from '../../lib/forms.js';

export function settingsSection(tour) {
  const box = h('input', { type: 'checkbox', name: 'conditionals_on_main', id: 'conditionals-on-main',
    checked: !!tour.conditionals_on_main });
  const form = h('form', { class: 'stack-form', id: 'tournament-settings', novalidate: true }, formSlots(),
    h('div', { class: 'field', dataset: { field: 'conditionals_on_main' } },
      h('label', { class: 'check' }, box, ` ${t('cond.onMain')}`),
      h('p', { class: 'hint' }, t('cond.onMainHint')),
      h('p', { class: 'field-error', 'aria-live': 'polite' })),
    h('button', { type: 'submit', class: 'primary' }, t('cond.saveSettings')));
  submitForm(form, async () => {
    const res = await patch(`/tournaments/${encodeURIComponent(tour.slug)}`, { conditionals_on_main: box.checked });
    clearCache();
    tour.conditionals_on_main = res.conditionals_on_main;
    showOk(form, t(res.conditionals_on_main ? 'cond.onMainSaved' : 'cond.offMainSaved'));
  });
  return h('section', { class: 'card' }, h('h2', null, t('cond.settings')), form);
}
