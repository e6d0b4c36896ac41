// Question page: details, crowd chart, forecast form, history and, once resolved, scores.

import { h, nextId } from '../lib/dom.js';
import { t, loc, lang } from '../lib/i18n.js';
import { get, post, cachedGet, getSession, ApiError } from '../lib/api.js';
import { pct, num, fmtDate, fmtDateTime, optionLabel, optionCount, stateBadge, bar, timeEl, daysAgo, fmtUTC } from '../lib/format.js';
import { pageTitle } from '../lib/page.js';
import { formSlots, clearErrors, showError, showApiError, busy } from '../lib/forms.js';
import { commentsSection, publicForecastsSection, linkify, probsText, relativeWords } from '../parts/question-people.js';
import { reasonText } from '../parts/admin-words.js';
import { lineChart, legend, fitChart } from '../lib/charts.js';
import { fetchCoherence, coherenceNudge } from '../parts/coherence.js';
import { ledgerSection } from '../parts/ledger.js';
import { scoresTable } from '../parts/scores-table.js';
import { indicatorLinksCard } from '../parts/indicator-links.js';
import { conditionalCard } from '../parts/conditional.js';
import { proposalCard } from '../parts/proposal.js';
import { questionsBySlug, citeQuestions } from '../parts/question-refs.js';
import { fetchTripwires, tripwiresCard } from '../parts/tripwires.js';

export async function render(params, ctx) {
  const id = params[0];
  const sess = getSession();
  const [q, crowd, mine] = await Promise.all([
    get(`/questions/${id}`),
    get(`/questions/${id}/crowd`).catch(() => ({ series: [] })),
    sess ? get(`/questions/${id}/forecasts/mine`).catch(() => ({ forecasts: [] })) : Promise.resolve(null),
  ]);
  const history = mine ? mine.forecasts || [] : [];
  const [scores, coherence, wires] = await Promise.all([
    q.state === 'resolved' ? get(`/questions/${id}/scores`).catch(() => null) : Promise.resolve(null),
    isScenario(q) && typeof q.tournament === 'string' ? fetchCoherence(q.tournament) : Promise.resolve(null),
    typeof q.tournament === 'string' ? fetchTripwires(q.tournament) : Promise.resolve([]),
  ]);
  const root = h('article', { class: 'question' });
  root.appendChild(h('p', null, h('a', { href: '#/' }, `← ${t('common.back')}`)));
  root.appendChild(h('p', { class: 'eyebrow' }, [q.area ? `${t('q.area')} ${q.area}` : null, t(`kind.${q.kind}`)].filter(Boolean).join(' · ')));
  root.appendChild(pageTitle(loc(q.title)));
  root.appendChild(h('dl', { class: 'facts' },
    fact(t('q.state'), stateBadge(q.state)),
    fact(t('q.opens'), timeEl(q.opens_at)),
    fact(t('q.closes'), timeEl(q.closes_at)),
    q.resolve_by ? fact(t('q.resolveBy'), fmtDate(q.resolve_by)) : null,
    q.edited_at ? fact(t('q.editedAt'), h('span', { class: 'edited-at' }, timeEl(q.edited_at))) : null,
    history.length ? fact(t('q.lastUpdated'), h('span', { class: 'last-updated', title: fmtDateTime(history[history.length - 1].created_at) }, daysAgo(history[history.length - 1].created_at))) : null));
  const outcome = outcomeBox(q);
  if (outcome) root.appendChild(outcome);
  const proposal = await proposalCard(q, ctx);
  if (proposal) root.appendChild(proposal);

  // The page reads in one order, on a phone and for the keyboard alike:
  // your forecast (or, once resolved, your score), the crowd, the criteria
  // and sources, then people and comments. On a wide screen the side
  // column (first in the document) stands on the right.
  const grid = h('div', { class: 'q-grid' });
  const side = h('div', { class: 'q-side' });
  const main = h('div', { class: 'q-main' });
  grid.append(side, main);
  root.appendChild(grid);

  const mineScore = (scores && scores.scores || []).find((sc) => sc.user && sess && sc.user.id === sess.user.id) || null;
  if (q.state === 'resolved' && sess) side.appendChild(await scoreSection(q, sess.user, scores));
  else {
    const form = formSection(q, history, ctx);
    const nudge = coherenceNudge(coherence, [...Array(optionCount(q)).keys()].map((i) => optionLabel(q, i)));
    if (nudge) form.insertBefore(nudge, form.children[1] || null);
    side.appendChild(form);
  }

  main.appendChild(crowdNow(q, history));
  const wiresCard = tripwiresCard(wires.filter((w) => w.question_id === q.id), [q], {});
  if (wiresCard) main.appendChild(wiresCard);
  const pairs = await conditionalCard(q, ctx);
  if (pairs) main.appendChild(pairs);
  main.appendChild(chartSection(q, crowd.series || [], history));
  if (q.state === 'resolved' && sess) {
    const ledger = await ledgerSection(q, mineScore);
    if (ledger) main.appendChild(ledger);
  }
  const bySlug = await questionsBySlug(q);
  main.appendChild(h('section', { class: 'card criteria', id: 'criteria' },
    h('h2', null, t('q.criteria')),
    h('div', { class: 'prose' }, citeQuestions(loc(q.criteria), bySlug))));
  const sources = q.resolution_source || [];
  if (sources.length) {
    main.appendChild(h('section', { class: 'card sources', id: 'sources' },
      h('h2', null, t('q.sources')),
      h('ul', null, sources.map((src) => h('li', null, citeQuestions(loc(src), bySlug))))));
  }
  // The links are the live data; the seed's signals remain for a server without them.
  const sig = (q.area ? await indicatorLinksCard(q) : null) || (q.signals ? await signalsSection(q) : null);
  if (sig) main.appendChild(sig);
  if (sess) main.appendChild(historySection(q, history));
  const table = scoresTable(scores, sess && sess.user);
  if (table) main.appendChild(table);
  if (q.state === 'resolved') main.appendChild(await publicForecastsSection(q));
  main.appendChild(commentsSection(q, ctx));
  return root;
}

