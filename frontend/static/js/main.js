// Entry point: header, language switch and the hash router.

import { h, mount } from './lib/dom.js';
import { t, lang, setLang, loadLang } from './lib/i18n.js';
import { getSession, setSession, onSessionChange, clearCache } from './lib/api.js';
import { me, forgetMe } from './lib/state.js';
import { loading, errorBox } from './lib/page.js';
import { bell } from './parts/bell.js';
import { watchScrollers } from './lib/scrollers.js';
import { personName } from './lib/format.js';

const routes = [
  { re: /^\/?$/, page: 'home', name: 'home' },
  { re: /^\/t\/([a-z0-9-]+)$/, page: 'home', name: 'home' },
  { re: /^\/q\/(\d+)$/, page: 'question', name: 'home' },
  { re: /^\/signposts$/, page: 'signposts', name: 'signposts' },
  { re: /^\/leaderboard(?:\/(team|conditional|aggregates))?$/, page: 'leaderboard', name: 'leaderboard' },
  { re: /^\/me$/, page: 'me', name: 'me' },
  { re: /^\/notifications$/, page: 'notifications', name: 'notifications' },
  { re: /^\/login$/, page: 'auth', name: 'login' },
  { re: /^\/admin(?:\/(tournament|questions|links|webhooks|tripwires|tokens|audit))?$/, page: 'admin', name: 'admin' },
  { re: /^\/rules$/, page: 'rules', name: 'rules' },
  // people and the resolution queue
  { re: /^\/u\/([a-z0-9_.-]+)$/, page: 'profile', name: 'leaderboard' },
  { re: /^\/team\/([a-z0-9-]+)\/(\d+)$/, page: 'profile', name: 'leaderboard' },
  { re: /^\/admin\/queue$/, page: 'queue', name: 'admin' },
  { re: /^\/api$/, page: 'apiref', name: 'api' },
  // the pages the links in e-mails open
  { re: /^\/(verify-email|reset-password|reaffirm|unsubscribe|forgot-password)$/, page: 'mailLinks', name: 'mail' },
];

const pages = {
  home: () => import('./pages/home.js'),
  question: () => import('./pages/question.js'),
  signposts: () => import('./pages/signposts.js'),
  leaderboard: () => import('./pages/leaderboard.js'),
  me: () => import('./pages/me/me.js'),
  notifications: () => import('./pages/me/notifications.js'),
  auth: () => import('./pages/auth.js'),
  admin: () => import('./pages/admin/admin.js'),
  rules: () => import('./pages/rules.js'),
  profile: () => import('./pages/profile.js'),
  queue: () => import('./pages/admin/queue.js'),
  apiref: () => import('./pages/apiref.js'),
  mailLinks: () => import('./pages/mail-links.js'),
};

const header = document.getElementById('header');
const main = document.getElementById('main');
const flash = document.getElementById('flash');
const footer = document.getElementById('footer');
let renderSeq = 0;
let firstRender = true;
let activeRoute = 'home';

