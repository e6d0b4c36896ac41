// ui2: confirmation in the page (not window.confirm, which blocks and
// cannot show a summary): a panel after `anchor` with what will change and
// two buttons. Resolves true when confirmed.

import { h } from './dom.js';
import { t } from './i18n.js';

export function askConfirm(anchor, summary, yesLabel) {
  const old = anchor.parentNode && anchor.parentNode.querySelector(':scope > .confirm-panel');
  if (old) old.remove();
  return new Promise((resolve) => {
    const done = (v) => { panel.remove(); resolve(v); };
    const yes = h('button', { type: 'button', class: 'danger', id: 'confirm-yes', on: { click: () => done(true) } }, yesLabel || t('ui2.confirm'));
    const panel = h('div', { class: 'confirm-panel notice warn', role: 'alertdialog', 'aria-label': t('ui2.confirmTitle') },
      Array.isArray(summary) ? summary.map((line) => h('p', null, line)) : h('p', null, summary),
      h('div', { class: 'row' }, yes,
        h('button', { type: 'button', class: 'secondary', id: 'confirm-no', on: { click: () => done(false) } }, t('ui2.cancel'))));
    anchor.after(panel);
    yes.focus();
  });
}
