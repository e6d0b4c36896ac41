// Admin: resolve, correct and annul questions; create tournaments and
// questions; import and export archives; read the audit trail. Each part
// is a section with its own address (#/admin/questions, …), reached from
// tabs, so that no admin page is thousands of pixels long.

import { h, mount, nextId, download } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { get, post, getSession, clearCache, ApiError } from '../../lib/api.js';
import { currentSlug, setCurrentSlug, me, tournaments } from '../../lib/state.js';
import { optionLabel, fmtDateTime, fmtUTC } from '../../lib/format.js';
import { pageTitle, apiMessage, errorDetail } from '../../lib/page.js';
import { field, formSlots, showError, showOk, utcInput, bilingual, submitForm as submit } from '../../lib/forms.js';
import { askConfirm } from '../../parts/confirm.js';
import { auditSentence, reasonText, utcLocalValue } from '../../parts/admin-words.js';
import { editSection } from './edit-question.js';
import { webhooksSection } from './webhooks.js';
import { feedSection } from './feed.js';
import { tripwiresSection } from './tripwires.js';
import { linksSection } from './links.js';
import { settingsSection } from './settings.js';
import { tokensSection } from '../../parts/tokens.js';
import { aggregatesSection } from './aggregates.js';

/** The sections, in tab order; the first is #/admin itself. */
const SECTIONS = ['tournament', 'questions', 'links', 'webhooks', 'tripwires', 'tokens', 'audit'];

export async function render(params, ctx) {
  if (!getSession()) {
    return h('div', null, pageTitle(t('admin.title')), h('p', { class: 'notice info' }, t('common.needSignin'), ' ', h('a', { href: '#/login' }, t('nav.signin'))));
  }
  const user = await me();
  if (!user || user.role !== 'admin') {
    return h('div', null, pageTitle(t('admin.title')), h('p', { class: 'notice error' }, t('common.needAdmin')));
  }
  const section = params[0] || 'tournament';
  const slug = await currentSlug();
  const [list, tour, audit] = await Promise.all([
    tournaments(),
    slug ? get(`/tournaments/${encodeURIComponent(slug)}`) : Promise.resolve(null),
    slug && section === 'audit' ? get(`/tournaments/${encodeURIComponent(slug)}/audit`).catch((e) => ({ error: e })) : Promise.resolve(null),
  ]);
  const selId = nextId('atour');
  const sel = h('select', { id: selId, on: { change: (e) => { setCurrentSlug(e.target.value); ctx.rerender(); } } },
    list.map((x) => h('option', { value: x.slug, selected: x.slug === slug }, `${loc(x.title)} (${x.slug})`)));
  const parts = {
    tournament: () => [tour ? settingsSection(tour) : null, tour ? aggregatesSection(tour) : null, tournamentSection(ctx), archiveSection(slug, ctx)],
    questions: () => (tour ? [manageSection(tour, ctx), editSection(tour, ctx), feedSection(tour), questionSection(tour, ctx)] : []),
    links: () => (tour ? [linksSection(tour)] : []),
    webhooks: () => (tour ? [webhooksSection(tour)] : []),
    tripwires: () => (tour ? [tripwiresSection(tour)] : []),
    tokens: () => [tokensSection(user)],
    audit: () => (audit ? [auditSection(audit, tour)] : []),
  };
  return h('div', { class: 'admin' },
    pageTitle(t('admin.title')),
    h('nav', { class: 'tabs admin-tabs', 'aria-label': t('admin.sections') },
      SECTIONS.map((s) => h('a', { href: s === 'tournament' ? '#/admin' : `#/admin/${s}`, class: s === section ? 'tab active' : 'tab',
        'aria-current': s === section ? 'page' : null, dataset: { section: s } }, t(`admin.section.${s}`)))),
    h('div', { class: 'row admin-head' },
      list.length ? h('div', { class: 'field inline' }, h('label', { for: selId }, t('admin.tournament')), sel) : null,
      h('a', { class: 'button secondary', href: '#/admin/queue', id: 'queue-link' }, t('queue.title'))),
    parts[section]());
}

