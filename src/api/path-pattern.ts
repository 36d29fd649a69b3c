/**
 * Go's `path.Match` patterns, which dockerd's `reference` filter uses: `*` is any run of
 * characters but `/`, `?` one character but `/`, `[…]` a class (`[^…]` negated, `a-z` ranges),
 * `\` escapes the next character. Matched by the glob automaton (linear time; a pattern from a
 * request can make a RegExp backtrack for hours). Pure.
 */
import { errors } from '../base/errors.js';
import { globMatches, literalStep, notSlash, type GlobStep } from '../base/glob-automaton.js';

const badPattern = (): Error => errors.invalidArgument('invalid-filter', 'syntax error in pattern');

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** `[…]` starting at `start` (the `[`) → [RegExp text of the class, index after `]`]. */
function classAt(pattern: string, start: number): [string, number] {
  let i = start + 1;
  const negated = pattern[i] === '^';
  if (negated) i++;
  const parts: string[] = [];
  let count = 0;
  const take = (): string => {
    let c = pattern[i];
    if (c === '\\') {
      c = pattern[i + 1];
      if (c === undefined) throw badPattern();
      i += 2;
      return c;
    }
    if (c === undefined || c === '-' || c === ']') throw badPattern();
    i++;
    return c;
  };
  for (;;) {
    if (pattern[i] === ']' && count > 0) return [`[${negated ? '^' : ''}${parts.join('')}]`, i + 1];
    const lo = take();
    let hi = lo;
    if (pattern[i] === '-') {
      i++;
      hi = take();
    }
    count++;
    // As Go: a range whose ends are reversed matches nothing (and is no error).
    if (lo <= hi) parts.push(lo === hi ? escapeChar(lo) : `${escapeChar(lo)}-${escapeChar(hi)}`);
  }
}

/** A test of names against `pattern`. Throws invalid-argument (dockerd's "syntax error in pattern"). */
export function pathPattern(pattern: string): (name: string) => boolean {
  const steps: GlobStep[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      steps.push({ kind: 'run', accepts: notSlash });
      i++;
    } else if (c === '?') {
      steps.push({ kind: 'one', accepts: notSlash });
      i++;
    } else if (c === '[') {
      const [text, next] = classAt(pattern, i);
      const re = new RegExp(`^${text}$`, 's');
      steps.push({ kind: 'one', accepts: (char) => re.test(char) });
      i = next;
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw badPattern();
      steps.push(literalStep(next));
      i += 2;
    } else {
      steps.push(literalStep(c));
      i++;
    }
  }
  return (name) => globMatches(steps, name);
}