/** The scenario question: not binary, in no indicator area and not a conditional branch, as on the home page. */
function isScenario(q) {
  return !q.area && q.kind !== 'binary' && !q.condition;
}

function fact(label, value) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

function outcomeBox(q) {
  const r = q.resolution;
  if (q.state === 'annulled' || (r && r.annulled)) {
    return h('div', { class: 'notice warn outcome' }, h('strong', null, t('q.annulled')), reasonText(r) ? h('p', null, `${t('q.reason')}${t('common.colon')}`, reasonText(r)) : null);
  }
  if (r && r.outcome !== undefined && r.outcome !== null) {
    return h('div', { class: 'notice ok outcome' },
      h('strong', null, `${t('q.outcome')}${t('common.colon')}`, h('span', { class: 'outcome-label' }, optionLabel(q, r.outcome))),
      r.resolved_at ? h('p', { class: 'small', title: fmtUTC(r.resolved_at) }, t('q.resolvedAt', { date: fmtDateTime(r.resolved_at) })) : null,
      r.corrected_at ? h('p', { class: 'small corrected', title: fmtUTC(r.corrected_at) }, t('q.correctedOn', { date: fmtDateTime(r.corrected_at) })) : null);
  }
  return null;
}

function crowdNow(q, history) {
  // A resolved or annulled question shows the crowd as it stood: the
  // heading, the count and the chart below say the same thing.
  const crowd = q.crowd ? q.crowd.probabilities : null;
  const won = q.state === 'resolved' && q.resolution ? q.resolution.outcome : -1;
  const ref = q.reference_forecast ? q.reference_forecast.probabilities : null;
  const last = history.length ? history[history.length - 1].probabilities : (q.my_forecast ? q.my_forecast.probabilities : null);
  const n = optionCount(q);
  const rows = [];
  for (let i = 0; i < n; i += 1) {
    if (q.kind === 'binary' && i === 1) break;
    rows.push(h('li', { class: i === won ? 'opt-row won' : 'opt-row' },
      h('span', { class: 'opt-label' }, h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }), optionLabel(q, i),
        i === won ? h('span', { class: 'won-mark' }, ` ✓ ${t('q.happened')}`) : null),
      h('span', { class: 'opt-bars' },
        h('span', { class: 'num-row crowd' }, h('span', { class: 'k' }, t('home.crowd')), bar(crowd && crowd[i], 'crowd'), h('span', { class: 'num' }, pct(crowd && crowd[i]))),
        ref ? h('span', { class: 'num-row ref' }, h('span', { class: 'k' }, t('home.reference')), bar(ref[i], 'ref'), h('span', { class: 'num' }, pct(ref[i]))) : null,
        last ? h('span', { class: 'num-row mine' }, h('span', { class: 'k' }, t('home.mine')), bar(last[i], 'mine'), h('span', { class: 'num' }, pct(last[i]))) : null)));
  }
  const n0 = q.forecasters || 0;
  return h('section', { class: 'card crowd-now', id: 'crowd' },
    h('h2', null, q.state === 'resolved' ? t('q.finalCrowd') : q.state === 'annulled' ? t('q.annulledCrowd') : t('q.crowdNow')),
    crowd ? h('p', { class: 'muted small' }, n0 === 1 ? t('home.forecasters1') : t('home.forecasters', { n: n0 })) : h('p', { class: 'muted' }, t('q.noCrowd')),
    crowd || ref || last ? h('ul', { class: 'opt-list' }, rows) : null,
    ref ? h('p', { class: 'muted small' }, t('q.referenceLine', { source: loc(q.reference_forecast.source), note: loc(q.reference_forecast.note) })) : null);
}

