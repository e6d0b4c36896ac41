// Criteria and sources cite other questions of the tournament by slug
// ("question b-waico-30-member-states"); the reader sees the question's
// title instead, linked to its page.

import { h } from '../lib/dom.js';
import { loc } from '../lib/i18n.js';
import { cachedGet } from '../lib/api.js';
import { linkify } from './question-people.js';

/** The tournament's questions by slug, or an empty map when it cannot be read. */
export async function questionsBySlug(q) {
  if (typeof q.tournament !== 'string') return new Map();
  try {
    const tour = await cachedGet(`/tournaments/${encodeURIComponent(q.tournament)}`);
    return new Map((tour.questions || []).filter((x) => x.slug).map((x) => [x.slug, x]));
  } catch (_) {
    return new Map();
  }
}

/** citeQuestions(text, bySlug) is the text's nodes: known slugs become title links, web addresses links. */
export function citeQuestions(text, bySlug) {
  // Addresses first, so that a slug-like path inside one stays in its link.
  return linkify(text).flatMap((part) => (typeof part !== 'string' ? [part]
    : part.split(/([a-z0-9]+(?:-[a-z0-9]+)+)/g).map((bit, i) => {
      const cited = i % 2 ? bySlug.get(bit) : null;
      return cited ? h('a', { href: `#/q/${cited.id}`, class: 'cited-question', title: bit }, `“${loc(cited.title)}”`) : bit;
    })));
}
