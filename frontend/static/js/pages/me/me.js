// My profile: scores per question, calibration chart and my team.

import { h } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { get, post, cachedGet, getSession, ApiError } from '../../lib/api.js';
import { currentSlug, me, tournaments } from '../../lib/state.js';
import { optionLabel } from '../../lib/format.js';
import { pageTitle } from '../../lib/page.js';
import { field, formSlots, clearErrors, showError, showApiError, busy } from '../../lib/forms.js';
import { scoresSection, calibrationSection } from '../../parts/person-scores.js';
import { accountSection } from './account.js';
import { tokensSection } from '../../parts/tokens.js';
import { emailSection } from './email.js';
import { preferencesSection } from './preferences.js';
import { fetchCoherence, coherenceNudge } from '../../parts/coherence.js';

export async function render(params, ctx) {
  if (!getSession()) {
    return h('div', null, pageTitle(t('me.title')), h('p', { class: 'notice info' }, t('common.needSignin'), ' ', h('a', { href: '#/login' }, t('nav.signin'))));
  }
  const slug = await currentSlug();
  const q = `?tournament=${encodeURIComponent(slug)}`;
  const [user, scores, calib, list, nudge, email] = await Promise.all([
    me(true),
    get(`/me/scores${q}`).catch(() => ({ scores: [] })),
    get(`/me/calibration${q}`).catch(() => ({ bins: [] })),
    tournaments(),
    nudgeFor(slug),
    emailSection(),
  ]);
  const tour = list.find((x) => x.slug === slug);
  return h('div', { class: 'profile' },
    pageTitle(t('me.title')),
    h('p', { class: 'muted' },
      h('strong', { class: 'display-name' }, user.display_name || user.username), ' ', h('a', { href: `#/u/${encodeURIComponent(user.username)}` }, `@${user.username}`), ` · ${t(`me.role.${user.role}`)}`,
      tour ? ` · ${loc(tour.title)}` : ''),
    nudge,
    teamSection(user, slug, ctx),
    scoresSection(scores.scores || []),
    calibrationSection(calib.bins || []),
    accountSection(user, slug, ctx),
    email,
    preferencesSection(),
    tokensSection(user));
}

/** The coherence nudge with the scenario names, or null when coherent. */
async function nudgeFor(slug) {
  const res = await fetchCoherence(slug);
  if (!res || !res.incoherent) return null;
  let labels = [];
  try {
    const tour = await cachedGet(`/tournaments/${encodeURIComponent(slug)}`);
    const sq = (tour.questions || []).find((x) => (res.scenario_question_id ? x.id === res.scenario_question_id : !x.area && x.kind !== 'binary'));
    if (sq) labels = (sq.options || []).map((o, i) => optionLabel(sq, i));
    if (sq) return h('section', { class: 'card' }, coherenceNudge(res, labels), h('p', null, h('a', { href: `#/q/${sq.id}` }, t('coh.revisit'))));
  } catch (_) { /* names are a nicety: numbered rows still make sense */ }
  return coherenceNudge(res, labels);
}

function teamSection(user, slug, ctx) {
  const box = h('section', { class: 'card', id: 'team' }, h('h2', null, t('me.team')));
  const team = (user.teams || []).find((tm) => tm.tournament === slug);
  if (team) {
    box.appendChild(h('p', null, h('strong', { class: 'team-name' }, team.name)));
    if (team.invite_code) {
      box.appendChild(h('p', null, `${t('me.invite')}${t('common.colon')}`, h('code', { class: 'invite' }, team.invite_code)));
      box.appendChild(h('p', { class: 'muted small' }, t('me.inviteHint')));
    }
    return box;
  }
  box.appendChild(h('p', { class: 'muted' }, t('me.noTeam')));
  const create = h('form', { class: 'stack-form', id: 'team-create', novalidate: true },
    h('h3', null, t('me.createTeam')), formSlots(),
    field({ label: t('me.teamNameLabel'), name: 'name', required: true, maxlength: 64 }),
    h('button', { type: 'submit', class: 'primary' }, t('me.create')));
  const join = h('form', { class: 'stack-form', id: 'team-join', novalidate: true },
    h('h3', null, t('me.joinTeam')), formSlots(),
    field({ label: t('me.inviteLabel'), name: 'invite_code', required: true, autocomplete: 'off', spellcheck: 'false' }),
    h('button', { type: 'submit', class: 'primary' }, t('me.join')));
  submitTeam(create, 'name', `/tournaments/${encodeURIComponent(slug)}/teams`, ctx);
  submitTeam(join, 'invite_code', `/tournaments/${encodeURIComponent(slug)}/teams/join`, ctx);
  box.appendChild(h('div', { class: 'two-col' }, create, join));
  return box;
}

function submitTeam(form, name, path, ctx) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const value = form.elements[name].value.trim();
    if (!value) { showError(form, name, t('common.required')); return; }
    await busy(form, async () => {
      try {
        const team = await post(path, { [name]: value });
        ctx.notice(t('me.joined', { name: team.name || '' }));
        ctx.rerender();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err.field ? err : Object.assign(err, { field: name }));
      }
    });
  });
}
