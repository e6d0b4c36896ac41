// The HTTP API client and the signed-in session (token kept in localStorage).

const BASE = '/api/v1';
const SESSION_KEY = 'signpost.session';

/** An error answered by the API: {status, code, message, field}. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

function loadSession() {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const sess = JSON.parse(raw);
    if (!sess || typeof sess.token !== 'string') return null;
    if (sess.expires_at && Date.parse(sess.expires_at) <= Date.now()) return null;
    return sess;
  } catch (_) {
    return null;
  }
}

let session = loadSession();
const listeners = new Set();

/** The current session {token, expires_at, user} or null. */
export function getSession() {
  return session;
}

export function onSessionChange(fn) {
  listeners.add(fn);
}

function notify(reason) {
  for (const fn of listeners) fn(session, reason);
}

export function setSession(sess) {
  session = sess;
  try {
    if (sess) localStorage.setItem(SESSION_KEY, JSON.stringify(sess));
    else localStorage.removeItem(SESSION_KEY);
  } catch (_) { /* storage may be blocked */ }
  notify(sess ? 'signin' : 'signout');
}

/** Update the stored user (e.g. after GET /me) without signalling a sign-in. */
export function updateUser(user) {
  if (!session) return;
  session = { ...session, user };
  try { localStorage.setItem(SESSION_KEY, JSON.stringify(session)); } catch (_) { /* ignore */ }
}

/**
 * request('GET', '/me') returns the parsed JSON body or throws ApiError.
 * opts.raw returns the response text instead of parsing it; opts.blob the
 * bytes untouched (a CSV's byte-order mark survives).
 */
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  const sent = session;
  if (sent) headers.Authorization = `Bearer ${sent.token}`;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  if (res.ok && opts.blob) return res.blob();
  const text = await res.text();
  if (!res.ok) {
    let err = null;
    try { err = JSON.parse(text).error; } catch (_) { /* not JSON */ }
    if (res.status === 401 && sent) {
      // The token expired or was revoked (say, after a secret change): forget
      // it, and ask again signed out, so public pages still load.
      if (session === sent) {
        session = null;
        try { localStorage.removeItem(SESSION_KEY); } catch (_) { /* ignore */ }
        notify('expired');
      }
      if (method === 'GET' && !opts.retried) return request(method, path, body, { ...opts, retried: true });
    }
    throw new ApiError(res.status, (err && err.code) || `http_${res.status}`, (err && err.message) || res.statusText, err && err.field);
  }
  if (opts.raw) return text;
  if (!text) return null;
  return JSON.parse(text);
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

const cache = new Map();

/** GET with a small in-memory cache for data that changes rarely. */
export async function cachedGet(path) {
  if (!cache.has(path)) {
    const p = get(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return cache.get(path);
}

export function clearCache() {
  cache.clear();
}
