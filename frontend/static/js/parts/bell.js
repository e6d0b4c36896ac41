// The bell in the header: a link to my notifications with the unread
// count. The count is fetched whenever the header is drawn and kept
// between draws, so a page change never shows an empty bell first.

import { h, s, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, getSession } from '../lib/api.js';

let unread = 0;
let seq = 0;

function label(n) {
  return n > 0 ? t('notif.bellUnread', { n }) : t('notif.bell');
}

function badge(n) {
  return n > 0 ? h('span', { class: 'bell-count', 'aria-hidden': 'true' }, n > 99 ? '99+' : String(n)) : null;
}

// A bell outline, drawn so that it looks the same with every font.
function icon() {
  return s('svg', { viewBox: '0 0 24 24', width: 20, height: 20, 'aria-hidden': 'true', focusable: 'false', class: 'bell-icon' },
    s('path', { d: 'M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6z', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linejoin': 'round' }),
    s('path', { d: 'M10 19a2 2 0 0 0 4 0', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round' }));
}

/** The bell for the header (null when signed out); it refreshes its count. */
export function bell(active) {
  if (!getSession()) return null;
  const a = h('a', { href: '#/notifications', class: 'bell', id: 'bell', 'aria-label': label(unread), title: label(unread) },
    icon(), badge(unread));
  if (active) a.setAttribute('aria-current', 'page');
  refresh();
  return a;
}

/** setUnread shows a count the caller already knows (after marking read). */
export function setUnread(n) {
  unread = Math.max(0, n | 0);
  const a = document.getElementById('bell');
  if (!a) return;
  a.setAttribute('aria-label', label(unread));
  a.setAttribute('title', label(unread));
  a.dataset.unread = String(unread);
  mount(a, icon(), badge(unread));
}

async function refresh() {
  const mine = ++seq;
  try {
    const res = await get('/me/notifications?limit=1');
    if (mine === seq) setUnread(res.unread);
  } catch (_) { /* the bell keeps its last count */ }
}
