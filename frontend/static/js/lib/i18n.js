// The chosen language, its UI texts, and helpers to pick a language from the
// server's {en, zh} content objects. Each language's texts live in
// i18n/<lang>.json and are fetched only when that language is used, so a
// reader downloads one language, not both.

const LANGS = ['en', 'zh'];
const KEY = 'signpost.lang';
const loaded = {};

function detect() {
  try {
    const saved = localStorage.getItem(KEY);
    if (LANGS.includes(saved)) return saved;
  } catch (_) { /* storage may be blocked */ }
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  return String(langs[0] || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = detect();
let texts = {};

// One request per language however many callers ask at once.
function fetchTexts(l) {
  if (!loaded[l]) {
    loaded[l] = fetch(new URL(`./i18n/${l}.json`, import.meta.url))
      .then((res) => {
        if (!res.ok) throw new Error(`UI texts for ${l}: HTTP ${res.status}`);
        return res.json();
      })
      .catch((err) => {
        delete loaded[l]; // let a later switch try again
        throw err;
      });
  }
  return loaded[l];
}

export function lang() {
  return current;
}

/**
 * loadLang() fetches the current language's texts; the page renders only
 * after it resolves, so no raw key is ever shown.
 */
export async function loadLang() {
  texts = await fetchTexts(current);
  applyDocumentLang();
}

/** setLang('zh') fetches that language's texts, then makes it current. */
export async function setLang(l) {
  const next = l === 'zh' ? 'zh' : 'en';
  texts = await fetchTexts(next);
  current = next;
  try { localStorage.setItem(KEY, current); } catch (_) { /* ignore */ }
  applyDocumentLang();
}

function applyDocumentLang() {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

/**
 * t('q.total', {total: 95}) returns the UI text for the current language.
 * A count of one takes the key's singular twin when the language has one
 * (t('people.nForecasts', {n: 1}) reads people.nForecasts1: "1 forecast").
 */
export function t(key, params) {
  const one = params && params.n === 1 ? texts[`${key}1`] : undefined;
  let text = one !== undefined ? one : texts[key];
  if (text === undefined) return key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return text;
}

/** loc({en, zh}) picks the current language, falling back to the other. */
export function loc(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  const other = current === 'zh' ? 'en' : 'zh';
  return v[current] || v[other] || Object.values(v).find((x) => typeof x === 'string' && x) || '';
}
