/**
 * JSON request bodies read without losing integers: `JSON.parse` rounds an integer literal beyond
 * ±(2^53−1) to the nearest double (9223372036854775807 becomes 9223372036854775808), so a limit
 * sent as int64's largest value, or one beyond it, could not be told apart. Here such a literal
 * becomes a `bigint` with its exact value; everything else is what `JSON.parse` gives.
 */
import { randomBytes } from 'node:crypto';

/** Strings (skipped as they are) and number literals of JSON text, in order. */
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** An integer literal (no fraction, no exponent) a double cannot hold exactly. */
function isUnsafeInteger(literal: string): boolean {
  return /^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal));
}

/**
 * Parses JSON text as `JSON.parse` does, except that integer literals beyond ±(2^53−1) become
 * `bigint`s. Throws as `JSON.parse` on text that is not JSON. Pure apart from a random marker.
 */
export function parseExactJson(text: string): unknown {
  // No run of 16 digits, no integer a double cannot hold: the usual case costs one scan.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  const marker = `${randomBytes(16).toString('hex')}:`;
  const exact: bigint[] = [];
  const marked = text.replace(TOKENS, (token) => {
    if (token.startsWith('"') || !isUnsafeInteger(token)) return token;
    exact.push(BigInt(token));
    return `"${marker}${exact.length - 1}"`;
  });
  if (exact.length === 0) return JSON.parse(text);
  return JSON.parse(marked, (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(marker)) return value;
    return exact[Number(value.slice(marker.length))] ?? value;
  });
}
