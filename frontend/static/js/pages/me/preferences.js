// The preferences card of "My profile": which notifications I get, how
// old a forecast may grow before it counts as stale, and the language and
// rhythm of e-mail. The address itself is shown, not edited, here.

import { h, mount } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { get, patch } from '../../lib/api.js';
import { field, formSlots, showError, showOk, submitForm as submit } from '../../lib/forms.js';

const FLAGS = ['resolved', 'closing', 'stale', 'tripwire', 'replies'];

export function preferencesSection() {
  const box = h('section', { class: 'card', id: 'preferences' }, h('h2', null, t('pref.title')), h('p', { class: 'muted' }, t('common.loading')));
  get('/me/preferences').then((p) => {
    mount(box, h('h2', null, t('pref.title')), form(p));
  }).catch(() => mount(box, h('h2', null, t('pref.title')), h('p', { class: 'muted' }, t('common.error'))));
  return box;
}

function form(p) {
  const email = p.email
    ? h('p', { id: 'pref-email' }, `${t('pref.email')}${t('common.colon')}`, h('strong', null, p.email), ' ',
      h('span', { class: 'muted small' }, p.email_verified ? t('pref.verified') : t('pref.unverified')))
    : h('p', { class: 'muted', id: 'pref-email' }, t('pref.noEmail'));
  const f = h('form', { class: 'stack-form', id: 'preferences-form', novalidate: true }, formSlots(),
    email,
    h('fieldset', { class: 'pref-flags', dataset: { field: 'notify' } },
      h('legend', null, t('pref.notifyLegend')),
      FLAGS.map((k) => h('div', { class: 'field inline', dataset: { field: `notify.${k}` } },
        h('input', { type: 'checkbox', id: `pref-${k}`, name: `notify.${k}`, checked: !!p.notify[k] }),
        h('label', { for: `pref-${k}` }, t(`pref.notify.${k}`))))),
    field({ label: t('pref.staleDays'), name: 'stale_days', type: 'number', min: 0, max: 365, step: 1, inputmode: 'numeric',
      value: String(p.stale_days), hint: t('pref.staleDaysHint') }),
    field({ label: t('pref.digest'), name: 'digest', tag: 'select',
      children: ['off', 'daily', 'weekly'].map((d) => h('option', { value: d, selected: d === p.digest }, t(`pref.digest.${d}`))) }),
    field({ label: t('pref.language'), name: 'language', tag: 'select',
      children: [['en', 'English'], ['zh', '中文']].map(([v, name]) => h('option', { value: v, selected: v === p.language, lang: v }, name)) }),
    h('button', { type: 'submit', class: 'primary' }, t('common.save')));
  submit(f, async () => {
    const raw = f.elements.stale_days.value.trim();
    const days = Number(raw);
    if (raw === '' || !Number.isInteger(days) || days < 0 || days > 365) {
      showError(f, 'stale_days', t('err.field.stale_days'));
      return;
    }
    const notify = {};
    for (const k of FLAGS) notify[k] = f.elements[`notify.${k}`].checked;
    await patch('/me/preferences', { stale_days: days, digest: f.elements.digest.value, language: f.elements.language.value, notify });
    showOk(f, t('pref.saved'));
  });
  return f;
}
