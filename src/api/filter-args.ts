/**
 * dockerd's matching primitives for list filters (its `filters.Args`): keys are checked against
 * the ones a route accepts; within a key the values are alternatives, except `label`, whose
 * values must all hold. Pure.
 */
import { errors } from '../base/errors.js';

export type Filters = ReadonlyMap<string, readonly string[]>;

/** Throws invalid-argument (`invalid-filter`) with dockerd's message for a key the route does not accept. */
export function checkFilterKeys(filters: Filters, accepted: readonly string[]): void {
  for (const key of filters.keys()) {
    if (!accepted.includes(key)) throw errors.invalidArgument('invalid-filter', `Invalid filter '${key}'`);
  }
}

/** dockerd's message for a bad value, with the values as Go prints a list (`dangling=[maybe]`). */
export function invalidFilterValue(key: string, values: readonly string[]): Error {
  return errors.invalidArgument('invalid-filter', `Invalid filter '${key}=[${values.join(' ')}]'`);
}

/** `label=k` / `label=k=v`: every value must hold (dockerd's MatchKVList); no filter → true. */
export function matchLabels(values: readonly string[] | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (values === undefined || values.length === 0) return true;
  return values.every((value) => {
    const at = value.indexOf('=');
    const key = at < 0 ? value : value.slice(0, at);
    if (!Object.hasOwn(labels, key)) return false;
    return at < 0 || labels[key] === value.slice(at + 1);
  });
}

/**
 * dockerd's `Match`: a value equal to `source`, or one that, as a regular expression, matches part
 * of it (values that are no valid expression match nothing). No filter → true.
 */
export function matchPattern(values: readonly string[] | undefined, ...sources: string[]): boolean {
  if (values === undefined || values.length === 0) return true;
  return values.some((value) => sources.some((source) => {
    if (value === source) return true;
    try {
      return new RegExp(value).test(source);
    } catch {
      return false; // no valid expression: matches nothing (see above)
    }
  }));
}

/** A `true`/`false` filter (`1`/`0` too when `numeric`); undefined when absent. Throws as dockerd for other values. */
export function booleanFilter(filters: Filters, key: string, numeric: boolean): boolean | undefined {
  const values = filters.get(key);
  if (values === undefined || values.length === 0) return undefined;
  const truthy = numeric ? ['true', '1'] : ['true'];
  const falsy = numeric ? ['false', '0'] : ['false'];
  if (values.some((v) => truthy.includes(v))) return true;
  if (values.some((v) => falsy.includes(v))) return false;
  throw invalidFilterValue(key, values);
}
