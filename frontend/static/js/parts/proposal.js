// The outcome the server proposes from a question's data feed: its value,
// source and challenge window, a challenge form for forecasters and, for
// admins, confirm and reject with the feed's latest error.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, post, getSession, clearCache, ApiError } from '../lib/api.js';
import { optionLabel, fmtDateTime, fmtUTC } from '../lib/format.js';
import { field, formSlots, submitForm, showError } from '../lib/forms.js';
import { linkify } from './question-people.js';

/** The proposal card, the admin's feed status, or null when neither applies. */
export async function proposalCard(q, ctx) {
  const sess = getSession();
  const admin = sess && sess.user && sess.user.role === 'admin';
  const feed = admin ? await get(`/questions/${q.id}/feed`).catch(() => null) : null;
  const p = q.proposal;
  if (!p && !(feed && feed.last && feed.last.status === 'error')) return null;
  const card = h('section', { class: 'card proposal', id: 'proposal' }, h('h2', null, t('prop.title')));
  if (p) {
    const open = new Date(p.challenge_until) > new Date();
    card.append(
      h('p', { class: 'proposal-outcome' }, `${t('prop.outcome')}${t('common.colon')}`, h('strong', null, optionLabel(q, p.outcome))),
      h('dl', { class: 'facts' },
        fact(t('prop.value'), h('span', { class: 'proposal-value' }, String(p.value))),
        fact(t('prop.source'), h('span', { class: 'proposal-source' }, linkify(p.source))),
        fact(t('prop.readAt'), h('span', { title: fmtUTC(p.fetched_at) }, fmtDateTime(p.fetched_at))),
        fact(t('prop.until'), h('span', { class: 'proposal-until', title: fmtUTC(p.challenge_until) }, fmtDateTime(p.challenge_until)))),
      h('p', { class: 'muted small' }, t(open ? 'prop.explainOpen' : 'prop.explainClosed'), ' ',
        h('code', { class: 'small', title: t('prop.sha') }, p.sha256.slice(0, 16))));
    if (p.challenges.length) {
      card.append(h('h3', null, t('prop.challenges', { n: p.challenges.length })),
        h('ul', { class: 'challenges' }, p.challenges.map((c) => h('li', null,
          h('strong', null, `@${c.user}`), ` · ${fmtDateTime(c.at)}`, h('p', null, c.reason)))));
    }
    const mine = sess && p.challenges.some((c) => c.user === sess.user.username);
    if (sess && open && !mine) card.append(challengeForm(q, ctx));
    if (admin) card.append(decideButtons(q, ctx));
  }
  if (feed && feed.last && feed.last.status === 'error') {
    card.append(h('p', { class: 'notice warn feed-error' },
      t('prop.feedError', { date: fmtDateTime(feed.last.fetched_at) }), ' ', h('code', null, feed.last.error)));
  }
  return card;
}

function fact(label, value) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

function challengeForm(q, ctx) {
  const form = h('form', { class: 'stack-form', id: 'challenge-form', novalidate: true }, formSlots(),
    field({ label: t('prop.reason'), name: 'reason', tag: 'textarea', rows: 2, maxlength: 2000 }),
    h('button', { type: 'submit', class: 'secondary' }, t('prop.challenge')));
  submitForm(form, async () => {
    const reason = form.elements.reason.value.trim();
    if (!reason) { showError(form, 'reason', t('common.required')); return; }
    await post(`/questions/${q.id}/proposal/challenge`, { reason });
    clearCache();
    ctx.notice(t('prop.challenged'));
    ctx.rerender();
  });
  return form;
}

function decideButtons(q, ctx) {
  const box = h('div', { class: 'row proposal-admin' });
  const msg = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const act = (what) => async () => {
    try {
      await post(`/questions/${q.id}/proposal/${what}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      msg.textContent = err.message;
      msg.hidden = false;
      return;
    }
    clearCache();
    ctx.notice(t(`prop.${what}ed`));
    ctx.rerender();
  };
  box.append(
    h('button', { type: 'button', class: 'primary', id: 'proposal-confirm', on: { click: act('confirm') } }, t('prop.confirm')),
    h('button', { type: 'button', class: 'danger', id: 'proposal-reject', on: { click: act('reject') } }, t('prop.reject')));
  return h('div', null, msg, box);
}
