// Admin: a tournament's webhooks (Slack, Feishu/Lark, DingTalk, JSON) and
// their deliveries.

import { h, mount, nextId } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { get, post, request, ApiError } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/format.js';
import { field, formSlots, clearErrors, showError, showApiError, showOk, busy } from '../../lib/forms.js';
import { apiMessage } from '../../lib/page.js';

const EVENTS = ['question.opened', 'question.closing', 'question.resolved', 'question.annulled',
  'question.reopened', 'question.proposed', 'leaderboard.top_changed', 'crowd.moved', 'tripwire.fired'];
const FORMATS = ['slack', 'feishu', 'dingtalk', 'json'];

export function webhooksSection(tour) {
  const base = `/tournaments/${encodeURIComponent(tour.slug)}/webhooks`;
  const list = h('div', { id: 'webhook-list' });
  const refresh = async () => {
    const res = await get(base);
    drawList(list, res.webhooks || [], base, refresh);
  };
  const eventsId = nextId('wh-events');
  const form = h('form', { class: 'stack-form', id: 'webhook-create', novalidate: true },
    formSlots(),
    field({ label: t('wh.url'), name: 'url', type: 'url', required: true, autocomplete: 'off', spellcheck: 'false' }),
    field({ label: t('wh.format'), name: 'format', tag: 'select', children: FORMATS.map((f) => h('option', { value: f }, t(`wh.fmt.${f}`))) }),
    h('fieldset', { class: 'field', dataset: { field: 'events' }, id: eventsId },
      h('legend', null, t('wh.events')),
      EVENTS.map((ev) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'events', value: ev, checked: ev === 'question.resolved' }), ` ${t(`wh.ev.${ev}`)}`)),
      h('p', { class: 'field-error', 'aria-live': 'polite' })),
    field({ label: t('wh.secret'), name: 'secret', type: 'password', autocomplete: 'new-password' }),
    h('button', { type: 'submit', class: 'primary' }, t('wh.add')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const url = form.elements.url.value.trim();
    if (!url) { showError(form, 'url', t('common.required')); return; }
    const events = [...form.querySelectorAll('input[name="events"]:checked')].map((x) => x.value);
    if (!events.length) { showError(form, 'events', t('wh.needEvent')); return; }
    const body = { url, format: form.elements.format.value, events };
    if (form.elements.secret.value) body.secret = form.elements.secret.value;
    await busy(form, async () => {
      try {
        await post(base, body);
        form.elements.url.value = '';
        form.elements.secret.value = '';
        showOk(form, t('wh.added'));
        await refresh();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
  refresh().catch(() => mount(list, h('p', { class: 'muted' }, t('common.error'))));
  return h('section', { class: 'card', id: 'webhooks' },
    h('h2', null, t('wh.title')),
    h('p', { class: 'muted small' }, t('wh.explain')),
    list, form);
}

function drawList(box, hooks, base, refresh) {
  if (!hooks.length) {
    mount(box, h('p', { class: 'muted' }, t('wh.none')));
    return;
  }
  mount(box, h('ul', { class: 'webhooks' }, hooks.map((w) => {
    const deliveries = h('div', { class: 'deliveries' });
    // The latest deliveries show at once, each state in words: a failing
    // webhook is seen without a click.
    const show = async () => {
      const res = await get(`${base}/${w.id}/deliveries`);
      drawDeliveries(deliveries, res.deliveries || []);
    };
    show().catch(() => mount(deliveries, h('p', { class: 'muted small' }, t('common.error'))));
    // A test goes out with the worker's next round: the list is read again
    // a few times until the test has an answer.
    const sendTest = async (btn) => {
      btn.disabled = true;
      try {
        await post(`${base}/${w.id}/test`, {});
        for (let i = 0; i < 10; i += 1) {
          const res = await get(`${base}/${w.id}/deliveries`);
          drawDeliveries(deliveries, res.deliveries || []);
          const test = (res.deliveries || []).find((d) => d.event === 'webhook.test');
          if (test && deliveryState(test) !== 'waiting') break;
          await new Promise((ok) => setTimeout(ok, 1500));
        }
      } catch (err) {
        mount(deliveries, h('p', { class: 'field-error' }, apiMessage(err)));
      } finally {
        btn.disabled = false;
      }
    };
    return h('li', { dataset: { webhook: w.id } },
      h('p', null, h('strong', null, t(`wh.fmt.${w.format}`)), ' ', h('code', null, w.url)),
      h('p', { class: 'muted small' }, w.events.map((ev) => t(`wh.ev.${ev}`)).join(' · ')),
      h('p', null,
        h('button', { type: 'button', class: 'secondary wh-test', on: { click: (e) => sendTest(e.currentTarget) } }, t('wh.test')), ' ',
        h('button', { type: 'button', class: 'secondary', on: { click: () => show() } }, t('wh.refresh')), ' ',
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          await request('DELETE', `${base}/${w.id}`);
          await refresh();
        } } }, t('wh.delete'))),
      deliveries);
  })));
}

function drawDeliveries(box, ds) {
  if (!ds.length) {
    mount(box, h('p', { class: 'muted small' }, t('wh.noDeliveries')));
    return;
  }
  mount(box, h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('wh.event')),
      h('th', { scope: 'col' }, t('wh.status')),
      h('th', { scope: 'col', class: 'n' }, t('wh.attempts')),
      h('th', { scope: 'col' }, t('tok.created')),
      h('th', { scope: 'col' }, t('wh.lastError')))),
    h('tbody', null, ds.map((d) => h('tr', { class: `delivery-${deliveryState(d)}` },
      h('td', null, t(`wh.ev.${d.event}`)),
      h('td', { class: 'delivery-state' }, stateWords(d)),
      h('td', { class: 'n' }, String(d.attempts)),
      h('td', null, fmtDateTime(d.created_at)),
      h('td', { class: 'small' }, d.last_error ? errorWords(d.last_error) : '')))))));
}

/** delivered, waiting (not tried yet), retrying (failed, tried again later) or failed (given up). */
function deliveryState(d) {
  if (d.status === 'pending') return d.attempts > 0 ? 'retrying' : 'waiting';
  return d.status;
}

function stateWords(d) {
  const state = deliveryState(d);
  if (state === 'delivered') return t('wh.state.delivered', { date: fmtDateTime(d.delivered_at) });
  return t(`wh.state.${state}`, { n: d.attempts });
}

// What the worker recorded, said plainly; the recorded text stays a click away.
const ERRORS = [
  [/receiver answered (\d+)/, (m) => t('wh.err.status', { code: m[1] })],
  [/connection refused/, () => t('wh.err.refused')],
  [/no such host/, () => t('wh.err.host')],
  [/deadline exceeded|timeout|Timeout/, () => t('wh.err.timeout')],
  [/certificate|x509|tls/i, () => t('wh.err.tls')],
  [/blocked|private|loopback/, () => t('wh.err.blocked')],
];

function errorWords(raw) {
  const known = ERRORS.map(([re, say]) => { const m = raw.match(re); return m ? say(m) : null; }).find(Boolean);
  return h('span', null, known || t('wh.err.other'),
    h('details', { class: 'err-detail' }, h('summary', null, t('wh.err.detail')), h('code', null, raw)));
}
