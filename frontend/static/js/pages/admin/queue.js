// The resolution queue: questions past their close date or their
// expected answer date and not yet resolved, oldest first, with the
// criteria and sources at hand.

import { h } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { get, getSession } from '../../lib/api.js';
import { setCurrentSlug, me } from '../../lib/state.js';
import { fmtDate, timeEl, summary } from '../../lib/format.js';
import { pageTitle } from '../../lib/page.js';
import { linkify } from '../../parts/question-people.js';

export async function render() {
  const title = pageTitle(t('queue.title'));
  const user = getSession() ? await me() : null;
  if (!user || user.role !== 'admin') return h('div', null, title, h('p', { class: 'notice error' }, t('common.needAdmin')));
  const res = await get('/admin/resolution-queue');
  const qs = res.questions || [];
  return h('div', { class: 'queue' }, title,
    h('p', { class: 'muted' }, t('queue.explain')),
    qs.length ? h('ol', { class: 'qlist', id: 'queue-list' }, qs.map(item)) : h('p', { class: 'notice ok' }, t('queue.empty')));
}

function item(q) {
  const sources = q.resolution_source || [];
  return h('li', { class: 'qitem', dataset: { qid: q.id } },
    h('a', { class: 'qtitle', href: `#/q/${q.id}` }, `#${q.id} ${loc(q.title)}`),
    h('p', { class: 'meta' }, t('queue.closedAt'), ' ', timeEl(q.closes_at),
      q.resolve_by ? ` · ${t('q.resolveBy')} ${fmtDate(q.resolve_by)}` : '',
      q.crowd ? ` · ${t('home.crowd')} ${summary(q, q.crowd.probabilities)}` : ''),
    h('details', null, h('summary', null, t('q.criteria')), h('p', { class: 'prose' }, loc(q.criteria)),
      sources.length ? h('ul', null, sources.map((src) => h('li', null, linkify(loc(src))))) : null),
    h('p', null, h('a', { class: 'button resolve-this', href: '#/admin', on: { click: () => { setCurrentSlug(q.tournament); sessionStorage.setItem('signpost.resolve', String(q.id)); } } }, t('queue.resolveThis'))));
}
