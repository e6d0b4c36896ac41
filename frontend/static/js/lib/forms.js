// Form fields, their error and success slots, and submitting with API
// errors shown next to the field they name.

import { h, nextId } from './dom.js';
import { ApiError } from './api.js';
import { apiMessage, errorDetail } from './page.js';

/**
 * field({label, name, type, hint, ...inputAttrs}) builds a labelled input with a
 * hint and an error slot; the input's name is the API field it feeds.
 */
export function field(opts) {
  const { label, name, type = 'text', hint, tag, children, ...rest } = opts;
  const id = nextId(name.replace(/[^a-z0-9]/gi, '-'));
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  let input;
  if (tag === 'textarea') input = h('textarea', { id, name, 'aria-describedby': describedBy, ...rest });
  else if (tag === 'select') input = h('select', { id, name, 'aria-describedby': describedBy, ...rest }, children || []);
  else input = h('input', { id, name, type, 'aria-describedby': describedBy, ...rest });
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input,
    h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
}

/** Remove every error message shown in a form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const top = form.querySelector('.form-error');
  if (top) { top.textContent = ''; top.hidden = true; }
  const ok = form.querySelector('.form-ok');
  if (ok) { ok.textContent = ''; ok.hidden = true; }
}

/** Show a message next to the field named `name` (or at the form's top). */
export function showError(form, name, message) {
  const box = findField(form, name);
  if (box) {
    const slot = box.querySelector('.field-error');
    slot.textContent = message;
    const input = box.querySelector('input, select, textarea');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    return;
  }
  const top = form.querySelector('.form-error');
  if (top) { top.textContent = message; top.hidden = false; top.focus(); }
}

function findField(form, name) {
  if (!name) return null;
  const boxes = [...form.querySelectorAll('[data-field]')];
  const exact = boxes.find((b) => b.dataset.field === name);
  if (exact) return exact;
  // "title.en" or "options[2].label" falls back to "title" / "options[2]" / "options".
  const parts = [name.replace(/\.[^.[\]]*$/, ''), name.replace(/\[.*$/, ''), name.split('.')[0]];
  for (const p of parts) {
    const b = boxes.find((x) => x.dataset.field === p);
    if (b) return b;
  }
  // "title" names the pair "title.en" / "title.zh": show it at the first.
  return boxes.find((x) => x.dataset.field.startsWith(`${name}.`) || x.dataset.field.startsWith(`${name}[`)) || null;
}

/** Show an ApiError next to its field, the server's text folded beneath. */
export function showApiError(form, err) {
  showError(form, err.field, apiMessage(err));
  const box = findField(form, err.field);
  const slot = box ? box.querySelector('.field-error') : form.querySelector('.form-error');
  const detail = errorDetail(err);
  if (slot && detail) slot.appendChild(detail);
}

export function showOk(form, message) {
  const ok = form.querySelector('.form-ok');
  if (ok) { ok.textContent = message; ok.hidden = false; }
}

/** The top-of-form slots for errors and success messages. */
export function formSlots() {
  return [
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true }),
    h('p', { class: 'form-ok', role: 'status', hidden: true }),
  ];
}

/** Run fn on submit with errors cleared and buttons disabled; an ApiError shows at its field. */
export function submitForm(form, fn) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    await busy(form, async () => {
      try {
        await fn();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        showApiError(form, err);
      }
    });
  });
}

/** Disable a form's submit button while a request runs. */
export async function busy(form, fn) {
  const btns = form.querySelectorAll('button');
  btns.forEach((b) => { b.disabled = true; });
  try {
    return await fn();
  } finally {
    btns.forEach((b) => { b.disabled = false; });
  }
}

/** "2027-03-31T10:00" from a datetime-local input -> RFC 3339 in UTC. */
export function utcInput(v) {
  if (!v) return '';
  return v.length === 16 ? `${v}:00Z` : `${v}Z`;
}

/** A localised-text object from two inputs, without empty languages. */
export function bilingual(form, base) {
  const o = {};
  const en = form.elements[`${base}.en`]?.value.trim();
  const zh = form.elements[`${base}.zh`]?.value.trim();
  if (en) o.en = en;
  if (zh) o.zh = zh;
  return o;
}
