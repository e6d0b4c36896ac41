// The API reference: the server's own OpenAPI 3.1 document
// (/api/openapi.json), rendered readably. Operations are grouped by tag;
// each shows its method, path, summary, operationId, sign-in, parameters,
// request body and responses, with $ref schemas resolved from
// components.schemas. Every string from the document goes into text nodes.
// The page opens on a table of contents; each operation is one line that
// unfolds, so the page is a list to scan rather than one long read.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { pageTitle } from '../lib/page.js';

export const DOC_URL = '/api/openapi.json';

// How deep nested schemas unfold before they are only named: the document's
// schemas nest a few levels (Archive → ArchiveQuestion → ArchiveOption).
const MAX_DEPTH = 4;

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/** The component a local $ref names, and that name. */
function resolveRef(doc, ref) {
  const prefix = '#/components/schemas/';
  if (typeof ref !== 'string' || !ref.startsWith(prefix)) return { name: String(ref), schema: null };
  const name = ref.slice(prefix.length);
  const schemas = (doc.components && doc.components.schemas) || {};
  return { name, schema: schemas[name] || null };
}

/** A one-line type for a schema: "integer (int64)", "string | null", "array of Forecast". */
export function typeLabel(doc, schema) {
  if (!schema || typeof schema !== 'object') return t('api.any');
  if (schema.$ref) return resolveRef(doc, schema.$ref).name;
  const alts = schema.oneOf || schema.anyOf;
  if (Array.isArray(alts)) return alts.map((s) => typeLabel(doc, s)).join(' | ');
  if (Array.isArray(schema.allOf)) return schema.allOf.map((s) => typeLabel(doc, s)).join(' & ');
  let type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (!type && schema.properties) type = 'object';
  if (!type && Array.isArray(schema.enum)) type = 'enum';
  if (!type) return t('api.any');
  if (type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'))) {
    type = type.replace('array', t('api.arrayOf', { t: typeLabel(doc, schema.items) }));
  }
  if (schema.format) type += ` (${schema.format})`;
  return type;
}

/** Constraints worth showing beside the type: enum values, pattern, bounds. */
function constraints(schema) {
  if (!schema || typeof schema !== 'object') return [];
  const out = [];
  if (Array.isArray(schema.enum)) out.push(t('api.enum', { v: schema.enum.map((v) => JSON.stringify(v)).join(', ') }));
  if (schema.pattern) out.push(t('api.pattern', { p: schema.pattern }));
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) out.push(t('api.maxLength', { n: schema.maxLength }));
  if (schema.default !== undefined) out.push(t('api.default', { v: JSON.stringify(schema.default) }));
  return out;
}

/** The schemas a schema refers to directly or through items and alternatives. */
function referenced(schema) {
  if (!schema || typeof schema !== 'object') return [];
  if (schema.$ref) return [schema.$ref];
  const parts = [schema.items, ...(schema.oneOf || []), ...(schema.anyOf || []), ...(schema.allOf || [])];
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') parts.push(schema.additionalProperties);
  return parts.flatMap(referenced);
}