function chartSection(q, series, history) {
  const shown = q.kind === 'binary' ? [0] : [...Array(optionCount(q)).keys()];
  const lines = shown.map((i) => ({
    name: optionLabel(q, i), cls: `c${i % 8}`,
    points: series.map((pt) => ({ x: pt.date, y: pt.probabilities[i] })),
  }));
  const markers = [];
  history.forEach((f) => shown.forEach((i) => markers.push({
    x: f.created_at, y: f.probabilities[i], cls: `c${i % 8}`,
    title: `${fmtDateTime(f.created_at)} · ${optionLabel(q, i)} ${pct(f.probabilities[i])}`,
  })));
  const chart = series.length || markers.length
    ? fitChart((width) => lineChart({ width, series: lines, markers, xMin: q.opens_at, xMax: windowEnd(q), label: t('q.chart'), locale: lang() === 'zh' ? 'zh-CN' : 'en-GB' }))
    : null;
  return h('section', { class: 'card crowd-chart' },
    h('h2', null, t('q.chart')),
    chart || h('p', { class: 'muted' }, t('q.chartEmpty')),
    chart ? legend(lines) : null,
    chart ? h('p', { class: 'muted small' }, t('q.chartNote')) : null);
}

/** The end of the scoring window as far as it has happened: min(now, closes_at, resolved_at). */
function windowEnd(q) {
  const ends = [Date.now(), Date.parse(q.closes_at)];
  if (q.resolution && q.resolution.resolved_at) ends.push(Date.parse(q.resolution.resolved_at));
  return Math.min(...ends.filter((x) => !Number.isNaN(x)));
}

