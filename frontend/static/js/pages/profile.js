// ui2: a forecaster's public track record, and a team's members.

import { h } from '../dom.js';
import { t, loc } from '../i18n.js';
import { get } from '../api.js';
import { currentSlug, tournaments } from '../state.js';
import { num, pageTitle } from '../ui.js';
import { scoresSection, calibrationSection } from './me.js';
import { relativeWords } from './question_people.js';

export async function render(params) {
  if (params.length === 2) return team(params[0], params[1]);
  const username = params[0];
  const slug = await currentSlug();
  let p;
  try {
    p = await get(`/users/${encodeURIComponent(username)}?tournament=${encodeURIComponent(slug)}`);
  } catch (err) {
    // A hidden profile answers 404 like a missing one: say both kindly.
    if (err.status !== 404) throw err;
    return h('div', null, pageTitle(`@${username}`), h('p', { class: 'notice info', id: 'no-profile' }, t('ui2.noProfile')));
  }
  const list = await tournaments();
  const tour = list.find((x) => x.slug === p.tournament);
  const st = p.standing;
  return h('div', { class: 'profile public-profile' },
    pageTitle(p.user.display_name || p.user.username),
    h('p', { class: 'muted' }, `@${p.user.username}`, tour ? ` · ${loc(tour.title)}` : ''),
    p.profile_public ? null : h('p', { class: 'notice info' }, t('ui2.hiddenProfile')),
    h('section', { class: 'card', id: 'standing' }, h('h2', null, t('ui2.standing')),
      st ? h('p', null, t('ui2.rankLine', { rank: st.rank, n: st.questions }), ' ',
        h('span', null, `${t('q.relative')} ${num(st.relative, true)}${t('ui2.paren', { x: relativeWords(st.relative) })}`))
        : h('p', { class: 'muted' }, t('me.noScores'))),
    scoresSection(p.scores || []),
    calibrationSection((p.calibration && p.calibration.bins) || []));
}

async function team(slug, id) {
  const tm = await get(`/tournaments/${encodeURIComponent(slug)}/teams/${id}`);
  return h('div', { class: 'team-page' },
    pageTitle(tm.name),
    h('section', { class: 'card', id: 'team-members' }, h('h2', null, t('ui2.members')),
      h('ul', null, tm.members.map((u) => h('li', null, h('a', { href: `#/u/${encodeURIComponent(u.username)}` }, u.display_name || u.username), h('span', { class: 'muted small' }, ` @${u.username}`))))),
    tm.invite_code ? h('p', null, `${t('me.invite')}${t('ui2.colon')}`, h('code', { class: 'invite' }, tm.invite_code)) : null);
}
