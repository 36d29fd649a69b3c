/**
 * `.env` files and `env_file:` entries as docker compose reads them: `KEY=value` lines, `#`
 * comments, an optional `export ` prefix, single quotes (literal), double quotes (with `\n`, `\t`,
 * `\"` escapes and interpolation), unquoted values with interpolation and a trailing ` #comment`
 * dropped; a bare `KEY` takes the value from `lookup` (left out when unset).
 */
import { errors } from '../base/errors.js';
import { interpolate, type Environment } from './interpolate.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=(.*))?$/;

function unquote(raw: string, env: Environment, where: string): string {
  const value = raw.trim();
  if (value.startsWith("'")) {
    const end = value.indexOf("'", 1);
    return end < 0 ? value.slice(1) : value.slice(1, end);
  }
  if (value.startsWith('"')) {
    let out = '';
    for (let i = 1; i < value.length; i++) {
      const c = value[i] ?? '';
      if (c === '"') break;
      if (c === '\\' && i + 1 < value.length) {
        const n = value[++i];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : (n ?? '');
      } else {
        out += c;
      }
    }
    return interpolate(out, env, where);
  }
  const comment = value.search(/\s#/);
  return interpolate(comment < 0 ? value : value.slice(0, comment).trimEnd(), env, where);
}

/**
 * Parses the text of an env file. Later lines see earlier ones (and `lookup`) in interpolations.
 * Throws invalid-argument naming `file:line` for a line that is not `KEY[=value]`.
 */
export function parseEnvFile(text: string, file: string, lookup: Environment = {}): Record<string, string> {
  const result: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const match = LINE.exec(line);
    if (match === null) throw errors.invalidArgument('compose-env-file', `${file}:${index + 1}: unexpected line "${line}" (KEY=value expected)`);
    const key = match[1] ?? '';
    const where = `${file}:${index + 1}`;
    if (match[2] === undefined) {
      const inherited = lookup[key];
      if (inherited !== undefined) result[key] = inherited;
      return;
    }
    result[key] = unquote(match[2], { ...lookup, ...result }, where);
  });
  return result;
}
