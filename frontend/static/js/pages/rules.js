// A plain-language summary of the scoring rules.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle } from '../ui.js';

export async function render() {
  return h('article', { class: 'card rules prose-block' },
    pageTitle(t('rules.title')),
    ['rules.p1', 'rules.p2', 'rules.p3', 'rules.p4', 'rules.p5', 'rules.p6', 'rules.p7'].map((k) => h('p', null, t(k))),
    h('h2', { id: 'signposts' }, t('rules.spTitle')),
    ['rules.sp1', 'rules.sp2', 'rules.sp3', 'rules.sp4'].map((k) => h('p', null, t(k))));
}
