/**
 * Variable interpolation as the Compose Specification defines it: `$VAR`, `${VAR}`,
 * `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?err}` (unset or empty is
 * an error), `${VAR?err}` (unset is an error), `${VAR:+alt}`, `${VAR+alt}`, and `$$` for a
 * literal `$`. Defaults may themselves hold interpolations. Pure: the environment is passed in.
 */
import { errors } from '../base/errors.js';

export type Environment = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Where a value came from, for the error of a required variable (`file:line field`). */
export type InterpolationContext = string;

/** Finds the `}` closing a `${` that starts at `open` (nested `${…}` in defaults allowed). */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(body: string, env: Environment, where: InterpolationContext): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw errors.invalidArgument('compose-interpolation', `${where}: invalid interpolation format "\${${body}}"`);
  const rest = body.slice(name.length);
  const value = env[name];
  if (rest === '') return value ?? '';
  const colon = rest.startsWith(':');
  const op = rest[colon ? 1 : 0] ?? '';
  const arg = rest.slice(colon ? 2 : 1);
  const missing = value === undefined || (colon && value === '');
  switch (op) {
    case '-':
      return missing ? interpolate(arg, env, where) : value;
    case '?':
      if (missing) {
        const text = interpolate(arg, env, where);
        throw errors.invalidArgument('compose-variable-required', `${where}: required variable ${name} is missing a value${text === '' ? '' : `: ${text}`}`);
      }
      return value;
    case '+':
      return missing ? '' : interpolate(arg, env, where);
    default:
      throw errors.invalidArgument('compose-interpolation', `${where}: invalid interpolation format "\${${body}}"`);
  }
}

/** Interpolates one string. Throws invalid-argument naming `where` for a bad format or a missing required variable. */
export function interpolate(text: string, env: Environment, where: InterpolationContext = 'value'): string {
  if (!text.includes('$')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '{') {
      const end = closingBrace(text, i);
      if (end < 0) throw errors.invalidArgument('compose-interpolation', `${where}: invalid interpolation format "${text.slice(i)}"`);
      out += braced(text.slice(i + 2, end), env, where);
      i = end;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name === undefined) {
        out += '$';
      } else {
        out += env[name] ?? '';
        i += name.length;
      }
    }
  }
  return out;
}
