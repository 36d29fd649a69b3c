/**
 * Path patterns as Docker reads them in .dockerignore and COPY sources (Go's filepath.Match plus
 * `**`): `*` is any run of characters but `/`, `?` one character but `/`, `[a-z]` / `[^a-z]` a
 * class, `**` any number of directories (zero included), `\` makes the next character literal.
 * Paths are relative to the context root, `/`-separated, cleaned.
 */
import { posix } from 'node:path';
import { errors } from '../base/errors.js';
import { globMatches, literalStep, notSlash, type GlobStep } from '../base/glob-automaton.js';

/** A compiled pattern; `test` as RegExp's, in time linear in the path (see glob-automaton). */
export interface PathMatcher {
  test(path: string): boolean;
}

/** What RegExp's `.` takes: anything but a line terminator (a `**` does not cross lines, as before). */
const notLineEnd = (char: string): boolean => !/[\n\r\u2028\u2029]/.test(char);

/** Docker's cleaning: `./a//b/` → `a/b`, a leading `/` dropped, `.` for the root. */
export function cleanPattern(pattern: string): string {
  const cleaned = posix.normalize(pattern.trim()).replace(/^(\/)+/, '').replace(/\/+$/, '');
  return cleaned === '' ? '.' : cleaned;
}

function badPattern(pattern: string): Error {
  return errors.invalidArgument('bad-pattern', `syntax error in pattern: ${pattern}`);
}

/** The `[…]` class whose body is `body` as a one-character test; a class RegExp cannot read is a bad pattern. */
function classStep(pattern: string, body: string): GlobStep {
  let source = body;
  if (source.startsWith('^') || source.startsWith('!')) source = `^${source.slice(1)}`;
  let re: RegExp;
  try {
    re = new RegExp(`^[${source.replace(/\\(?!.)/g, '\\\\')}]$`);
  } catch (cause) {
    throw errors.invalidArgument('bad-pattern', `syntax error in pattern: ${pattern}`, { cause });
  }
  return { kind: 'one', accepts: (char) => re.test(char) };
}

/** Compiles a cleaned pattern. Throws invalid-argument (`bad-pattern`) for an unclosed or unreadable class. */
export function compilePattern(pattern: string): PathMatcher {
  const steps: GlobStep[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // `**/` matches zero or more directories; a trailing `**` anything below.
        if (pattern[i + 1] === '/') {
          i++;
          steps.push({ kind: 'dirs', accepts: notLineEnd });
        } else {
          steps.push({ kind: 'run', accepts: notLineEnd });
        }
      } else {
        steps.push({ kind: 'run', accepts: notSlash });
      }
    } else if (ch === '?') {
      steps.push({ kind: 'one', accepts: notSlash });
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw badPattern(pattern);
      steps.push(classStep(pattern, pattern.slice(i + 1, end)));
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      steps.push(literalStep(pattern[++i] ?? ''));
    } else {
      steps.push(literalStep(ch));
    }
  }
  return { test: (path) => globMatches(steps, path) };
}

/** Whether `path` (cleaned, relative) matches a compiled pattern. */
export function matchesPattern(regex: PathMatcher, path: string): boolean {
  return regex.test(path);
}