function card(title, ...children) {
  return h('section', { class: 'card' }, h('h2', null, title), children);
}

// ---- resolve / correct / annul ----

function manageSection(tour, ctx) {
  const qs = tour.questions || [];
  const qField = field({ label: t('admin.question'), name: 'question', tag: 'select', children: qs.map((q) => h('option', { value: q.id }, `#${q.id} ${loc(q.title)} [${t(`state.${q.state}`)}]`)) });
  const outField = field({ label: t('admin.outcome'), name: 'outcome', tag: 'select' });
  const atField = field({ label: t('admin.resolvedAt'), name: 'resolved_at', type: 'datetime-local', step: 60 });
  const resolveBtn = h('button', { type: 'submit', class: 'primary', id: 'resolve-btn' }, t('admin.resolve'));
  const current = h('p', { class: 'muted small', 'aria-live': 'polite' });
  const form = h('form', { class: 'stack-form', id: 'resolve-form', novalidate: true }, formSlots(), qField, current, outField, atField, resolveBtn);
  const chosen = () => qs.find((q) => String(q.id) === form.elements.question.value);
  const refresh = () => {
    const q = chosen();
    if (!q) return;
    const n = q.kind === 'binary' ? 2 : (q.options || []).length;
    const cur = q.resolution && !q.resolution.annulled ? q.resolution.outcome : null;
    mount(form.elements.outcome, [...Array(n).keys()].map((i) => h('option', { value: i, selected: i === cur }, optionLabel(q, i))));
    let state = t(`state.${q.state}`);
    if (cur !== null && cur !== undefined) state += ` — ${optionLabel(q, cur)}`;
    if (reasonText(q.resolution)) state += ` — ${reasonText(q.resolution)}`;
    current.textContent = t('admin.current', { state });
    resolveBtn.textContent = q.state === 'resolved' ? t('admin.correct') : t('admin.resolve');
    // A correction starts from the answer's current date: a blank field
    // would not move it (the server keeps it), but the admin sees it.
    const prefill = cur !== null && cur !== undefined && q.resolution.resolved_at ? utcLocalValue(q.resolution.resolved_at) : '';
    form.elements.resolved_at.value = prefill;
    form.elements.resolved_at.dataset.prefill = prefill;
  };
  form.elements.question.addEventListener('change', refresh);
  // Arriving from the resolution queue: that question is chosen.
  const fromQueue = sessionStorage.getItem('signpost.resolve');
  if (fromQueue && qs.some((q) => String(q.id) === fromQueue)) form.elements.question.value = fromQueue;
  sessionStorage.removeItem('signpost.resolve');
  refresh();
  submit(form, async () => {
    const q = chosen();
    const body = { outcome: Number(form.elements.outcome.value) };
    const input = form.elements.resolved_at;
    const at = utcInput(input.value);
    // Unchanged pre-filled minutes are left out, so the seconds stay too.
    if (at && input.value !== input.dataset.prefill) body.resolved_at = at;
    // forecasters, not crowd.forecasters: the crowd is absent below the
    // crowd minimum, the count is not.
    const n = q.forecasters || 0;
    const when = body.resolved_at ? fmtDateTime(body.resolved_at) : (q.resolution && q.resolution.resolved_at ? fmtDateTime(q.resolution.resolved_at) : t('time.now'));
    const lines = [
      q.state === 'resolved'
        ? t('resolve.summaryCorrect', { id: q.id, from: optionLabel(q, q.resolution.outcome), to: optionLabel(q, body.outcome) })
        : t('resolve.summary', { id: q.id, to: optionLabel(q, body.outcome) }),
      t('resolve.when', { when }),
      scoresLine(n),
    ];
    if (!await askConfirm(resolveBtn, lines, resolveBtn.textContent)) return;
    await post(`/questions/${q.id}/resolve`, body);
    ctx.notice(t('admin.resolved', { id: q.id }));
    ctx.rerender();
  });

  const annulBtn = h('button', { type: 'submit', class: 'danger', id: 'annul-btn' }, t('admin.annul'));
  const annul = h('form', { class: 'stack-form subform', id: 'annul-form', novalidate: true }, formSlots(),
    h('div', { class: 'two-col' },
      field({ label: t('resolve.reasonEn'), name: 'reason.en', tag: 'textarea', rows: 2, lang: 'en' }),
      field({ label: t('resolve.reasonZh'), name: 'reason.zh', tag: 'textarea', rows: 2, lang: 'zh-CN' })),
    annulBtn);
  submit(annul, async () => {
    const q = chosen();
    const text = bilingual(annul, 'reason');
    if (!text.en && !text.zh) { showError(annul, 'reason', t('common.required')); return; }
    // Each language in its own field; readers see theirs (reasonText).
    if (!await askConfirm(annulBtn, [t('resolve.summaryAnnul', { id: q.id, title: loc(q.title) }), scoresLine(q.forecasters || 0)], t('admin.annul'))) return;
    await post(`/questions/${q.id}/annul`, { reason_i18n: text });
    ctx.notice(t('admin.annulled', { id: q.id }));
    ctx.rerender();
  });
  return card(t('admin.manage'), form, annul);
}

