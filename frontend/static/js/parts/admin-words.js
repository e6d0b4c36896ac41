// The audit trail and reasons as sentences in the reader's language.

import { t, loc } from '../lib/i18n.js';
import { optionLabel, fmtDateTime } from '../lib/format.js';

/**
 * An annulment's reason (a question's resolution or an audit entry) in the
 * reader's language: reason_i18n, in the other language when the reader's
 * is missing, else the plain reason.
 */
export function reasonText(r) {
  if (!r) return '';
  return loc(r.reason_i18n) || r.reason || '';
}

/** "2027-03-31T10:00" (UTC) for a datetime-local input from an RFC 3339 time. */
export function utcLocalValue(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

function label(q, i) {
  if (i === null || i === undefined) return '?';
  return q ? optionLabel(q, i) : `#${i + 1}`;
}

/** One audit entry as a sentence, option indexes shown as labels. */
export function auditSentence(e, q) {
  const who = e.actor ? e.actor.username : t('audit.someone');
  const qref = e.question_id ? (q ? `#${e.question_id} “${loc(q.title)}”` : `#${e.question_id}`) : '';
  const o = e.old || {};
  const n = e.new || {};
  switch (e.action) {
    case 'resolve':
      if (n.by === 'auto_resolved') return t('feed.auditAutoResolve', { q: qref, to: label(q, n.outcome), when: fmtDateTime(n.resolved_at) });
      if (o.outcome !== undefined && o.outcome !== null) {
        return t('audit.correct', { who, q: qref, from: label(q, o.outcome), to: label(q, n.outcome), when: fmtDateTime(n.resolved_at) });
      }
      return t('audit.resolve', { who, q: qref, to: label(q, n.outcome), when: fmtDateTime(n.resolved_at) });
    case 'annul':
      return t('audit.annul', { who, q: qref });
    case 'create_question':
      return t('audit.createQuestion', { who, q: qref || (n.title ? `“${loc(n.title)}”` : '') });
    case 'hide_comment':
      return t('audit.hide', { who, author: o.author || '?', q: qref });
    case 'create_tournament':
      return t('audit.createTournament', { who });
    case 'edit_question':
      return t('audit.edit', { who, q: qref, what: Object.keys(n).map((k) => t(`edit.field.${k}`)).join(t('common.listSep')) });
    case 'import':
      return t('audit.import', { who });
    case 'seed':
      return t('audit.seed');
    case 'edit_tournament':
      return t(n.conditionals_on_main ? 'cond.auditOnMain' : 'cond.auditOffMain', { who });
    case 'auto_annul':
      return t('cond.auditAutoAnnul', { q: qref });
    case 'auto_resolve':
      return t('cond.auditAutoResolve', { q: qref, to: label(q, n.outcome) });
    case 'auto_reopen':
      return t('cond.auditAutoReopen', { q: qref });
    case 'propose':
      return t('feed.auditPropose', { q: qref, to: label(q, n.outcome), value: n.value });
    case 'challenge_proposal':
      return t('feed.auditChallenge', { who, q: qref });
    case 'reject_proposal':
      return t('feed.auditReject', { who: e.actor ? who : t('feed.server'), q: qref });
    case 'put_feed':
      return t('feed.auditPut', { who, q: qref });
    case 'delete_feed':
      return t('feed.auditDelete', { who, q: qref });
    case 'create_conditional':
      return t('audit.createConditional', { who, q: qref });
    case 'create_link':
      return t('audit.createLink', { who, q: qref });
    case 'delete_link':
      return t('audit.deleteLink', { who, q: qref });
    case 'put_likelihoods':
      return t('audit.putLikelihoods', { who, q: qref });
    case 'delete_likelihoods':
      return t('audit.deleteLikelihoods', { who, q: qref });
    case 'create_webhook':
      return t('audit.createWebhook', { who, url: n.url || '' });
    case 'delete_webhook':
      return t('audit.deleteWebhook', { who, id: o.id || '?' });
    case 'set_bot':
      return t(n.bot ? 'audit.setBot' : 'audit.unsetBot', { who, user: n.username || '?' });
    case 'create_tripwire':
      return t('tw.auditCreate', { who, name: loc(n.name), q: qref });
    case 'delete_tripwire':
      return t('tw.auditDelete', { who, name: loc(o.name), q: qref });
    case 'fire_tripwire':
      return t('tw.auditFire', { id: n.id, q: qref });
    default:
      // An action this page does not know yet: its code in words, never bare.
      return t('audit.other', { who, action: String(e.action).replace(/_/g, ' '), q: qref });
  }
}
