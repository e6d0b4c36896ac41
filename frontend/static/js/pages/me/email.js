// The e-mail card of "My profile": the address that receives digests,
// notifications and password resets, verified through a link.

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { get, post } from '../../lib/api.js';
import { field, formSlots, showError, showOk, submitForm } from '../../lib/forms.js';

export async function emailSection() {
  // The address and whether it is verified come with the preferences.
  const prefs = await get('/me/preferences').catch(() => ({}));
  const status = prefs.email
    ? h('p', { id: 'email-status' }, prefs.email, ' · ', prefs.email_verified ? t('mail.statusVerified') : t('mail.statusUnverified'))
    : h('p', { id: 'email-status', class: 'muted' }, t('mail.statusNone'));
  const form = h('form', { class: 'stack-form', id: 'email-form', novalidate: true }, formSlots(),
    field({ label: t('mail.address'), name: 'email', type: 'email', autocomplete: 'email', maxlength: 254, hint: t('mail.addressHint') }),
    h('button', { type: 'submit', class: 'primary' }, t('mail.sendVerification')));
  submitForm(form, async () => {
    const email = form.elements.email.value.trim();
    if (!email) { showError(form, 'email', t('common.required')); return; }
    await post('/me/email', { email });
    showOk(form, t('mail.verificationSent', { email }));
  });
  return h('section', { class: 'card', id: 'email' }, h('h2', null, t('mail.emailTitle')), status, form);
}
