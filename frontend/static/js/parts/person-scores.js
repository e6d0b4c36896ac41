// A forecaster's scored questions and calibration, shown on "My profile"
// and on the public profile alike: there, headings and notes name the
// forecaster instead of saying "my" and "your".

import { h } from '../lib/dom.js';
import { t, loc } from '../lib/i18n.js';
import { num, pct } from '../lib/format.js';
import { calibrationChart, SMALL_SAMPLE } from '../lib/charts.js';

/** The table of scored questions, or a note that none is scored yet; name: whose, or null for the reader's own. */
export function scoresSection(scores, name = null) {
  const box = h('section', { class: 'card', id: 'scored' }, h('h2', null, name ? t('profile.scores', { name }) : t('me.scores')));
  if (!scores.length) {
    box.appendChild(h('p', { class: 'muted' }, name ? t('profile.noScores') : t('me.noScores')));
    return box;
  }
  box.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table stack-table' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('me.question')),
      h('th', { scope: 'col', class: 'n' }, t('q.brier')),
      h('th', { scope: 'col', class: 'n' }, t('q.crowdBrier')),
      h('th', { scope: 'col', class: 'n' }, t('q.relative')),
      h('th', { scope: 'col', class: 'n' }, t('q.days')))),
    h('tbody', null, scores.map((sc) => h('tr', null,
      h('td', null, h('a', { href: `#/q/${sc.question.id}` }, loc(sc.question.title))),
      h('td', { class: 'n', 'data-label': t('q.brier') }, num(sc.brier)),
      h('td', { class: 'n', 'data-label': t('q.crowdBrier') }, num(sc.crowd_brier)),
      h('td', { class: 'n', 'data-label': t('q.relative') }, num(sc.relative, true)),
      h('td', { class: 'n', 'data-label': t('q.days') }, t('q.daysOf', { n: sc.days_forecast, total: sc.days_total }))))))));
  return box;
}

/** The calibration chart beside its table of bins; name as for scoresSection. */
export function calibrationSection(bins, name = null) {
  const box = h('section', { class: 'card', id: 'calibration' }, h('h2', null, t('me.calibration')),
    h('p', { class: 'muted small' }, name ? t('profile.calExplain', { name }) : t('me.calExplain')));
  if (!bins.some((b) => b.count > 0)) {
    box.appendChild(h('p', { class: 'muted' }, t('me.calEmpty')));
    return box;
  }
  box.appendChild(h('div', { class: 'calib-layout' },
    h('div', { class: 'chart-box calib-box' }, calibrationChart(bins, { label: t('me.calibration'), xLabel: t('me.axisForecast'), yLabel: t('me.axisObserved') }),
      bins.some((b) => b.count > 0 && b.count < SMALL_SAMPLE) ? h('p', { class: 'muted small calib-note' }, t('me.calFew', { min: SMALL_SAMPLE })) : null),
    h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('me.bin')),
        h('th', { scope: 'col', class: 'n' }, t('me.count')),
        h('th', { scope: 'col', class: 'n' }, t('me.meanForecast')),
        h('th', { scope: 'col', class: 'n' }, t('me.observed')))),
      h('tbody', null, bins.map((b) => h('tr', { class: b.count > 0 && b.count < SMALL_SAMPLE ? 'small-n' : null },
        h('td', null, `${Math.round(b.lower * 100)}–${Math.round(b.upper * 100)} %`),
        h('td', { class: 'n' }, String(b.count), b.count > 0 && b.count < SMALL_SAMPLE ? h('span', { class: 'few', title: t('me.calFew', { min: SMALL_SAMPLE }) }, ` ${t('me.few')}`) : null),
        h('td', { class: 'n' }, b.count ? pct(b.mean_forecast) : t('common.none')),
        h('td', { class: 'n' }, b.count ? pct(b.observed) : t('common.none')))))))));
  return box;
}