/** The confirmation's line on scores: how many forecasters it touches. */
function scoresLine(n) {
  if (n === 0) return t('resolve.scores0');
  return n === 1 ? t('resolve.scores1') : t('resolve.scores', { n });
}

// ---- create a question ----

function localInput(d) {
  return d.toISOString().slice(0, 16);
}

function questionSection(tour, ctx) {
  const now = new Date();
  const later = new Date(now.getTime() + 30 * 86400000);
  const optionsBox = h('div', { class: 'options-box' });
  const optionsField = h('fieldset', { class: 'field', dataset: { field: 'options' } },
    h('legend', null, t('admin.options')),
    h('p', { class: 'hint' }, t('admin.optionsHint')),
    optionsBox,
    h('button', { type: 'button', class: 'secondary add-option', on: { click: () => { addOption(); optionsBox.lastChild.querySelector('input').focus(); } } }, t('admin.addOption')),
    h('p', { class: 'field-error', 'aria-live': 'polite' }));
  const kindField = field({
    label: t('admin.kind'), name: 'kind', tag: 'select',
    children: ['binary', 'multiple_choice', 'ordered'].map((k) => h('option', { value: k }, t(`kind.${k}`))),
  });
  const form = h('form', { class: 'stack-form', id: 'question-form', novalidate: true }, formSlots(),
    kindField,
    h('div', { class: 'two-col' },
      field({ label: t('admin.slug'), name: 'slug', hint: t('admin.slugHint') }),
      field({ label: t('admin.area'), name: 'area', maxlength: 16 })),
    h('div', { class: 'two-col' },
      field({ label: t('admin.titleEn'), name: 'title.en', lang: 'en' }),
      field({ label: t('admin.titleZh'), name: 'title.zh', lang: 'zh-CN' })),
    h('div', { class: 'two-col' },
      field({ label: t('admin.criteriaEn'), name: 'criteria.en', tag: 'textarea', rows: 4, lang: 'en' }),
      field({ label: t('admin.criteriaZh'), name: 'criteria.zh', tag: 'textarea', rows: 4, lang: 'zh-CN' })),
    field({ label: t('admin.sources'), name: 'resolution_source', tag: 'textarea', rows: 2 }),
    optionsField,
    h('div', { class: 'two-col' },
      field({ label: t('admin.opensAt'), name: 'opens_at', type: 'datetime-local', value: localInput(now) }),
      field({ label: t('admin.closesAt'), name: 'closes_at', type: 'datetime-local', value: localInput(later) })),
    h('button', { type: 'submit', class: 'primary' }, t('admin.createQuestion')));

  function renumber() {
    [...optionsBox.children].forEach((row, i) => {
      row.dataset.field = `options[${i}]`;
      row.querySelector('legend').textContent = t('admin.option', { n: i + 1 });
      row.querySelector('.remove').setAttribute('aria-label', t('admin.removeOption', { n: i + 1 }));
    });
  }
  function addOption() {
    const enId = nextId('oen');
    const zhId = nextId('ozh');
    const row = h('fieldset', { class: 'option-row field' },
      h('legend', null, ''),
      h('div', { class: 'two-col' },
        h('div', null, h('label', { for: enId }, t('admin.labelEn')), h('input', { id: enId, class: 'opt-en', lang: 'en' })),
        h('div', null, h('label', { for: zhId }, t('admin.labelZh')), h('input', { id: zhId, class: 'opt-zh', lang: 'zh-CN' }))),
      h('button', { type: 'button', class: 'linklike remove', on: { click: () => { row.remove(); renumber(); } } }, '×'),
      h('p', { class: 'field-error', 'aria-live': 'polite' }));
    optionsBox.appendChild(row);
    renumber();
  }
  addOption();
  addOption();
  const syncKind = () => { optionsField.hidden = form.elements.kind.value === 'binary'; };
  form.elements.kind.addEventListener('change', syncKind);
  syncKind();

  submit(form, async () => {
    const kind = form.elements.kind.value;
    const body = { kind, title: bilingual(form, 'title'), criteria: bilingual(form, 'criteria') };
    const slug = form.elements.slug.value.trim();
    const area = form.elements.area.value.trim();
    if (slug) body.slug = slug;
    if (area) body.area = area;
    const sources = form.elements.resolution_source.value.split('\n').map((x) => x.trim()).filter(Boolean);
    if (sources.length) body.resolution_source = sources;
    body.opens_at = utcInput(form.elements.opens_at.value);
    body.closes_at = utcInput(form.elements.closes_at.value);
    if (!body.title.en && !body.title.zh) { showError(form, 'title', t('common.required')); return; }
    if (!body.criteria.en && !body.criteria.zh) { showError(form, 'criteria', t('common.required')); return; }
    if (kind !== 'binary') {
      body.options = [...optionsBox.children].map((row) => {
        const label = {};
        const en = row.querySelector('.opt-en').value.trim();
        const zh = row.querySelector('.opt-zh').value.trim();
        if (en) label.en = en;
        if (zh) label.zh = zh;
        return { label };
      });
      const bad = body.options.findIndex((o) => !o.label.en && !o.label.zh);
      if (bad >= 0) { showError(form, `options[${bad}]`, t('common.required')); return; }
    }
    const q = await post(`/tournaments/${encodeURIComponent(tour.slug)}/questions`, body);
    clearCache();
    ctx.notice(t('admin.questionCreated', { id: q.id }));
    ctx.rerender();
  });
  return card(t('admin.newQuestion'), form);
}

