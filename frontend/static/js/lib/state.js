// Application state shared by pages: the chosen tournament and the signed-in user.

import { cachedGet, get, getSession, updateUser } from './api.js';

const T_KEY = 'signpost.tournament';
const DEFAULT_SLUG = 'ai-scenarios-2027';

export function storedSlug() {
  try { return localStorage.getItem(T_KEY) || ''; } catch (_) { return ''; }
}

export function setCurrentSlug(slug) {
  try { localStorage.setItem(T_KEY, slug); } catch (_) { /* ignore */ }
}

export async function tournaments() {
  const res = await cachedGet('/tournaments');
  return res.tournaments || [];
}

/** The slug of the tournament the user looks at: remembered, else the default, else the first. */
export async function currentSlug() {
  const list = await tournaments();
  const slugs = list.map((x) => x.slug);
  const saved = storedSlug();
  if (saved && slugs.includes(saved)) return saved;
  if (slugs.includes(DEFAULT_SLUG)) return DEFAULT_SLUG;
  return slugs[0] || '';
}

let meCache = null;
let meToken = null;

/** GET /me for the current session, cached per token; null when signed out. */
export async function me(force = false) {
  const sess = getSession();
  if (!sess) return null;
  if (force || !meCache || meToken !== sess.token) {
    meToken = sess.token;
    meCache = get('/me').then((u) => { updateUser(u); return u; });
    meCache.catch(() => { meCache = null; });
  }
  return meCache;
}

export function forgetMe() {
  meCache = null;
  meToken = null;
}