async function scoreSection(q, user, res) {
  const box = h('section', { class: 'card score', id: 'my-score' }, h('h2', null, t('q.myScore')));
  const score = res ? (res.scores || []).find((sc) => sc.user && user && sc.user.id === user.id) || null : null;
  if (!score) {
    box.appendChild(h('p', { class: 'muted' }, t('q.noScore')));
    return box;
  }
  box.appendChild(h('dl', { class: 'facts' },
    fact(t('q.brier'), num(score.brier)),
    fact(t('q.crowdBrier'), num(score.crowd_brier)),
    fact(t('q.relative'), h('span', null, num(score.relative, true), h('span', { class: 'muted small rel-words' }, t('common.paren', { x: relativeWords(score.relative) })))),
    fact(t('q.days'), t('q.daysOf', { n: score.days_forecast, total: score.days_total }))));
  try {
    const res = await get(`/questions/${q.id}/scores/${user.id}/days`);
    const days = res.days || [];
    if (days.length) {
      const maxV = Math.max(0.5, ...days.map((d) => Math.max(d.brier || 0, d.median || 0)));
      const yMax = Math.ceil(maxV * 2) / 2;
      const ticks = [0, yMax / 4, yMax / 2, (3 * yMax) / 4, yMax];
      const lines = [
        { name: t('q.dailyMine'), cls: 'c0', points: days.map((d) => ({ x: d.date, y: d.brier })) },
        { name: t('q.dailyMedian'), cls: 'median', points: days.map((d) => ({ x: d.date, y: d.median })) },
      ];
      box.appendChild(h('h3', null, t('q.daily')));
      box.appendChild(fitChart((width) => lineChart({ width, series: lines, xMin: q.opens_at, xMax: windowEnd(q), yMax, yTicks: ticks, yFormat: (v) => v.toFixed(2), label: t('q.daily'), locale: lang() === 'zh' ? 'zh-CN' : 'en-GB' })));
      box.appendChild(legend(lines));
    }
  } catch (_) { /* the breakdown is optional */ }
  return box;
}

function historySection(q, history) {
  const box = h('section', { class: 'card', id: 'history' }, h('h2', null, t('q.history')));
  if (!history.length) {
    box.appendChild(h('p', { class: 'muted' }, t('q.noHistory')));
    return box;
  }
  box.appendChild(h('ol', { class: 'history', reversed: true },
    history.slice().reverse().map((f) => h('li', null,
      timeEl(f.created_at),
      q.kind === 'binary' ? h('p', { class: 'probs' }, probsText(q, f.probabilities))
        : h('p', { class: 'probs bucket-list' }, f.probabilities.map((p, i) => h('span', null, `${optionLabel(q, i)}${t('common.colon')}${pct(p)}`))),
      f.rationale ? h('p', { class: 'rationale' }, linkify(f.rationale)) : null))));
  return box;
}

async function signalsSection(q) {
  const sig = q.signals;
  if (!sig || (!sig.raises && !sig.lowers)) return null;
  let names = {};
  if (typeof q.tournament === 'string') {
    try {
      const tour = await cachedGet(`/tournaments/${encodeURIComponent(q.tournament)}`);
      (tour.questions || []).filter((x) => !x.area).forEach((x) => (x.options || []).forEach((o) => { if (o.slug) names[o.slug] = loc(o.label); }));
    } catch (_) { names = {}; }
  }
  const label = (slug) => names[slug] || slug;
  const trig = t(`q.sigTrigger.${sig.trigger}`);
  const trigger = trig.startsWith('q.') ? String(sig.trigger || '') : trig;
  return h('section', { class: 'card signals' },
    h('h2', null, t('q.signals')),
    sig.raises && sig.raises.length ? h('p', null, t('q.sigRaises', { trigger, list: sig.raises.map(label).join(lang() === 'zh' ? '、' : ', ') })) : null,
    sig.lowers && sig.lowers.length ? h('p', null, t('q.sigLowers', { trigger, list: sig.lowers.map(label).join(lang() === 'zh' ? '、' : ', ') })) : null,
    sig.strength ? h('p', { class: 'muted small' }, t('q.sigStrength', { s: t(`q.strength.${sig.strength}`) })) : null);
}

// ---- the forecast form ----

