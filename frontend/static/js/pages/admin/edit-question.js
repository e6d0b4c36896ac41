// Editing a question. Wording may change at any time; sources and the
// close date only while nobody has forecast (the server refuses after).

import { h, mount } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { patch, clearCache } from '../../lib/api.js';
import { field, formSlots, showError, submitForm, utcInput } from '../../lib/forms.js';
import { utcLocalValue } from '../../parts/admin-words.js';

export function editSection(tour, ctx) {
  const qs = tour.questions || [];
  const fields = h('div', { class: 'stack-form' });
  const sel = field({ label: t('admin.question'), name: 'question', tag: 'select', children: qs.map((q) => h('option', { value: q.id }, `#${q.id} ${loc(q.title)}`)) });
  const form = h('form', { class: 'stack-form', id: 'edit-form', novalidate: true }, formSlots(), sel, fields,
    h('button', { type: 'submit', class: 'primary' }, t('edit.save')));
  const chosen = () => qs.find((q) => String(q.id) === form.elements.question.value);
  const fill = () => {
    const q = chosen();
    if (!q) return;
    const locked = q.forecasters > 0; // the crowd may be withheld; the count is not
    mount(fields,
      h('p', { class: 'hint' }, locked ? t('edit.locked') : t('edit.open')),
      h('div', { class: 'two-col' },
        field({ label: t('admin.titleEn'), name: 'title.en', lang: 'en', value: (q.title || {}).en || '' }),
        field({ label: t('admin.titleZh'), name: 'title.zh', lang: 'zh-CN', value: (q.title || {}).zh || '' })),
      h('div', { class: 'two-col' },
        field({ label: t('admin.criteriaEn'), name: 'criteria.en', tag: 'textarea', rows: 4, lang: 'en', value: (q.criteria || {}).en || '' }),
        field({ label: t('admin.criteriaZh'), name: 'criteria.zh', tag: 'textarea', rows: 4, lang: 'zh-CN', value: (q.criteria || {}).zh || '' })),
      field({ label: t('admin.sources'), name: 'resolution_source', tag: 'textarea', rows: 2, disabled: locked,
        value: (q.resolution_source || []).map((x) => (typeof x === 'string' ? x : loc(x))).join('\n') }),
      field({ label: t('admin.closesAt'), name: 'closes_at', type: 'datetime-local', disabled: locked, value: utcLocalValue(q.closes_at) }));
  };
  form.elements.question.addEventListener('change', fill);
  fill();
  submitForm(form, async () => {
    const q = chosen();
    const text = (base) => {
      const o = {};
      ['en', 'zh'].forEach((l) => { const v = form.elements[`${base}.${l}`].value.trim(); if (v) o[l] = v; });
      return o;
    };
    const body = { title: text('title'), criteria: text('criteria') };
    if (!body.title.en && !body.title.zh) { showError(form, 'title', t('common.required')); return; }
    const src = form.elements.resolution_source;
    const closes = form.elements.closes_at;
    if (!src.disabled) body.resolution_source = src.value.split('\n').map((x) => x.trim()).filter(Boolean);
    if (!closes.disabled && closes.value !== utcLocalValue(q.closes_at)) body.closes_at = utcInput(closes.value);
    await patch(`/questions/${q.id}`, body);
    clearCache();
    ctx.notice(t('edit.saved', { id: q.id }));
    ctx.rerender();
  });
  return h('section', { class: 'card' }, h('h2', null, t('edit.heading')), form);
}
