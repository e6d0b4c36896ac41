// The account card of "My profile": display name, profile visibility,
// password, and leaving the team.

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { post, patch, del, setSession } from '../../lib/api.js';
import { forgetMe } from '../../lib/state.js';
import { askConfirm } from '../../parts/confirm.js';
import { field, formSlots, showError, showOk, submitForm as submit } from '../../lib/forms.js';

export function accountSection(user, slug, ctx) {
  const profile = h('form', { class: 'stack-form', id: 'profile-form', novalidate: true }, formSlots(),
    field({ label: t('account.displayName'), name: 'display_name', value: user.display_name || '', maxlength: 64, autocomplete: 'nickname' }),
    h('div', { class: 'field inline', dataset: { field: 'profile_public' } },
      h('input', { type: 'checkbox', id: 'profile-public', name: 'profile_public', checked: user.profile_public !== false }),
      h('label', { for: 'profile-public' }, t('account.profilePublic'))),
    h('p', { class: 'hint' }, t('account.profilePublicHint')),
    h('button', { type: 'submit', class: 'primary' }, t('common.save')));
  submit(profile, async () => {
    const name = profile.elements.display_name.value.trim();
    if (!name) { showError(profile, 'display_name', t('common.required')); return; }
    await patch('/me', { display_name: name, profile_public: profile.elements.profile_public.checked });
    forgetMe();
    ctx.notice(t('account.saved'));
    ctx.rerender();
  });

  const pw = h('form', { class: 'stack-form subform', id: 'password-form', novalidate: true }, h('h3', null, t('account.changePassword')), formSlots(),
    field({ label: t('account.currentPassword'), name: 'current_password', type: 'password', autocomplete: 'current-password' }),
    field({ label: t('account.newPassword'), name: 'new_password', type: 'password', autocomplete: 'new-password', hint: t('auth.passwordHint') }),
    h('button', { type: 'submit', class: 'primary' }, t('account.changePassword')));
  submit(pw, async () => {
    const cur = pw.elements.current_password.value;
    const next = pw.elements.new_password.value;
    if (!cur) { showError(pw, 'current_password', t('common.required')); return; }
    const bytes = new TextEncoder().encode(next).length;
    if (bytes < 8 || bytes > 72) { showError(pw, 'new_password', t('auth.badPassword')); return; }
    await post('/me/password', { current_password: cur, new_password: next });
    // Every older token is revoked: sign in again with the new password.
    setSession(null);
    forgetMe();
    ctx.notice(t('account.passwordChanged'));
    ctx.navigate('/login');
  });

  const team = (user.teams || []).find((tm) => tm.tournament === slug);
  let leave = null;
  if (team) {
    leave = h('form', { class: 'stack-form subform', id: 'leave-form', novalidate: true }, formSlots(),
      h('p', null, h('a', { href: `#/team/${encodeURIComponent(slug)}/${team.id}` }, t('account.teamMembers', { name: team.name }))),
      h('button', { type: 'submit', class: 'danger' }, t('account.leaveTeam', { name: team.name })));
    submit(leave, async () => {
      if (!await askConfirm(leave.querySelector('button[type=submit]'), t('account.confirmLeave', { name: team.name }), t('account.leave'))) return;
      await del(`/tournaments/${encodeURIComponent(slug)}/teams/mine`);
      forgetMe();
      showOk(leave, t('account.left'));
      ctx.notice(t('account.left'));
      ctx.rerender();
    });
  }
  return h('section', { class: 'card', id: 'account' }, h('h2', null, t('account.title')), profile, pw, leave);
}
