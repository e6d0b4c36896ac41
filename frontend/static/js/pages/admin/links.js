// Admin: the links from an indicator question to the scenarios it bears on
// (which answer triggers it, which way and how strongly), listed, added and
// deleted through the links API, and the indicator's likelihood table.

import { h, mount } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { get, post, request, clearCache, ApiError } from '../../lib/api.js';
import { optionLabel } from '../../lib/format.js';
import { apiMessage } from '../../lib/page.js';
import { field, formSlots, clearErrors, showApiError, showOk, busy } from '../../lib/forms.js';
import { strengthLabel } from '../../lib/signposts.js';
import { likelihoodEditor } from './likelihoods.js';

const STRENGTHS = ['weak', 'moderate', 'strong'];

/** Scenario questions: not binary and outside the indicator areas, as on the home page. */
function scenarioQuestions(qs) {
  return qs.filter((q) => !q.area && q.kind !== 'binary' && !q.condition);
}

/** The triggers an indicator of this kind can have: [value, label]. */
function triggers(q) {
  if (q.kind === 'binary') return [['yes', t('links.trigYes')]];
  const buckets = (q.options || []).map((o, i) => [String(i), t('links.trigBucket', { label: optionLabel(q, i) })]);
  if (q.kind === 'ordered') return [['higher', t('links.trigHigher')], ['lower', t('links.trigLower')], ...buckets];
  return buckets;
}

function triggerText(q, trig) {
  const found = triggers(q).find(([v]) => v === String(trig));
  return found ? found[1] : String(trig);
}

/** The admin card for links; tour is the tournament with its questions. */
export function linksSection(tour) {
  const qs = tour.questions || [];
  const scenarios = scenarioQuestions(qs);
  const indicators = qs.filter((q) => !scenarios.includes(q));
  const card = h('section', { class: 'card', id: 'links' }, h('h2', null, t('links.title')), h('p', { class: 'muted small' }, t('links.explain')));
  if (!scenarios.length || !indicators.length) {
    card.appendChild(h('p', { class: 'muted' }, t('links.noScenario')));
    return card;
  }
  const pick = field({
    label: t('links.indicator'), name: 'indicator', tag: 'select',
    children: indicators.map((q) => h('option', { value: q.id }, `#${q.id} ${loc(q.title)}`)),
  });
  const listBox = h('div', { class: 'links-list', 'aria-live': 'polite' });
  const tableBox = h('div', { class: 'lik-box' });
  const form = addForm(scenarios);
  const chosen = () => indicators.find((q) => String(q.id) === pick.querySelector('select').value);
  const reload = async () => {
    const q = chosen();
    fillTriggers(form, q);
    mount(listBox, h('p', { class: 'muted small' }, t('common.loading')));
    try {
      const res = await get(`/questions/${q.id}/links`);
      mount(listBox, linksTable(q, res.links || [], scenarios, reload));
      // Links change the derived table: the editor reloads with them.
      mount(tableBox, likelihoodEditor(q, scenarios, triggers(q), res.links || []));
    } catch (err) {
      mount(listBox, h('p', { class: 'notice error' }, apiMessage(err)));
    }
  };
  pick.querySelector('select').addEventListener('change', () => { clearErrors(form); reload(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const q = chosen();
    const [sq, opt] = form.elements.option.value.split(':').map(Number);
    const body = {
      scenario_question_id: sq, option: opt,
      trigger: form.elements.trigger.value, // "yes", "higher", "lower" or a bucket index as text
      direction: Number(form.elements.direction.value),
      strength: form.elements.strength.value,
    };
    await busy(form, async () => {
      try {
        await post(`/questions/${q.id}/links`, body);
        clearCache();
        showOk(form, t('links.added'));
        await reload();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err.field === 'scenario_question_id' ? Object.assign(err, { field: 'option' }) : err);
      }
    });
  });
  card.append(pick, listBox, h('h3', null, t('links.add')), form, tableBox);
  reload();
  return card;
}

function addForm(scenarios) {
  const options = scenarios.map((sq) => h('optgroup', { label: loc(sq.title) },
    (sq.options || []).map((o, i) => h('option', { value: `${sq.id}:${i}` }, optionLabel(sq, i)))));
  return h('form', { class: 'stack-form', id: 'link-form', novalidate: true }, formSlots(),
    h('div', { class: 'two-col' },
      field({ label: t('links.scenario'), name: 'option', tag: 'select', children: options }),
      field({ label: t('links.trigger'), name: 'trigger', tag: 'select' })),
    h('div', { class: 'two-col' },
      field({ label: t('links.direction'), name: 'direction', tag: 'select', children: [
        h('option', { value: '1' }, t('links.raises')),
        h('option', { value: '-1' }, t('links.lowers'))] }),
      field({ label: t('links.strength'), name: 'strength', tag: 'select', children: STRENGTHS.map((v) => h('option', { value: v, selected: v === 'moderate' }, strengthLabel(v))) })),
    h('button', { type: 'submit', class: 'primary' }, t('links.addButton')));
}

function fillTriggers(form, q) {
  mount(form.elements.trigger, triggers(q).map(([v, label]) => h('option', { value: v }, label)));
}

function linksTable(q, links, scenarios, reload) {
  if (!links.length) return h('p', { class: 'muted', id: 'links-empty' }, t('links.none'));
  const scenarioText = (l) => {
    const sq = scenarios.find((x) => x.id === l.scenario_question_id);
    return sq ? optionLabel(sq, l.option) : `#${l.scenario_question_id} / ${l.option + 1}`;
  };
  const status = h('p', { class: 'field-error', 'aria-live': 'polite' });
  const del = async (l, btn) => {
    status.textContent = '';
    btn.disabled = true;
    try {
      await request('DELETE', `/questions/${q.id}/links/${l.id}`);
      clearCache();
      await reload();
    } catch (err) {
      btn.disabled = false;
      status.textContent = apiMessage(err);
    }
  };
  return h('div', null, h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small', id: 'links-table' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('links.scenario')),
      h('th', { scope: 'col' }, t('links.trigger')),
      h('th', { scope: 'col' }, t('links.direction')),
      h('th', { scope: 'col' }, t('links.strength')),
      h('th', { scope: 'col', class: 'n' }, t('links.weight')),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('links.delete'))))),
    h('tbody', null, links.map((l) => {
      const btn = h('button', { type: 'button', class: 'linklike delete-link', 'aria-label': t('links.deleteOne', { s: scenarioText(l) }) }, t('links.delete'));
      btn.addEventListener('click', () => del(l, btn));
      return h('tr', { dataset: { link: l.id } },
        h('td', null, scenarioText(l)),
        h('td', null, triggerText(q, l.trigger)),
        h('td', null, l.direction > 0 ? t('links.raises') : t('links.lowers')),
        h('td', null, strengthLabel(l.strength)),
        h('td', { class: 'n' }, typeof l.weight === 'number' ? String(Math.round(l.weight * 100) / 100) : t('common.none')),
        h('td', null, btn));
    })))), status);
}
