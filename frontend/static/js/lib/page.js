// What every page shows around its content: its title, the loading state,
// and API errors as sentences in the reader's language.

import { h } from './dom.js';
import { t } from './i18n.js';

/** The placeholder shown while a page loads. */
export function loading() {
  return h('p', { class: 'muted', role: 'status' }, t('common.loading'));
}

/** A message box for a failed page load. */
export function errorBox(err) {
  return h('div', { class: 'notice error', role: 'alert' }, apiMessage(err), errorDetail(err));
}

/**
 * The sentence to show for an ApiError, always in the reader's language:
 * err.<code>.<field>, else err.field.<field> for a validation error, else
 * err.<code>. The server's own text is only offered by errorDetail.
 */
export function apiMessage(err) {
  if (!err) return t('common.error');
  if (err.code === 'network') return t('err.network');
  const keys = [];
  if (err.field) {
    const f = String(err.field).replace(/\[\d+\]/g, '').replace(/\.(en|zh)$/, '');
    keys.push(`err.${err.code}.${f}`);
    if (err.code === 'validation_failed' || err.code === 'bad_request') keys.push(`err.field.${f}`);
  }
  keys.push(`err.${err.code}`);
  for (const k of keys) {
    const s = t(k);
    if (s !== k) return s;
  }
  return t('common.error');
}

/** The server's message, folded away, for whoever needs the details. */
export function errorDetail(err) {
  if (!err || !err.message || err.message === err.code || err.code === 'network') return null;
  return h('details', { class: 'err-detail' }, h('summary', null, t('err.details')),
    // The field once: import messages already start with its path.
    h('code', null, err.field && !err.message.includes(err.field) ? `${err.field}: ${err.message}` : err.message));
}

/** The page's <h1>, which also names the browser tab. */
export function pageTitle(text) {
  // text may be a node (a name marked with its language).
  document.title = `${typeof text === 'string' ? text : text.textContent} · Signpost`;
  return h('h1', { tabindex: '-1', class: 'page-title' }, text);
}
