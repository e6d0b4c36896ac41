// My notifications: newest first, a page at a time, each marked read on
// its own or all at once, linking to its question.

import { h, mount } from '../../lib/dom.js';
import { t, loc } from '../../lib/i18n.js';
import { get, post, getSession } from '../../lib/api.js';
import { timeEl } from '../../lib/format.js';
import { pageTitle } from '../../lib/page.js';
import { setUnread } from '../../parts/bell.js';

const PAGE = 20;

export async function render(params, ctx) {
  if (!getSession()) {
    return h('div', null, pageTitle(t('notif.title')), h('p', { class: 'notice info' }, t('common.needSignin'), ' ', h('a', { href: '#/login' }, t('nav.signin'))));
  }
  const first = await get(`/me/notifications?limit=${PAGE}`);
  const list = h('ol', { class: 'notif-list', id: 'notif-list' });
  const status = h('p', { class: 'muted small', id: 'notif-status', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'notif-more' }, t('notif.more'));
  // The button is there only while an older page is.
  const moreBox = h('div', { class: 'notif-more' });
  const allRead = h('button', { type: 'button', class: 'secondary', id: 'notif-all-read' }, t('notif.allRead'));
  let cursor = null;
  let unread = first.unread;

  const showUnread = (n) => {
    unread = n;
    setUnread(n);
    mount(status, n > 0 ? t('notif.unreadCount', { n }) : t('notif.allCaughtUp'));
    allRead.disabled = n === 0;
  };
  const markRead = async (ids) => {
    await post('/me/notifications/read', { ids });
    for (const id of ids) {
      const li = list.querySelector(`[data-id="${id}"]`);
      if (li && li.classList.contains('unread')) {
        li.classList.remove('unread');
        const btn = li.querySelector('.notif-read');
        if (btn) btn.remove();
        const flag = li.querySelector('.notif-new');
        if (flag) flag.remove();
        unread--;
      }
    }
    showUnread(unread);
  };
  const entry = (n) => {
    const text = loc(n.text);
    const body = n.question_id
      ? h('a', { href: `#/q/${n.question_id}`, class: 'notif-text', on: { click: () => { if (!n.read) markRead([n.id]).catch(() => {}); } } }, text)
      : h('span', { class: 'notif-text' }, text);
    return h('li', { class: `notif${n.read ? '' : ' unread'}`, dataset: { id: n.id, kind: n.kind } },
      h('div', { class: 'notif-main' },
        n.read ? null : h('span', { class: 'notif-new' }, t('notif.new')),
        body),
      h('div', { class: 'notif-meta muted small' },
        h('span', null, t(`notif.kind.${n.kind}`)), ' · ', timeEl(n.created_at),
        n.read ? null : h('button', { type: 'button', class: 'linklike notif-read', on: { click: (e) => { e.target.disabled = true; markRead([n.id]).catch(() => { e.target.disabled = false; }); } } }, t('notif.markRead'))));
  };
  const add = (res) => {
    for (const n of res.entries) list.appendChild(entry(n));
    cursor = res.next_cursor;
    mount(moreBox, cursor ? more : null);
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      add(await get(`/me/notifications?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`));
    } finally { more.disabled = false; }
  });
  allRead.addEventListener('click', async () => {
    allRead.disabled = true;
    try {
      await post('/me/notifications/read', { all: true });
      list.querySelectorAll('.unread').forEach((li) => {
        li.classList.remove('unread');
        li.querySelectorAll('.notif-read, .notif-new').forEach((x) => x.remove());
      });
      showUnread(0);
    } catch (_) { allRead.disabled = false; }
  });

  add(first);
  showUnread(unread);
  const empty = first.entries.length === 0 ? h('p', { class: 'muted', id: 'notif-empty' }, t('notif.none')) : null;
  return h('div', { class: 'notifications' },
    pageTitle(t('notif.title')),
    h('div', { class: 'notif-bar' }, status, allRead),
    empty, list, moreBox,
    h('p', { class: 'muted small' }, h('a', { href: '#/me#preferences' }, t('notif.settings'))));
}
