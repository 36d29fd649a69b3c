import { errors } from '../base/errors.js';
import { globMatches, literalStep, notSlash, type GlobStep } from '../base/glob-automaton.js';

/** Query-string helpers: Docker sends booleans as 1/0/true/false and filters as JSON. */
export type Query = Record<string, string | string[] | undefined>;

export function queryString(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function queryList(query: Query, name: string): string[] {
  const value = query[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function queryBool(query: Query, name: string): boolean {
  const value = queryString(query, name);
  return value === '1' || value === 'true' || value === 'True';
}

/** `filters={"dangling":["true"],"reference":["busybox*"]}` (also the old `{"dangling":{"true":true}}` form). */
export function queryFilters(query: Query): Map<string, string[]> {
  const text = queryString(query, 'filters');
  const filters = new Map<string, string[]>();
  if (text === undefined || text === '') return filters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw errors.invalidArgument('invalid-filters', 'filters: not valid JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.invalidArgument('invalid-filters', 'filters: want an object');
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) filters.set(key, value.map(String));
    else if (typeof value === 'object' && value !== null) filters.set(key, Object.keys(value));
    else throw errors.invalidArgument('invalid-filters', `filters.${key}: want a list`);
  }
  return filters;
}

/** Docker's reference filter: a glob over the familiar name, `*` (any run) and `?` (one character) not crossing `/`. */
export function globMatch(pattern: string, value: string): boolean {
  const steps = pattern.split('').map((c): GlobStep => {
    if (c === '*') return { kind: 'run', accepts: notSlash };
    return c === '?' ? { kind: 'one', accepts: notSlash } : literalStep(c);
  });
  return globMatches(steps, value);
}

/**
 * A time parameter (`since`, `until`) in nanoseconds since the epoch: Unix seconds with an optional
 * fraction (`1700000000.5`, what the docker CLI sends) or RFC 3339. Absent, empty or 0 → undefined.
 */
export function queryTimeNs(query: Query, name: string): bigint | undefined {
  const value = queryString(query, name);
  if (value === undefined || value === '' || value === '0') return undefined;
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (unix !== null) return BigInt(unix[1] ?? '0') * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0'));
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw errors.invalidArgument('invalid-time', `${name}: "${value}" is neither Unix seconds nor an RFC 3339 time`);
  return BigInt(ms) * 1_000_000n;
}

/** An integer parameter; absent or empty → undefined. Throws invalid-argument naming it. */
export function queryInt(query: Query, name: string): number | undefined {
  const value = queryString(query, name);
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw errors.invalidArgument('invalid-parameter', `${name}: "${value}" is not an integer`);
  return n;
}
