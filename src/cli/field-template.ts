/**
 * `inspect -f`: the part of Go's text/template that scripts use with docker inspect — `{{.A.B}}`,
 * `{{.}}`, `{{json .A}}` — with Go's printing of values (`<no value>` for a missing field, `[a b]`
 * for lists, `map[k:v]` for objects). Anything else inside `{{ }}` is refused.
 */
import { errors } from '../base/errors.js';

function lookup(value: unknown, path: string): unknown {
  if (path === '.') return value;
  let current: unknown = value;
  for (const key of path.slice(1).split('.')) {
    if (typeof current !== 'object' || current === null || !(key in current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Go's default formatting of a value inside a template. */
export function goFormat(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(' ')}]`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Renders `template` against `value`. Throws invalid-argument (`unsupported-template`) for other actions. */
export function renderFieldTemplate(template: string, value: unknown): string {
  return template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_whole, action: string) => {
    const match = /^(json\s+)?(\.|(?:\.[A-Za-z0-9_]+)+)$/.exec(action);
    if (match === null) throw errors.invalidArgument('unsupported-template', `--format: "{{${action}}}" is not supported (use {{.Field.Sub}} or {{json .Field}})`);
    const found = lookup(value, match[2] ?? '.');
    return match[1] === undefined ? goFormat(found) : JSON.stringify(found ?? null);
  });
}