// ---- create a tournament ----

function tournamentSection(ctx) {
  const now = new Date();
  const later = new Date(now.getTime() + 365 * 86400000);
  const form = h('form', { class: 'stack-form', id: 'tournament-form', novalidate: true }, formSlots(),
    field({ label: t('admin.slug'), name: 'slug', hint: t('admin.slugHint'), required: true, pattern: '[a-z0-9-]{1,64}' }),
    h('div', { class: 'two-col' },
      field({ label: t('admin.titleEn'), name: 'title.en', lang: 'en' }),
      field({ label: t('admin.titleZh'), name: 'title.zh', lang: 'zh-CN' })),
    h('div', { class: 'two-col' },
      field({ label: t('admin.descEn'), name: 'description.en', tag: 'textarea', rows: 3, lang: 'en' }),
      field({ label: t('admin.descZh'), name: 'description.zh', tag: 'textarea', rows: 3, lang: 'zh-CN' })),
    h('div', { class: 'two-col' },
      field({ label: t('admin.startsAt'), name: 'starts_at', type: 'datetime-local', value: localInput(now) }),
      field({ label: t('admin.endsAt'), name: 'ends_at', type: 'datetime-local', value: localInput(later) })),
    h('button', { type: 'submit', class: 'primary' }, t('admin.createTournament')));
  submit(form, async () => {
    const slug = form.elements.slug.value.trim();
    if (!/^[a-z0-9-]{1,64}$/.test(slug)) { showError(form, 'slug', t('admin.slugHint')); return; }
    const body = { slug, title: bilingual(form, 'title'), starts_at: utcInput(form.elements.starts_at.value), ends_at: utcInput(form.elements.ends_at.value) };
    if (!body.title.en && !body.title.zh) { showError(form, 'title', t('common.required')); return; }
    const desc = bilingual(form, 'description');
    if (desc.en || desc.zh) body.description = desc;
    await post('/tournaments', body);
    clearCache();
    setCurrentSlug(slug);
    ctx.notice(t('admin.tournamentCreated', { slug }));
    ctx.rerender();
  });
  return card(t('admin.newTournament'), form);
}