/** The properties table of an object schema (nothing for other schemas). */
function propertiesTable(doc, schema, depth, seen) {
  const props = schema && schema.properties;
  if (!props || typeof props !== 'object') return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const rows = Object.entries(props).map(([name, ps]) => h('tr', null,
    h('td', null, h('code', null, name)),
    h('td', null, h('code', null, typeLabel(doc, ps)), nested(doc, ps, depth + 1, seen)),
    h('td', null, required.has(name) ? t('api.yes') : ''),
    h('td', null, (ps && ps.description) || '', constraints(ps).map((c) => h('div', { class: 'muted small' }, c)))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small api-props' },
    h('thead', null, h('tr', null,
      [t('api.col.field'), t('api.col.type'), t('api.col.required'), t('api.col.description')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, rows)));
}

/** Fold-out bodies of the named schemas a schema refers to, and its own inline properties. */
function nested(doc, schema, depth, seen) {
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH) return null;
  const out = [];
  for (const ref of referenced(schema)) {
    const { name, schema: target } = resolveRef(doc, ref);
    if (!target || seen.has(name)) continue;
    const inner = new Set(seen).add(name);
    out.push(h('details', { class: 'api-schema' },
      h('summary', null, h('code', null, name)),
      schemaBody(doc, target, depth, inner)));
  }
  if (!schema.$ref && schema.properties) out.push(propertiesTable(doc, schema, depth, seen));
  if (schema.items && schema.items.properties) out.push(propertiesTable(doc, schema.items, depth, seen));
  return out.length ? out : null;
}

/** A schema in full: its description, type and constraints, then its fields. */
function schemaBody(doc, schema, depth = 0, seen = new Set()) {
  return h('div', { class: 'api-schema-body' },
    schema.description ? h('p', null, schema.description) : null,
    schema.properties ? null : h('p', null, h('code', null, typeLabel(doc, schema)), ' ', constraints(schema).join(' · ')),
    schema.properties ? propertiesTable(doc, schema, depth, seen) : nested(doc, schema, depth, seen));
}

/** The schema of a body or response, from its application/json content. */
function jsonSchema(content) {
  if (!content || typeof content !== 'object') return null;
  const media = content['application/json'] || Object.values(content)[0];
  return media && media.schema ? media.schema : null;
}

function schemaBlock(doc, schema) {
  if (!schema) return null;
  // A bare $ref is named by its fold-out; anything else gets its type first.
  return h('div', { class: 'api-schema-ref' },
    schema.$ref ? null : h('code', null, typeLabel(doc, schema)),
    nested(doc, schema, 0, new Set()));
}

/** Who may call an operation, from its security (or the document's). */
function authText(doc, op) {
  const sec = Array.isArray(op.security) ? op.security : (Array.isArray(doc.security) ? doc.security : []);
  if (sec.length === 0) return t('api.auth.none');
  const optional = sec.some((r) => r && Object.keys(r).length === 0);
  const schemes = [...new Set(sec.flatMap((r) => Object.keys(r || {})))];
  if (schemes.length === 0) return t('api.auth.none');
  return t(optional ? 'api.auth.optional' : 'api.auth.required', { s: schemes.join(', ') });
}

function parametersTable(doc, params) {
  if (!params.length) return null;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'lb-table small api-params' },
    h('caption', null, t('api.params')),
    h('thead', null, h('tr', null,
      [t('api.col.name'), t('api.col.in'), t('api.col.type'), t('api.col.required'), t('api.col.description')]
        .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, params.map((p) => h('tr', null,
      h('td', null, h('code', null, p.name || '')),
      h('td', null, p.in || ''),
      h('td', null, h('code', null, typeLabel(doc, p.schema)),
        constraints(p.schema).map((c) => h('div', { class: 'muted small' }, c))),
      h('td', null, p.required ? t('api.yes') : ''),
      h('td', null, p.description || ''))))));
}

function responsesList(doc, responses) {
  const codes = Object.keys(responses || {}).sort();
  return h('dl', { class: 'api-responses' }, codes.map((code) => {
    const r = responses[code] || {};
    return [
      h('dt', null, h('span', { class: `api-status api-status-${code[0]}` }, code), ' ', r.description || ''),
      h('dd', null, schemaBlock(doc, jsonSchema(r.content))),
    ];
  }));
}

/** The parameters of an operation, its path item's first, resolving none. */
function paramsOf(item, op) {
  const byKey = new Map();
  for (const p of [...(item.parameters || []), ...(op.parameters || [])]) {
    if (p && p.name) byKey.set(`${p.in}:${p.name}`, p);
  }
  return [...byKey.values()];
}

function operationSection(doc, path, method, item, op) {
  const body = op.requestBody;
  return h('details', { class: 'api-op card', id: op.operationId ? `op-${op.operationId}` : null },
    h('summary', null,
      h('h3', null, h('span', { class: `api-method api-method-${method}` }, method.toUpperCase()), ' ', h('code', null, path)),
      op.summary ? h('span', { class: 'api-summary' }, op.summary) : null),
    h('p', { class: 'muted small' },
      op.operationId ? [t('api.operationId'), ' ', h('code', null, op.operationId), ' · '] : null,
      authText(doc, op)),
    op.description ? h('p', null, op.description) : null,
    parametersTable(doc, paramsOf(item, op)),
    body ? h('div', null,
      h('h4', null, t(body.required ? 'api.body.required' : 'api.body')),
      body.description ? h('p', null, body.description) : null,
      schemaBlock(doc, jsonSchema(body.content))) : null,
    h('h4', null, t('api.responses')),
    responsesList(doc, op.responses));
}

