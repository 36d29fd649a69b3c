/**
 * Turning one fuzz input into the arguments of a parser. Inputs are text whose first line names
 * the parser (`selector`); seeds stay readable and the fuzzer learns the names from the
 * comparisons. An unknown selector picks a parser by its first byte, so every input runs one.
 */
import type { Query } from '../../src/api/query.js';

export interface Selected<T> {
  name: string;
  entry: T;
  /** The input after the selector line. */
  rest: string;
}

/** The parser the first line names (or one chosen by the first byte) and the rest of the text. */
export function select<T>(data: Buffer, table: Readonly<Record<string, T>>): Selected<T> {
  const text = data.toString('utf8');
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  const rest = newline < 0 ? '' : text.slice(newline + 1);
  const names = Object.keys(table);
  const name = Object.hasOwn(table, first) ? first : names[(data[0] ?? 0) % names.length] ?? '';
  const entry = table[name];
  if (entry === undefined) throw new Error('fuzz input: empty parser table');
  return { name, entry, rest };
}

/** The first `count` lines of `text` (missing ones empty), the last taking the remainder. */
export function fields(text: string, count: number): string[] {
  const parts = text.split('\n');
  const head = parts.slice(0, count - 1);
  while (head.length < count - 1) head.push('');
  return [...head, parts.slice(count - 1).join('\n')];
}

/** A query string as the API server hands it over: repeated names become lists. */
export function queryOf(text: string): Query {
  const query: Query = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const known = query[key];
    query[key] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  return query;
}

/** JSON text as a parsed value, or undefined when it is not JSON (the HTTP layer refuses that). */
export function jsonOf(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
