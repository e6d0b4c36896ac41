// The scoring rules in plain language, with worked examples: the same
// rules the scoring package documents and the server applies, then the
// signposts (likelihood tables, evidence, expected, implied and its range)
// with one worked example each.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { pageTitle } from '../lib/page.js';

// Section 1's examples: probabilities in %, the option that happened
// (1-based), and the Brier score the server computes for them.
const brierExamples = [
  { kind: 'multiple_choice', probs: [40, 30, 20, 10], happened: 1, brier: '0.50' },
  { kind: 'binary', probs: [70, 30], happened: 2, brier: '0.98' },
  { kind: 'ordered', probs: [25, 25, 30, 20], happened: 2, brier: '0.235' },
  { kind: 'ordered', probs: [15, 45, 25, 15], happened: 3, brier: '0.27' },
  { kind: 'multiple_choice', probs: [15, 45, 25, 15], happened: 3, brier: '0.81' },
];

// Section 3's example: daily Brier scores of two forecasters and the
// crowd median, 1-7 November 2016.
const electionDays = [
  ['1', '0.98', null, '0.98'],
  ['2', '0.98', '0.32', '0.65'],
  ['3', '0.72', '0.32', '0.52'],
  ['4', '0.72', '0.32', '0.52'],
  ['5', '0.72', '0.18', '0.45'],
  ['6', '0.72', '0.18', '0.45'],
  ['7', '0.72', '0.18', '0.45'],
];

function table(id, caption, head, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'lb-table small', id },
      h('caption', null, caption),
      h('thead', null, h('tr', null, head.map((c, i) => h('th', { scope: 'col', class: i ? 'n' : null }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null,
        r.map((c, i) => h('td', { class: i ? 'n' : null }, c === null ? t('common.none') : c)))))));
}

function happened(ex) {
  if (ex.kind === 'binary') return ex.happened === 1 ? t('opt.yes') : t('opt.no');
  return t(ex.kind === 'ordered' ? 'rules.bucket' : 'rules.option', { n: ex.happened });
}

function brierTable() {
  const rows = brierExamples.map((ex) => [
    t(`kind.${ex.kind}`),
    ex.kind === 'binary' ? `${t('opt.yes')} ${ex.probs[0]} %` : ex.probs.map((p) => `${p} %`).join(' · '),
    happened(ex),
    ex.brier,
  ]);
  return table('rules-brier', t('rules.ex1.caption'),
    [t('rules.col.kind'), t('rules.col.forecast'), t('rules.col.happened'), t('rules.col.brier')], rows);
}

function electionTable() {
  const rows = electionDays.map(([d, g, k, m]) => [t('rules.ex2.day', { d }), g, k, m]);
  return table('rules-election', t('rules.ex2.caption'),
    [t('rules.col.day'), 'George', 'Kramer', t('rules.col.median')], rows);
}

function section(titleKey, ...body) {
  return h('section', null, h('h2', null, t(titleKey)), body);
}

const p = (key) => h('p', null, t(key));

// A part of the signposts section; keys ending in "Ex" are worked examples.
function signpostPart(id, titleKey, ...keys) {
  return h('section', { id, class: 'rules-sp' }, h('h3', null, t(titleKey)),
    keys.map((k) => h('p', { class: k.endsWith('Ex') ? 'worked' : null }, t(k))));
}

export async function render() {
  return h('article', { class: 'card rules prose-block' },
    pageTitle(t('rules.title')),
    p('rules.intro'),
    section('rules.h1', p('rules.brier1'), p('rules.brier2'), brierTable(), p('rules.brier3')),
    section('rules.h2', p('rules.days1'), p('rules.days2')),
    section('rules.h3', p('rules.score1'), p('rules.score2'), p('rules.ex2.intro'), electionTable(),
      p('rules.ex2.result'), p('rules.ex2.early')),
    section('rules.h4', p('rules.board1'), p('rules.board2')),
    section('rules.h5', p('rules.crowd1')),
    section('rules.h6', p('rules.changes1')),
    h('h2', { id: 'signposts' }, t('rules.spTitle')),
    p('rules.sp.intro'),
    signpostPart('rules-table', 'rules.sp.tableH', 'rules.sp.table1', 'rules.sp.table2', 'rules.sp.tableEx', 'rules.sp.tableCrowdEx'),
    signpostPart('rules-evidence', 'rules.sp.evidenceH', 'rules.sp.evidence1', 'rules.sp.evidenceEx'),
    signpostPart('rules-expected', 'rules.sp.expectedH', 'rules.sp.expected1', 'rules.sp.expectedEx'),
    signpostPart('rules-implied', 'rules.sp.impliedH', 'rules.sp.implied1', 'rules.sp.impliedEx', 'rules.sp.range', 'rules.sp.rangeEx'),
    signpostPart('rules-coherence', 'rules.sp.coherenceH', 'rules.sp.coherence1'),
    h('h2', { id: 'conditional' }, t('rules.condTitle')),
    ['rules.cond1', 'rules.cond2', 'rules.cond3'].map((k) => h('p', null, t(k))));
}