/** Operations grouped by their first tag, in the document's tag order. */
function groups(doc) {
  const order = (doc.tags || []).map((tag) => tag.name);
  const byTag = new Map(order.map((name) => [name, []]));
  for (const [path, item] of Object.entries(doc.paths || {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const method of METHODS) {
      const op = item && item[method];
      if (!op) continue;
      const tag = (op.tags && op.tags[0]) || t('api.untagged');
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, item, op });
    }
  }
  return [...byTag.entries()].filter(([, ops]) => ops.length > 0);
}

function overview(doc) {
  const info = doc.info || {};
  const servers = (doc.servers || []).map((s) => s.url).filter(Boolean);
  return h('div', { class: 'api-overview' },
    h('p', null, t('api.intro'), ' ', h('a', { href: DOC_URL }, h('code', null, DOC_URL))),
    info.description ? h('p', null, info.description) : null,
    h('p', { class: 'muted small' },
      `${info.title || ''} · ${t('api.version')} ${info.version || ''} · OpenAPI ${doc.openapi || ''}`,
      info.license && info.license.name ? ` · ${t('api.license')} ${info.license.name}` : '',
      servers.length ? ` · ${t('api.servers')} ${servers.join(', ')}` : ''));
}

/**
 * A link within the page: the router owns the URL's hash, so the link
 * opens and scrolls to its target itself instead of changing the address.
 */
function jump(id, label) {
  return h('a', { href: '#/api', dataset: { target: id }, on: { click: (e) => {
    e.preventDefault();
    const el = document.getElementById(id);
    if (!el) return;
    if (el.tagName === 'DETAILS') el.open = true;
    const focus = el.querySelector('summary') || el.querySelector('h2') || el;
    if (focus.tagName === 'H2') focus.setAttribute('tabindex', '-1');
    el.scrollIntoView({ block: 'start' });
    focus.focus({ preventScroll: true });
  } } }, label);
}

/** The table of contents: each group, its operations by summary, and the schemas. */
function contents(grouped, schemas) {
  return h('nav', { class: 'api-toc card', id: 'api-toc', 'aria-labelledby': 'api-toc-h' },
    h('h2', { id: 'api-toc-h' }, t('api.toc')),
    h('ul', null,
      grouped.map(([tag, ops]) => h('li', null, jump(`tag-${tag}`, tag),
        h('ul', { class: 'api-toc-ops' }, ops.map(({ path, method, op }) => h('li', null,
          op.operationId ? jump(`op-${op.operationId}`, op.summary || `${method.toUpperCase()} ${path}`) : op.summary || path))))),
      schemas.length ? h('li', null, jump('api-schemas', t('api.schemas'))) : null));
}

/** Renders a whole OpenAPI 3.x document (exported for tests and reuse). */
export function renderDocument(doc) {
  const tagInfo = new Map((doc.tags || []).map((tag) => [tag.name, tag]));
  const schemas = Object.entries((doc.components && doc.components.schemas) || {}).sort(([a], [b]) => a.localeCompare(b));
  const grouped = groups(doc);
  return [
    overview(doc),
    contents(grouped, schemas),
    grouped.map(([tag, ops]) => h('section', { class: 'api-tag', id: `tag-${tag}` },
      h('h2', null, tag),
      tagInfo.get(tag) && tagInfo.get(tag).description ? h('p', { class: 'muted' }, tagInfo.get(tag).description) : null,
      ops.map(({ path, method, item, op }) => operationSection(doc, path, method, item, op)))),
    schemas.length ? h('section', { class: 'api-schemas', id: 'api-schemas' },
      h('h2', null, t('api.schemas')),
      schemas.map(([name, schema]) => h('details', { class: 'api-schema', id: `schema-${name}` },
        h('summary', null, h('code', null, name)),
        schemaBody(doc, schema, 0, new Set([name]))))) : null,
  ];
}

export async function render() {
  const resp = await fetch(DOC_URL, { headers: { Accept: 'application/json' } });
  if (!resp.ok) throw new Error(t('api.loadFailed', { status: resp.status }));
  const doc = await resp.json();
  return h('article', { class: 'api-ref' }, pageTitle(t('api.title')), renderDocument(doc));
}