// ---- import and export ----

function archiveSection(slug, ctx) {
  const exportForm = h('form', { class: 'stack-form', id: 'export-form' }, formSlots(),
    h('button', { type: 'submit', class: 'secondary' }, t('admin.export', { slug })));
  submit(exportForm, async () => {
    const text = await get(`/tournaments/${encodeURIComponent(slug)}/export`, { raw: true });
    download(`${slug}-${new Date().toISOString().slice(0, 10)}.json`, text);
    showOk(exportForm, t('admin.exported'));
  });
  const importForm = h('form', { class: 'stack-form', id: 'import-form', novalidate: true }, formSlots(),
    field({ label: t('admin.importFile'), name: 'archive', type: 'file', accept: 'application/json,.json' }),
    h('button', { type: 'submit', class: 'primary' }, t('admin.import')));
  submit(importForm, async () => {
    const file = importForm.elements.archive.files[0];
    if (!file) { showError(importForm, 'archive', t('admin.noFile')); return; }
    const text = await file.text();
    try { JSON.parse(text); } catch (_) { showError(importForm, 'archive', t('admin.badJson')); return; }
    try {
      const res = await post('/admin/import', text);
      clearCache();
      showOk(importForm, t('admin.imported', { users: res.users, questions: res.questions, forecasts: res.forecasts }));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // The field names a place inside the archive, e.g. forecasts[12].created_at.
      showError(importForm, 'archive', err.field ? t('admin.importAt', { field: err.field, msg: apiMessage(err) }) : apiMessage(err));
      const detail = errorDetail({ ...err, field: '' });
      if (detail) importForm.querySelector('[data-field=archive] .field-error').appendChild(detail);
    }
  });
  return card(t('admin.archive'), slug ? exportForm : null, importForm);
}

// ---- audit trail ----

function auditSection(audit, tour) {
  if (audit.error) return card(t('admin.audit'), h('p', { class: 'notice error' }, apiMessage(audit.error)));
  const entries = audit.entries || [];
  if (!entries.length) return card(t('admin.audit'), h('p', { class: 'muted' }, t('admin.auditEmpty')));
  const byId = new Map(((tour && tour.questions) || []).map((q) => [q.id, q]));
  return card(t('admin.audit'), h('ol', { class: 'audit-list', id: 'audit-table' }, entries.map((e) => h('li', null,
    h('time', { datetime: e.created_at, title: fmtUTC(e.created_at) }, fmtDateTime(e.created_at)), ' ',
    h('span', { class: 'audit-sentence' }, auditSentence(e, byId.get(e.question_id))),
    reasonText(e) ? h('p', { class: 'small' }, `${t('q.reason')}${t('common.colon')}`, reasonText(e)) : null))));
}
