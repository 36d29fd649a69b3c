/**
 * Path patterns as Docker reads them in .dockerignore and COPY sources (Go's filepath.Match plus
 * `**`): `*` is any run of characters but `/`, `?` one character but `/`, `[a-z]` / `[^a-z]` a
 * class, `**` any number of directories (zero included), `\` makes the next character literal.
 * Paths are relative to the context root, `/`-separated, cleaned.
 */
import { posix } from 'node:path';
import { errors } from '../../base/errors.js';

/** Docker's cleaning: `./a//b/` → `a/b`, a leading `/` dropped, `.` for the root. */
export function cleanPattern(pattern: string): string {
  const cleaned = posix.normalize(pattern.trim()).replace(/^(\/)+/, '').replace(/\/+$/, '');
  return cleaned === '' ? '.' : cleaned;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles a cleaned pattern. Throws invalid-argument (`bad-pattern`) for an unclosed class. */
export function compilePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // `**/` matches zero or more directories; a trailing `**` anything below.
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw errors.invalidArgument('bad-pattern', `syntax error in pattern: ${pattern}`);
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\(?!.)/g, '\\\\')}]`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      re += escapeRegex(pattern[++i] ?? '');
    } else {
      re += escapeRegex(ch);
    }
  }
  return new RegExp(`^${re}$`);
}

/** Whether `path` (cleaned, relative) matches a compiled pattern. */
export function matchesPattern(regex: RegExp, path: string): boolean {
  return regex.test(path);
}
