// The pages the links in e-mails open: confirm an address, choose a new
// password, reaffirm a forecast, unsubscribe; and asking for a reset mail.
// Opening a link changes nothing (mail scanners follow links): each page
// acts only on its one button.

import { h } from '../lib/dom.js';
import { t, loc } from '../lib/i18n.js';
import { post, get, getSession, setSession, clearCache } from '../lib/api.js';
import { forgetMe } from '../lib/state.js';
import { pct, fmtDateTime } from '../lib/format.js';
import { pageTitle } from '../lib/page.js';
import { field, formSlots, showError, showOk, submitForm } from '../lib/forms.js';

/** The token of the link: #/reaffirm?token=… */
function linkToken() {
  return new URLSearchParams(location.hash.split('?')[1] || '').get('token') || '';
}

const pages = {
  'verify-email': verifyPage,
  'reset-password': resetPage,
  reaffirm: reaffirmPage,
  unsubscribe: unsubscribePage,
  'forgot-password': forgotPage,
};

export async function render(params, ctx) {
  const page = pages[params[0]];
  return h('div', { class: 'mail-link narrow' }, ...page(ctx));
}

/** A card with one button that posts the link's token. */
function oneButton(id, intro, label, act) {
  const form = h('form', { class: 'card stack-form', id, novalidate: true }, formSlots(),
    h('p', null, intro),
    h('button', { type: 'submit', class: 'primary' }, label));
  submitForm(form, async () => {
    const token = linkToken();
    if (!token) { showError(form, '', t('mail.noToken')); return; }
    await act(token, form);
    // Done: the link has served its one purpose.
    form.querySelector('button[type=submit]').remove();
  });
  return form;
}

function verifyPage(ctx) {
  return [pageTitle(t('mail.verifyTitle')),
    oneButton('verify-form', t('mail.verifyIntro'), t('mail.verifyButton'), async (token, form) => {
      await post('/auth/verify-email', { token });
      forgetMe();
      showOk(form, t('mail.verified'));
      ctx.notice(t('mail.verified'));
    })];
}

function resetPage(ctx) {
  const form = h('form', { class: 'card stack-form', id: 'reset-form', novalidate: true }, formSlots(),
    field({ label: t('account.newPassword'), name: 'new_password', type: 'password', autocomplete: 'new-password', hint: t('auth.passwordHint') }),
    h('button', { type: 'submit', class: 'primary' }, t('mail.resetButton')));
  submitForm(form, async () => {
    const next = form.elements.new_password.value;
    const bytes = new TextEncoder().encode(next).length;
    if (bytes < 8 || bytes > 72) { showError(form, 'new_password', t('auth.badPassword')); return; }
    const token = linkToken();
    if (!token) { showError(form, '', t('mail.noToken')); return; }
    await post('/auth/reset-password', { token, new_password: next });
    // Every older session is revoked, this browser's too.
    if (getSession()) setSession(null);
    forgetMe();
    clearCache();
    ctx.notice(t('mail.resetDone'));
    ctx.navigate('/login');
  });
  return [pageTitle(t('mail.resetTitle')), h('p', { class: 'muted' }, t('mail.resetIntro')), form];
}

function reaffirmPage() {
  const done = h('div', { id: 'reaffirmed' });
  const form = oneButton('reaffirm-form', t('mail.reaffirmIntro'), t('mail.reaffirmButton'), async (token, f) => {
    const res = await post('/reaffirm', { token });
    const items = await Promise.all((res.forecasts || []).map(async (fc) => {
      let title = `#${fc.question_id}`;
      try { title = loc((await get(`/questions/${fc.question_id}`)).title) || title; } catch (_) { /* the number will do */ }
      return h('li', null, h('a', { href: `#/q/${fc.question_id}` }, title), ' ',
        h('span', { class: 'muted' }, t('mail.reaffirmedAt', { p: pct(fc.probabilities[0]), at: fmtDateTime(fc.created_at) })));
    }));
    showOk(f, items.length ? t('mail.reaffirmed', { n: items.length }) : t('mail.reaffirmedNone'));
    done.appendChild(h('ul', null, items));
  });
  return [pageTitle(t('mail.reaffirmTitle')), form, done];
}

function unsubscribePage() {
  return [pageTitle(t('mail.unsubscribeTitle')),
    oneButton('unsubscribe-form', t('mail.unsubscribeIntro'), t('mail.unsubscribeButton'), async (token, form) => {
      await post(`/unsubscribe?token=${encodeURIComponent(token)}`);
      showOk(form, t('mail.unsubscribed'));
    })];
}

function forgotPage() {
  const form = h('form', { class: 'card stack-form', id: 'forgot-form', novalidate: true }, formSlots(),
    field({ label: t('mail.login'), name: 'login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', maxlength: 254 }),
    h('button', { type: 'submit', class: 'primary' }, t('mail.forgotButton')));
  submitForm(form, async () => {
    const login = form.elements.login.value.trim();
    if (!login) { showError(form, 'login', t('common.required')); return; }
    await post('/auth/forgot-password', { login });
    showOk(form, t('mail.forgotSent'));
  });
  return [pageTitle(t('mail.forgotTitle')), h('p', { class: 'muted' }, t('mail.forgotIntro')), form];
}
