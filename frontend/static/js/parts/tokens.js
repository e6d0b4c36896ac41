// My personal API tokens: create (the secret shown once), list, revoke.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, post, request, ApiError } from '../lib/api.js';
import { fmtDateTime } from '../lib/format.js';
import { field, formSlots, clearErrors, showError, showApiError, showOk, busy, utcInput } from '../lib/forms.js';

export function tokensSection(user) {
  const list = h('div', { class: 'table-wrap', id: 'token-list' });
  const secretBox = h('div', { id: 'token-secret', 'aria-live': 'polite' });
  const scopes = ['read', 'forecast'].concat(user.role === 'admin' ? ['admin'] : []);
  const form = h('form', { class: 'stack-form', id: 'token-create', novalidate: true },
    formSlots(),
    field({ label: t('tok.name'), name: 'name', required: true, maxlength: 64, autocomplete: 'off' }),
    field({ label: t('tok.scope'), name: 'scope', tag: 'select',
      children: scopes.map((s) => h('option', { value: s, selected: s === 'forecast' }, t(`tok.scope.${s}`))) }),
    field({ label: t('tok.expires'), name: 'expires_at', type: 'datetime-local', step: 60 }),
    h('button', { type: 'submit', class: 'primary' }, t('tok.create')));
  const refresh = async () => {
    const res = await get('/me/tokens');
    drawList(list, res.tokens || [], refresh);
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    mount(secretBox);
    const name = form.elements.name.value.trim();
    if (!name) { showError(form, 'name', t('common.required')); return; }
    const body = { name, scope: form.elements.scope.value };
    const exp = utcInput(form.elements.expires_at.value);
    if (exp) body.expires_at = exp;
    await busy(form, async () => {
      try {
        const created = await post('/me/tokens', body);
        form.reset();
        mount(secretBox, h('div', { class: 'notice ok' },
          h('p', null, t('tok.secret')), h('p', null, h('code', { class: 'token-secret' }, created.token))));
        await refresh();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
  refresh().catch(() => mount(list, h('p', { class: 'muted' }, t('common.error'))));
  return h('section', { class: 'card', id: 'tokens' },
    h('h2', null, t('tok.title')),
    h('p', { class: 'muted small' }, t('tok.explain')),
    list, secretBox, form);
}

function drawList(box, tokens, refresh) {
  if (!tokens.length) {
    mount(box, h('p', { class: 'muted' }, t('tok.none')));
    return;
  }
  mount(box, h('table', { class: 'lb-table small' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('tok.name')),
      h('th', { scope: 'col' }, t('tok.scope')),
      h('th', { scope: 'col' }, t('tok.created')),
      h('th', { scope: 'col' }, t('tok.expiresCol')),
      h('th', { scope: 'col' }, ''))),
    h('tbody', null, tokens.map((tk) => h('tr', { dataset: { token: tk.id } },
      h('td', null, tk.name),
      h('td', null, t(`tok.scope.${tk.scope}`)),
      h('td', null, fmtDateTime(tk.created_at)),
      h('td', null, tk.expires_at ? fmtDateTime(tk.expires_at) : t('tok.never')),
      h('td', null, h('button', { type: 'button', class: 'secondary', on: { click: async (e) => {
        e.target.disabled = true;
        try {
          await request('DELETE', `/me/tokens/${tk.id}`);
          await refresh();
          showOk(box.closest('section').querySelector('form'), t('tok.revoked'));
        } finally { e.target.disabled = false; }
      } } }, t('tok.revoke'))))))));
}
