// Confirmation in the page (not window.confirm, which blocks and
// cannot show a summary): a panel after `anchor` with what will change and
// two buttons. Resolves true when confirmed.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export function askConfirm(anchor, summary, yesLabel) {
  const old = anchor.parentNode && anchor.parentNode.querySelector(':scope > .confirm-panel');
  if (old) old.remove();
  return new Promise((resolve) => {
    const done = (v) => { panel.remove(); resolve(v); };
    const yes = h('button', { type: 'button', class: 'danger', id: 'confirm-yes', on: { click: () => done(true) } }, yesLabel || t('confirm.yes'));
    const panel = h('div', { class: 'confirm-panel notice warn', role: 'alertdialog', 'aria-label': t('confirm.title') },
      Array.isArray(summary) ? summary.map((line) => h('p', null, line)) : h('p', null, summary),
      h('div', { class: 'row' }, yes,
        h('button', { type: 'button', class: 'secondary', id: 'confirm-no', on: { click: () => done(false) } }, t('confirm.cancel'))));
    anchor.after(panel);
    yes.focus();
  });
}
