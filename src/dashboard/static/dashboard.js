// Shared by the dashboard's pages: calls to the dashboard's API (same origin; the session cookie
// goes along, actions carry the header the server wants on every POST), DOM building, formats.

/** Calls the dashboard's API; rejects with the server's message on a status >= 400. */
export async function api(path, { method = 'GET' } = {}) {
  const headers = method === 'GET' ? {} : { 'X-Berth-Dashboard': '1' };
  const response = await fetch(path, { method, headers, credentials: 'same-origin' });
  if (response.status === 204) return {};
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `${method} ${path}: ${response.status}`);
  return body;
}

/** `el('td', { class: 'x' }, 'text', child)`: an element with attributes and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/** Replaces the children of `#id`. */
export function fill(id, ...children) {
  const node = document.getElementById(id);
  node.replaceChildren(...children.flat());
  return node;
}

/** A table with a header row; `rows` are arrays of cells (strings or nodes). */
export function table(headers, rows, empty = 'none') {
  if (rows.length === 0) return el('p', { class: 'empty' }, empty);
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** 1234567 → "1.23 MB" (decimal units, as docker prints sizes). */
export function bytes(value) {
  if (value === null || value === undefined || value < 0) return '—';
  let n = value;
  let unit = 0;
  while (n >= 1000 && unit < UNITS.length - 1) { n /= 1000; unit++; }
  return `${unit === 0 ? n : n.toFixed(n < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** Unix seconds → local date and time. */
export function when(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}

/** Shows a failure in the page's message bar. */
export function showError(err) {
  fill('message', err instanceof Error ? err.message : String(err)).hidden = false;
}

export function clearError() {
  document.getElementById('message').hidden = true;
}

/** A state badge: running, exited, healthy, unhealthy, … */
export function badge(text, kind = text) {
  return el('span', { class: `badge badge-${kind}` }, text);
}

/** What the tests and the curious read: counters and charts of the page. */
export const pageState = (window.berthDashboard = { refreshes: 0, charts: {} });
