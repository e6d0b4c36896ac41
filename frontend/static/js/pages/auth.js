// Sign in and register.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { post, setSession, clearCache, ApiError } from '../lib/api.js';
import { pageTitle } from '../lib/page.js';
import { field, formSlots, clearErrors, showError, showApiError, busy } from '../lib/forms.js';

const USERNAME = /^[a-z0-9_.-]{3,32}$/;

export async function render(params, ctx) {
  return h('div', { class: 'auth' },
    pageTitle(t('auth.signin')),
    h('div', { class: 'two-col' },
      signinForm(ctx),
      registerForm(ctx)));
}

function done(res, ctx) {
  setSession({ token: res.token, expires_at: res.expires_at, user: res.user });
  clearCache();
  ctx.notice(t('auth.welcome', { name: res.user.display_name || res.user.username }));
  ctx.navigate('/');
}

function checkCommon(form, username, password) {
  if (!USERNAME.test(username)) {
    showError(form, 'username', t('auth.badUsername'));
    return false;
  }
  const bytes = new TextEncoder().encode(password).length;
  if (bytes < 8 || bytes > 72) {
    showError(form, 'password', t('auth.badPassword'));
    return false;
  }
  return true;
}

function signinForm(ctx) {
  const form = h('form', { class: 'card stack-form', id: 'signin-form', novalidate: true },
    h('h2', null, t('auth.signin')),
    formSlots(),
    field({ label: t('auth.username'), name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    field({ label: t('auth.password'), name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit', class: 'primary' }, t('auth.submitSignin')),
    h('p', { class: 'small' }, h('a', { href: '#/forgot-password', id: 'forgot-link' }, t('mail.forgotLink'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const username = form.elements.username.value.trim().toLowerCase();
    const password = form.elements.password.value;
    if (!username) { showError(form, 'username', t('common.required')); return; }
    if (!password) { showError(form, 'password', t('common.required')); return; }
    await busy(form, async () => {
      try {
        done(await post('/auth/login', { username, password }), ctx);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        // A wrong username or password is reported at the password field.
        showApiError(form, err.code === 'unauthorized' && !err.field ? Object.assign(err, { field: 'password' }) : err);
      }
    });
  });
  return form;
}

function registerForm(ctx) {
  const form = h('form', { class: 'card stack-form', id: 'register-form', novalidate: true },
    h('h2', null, t('auth.register')),
    formSlots(),
    field({ label: t('auth.username'), name: 'username', hint: t('auth.usernameHint'), autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', maxlength: 32 }),
    field({ label: t('auth.displayName'), name: 'display_name', autocomplete: 'nickname', maxlength: 64 }),
    field({ label: t('auth.password'), name: 'password', type: 'password', hint: t('auth.passwordHint'), autocomplete: 'new-password', required: true }),
    h('button', { type: 'submit', class: 'primary' }, t('auth.submitRegister')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const username = form.elements.username.value.trim().toLowerCase();
    const password = form.elements.password.value;
    const displayName = form.elements.display_name.value.trim();
    if (!checkCommon(form, username, password)) return;
    const body = { username, password };
    if (displayName) body.display_name = displayName;
    await busy(form, async () => {
      try {
        done(await post('/auth/register', body), ctx);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err.code === 'conflict' && !err.field ? Object.assign(err, { field: 'username' }) : err);
      }
    });
  });
  return form;
}