function currentPath() {
  const raw = location.hash.replace(/^#/, '') || '/';
  return raw.split('?')[0];
}

// A notice given just before navigating is for the page navigated to
// ("password changed" on the sign-in page): that route keeps it.
let keepFlash = false;

export function navigate(path) {
  keepFlash = true;
  if (currentPath() === path) route();
  else location.hash = `#${path}`;
}

/** Show a short message above the page (e.g. "signed in"). */
export function notice(text, kind = 'ok') {
  mount(flash, text ? h('p', { class: `notice ${kind}`, role: 'status' }, text) : null);
}

function navLink(href, key, name) {
  const a = h('a', { href: `#${href}` }, t(key));
  if (activeRoute === name) a.setAttribute('aria-current', 'page');
  return h('li', null, a);
}

async function renderHeader() {
  const sess = getSession();
  let user = sess ? sess.user : null;
  const items = [
    navLink('/', 'nav.home', 'home'),
    navLink('/signposts', 'nav.signposts', 'signposts'),
    navLink('/leaderboard', 'nav.leaderboard', 'leaderboard'),
    navLink('/rules', 'nav.rules', 'rules'),
  ];
  if (user) {
    items.push(navLink('/me', 'nav.me', 'me'));
    if (user.role === 'admin') items.push(navLink('/admin', 'nav.admin', 'admin'));
    items.push(h('li', null, h('button', { type: 'button', class: 'linklike', id: 'signout', on: { click: signOut } }, t('nav.signout'))));
  } else {
    items.push(navLink('/login', 'nav.signin', 'login'));
  }
  const switchBtn = h('button', {
    type: 'button', class: 'lang-switch', id: 'lang-switch', lang: lang() === 'zh' ? 'en' : 'zh',
    'aria-label': `${t('lang.label')}: ${t('lang.otherName')}`, on: { click: switchLang },
  }, t('lang.other'));
  mount(header,
    h('a', { class: 'skip', href: '#main', on: { click: skipToMain } }, t('app.skip')),
    h('div', { class: 'bar-inner' },
      h('a', { class: 'brand', href: '#/' }, h('img', { src: '/favicon.svg', alt: '', width: 24, height: 24 }), h('span', null, t('app.name'))),
      h('nav', { 'aria-label': t('nav.main') }, h('ul', null, items)),
      user ? bell(activeRoute === 'notifications') : null,
      user ? h('span', { class: 'who', title: user.username }, personName(user)) : null,
      switchBtn));
}

// The footer links the reference pages, in the current language.
function renderFooter() {
  if (!footer) return;
  mount(footer, h('p', null, 'Signpost · ', h('a', { href: '#/rules' }, t('nav.rules')),
    ' · ', h('a', { href: '#/api', id: 'footer-api' }, t('nav.api'))));
}

function skipToMain(e) {
  e.preventDefault();
  const target = main.querySelector('h1') || main;
  target.setAttribute('tabindex', '-1');
  target.focus();
}

// The other language's texts are fetched on the first switch. Until they
// arrive the page stays as it is but no longer counts as rendered, so that
// whoever waits for the page in the new language waits for the fetch too.
async function switchLang() {
  const ready = main.dataset.ready;
  delete main.dataset.ready;
  try {
    await setLang(lang() === 'zh' ? 'en' : 'zh');
  } catch (err) {
    console.error(err);
    if (ready !== undefined && main.dataset.ready === undefined) main.dataset.ready = ready;
    return;
  }
  renderHeader();
  route({ keepFocus: true });
  const btn = document.getElementById('lang-switch');
  if (btn) btn.focus();
}

function signOut() {
  setSession(null);
  forgetMe();
  clearCache();
  navigate('/');
}

async function route(opts = {}) {
  const seq = ++renderSeq;
  const path = currentPath();
  let match = null;
  let params = [];
  for (const r of routes) {
    const m = path.match(r.re);
    if (m) { match = r; params = m.slice(1); break; }
  }
  activeRoute = match ? match.name : '';
  renderHeader();
  renderFooter();
  delete main.dataset.ready;
  if (!opts.keepFocus && !keepFlash) mount(flash);
  keepFlash = false;
  mount(main, loading());
  main.setAttribute('aria-busy', 'true');
  let node;
  try {
    if (!match) throw Object.assign(new Error(t('common.notFound')), { code: 'not_found' });
    const mod = await pages[match.page]();
    // rerender({ focus }) keeps the reader where they were: after a form is
    // sent, focus returns to the given element instead of the page body.
    node = await mod.render(params, { navigate, notice, rerender: (o = {}) => route({ keepFocus: true, ...o }) });
  } catch (err) {
    console.error(err);
    node = errorBox(err);
  }
  if (seq !== renderSeq) return; // a newer navigation won
  mount(main, node);
  main.removeAttribute('aria-busy');
  main.dataset.ready = path; // tests wait for this
  const focusAgain = opts.focus ? main.querySelector(opts.focus) : null;
  if (focusAgain) {
    focusAgain.setAttribute('tabindex', '-1');
    focusAgain.focus();
  } else if (!firstRender && !opts.keepFocus) {
    const h1 = main.querySelector('h1');
    if (h1) h1.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }
  firstRender = false;
}

onSessionChange((sess, reason) => {
  forgetMe();
  if (reason === 'expired') notice(t('common.sessionExpired'), 'error');
  renderHeader();
});

// Nothing renders before the reader's texts are here: no raw key flashes.
// A mail's link names its reader's language (#/reaffirm?…&lang=zh).
try {
  const linkLang = new URLSearchParams(location.hash.split('?')[1] || '').get('lang');
  if (linkLang === 'en' || linkLang === 'zh') await setLang(linkLang);
  else await loadLang();
} catch (err) {
  console.error(err);
}
window.addEventListener('hashchange', () => route());
watchScrollers(main);
if (getSession()) {
  // Refresh the stored user (role, name) in the background.
  me().then(() => renderHeader()).catch(() => {});
}
route();
