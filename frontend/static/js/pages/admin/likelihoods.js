// Admin: an indicator's likelihood table, P(trigger | S_k) for each scenario
// k of its scenario question: "if this future is unfolding, how likely is
// this signpost?". Shows the table the board uses now and its source (an
// admin's, derived from the links' strengths, or from the crowd's
// conditional forecasts), lets an admin enter one (PUT) and return to the
// derived table (DELETE).

import { h, mount } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { get, request, clearCache, ApiError } from '../../lib/api.js';
import { optionLabel } from '../../lib/format.js';
import { apiMessage, errorDetail } from '../../lib/page.js';
import { field, formSlots, clearErrors, showError, showApiError, showOk, busy } from '../../lib/forms.js';
import { tableRow } from '../../lib/signposts.js';

// The bounds the API accepts for each entry: no single signpost may rule a
// scenario out.
const MIN = 0.01;
const MAX = 0.99;

/** The table the board uses for indicator q, or null when it bears on no scenario (404). */
async function fetchTable(q) {
  try {
    return await get(`/questions/${q.id}/likelihoods`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/**
 * The input an API error belongs to. The API names a wrong entry
 * "probabilities[2]" (or "probabilities.2"), or names "probabilities" and
 * says which entry in its message; the form's inputs are named
 * "probabilities[2]". A wrong count stays with the whole row.
 */
function formField(err) {
  const name = err.field || '';
  const m = /^probabilities\D+(\d+)/.exec(name) || (name === 'probabilities' ? /^probabilities\[(\d+)\]/.exec(err.message || '') : null);
  return m ? `probabilities[${m[1]}]` : name;
}

/**
 * Shows an API error at its input. A wrong entry gets this editor's own
 * words (the generic ones speak of forecasts summing to 100 %), with the
 * server's text folded beneath.
 */
function showTableError(form, err) {
  const name = formField(err);
  if (!name.startsWith('probabilities')) {
    showApiError(form, Object.assign(err, { field: name }));
    return;
  }
  showError(form, name, t(name === 'probabilities' ? 'lik.badCount' : 'lik.badEntry', { min: String(MIN), max: String(MAX) }));
  const slot = form.querySelector(`[data-field="${name}"] .field-error`);
  const detail = errorDetail(err);
  if (slot && detail) slot.appendChild(detail);
}

/**
 * likelihoodEditor(q, scenarios, triggers, links) is the editor for
 * indicator q. scenarios: the tournament's scenario questions; triggers:
 * [value, label] pairs for q's kind, as the link form offers them; links:
 * q's links, whose first one suggests the trigger while q has no table.
 */
export function likelihoodEditor(q, scenarios, triggers, links = []) {
  const box = h('section', { class: 'lik-editor', id: 'likelihoods', 'aria-labelledby': 'lik-h' },
    h('h3', { id: 'lik-h' }, t('lik.title')),
    h('p', { class: 'muted small' }, t('lik.explain')));
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted small' }, t('common.loading')));
  box.appendChild(body);
  const load = async () => {
    try {
      const table = await fetchTable(q);
      mount(body, editorBody(q, table, scenarios, triggers, links, load));
    } catch (err) {
      mount(body, h('p', { class: 'notice error' }, apiMessage(err)));
    }
  };
  load();
  return box;
}

function scenarioLabels(sq) {
  return (sq.options || []).map((_, k) => optionLabel(sq, k));
}

function editorBody(q, table, scenarios, triggers, links, reload) {
  const current = table
    ? h('p', { class: 'lik-current', id: 'lik-current', dataset: { source: table.source } },
      t('lik.current', { trigger: triggerLabel(q, triggers, table.trigger) }), ' ',
      tableRow(table, scenarioLabels(scenarios.find((x) => x.id === table.scenario_question_id) || { options: [] })))
    : h('p', { class: 'muted lik-current', id: 'lik-current' }, t('lik.none'));
  // Without a table, start from the first link's scenario question and trigger.
  const start = table || (links[0] ? { scenario_question_id: links[0].scenario_question_id, trigger: links[0].trigger, probabilities: [] } : null);
  const form = tableForm(q, start, scenarios, triggers, reload);
  return h('div', null, current, form);
}

function triggerLabel(q, triggers, value) {
  const found = triggers.find(([v]) => v === String(value));
  if (found) return found[1];
  // A crowd table's trigger is its conditional pair's threshold, ">=k".
  const atLeast = /^>=(\d+)$/.exec(String(value));
  return atLeast ? t('links.trigAtLeast', { label: optionLabel(q, Number(atLeast[1])) }) : String(value);
}

function tableForm(q, table, scenarios, triggers, reload) {
  const sqPick = field({
    label: t('lik.scenarioQuestion'), name: 'scenario_question_id', tag: 'select',
    children: scenarios.map((sq) => h('option', { value: sq.id, selected: table && table.scenario_question_id === sq.id }, loc(sq.title))),
  });
  const trigPick = field({
    label: t('links.trigger'), name: 'trigger', tag: 'select',
    children: triggers.map(([v, label]) => h('option', { value: v, selected: table && String(table.trigger) === v }, label)),
  });
  const inputs = h('div', { class: 'lik-inputs' });
  const group = h('div', { class: 'field', dataset: { field: 'probabilities' } },
    h('p', { class: 'field-error', 'aria-live': 'polite' }),
    h('p', { class: 'lik-label' }, t('sp.tableLabel')), inputs);
  const chosen = () => scenarios.find((sq) => String(sq.id) === sqPick.querySelector('select').value) || scenarios[0];
  const fillInputs = () => {
    const sq = chosen();
    const given = table && table.scenario_question_id === sq.id ? table.probabilities : [];
    mount(inputs, scenarioLabels(sq).map((label, k) => field({
      label: `S${k + 1} · ${label}`, name: `probabilities[${k}]`, type: 'number',
      step: '0.01', min: String(MIN), max: String(MAX), inputmode: 'decimal',
      value: typeof given[k] === 'number' ? String(Math.round(given[k] * 100) / 100) : '',
    })));
  };
  sqPick.querySelector('select').addEventListener('change', fillInputs);
  fillInputs();
  const derived = h('button', { type: 'button', id: 'lik-derived', disabled: !(table && table.source === 'admin') }, t('lik.derived'));
  const form = h('form', { class: 'stack-form', id: 'lik-form', novalidate: true }, formSlots(),
    h('div', { class: 'two-col' }, sqPick, trigPick),
    h('p', { class: 'hint' }, t('lik.hint', { min: String(MIN), max: String(MAX) })),
    group,
    h('div', { class: 'lik-actions' }, h('button', { type: 'submit', class: 'primary' }, t('lik.save')), derived));
  const send = (method, body) => busy(form, async () => {
    try {
      await request(method, `/questions/${q.id}/likelihoods`, body);
      clearCache();
      await reload();
      const again = document.getElementById('lik-form');
      if (again) showOk(again, t(method === 'PUT' ? 'lik.saved' : 'lik.reverted'));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showTableError(form, err);
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const values = [...inputs.querySelectorAll('input')].map((i) => (i.value.trim() === '' ? null : Number(i.value)));
    send('PUT', { scenario_question_id: chosen().id, trigger: form.elements.trigger.value, probabilities: values });
  });
  derived.addEventListener('click', () => {
    clearErrors(form);
    send('DELETE');
  });
  return form;
}
