// A forecaster's public track record, and a team's members.

import { h } from '../lib/dom.js';
import { t, loc } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { currentSlug, tournaments } from '../lib/state.js';
import { num, personName } from '../lib/format.js';
import { pageTitle } from '../lib/page.js';
import { scoresSection, calibrationSection } from '../parts/person-scores.js';
import { relativeWords } from '../parts/question-people.js';

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
    return h('div', null, pageTitle(`@${username}`), h('p', { class: 'notice info', id: 'no-profile' }, t('profile.none')));
  }
  const [list, board] = await Promise.all([
    tournaments(),
    // The board's size, for "rank 28 of 29".
    p.standing ? get(`/tournaments/${encodeURIComponent(p.tournament)}/leaderboard?limit=1`).catch(() => null) : Promise.resolve(null),
  ]);
  const tour = list.find((x) => x.slug === p.tournament);
  const st = p.standing;
  const name = p.user.display_name || p.user.username;
  return h('div', { class: 'profile public-profile' },
    pageTitle(personName(p.user)),
    h('p', { class: 'muted' }, `@${p.user.username}`, tour ? ` · ${loc(tour.title)}` : ''),
    p.profile_public ? null : h('p', { class: 'notice info' }, t('profile.hidden')),
    h('section', { class: 'card', id: 'standing' }, h('h2', null, t('profile.standing')),
      st ? h('p', null, h('span', { class: 'rank-line' }, board && board.total ? t('profile.rankOf', { rank: st.rank, total: board.total, n: st.questions }) : t('profile.rankLine', { rank: st.rank, n: st.questions })), ' ',
        h('span', null, `${t('q.relative')} ${num(st.relative, true)}${t('common.paren', { x: relativeWords(st.relative) })}`))
        : h('p', { class: 'muted' }, t('me.noScores'))),
    scoresSection(p.scores || [], name),
    calibrationSection((p.calibration && p.calibration.bins) || [], name));
}

async function team(slug, id) {
  const tm = await get(`/tournaments/${encodeURIComponent(slug)}/teams/${id}`);
  return h('div', { class: 'team-page' },
    pageTitle(tm.name),
    h('section', { class: 'card', id: 'team-members' }, h('h2', null, t('profile.members')),
      h('ul', null, tm.members.map((u) => h('li', null, h('a', { href: `#/u/${encodeURIComponent(u.username)}` }, personName(u)), h('span', { class: 'muted small' }, ` @${u.username}`))))),
    tm.invite_code ? h('p', null, `${t('me.invite')}${t('common.colon')}`, h('code', { class: 'invite' }, tm.invite_code)) : null);
}
