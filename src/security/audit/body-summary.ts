/**
 * What the audit trail keeps of a request body: its shape and values, except secrets. Values of
 * keys that name a secret (password, token, secret, key, auth, credential) become "<redacted>";
 * environment entries keep only their name (`DB_PASSWORD=<redacted>`); long strings, long lists
 * and deep nesting are cut. Big integers become strings. Streams (tar bodies) are "<stream>".
 */
const SECRET_KEY = /pass(word)?|secret|token|credential|auth|private|(^|_)key$|^key/i;
const MAX_STRING = 256;
const MAX_ITEMS = 32;
const MAX_DEPTH = 6;
export const REDACTED = '<redacted>';

function summarizeString(value: string): string {
  return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…(${value.length} chars)` : value;
}

function envEntry(value: unknown): unknown {
  if (typeof value !== 'string') return summarize(value, MAX_DEPTH);
  const eq = value.indexOf('=');
  return eq < 0 ? summarizeString(value) : `${summarizeString(value.slice(0, eq))}=${REDACTED}`;
}

function summarize(value: unknown, depth: number): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return summarizeString(value);
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return '<stream>';
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summarize(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `…(${value.length} items)`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && item !== null && item !== undefined && item !== '' && typeof item !== 'boolean') out[key] = REDACTED;
    else if (/^env$/i.test(key) && Array.isArray(item)) out[key] = item.slice(0, MAX_ITEMS).map(envEntry);
    else out[key] = summarize(item, depth + 1);
  }
  return out;
}

/** The summary of a parsed request body (undefined stays undefined). */
export function summarizeBody(body: unknown): unknown {
  return body === undefined ? undefined : summarize(body, 0);
}
