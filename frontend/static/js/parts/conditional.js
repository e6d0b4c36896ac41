// Conditional pairs: on an indicator's page and on each branch's page, the
// "if Yes" and "if No" branches of the scenario question side by side in
// one form, beside the forecaster's own scenario and indicator forecasts
// for reference; on an indicator's page an admin creates a pair.

import { h, nextId } from '../lib/dom.js';
import { t, loc } from '../lib/i18n.js';
import { get, post, cachedGet, getSession, ApiError } from '../lib/api.js';
import { pct, optionLabel, optionCount, stateBadge } from '../lib/format.js';
import { formSlots, clearErrors, showError, showApiError, busy } from '../lib/forms.js';

/** The card, or null when the page has no pairs and the reader cannot add one. */
export async function conditionalCard(q, ctx) {
  if (!q.condition && q.kind === 'multiple_choice') return null;
  const indicatorId = q.condition ? q.condition.question_id : q.id;
  let pairs;
  try {
    pairs = (await get(`/questions/${indicatorId}/conditionals`)).pairs || [];
  } catch (_) {
    return null;
  }
  if (q.condition) pairs = pairs.filter((p) => p.if_yes.id === q.id || p.if_no.id === q.id);
  const sess = getSession();
  const admin = !!(sess && sess.user && sess.user.role === 'admin');
  const open = !q.condition && q.state === 'open';
  if (!pairs.length && !(admin && open)) return null;
  const indicator = q.condition ? await get(`/questions/${indicatorId}`) : q;
  const box = h('section', { class: 'card conditional', id: 'conditional' },
    h('h2', null, t('cond.title')),
    h('p', { class: 'muted small' }, t('cond.intro')));
  for (const p of pairs) box.appendChild(await pairForm(p, indicator, ctx));
  if (admin && open) box.appendChild(await createForm(indicator, pairs, ctx));
  return box;
}

/** The two column headings of a pair: its conditions. */
function conditionLabels(indicator, threshold) {
  if (threshold) {
    const label = optionLabel(indicator, threshold);
    return [t('cond.ifAtLeast', { label }), t('cond.ifBelow', { label })];
  }
  return [t('cond.ifYes'), t('cond.ifNo')];
}

/** P(condition) under a forecast of the indicator. */
function conditionProb(probs, threshold) {
  if (!threshold) return probs[0];
  return probs.slice(threshold).reduce((a, b) => a + b, 0);
}

function totalProbability(q, yes, no) {
  return yes.map((y, i) => q * y + (1 - q) * no[i]);
}

