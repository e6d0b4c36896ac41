// Admin: a tournament's tripwires, listed with their state, set (a name,
// what it watches, the threshold, an owner and an action, in both
// languages) and removed through the tripwires API.

import { h, mount } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { post, request, ApiError } from '../../lib/api.js';
import { optionLabel, optionCount } from '../../lib/format.js';
import { field, formSlots, clearErrors, showError, showApiError, showOk, busy, bilingual } from '../../lib/forms.js';
import { fetchTripwires, wireThreshold, wireOwner } from '../../parts/tripwires.js';

const KINDS = ['crowd', 'implied', 'evidence', 'feed'];

/** The admin card for tripwires; tour is the tournament with its questions. */
export function tripwiresSection(tour) {
  const base = `/tournaments/${encodeURIComponent(tour.slug)}/tripwires`;
  const qs = tour.questions || [];
  const list = h('div', { id: 'tripwire-list', 'aria-live': 'polite' });
  const refresh = async () => drawList(list, await fetchTripwires(tour.slug), qs, base, refresh);
  const form = h('form', { class: 'stack-form', id: 'tripwire-create', novalidate: true },
    formSlots(),
    field({ label: t('tw.nameEn'), name: 'name.en', lang: 'en' }),
    field({ label: t('tw.nameZh'), name: 'name.zh', lang: 'zh' }),
    field({ label: t('tw.kind'), name: 'kind', tag: 'select', hint: t('tw.kindHint'),
      children: KINDS.map((k) => h('option', { value: k }, t(`tw.kind.${k}`))) }),
    field({ label: t('tw.question'), name: 'question_id', tag: 'select',
      children: qs.map((q) => h('option', { value: q.id }, `#${q.id} ${loc(q.title)}`)) }),
    field({ label: t('tw.option'), name: 'option', tag: 'select' }),
    field({ label: t('tw.op'), name: 'op', tag: 'select',
      children: [h('option', { value: '>=' }, t('tw.op.ge')), h('option', { value: '<=' }, t('tw.op.le'))] }),
    field({ label: t('tw.value'), name: 'value', type: 'number', step: 'any', required: true, hint: t('tw.valueHint') }),
    field({ label: t('tw.owner'), name: 'owner', autocomplete: 'off', spellcheck: 'false', required: true }),
    field({ label: t('tw.actionEn'), name: 'action.en', tag: 'textarea', rows: 2, lang: 'en' }),
    field({ label: t('tw.actionZh'), name: 'action.zh', tag: 'textarea', rows: 2, lang: 'zh' }),
    h('button', { type: 'submit', class: 'primary' }, t('tw.add')));
  const fillOptions = () => {
    const q = qs.find((x) => String(x.id) === form.elements.question_id.value);
    const feed = form.elements.kind.value === 'feed';
    const opts = q && !feed ? [...Array(optionCount(q)).keys()].map((i) => h('option', { value: i }, optionLabel(q, i))) : [];
    mount(form.elements.option, feed ? h('option', { value: '' }, t('tw.noOption')) : opts);
    form.elements.option.disabled = feed;
  };
  form.elements.question_id.addEventListener('change', fillOptions);
  form.elements.kind.addEventListener('change', fillOptions);
  fillOptions();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const value = form.elements.value.value.trim();
    if (value === '' || !Number.isFinite(Number(value))) { showError(form, 'value', t('common.required')); return; }
    const owner = form.elements.owner.value.trim();
    if (!owner) { showError(form, 'owner', t('common.required')); return; }
    const body = { name: bilingual(form, 'name'), kind: form.elements.kind.value, question_id: Number(form.elements.question_id.value),
      op: form.elements.op.value, value: Number(value), owner, action: bilingual(form, 'action') };
    if (body.kind !== 'feed' && form.elements.option.value !== '') body.option = Number(form.elements.option.value);
    await busy(form, async () => {
      try {
        await post(base, body);
        form.reset();
        fillOptions();
        showOk(form, t('tw.added'));
        await refresh();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
  refresh().catch(() => mount(list, h('p', { class: 'muted' }, t('common.error'))));
  return h('section', { class: 'card', id: 'tripwires-admin' },
    h('h2', null, t('tw.title')),
    h('p', { class: 'muted small' }, t('tw.adminExplain')),
    list, form);
}

function drawList(box, wires, qs, base, refresh) {
  if (!wires.length) {
    mount(box, h('p', { class: 'muted' }, t('tw.none')));
    return;
  }
  mount(box, h('ul', { class: 'webhooks' }, wires.map((w) => h('li', { dataset: { tripwire: w.id } },
    h('p', null, h('span', { class: `badge tw-state ${w.state}` }, t(`tw.state.${w.state}`)), ' ', h('strong', null, loc(w.name))),
    h('p', { class: 'muted small' }, wireThreshold(w, qs), ' · ', wireOwner(w)),
    h('p', null, h('button', { type: 'button', class: 'secondary', on: { click: async () => {
      await request('DELETE', `${base}/${w.id}`);
      await refresh();
    } } }, t('tw.delete')))))));
}
