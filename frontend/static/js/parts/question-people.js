// What people said and forecast on a question. Comments (with each
// author's current forecast), and once the question is resolved everyone's
// forecasts: a histogram of the final ones and each forecaster's history.

import { h, mount, nextId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, post, patch, del, getSession, ApiError } from '../lib/api.js';
import { pct, num, optionLabel, summary, timeEl, personName } from '../lib/format.js';
import { errorBox } from '../lib/page.js';
import { formSlots, clearErrors, showError, showApiError, busy } from '../lib/forms.js';
import { askConfirm } from './confirm.js';

const EDIT_MS = 10 * 60 * 1000;

/** Text with its http(s) URLs as links; never HTML. */
export function linkify(text) {
  const parts = String(text).split(/(https?:\/\/[^\s)<>"，。）]+)/g);
  return parts.map((p, i) => (i % 2
    ? h('a', { href: p, rel: 'noopener noreferrer nofollow', target: '_blank' }, p)
    : p));
}

function userLink(u) {
  return h('a', { class: 'who-link', href: `#/u/${encodeURIComponent(u.username)}` }, personName(u));
}

// ---- comments ----

export function commentsSection(q, ctx) {
  const list = h('ol', { class: 'comments', id: 'comments-list' });
  const more = h('p');
  const box = h('section', { class: 'card', id: 'comments' }, h('h2', null, t('comment.title')));
  const sess = getSession();
  if (sess) box.appendChild(commentForm(q, list, ctx));
  else box.appendChild(h('p', { class: 'muted' }, h('a', { href: '#/login' }, t('nav.signin')), ' · ', t('comment.signin')));
  box.append(list, more);
  const load = async (cursor) => {
    try {
      const res = await get(`/questions/${q.id}/comments?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      (res.comments || []).forEach((c) => list.appendChild(commentItem(q, c, ctx)));
      if (!list.children.length) mount(more, h('span', { class: 'muted' }, t('comment.none')));
      else if (res.next_cursor) {
        mount(more, h('button', { type: 'button', class: 'secondary', id: 'older-comments', on: { click: () => { mount(more); load(res.next_cursor); } } }, t('comment.older')));
      } else mount(more);
    } catch (err) {
      mount(more, errorBox(err));
    }
  };
  load('');
  return box;
}

function commentForm(q, list, ctx) {
  const id = nextId('cbody');
  const form = h('form', { class: 'stack-form', id: 'comment-form', novalidate: true }, formSlots(),
    h('div', { class: 'field', dataset: { field: 'body' } },
      h('label', { for: id }, t('comment.label')),
      h('textarea', { id, name: 'body', rows: 3, maxlength: 5000 }),
      h('p', { class: 'field-error', 'aria-live': 'polite' })),
    h('button', { type: 'submit', class: 'primary' }, t('comment.post')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = form.elements.body.value.trim();
    if (!body) { showError(form, 'body', t('common.required')); return; }
    await busy(form, async () => {
      try {
        const c = await post(`/questions/${q.id}/comments`, { body });
        form.elements.body.value = '';
        list.insertBefore(commentItem(q, c, ctx), list.firstChild);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
  return form;
}

function commentItem(q, c, ctx) {
  const sess = getSession();
  const me = sess && sess.user;
  const mine = me && me.id === c.user.id;
  const bodyEl = h('p', { class: 'comment-body' }, linkify(c.body));
  const actions = h('span', { class: 'comment-actions' });
  const li = h('li', { class: 'comment', dataset: { cid: c.id } },
    h('p', { class: 'meta' }, userLink(c.user), ' · ', timeEl(c.created_at),
      c.edited_at ? h('span', { class: 'muted' }, ` · ${t('comment.edited')}`) : null,
      c.forecast ? h('span', { class: 'comment-forecast' }, ` · ${t('comment.theirForecast')} ${summary(q, c.forecast)}`) : null),
    bodyEl, actions);
  if (mine && Date.now() - Date.parse(c.created_at) < EDIT_MS) {
    actions.appendChild(h('button', { type: 'button', class: 'linklike edit-comment', on: { click: () => editInPlace(li, bodyEl, c, q, ctx) } }, t('comment.edit')));
    actions.appendChild(document.createTextNode(' '));
  }
  if (mine || (me && me.role === 'admin')) {
    const btn = h('button', { type: 'button', class: 'linklike delete-comment', on: { click: async () => {
      if (!await askConfirm(actions, mine ? t('comment.confirmDelete') : t('comment.confirmHide'), mine ? t('comment.delete') : t('comment.hide'))) return;
      try {
        await del(`/comments/${c.id}`);
        li.remove();
      } catch (err) {
        actions.appendChild(errorBox(err));
      }
    } } }, mine ? t('comment.delete') : t('comment.hide'));
    actions.appendChild(btn);
  }
  return li;
}

function editInPlace(li, bodyEl, c, q, ctx) {
  const form = h('form', { class: 'stack-form', novalidate: true }, formSlots(),
    h('div', { class: 'field', dataset: { field: 'body' } },
      h('textarea', { name: 'body', rows: 3, maxlength: 5000, 'aria-label': t('comment.label'), value: c.body }),
      h('p', { class: 'field-error', 'aria-live': 'polite' })),
    h('button', { type: 'submit', class: 'primary' }, t('common.save')));
  bodyEl.replaceWith(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    await busy(form, async () => {
      try {
        const updated = await patch(`/comments/${c.id}`, { body: form.elements.body.value });
        li.replaceWith(commentItem(q, updated, ctx));
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
}

// ---- everyone's forecasts, once resolved ----

/** The probability a forecast gave to what happened (binary: to Yes). */
function shownProb(q, probs) {
  return q.kind === 'binary' ? probs[0] : probs[q.resolution.outcome];
}

export async function publicForecastsSection(q) {
  const box = h('section', { class: 'card o-10', id: 'everyone' }, h('h2', null, t('people.title')));
  let res;
  try {
    res = await get(`/questions/${q.id}/forecasts`);
  } catch (err) {
    box.appendChild(errorBox(err));
    return box;
  }
  const byUser = new Map();
  (res.forecasts || []).forEach((f) => {
    if (!byUser.has(f.user.id)) byUser.set(f.user.id, { user: f.user, list: [] });
    byUser.get(f.user.id).list.push(f);
  });
  if (!byUser.size) {
    box.appendChild(h('p', { class: 'muted' }, t('people.nobody')));
    return box;
  }
  const finals = [...byUser.values()].map((x) => shownProb(q, x.list[x.list.length - 1].probabilities));
  box.appendChild(h('h3', null, q.kind === 'binary' ? t('people.histYes') : t('people.histOutcome', { option: optionLabel(q, q.resolution.outcome) })));
  box.appendChild(histogram(finals));
  box.appendChild(h('h3', null, t('people.perForecaster')));
  box.appendChild(h('ul', { class: 'forecasters' }, [...byUser.values()].map(({ user, list }) => h('li', null,
    h('details', null,
      h('summary', null, personName(user), ' · ', summary(q, list[list.length - 1].probabilities),
        t('common.paren', { x: t('people.nForecasts', { n: list.length }) })),
      h('p', null, userLink(user)),
      h('ol', { class: 'history' }, list.map((f) => h('li', null, timeEl(f.created_at),
        h('p', { class: 'probs' }, probsText(q, f.probabilities)),
        f.rationale ? h('p', { class: 'rationale' }, linkify(f.rationale)) : null))))))));
  return box;
}

/** "Yes 40 %" for binary questions; every option with its share otherwise. */
export function probsText(q, probs) {
  return probs.map((p, i) => (q.kind === 'binary' && i === 1 ? null : `${optionLabel(q, i)} ${pct(p)}`)).filter(Boolean).join(' · ');
}

/** Ten bars of width 10 %: how many forecasters ended in each. */
function histogram(values) {
  const bins = Array(10).fill(0);
  values.forEach((v) => { bins[Math.min(9, Math.floor(v * 10))] += 1; });
  const top = Math.max(...bins);
  return h('ol', { class: 'histogram', 'aria-label': t('people.histLabel') }, bins.map((n, i) => {
    const fill = h('span', { class: 'hist-fill' });
    fill.style.width = `${top ? (n / top) * 100 : 0}%`;
    return h('li', { class: 'hist-row' }, h('span', { class: 'k' }, `${i * 10}–${i * 10 + 10} %`),
      h('span', { class: 'bar' }, fill), h('span', { class: 'num' }, String(n)));
  }));
}

/** "0.113 worse than the crowd median" in plain words. */
export function relativeWords(rel) {
  if (Math.abs(rel) < 0.0005) return t('people.sameAsCrowd');
  return rel > 0 ? t('people.worseThanCrowd', { n: num(rel) }) : t('people.betterThanCrowd', { n: num(-rel) });
}