function formSection(q, history, ctx) {
  const box = h('section', { class: 'card forecast', id: 'forecast' }, h('h2', null, t('q.form')));
  if (q.state !== 'open') {
    box.appendChild(h('p', { class: 'muted' }, t('q.notOpen', { state: t(`state.${q.state}`) })));
    return box;
  }
  if (!getSession()) {
    box.appendChild(h('p', null, h('a', { class: 'button', href: '#/login' }, t('q.signin'))));
    return box;
  }
  const last = history.length ? history[history.length - 1].probabilities : null;
  if (last && Date.now() - Date.parse(history[history.length - 1].created_at) >= REAFFIRM_AFTER) box.appendChild(reaffirm(q, history[history.length - 1], ctx));
  const form = h('form', { novalidate: true, class: 'stack-form' }, formSlots());
  const readProbs = q.kind === 'binary' ? binaryInputs(form, last) : multiInputs(q, form, last);
  const ratId = nextId('rationale');
  form.appendChild(h('div', { class: 'field', dataset: { field: 'rationale' } },
    h('label', { for: ratId }, t('q.rationale')),
    h('textarea', { id: ratId, name: 'rationale', rows: 3, maxlength: 4000 }),
    h('p', { class: 'field-error', 'aria-live': 'polite' })));
  form.appendChild(h('button', { type: 'submit', class: 'primary', id: 'submit-forecast' }, t('q.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const probs = readProbs();
    if (!probs) return;
    const body = { probabilities: probs };
    const rationale = form.elements.rationale.value.trim();
    if (rationale) body.rationale = rationale;
    await busy(form, async () => {
      try {
        await post(`/questions/${q.id}/forecasts`, body);
        ctx.notice(t('q.saved'));
        ctx.rerender({ focus: '#forecast h2' });
      } catch (err) {
        if (err instanceof ApiError) showApiError(form, err.field === 'probability' ? Object.assign(err, { field: 'probabilities' }) : err);
        else throw err;
      }
    });
  });
  box.appendChild(form);
  return box;
}

// One click records the standing forecast again, so that a forecaster
// who still believes it need not retype it. Scores are daily: a forecast
// made within the last hours needs no reaffirming, and is not offered it.
const REAFFIRM_AFTER = 12 * 3600 * 1000;

function reaffirm(q, f, ctx) {
  const form = h('form', { class: 'reaffirm', id: 'reaffirm-form', novalidate: true }, formSlots(),
    h('p', { class: 'small' }, t('q.reaffirmText', { probs: probsText(q, f.probabilities), ago: daysAgo(f.created_at) })),
    h('button', { type: 'submit', class: 'secondary', id: 'reaffirm' }, t('q.reaffirm')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    await busy(form, async () => {
      try {
        await post(`/questions/${q.id}/forecasts`, { probabilities: f.probabilities });
        ctx.notice(t('q.reaffirmed'));
        ctx.rerender({ focus: '#forecast h2' });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
  return form;
}

function binaryInputs(form, last) {
  const numId = nextId('pyes');
  const start = last ? round1(last[0] * 100) : 50;
  const number = h('input', { id: numId, type: 'number', name: 'probability', min: 0, max: 100, step: 'any', inputmode: 'decimal', value: String(start), 'aria-describedby': `${numId}-err` });
  const slider = h('input', { type: 'range', min: 0, max: 100, step: 1, value: String(Math.round(start)), 'aria-label': t('q.slider'), class: 'slider' });
  slider.addEventListener('input', () => { number.value = slider.value; });
  number.addEventListener('input', () => { const v = parseFloat(number.value); if (!Number.isNaN(v)) slider.value = String(Math.round(v)); });
  form.appendChild(h('div', { class: 'field', dataset: { field: 'probabilities' } },
    h('label', { for: numId }, t('q.probYes')),
    h('div', { class: 'binary-input' }, slider, number),
    h('p', { class: 'field-error', id: `${numId}-err`, 'aria-live': 'polite' })));
  return () => {
    const v = parseFloat(number.value);
    if (Number.isNaN(v) || v < 0 || v > 100) {
      showError(form, 'probabilities', t('q.rangeErr'));
      return null;
    }
    const p = v / 100;
    return [p, 1 - p];
  };
}

function round1(x) {
  return Math.round(x * 10) / 10;
}

function fmtNum(x) {
  const r = Math.round(x * 1000) / 1000;
  return String(r);
}

function multiInputs(q, form, last) {
  const n = optionCount(q);
  const inputs = [];
  const errId = nextId('perr');
  const totalId = nextId('total');
  const rows = [];
  for (let i = 0; i < n; i += 1) {
    const id = nextId(`p${i}`);
    const input = h('input', {
      id, type: 'number', name: `p${i}`, min: 0, max: 100, step: 'any', inputmode: 'decimal', placeholder: '0',
      value: last ? fmtNum(last[i] * 100) : '', 'aria-describedby': `${totalId} ${errId}`, class: 'pct-input',
    });
    inputs.push(input);
    rows.push(h('div', { class: 'opt-input' },
      h('label', { for: id }, h('span', { class: `swatch c${i % 8}`, 'aria-hidden': 'true' }), optionLabel(q, i)),
      h('span', { class: 'pct-wrap' }, input, h('span', { 'aria-hidden': 'true' }, '%'))));
  }
  const total = h('p', { class: 'total', id: totalId, 'aria-live': 'polite' });
  const values = () => inputs.map((inp) => (inp.value.trim() === '' ? 0 : parseFloat(inp.value)));
  const sum = () => values().reduce((a, b) => a + (Number.isNaN(b) ? NaN : b), 0);
  const updateTotal = () => {
    const s = sum();
    const ok = Math.abs(s - 100) < 1e-4;
    // A form not yet touched is not wrong: it says what to do, not in red.
    if (inputs.every((inp) => inp.value.trim() === '')) {
      total.textContent = t('q.totalEmpty');
      total.className = 'total empty';
      return;
    }
    total.textContent = Number.isNaN(s) ? t('q.total', { total: '?' }) : ok ? t('q.totalOk') : t('q.total', { total: fmtNum(s) });
    total.className = ok ? 'total ok' : 'total bad';
  };
  inputs.forEach((inp) => inp.addEventListener('input', updateTotal));
  const normalise = h('button', { type: 'button', class: 'secondary', id: 'normalise', on: { click: () => {
    const v = values().map((x) => (Number.isNaN(x) || x < 0 ? 0 : x));
    const s = v.reduce((a, b) => a + b, 0);
    // Work in tenths of a percent so the result totals exactly 100.0.
    const tenths = s > 0 ? v.map((x) => Math.round((x / s) * 1000)) : v.map(() => Math.floor(1000 / n));
    let diff = 1000 - tenths.reduce((a, b) => a + b, 0);
    const order = tenths.map((x, i) => i).sort((a, b) => tenths[b] - tenths[a]);
    for (let k = 0; diff !== 0; k = (k + 1) % n) {
      const i = order[k];
      const step = diff > 0 ? 1 : -1;
      if (tenths[i] + step >= 0) { tenths[i] += step; diff -= step; }
    }
    inputs.forEach((inp, i) => { inp.value = String(tenths[i] / 10); });
    updateTotal();
  } } }, t('q.normalise'));
  updateTotal();
  form.appendChild(h('fieldset', { class: 'field multi', dataset: { field: 'probabilities' } },
    h('legend', null, t('q.probs')),
    rows,
    total,
    h('div', { class: 'row' }, normalise, h('span', { class: 'hint' }, t('q.normaliseHint'))),
    h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' })));
  return () => {
    const v = values();
    const badIdx = v.findIndex((x) => Number.isNaN(x) || x < 0 || x > 100);
    if (badIdx >= 0) {
      showError(form, 'probabilities', t('q.rangeErr'));
      inputs[badIdx].focus();
      return null;
    }
    const s = v.reduce((a, b) => a + b, 0);
    if (Math.abs(s - 100) >= 1e-4) {
      showError(form, 'probabilities', t('q.totalMust', { total: fmtNum(s) }));
      return null;
    }
    return v.map((x) => x / 100);
  };
}