async function pairForm(p, indicator, ctx) {
  const sess = getSession();
  const scenario = await get(`/questions/${p.scenario_question_id}`).catch(() => null);
  const [yesLabel, noLabel] = conditionLabels(indicator, p.threshold);
  const myScenario = scenario && scenario.my_forecast ? scenario.my_forecast.probabilities : null;
  const myIndicator = indicator.my_forecast ? indicator.my_forecast.probabilities : null;
  const branches = [p.if_yes, p.if_no];
  const n = optionCount(p.if_yes);
  // On a phone one branch shows at a time (data-branch), chosen with a
  // switch, so that every input keeps its scenario's name beside it.
  const form = h('form', { novalidate: true, class: 'stack-form cond-pair', dataset: { scenario: p.scenario_question_id, branch: '0' } }, formSlots());
  form.appendChild(h('p', null, h('a', { href: `#/q/${p.scenario_question_id}` }, scenario ? loc(scenario.title) : `#${p.scenario_question_id}`)));
  if (sess) {
    form.appendChild(h('p', { class: 'muted small cond-ref' }, myIndicator
      ? t('cond.myIndicator', { cond: yesLabel, p: pct(conditionProb(myIndicator, p.threshold)) })
      : t('cond.noIndicator')));
  }
  const canEdit = sess && branches.some((b) => b.state === 'open');
  // The law of total probability from the reader's own forecasts, beside
  // their direct scenario forecast: a gap is worth a second look.
  const total = myIndicator && p.if_yes.my_forecast && p.if_no.my_forecast
    ? totalProbability(conditionProb(myIndicator, p.threshold), p.if_yes.my_forecast.probabilities, p.if_no.my_forecast.probabilities)
    : null;
  const inputs = branches.map(() => []);
  const head = h('tr', null,
    h('th', { scope: 'col' }, t('cond.scenario')),
    sess ? h('th', { scope: 'col', class: 'ref' }, t('cond.myScenario')) : null,
    total ? h('th', { scope: 'col', class: 'ref', title: t('cond.totalTitle') }, t('cond.total')) : null,
    branches.map((b, j) => h('th', { scope: 'col', class: `branch b-${j ? 'no' : 'yes'} br-${j}` },
      h('a', { href: `#/q/${b.id}` }, j ? noLabel : yesLabel), ' ', b.state === 'open' ? null : stateBadge(b.state))));
  const rows = [];
  for (let i = 0; i < n; i += 1) {
    rows.push(h('tr', null,
      h('th', { scope: 'row' }, h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }), optionLabel(p.if_yes, i)),
      sess ? h('td', { class: 'ref num' }, myScenario ? pct(myScenario[i]) : '–') : null,
      total ? h('td', { class: 'ref num tp' }, pct(total[i])) : null,
      branches.map((b, j) => {
        const crowd = b.crowd ? h('span', { class: 'muted small cond-crowd' }, t('cond.crowd', { p: pct(b.crowd.probabilities[i]) })) : null;
        if (!canEdit || b.state !== 'open') {
          const mine = b.my_forecast ? pct(b.my_forecast.probabilities[i]) : '–';
          return h('td', { class: `num br-${j}` }, mine, ' ', crowd);
        }
        const id = nextId(`c${j}p${i}`);
        const input = h('input', {
          id, type: 'number', min: 0, max: 100, step: 'any', inputmode: 'decimal', placeholder: '0', class: 'pct-input',
          name: `b${j}p${i}`, 'aria-label': `${j ? noLabel : yesLabel}: ${optionLabel(p.if_yes, i)}`,
          value: b.my_forecast ? String(Math.round(b.my_forecast.probabilities[i] * 1000) / 10) : '',
        });
        inputs[j].push(input);
        return h('td', { class: `br-${j}` }, h('span', { class: 'pct-wrap' }, input, h('span', { 'aria-hidden': 'true' }, '%')), ' ', crowd);
      })));
  }
  const labels = [yesLabel, noLabel];
  const switches = labels.map((label, j) => h('button', {
    type: 'button', class: 'cond-branch', 'aria-pressed': j ? 'false' : 'true', dataset: { branch: String(j) },
    on: { click: () => showBranch(j) },
  }, label));
  const showBranch = (j) => {
    form.dataset.branch = String(j);
    switches.forEach((btn, k) => btn.setAttribute('aria-pressed', String(k === j)));
  };
  form.appendChild(h('div', { class: 'cond-switch', role: 'group', 'aria-label': t('cond.branchSwitch') }, switches));
  form.appendChild(h('div', { class: 'field cond-table-wrap', dataset: { field: 'probabilities' } },
    h('table', { class: 'cond-table' }, h('thead', null, head), h('tbody', null, rows)),
    h('p', { class: 'field-error', 'aria-live': 'polite' })));
  if (!sess) {
    form.appendChild(h('p', null, h('a', { class: 'button', href: '#/login' }, t('q.signin'))));
    return form;
  }
  if (!canEdit) return form;
  form.appendChild(h('button', { type: 'submit', class: 'primary cond-submit' }, t('cond.save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const sent = [];
    for (let j = 0; j < branches.length; j += 1) {
      if (!inputs[j].length) continue;
      const v = inputs[j].map((inp) => (inp.value.trim() === '' ? 0 : parseFloat(inp.value)));
      const s = v.reduce((a, b) => a + b, 0);
      if (v.some((x) => Number.isNaN(x) || x < 0 || x > 100) || Math.abs(s - 100) >= 1e-4) {
        showError(form, 'probabilities', t('cond.sumErr', { cond: j ? noLabel : yesLabel, total: Number.isNaN(s) ? '?' : String(Math.round(s * 1000) / 1000) }));
        showBranch(j); // on a phone, the branch at fault comes into view
        return;
      }
      sent.push([branches[j].id, v.map((x) => x / 100)]);
    }
    await busy(form, async () => {
      try {
        for (const [id, probabilities] of sent) await post(`/questions/${id}/forecasts`, { probabilities });
        ctx.notice(t('cond.saved'));
        ctx.rerender({ focus: '#conditional h2' });
      } catch (err) {
        if (err instanceof ApiError) showApiError(form, err);
        else throw err;
      }
    });
  });
  return form;
}

/** The admin's form: a scenario question and, for an ordered indicator, the bucket from which it counts as Yes. */
async function createForm(indicator, pairs, ctx) {
  let scenarios = [];
  try {
    const tour = await cachedGet(`/tournaments/${encodeURIComponent(indicator.tournament)}`);
    scenarios = (tour.questions || []).filter((x) => x.kind === 'multiple_choice' && !x.condition && x.state === 'open');
  } catch (_) { /* the form says there is none */ }
  const form = h('form', { novalidate: true, class: 'stack-form cond-create' }, formSlots());
  form.appendChild(h('h3', null, t('cond.create')));
  if (!scenarios.length) {
    form.appendChild(h('p', { class: 'muted' }, t('cond.noScenario')));
    return form;
  }
  const sid = nextId('cscen');
  form.appendChild(h('div', { class: 'field', dataset: { field: 'scenario_question_id' } },
    h('label', { for: sid }, t('cond.scenario')),
    h('select', { id: sid, name: 'scenario' }, scenarios.map((s) => h('option', { value: String(s.id) }, loc(s.title)))),
    h('p', { class: 'field-error', 'aria-live': 'polite' })));
  if (indicator.kind === 'ordered') {
    const tid = nextId('cthr');
    const opts = [];
    for (let k = 1; k < optionCount(indicator); k += 1) opts.push(h('option', { value: String(k) }, t('cond.ifAtLeast', { label: optionLabel(indicator, k) })));
    form.appendChild(h('div', { class: 'field', dataset: { field: 'threshold' } },
      h('label', { for: tid }, t('cond.threshold')),
      h('select', { id: tid, name: 'threshold' }, opts),
      h('p', { class: 'field-error', 'aria-live': 'polite' })));
  }
  if (pairs.length) form.appendChild(h('p', { class: 'muted small' }, t('cond.existing', { n: pairs.length })));
  form.appendChild(h('button', { type: 'submit', class: 'secondary', id: 'create-pair' }, t('cond.createBtn')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { scenario_question_id: Number(form.elements.scenario.value) };
    if (form.elements.threshold) body.threshold = Number(form.elements.threshold.value);
    await busy(form, async () => {
      try {
        await post(`/questions/${indicator.id}/conditionals`, body);
        ctx.notice(t('cond.created'));
        ctx.rerender();
      } catch (err) {
        if (err instanceof ApiError) showApiError(form, err);
        else throw err;
      }
    });
  });
  return form;
}
