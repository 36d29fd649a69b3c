/**
 * Docker's variable substitution and word splitting for Dockerfile arguments (the instructions
 * that are not run by a shell: FROM, COPY, ADD, ENV, ARG, LABEL, WORKDIR, USER, EXPOSE, VOLUME,
 * STOPSIGNAL, ONBUILD excluded). `$name`, `${name}`, `${name:-word}`, `${name-word}`,
 * `${name:+word}`, `${name+word}`, `${name:?message}`; single quotes are literal, double quotes
 * expand; the escape character (`\` or the `# escape=` one) makes the next character literal.
 * Quotes are removed, as Docker's ProcessWords does.
 */
import { errors } from '../../base/errors.js';

/** The value of a variable, undefined when it is not set. */
export type VariableLookup = (name: string) => string | undefined;

class Lexer {
  private at = 0;
  constructor(private readonly text: string, private readonly lookup: VariableLookup, private readonly escape: string) {}

  /** Words; with `split` false the whole text is one word (whitespace kept). */
  words(split: boolean): string[] {
    const words: string[] = [];
    let word = '';
    let started = false;
    while (this.at < this.text.length) {
      const ch = this.text[this.at] ?? '';
      if (split && /\s/.test(ch)) {
        this.at++;
        if (started) words.push(word);
        word = '';
        started = false;
        continue;
      }
      started = true;
      if (ch === this.escape) {
        this.at++;
        if (this.at < this.text.length) word += this.text[this.at++] ?? '';
        else word += ch;
      } else if (ch === "'") {
        const end = this.text.indexOf("'", this.at + 1);
        if (end < 0) throw errors.invalidArgument('unterminated-quote', `unexpected end of statement while looking for matching single-quote in: ${this.text}`);
        word += this.text.slice(this.at + 1, end);
        this.at = end + 1;
      } else if (ch === '"') {
        word += this.doubleQuoted();
      } else if (ch === '$') {
        word += this.variable();
      } else {
        word += ch;
        this.at++;
      }
    }
    if (started) words.push(word);
    return words;
  }

  private doubleQuoted(): string {
    this.at++;
    let out = '';
    while (this.at < this.text.length) {
      const ch = this.text[this.at] ?? '';
      if (ch === '"') {
        this.at++;
        return out;
      }
      if (ch === this.escape) {
        const next = this.text[this.at + 1];
        if (next === '"' || next === '$' || next === this.escape) {
          out += next;
          this.at += 2;
        } else {
          out += ch;
          this.at++;
        }
      } else if (ch === '$') {
        out += this.variable();
      } else {
        out += ch;
        this.at++;
      }
    }
    throw errors.invalidArgument('unterminated-quote', `unexpected end of statement while looking for matching double-quote in: ${this.text}`);
  }

  private variable(): string {
    this.at++; // $
    const next = this.text[this.at];
    if (next === '{') {
      const close = matchingBrace(this.text, this.at);
      if (close < 0) throw errors.invalidArgument('bad-substitution', `missing '}' in: ${this.text}`);
      const body = this.text.slice(this.at + 1, close);
      this.at = close + 1;
      return this.braced(body);
    }
    const name = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.at))?.[0];
    if (name === undefined) return '$';
    this.at += name.length;
    return this.lookup(name) ?? '';
  }

  private braced(body: string): string {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(body);
    if (!match?.[1]) throw errors.invalidArgument('bad-substitution', `bad substitution: \${${body}}`);
    const value = this.lookup(match[1]);
    const operator = match[2];
    if (operator === undefined) return value ?? '';
    const word = (): string => new Lexer(match[3] ?? '', this.lookup, this.escape).words(false).join('');
    const colon = operator.startsWith(':');
    const set = colon ? value !== undefined && value !== '' : value !== undefined;
    switch (operator.slice(-1)) {
      case '-':
        return set ? (value ?? '') : word();
      case '+':
        return set ? word() : '';
      default:
        if (!set) throw errors.invalidArgument('variable-not-set', `${match[1]}: ${word() || 'is not set'}`);
        return value ?? '';
    }
  }
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on unquoted whitespace, expanding variables and removing quotes. */
export function expandWords(text: string, lookup: VariableLookup, escape = '\\'): string[] {
  return new Lexer(text, lookup, escape).words(true);
}

/** Expands variables and removes quotes; whitespace stays (one word). */
export function expandWord(text: string, lookup: VariableLookup, escape = '\\'): string {
  return new Lexer(text, lookup, escape).words(false).join('');
}

/** `KEY=VALUE` words as pairs (ENV, LABEL, ARG); the legacy `KEY VALUE` form when no word has `=`. */
export function keyValuePairs(text: string, lookup: VariableLookup, escape: string, legacy: boolean): [string, string][] {
  const words = expandWords(text, lookup, escape);
  const first = words[0];
  if (first === undefined) return [];
  if (legacy && !first.includes('=')) {
    const rest = text.trim().slice(text.trim().search(/\s/) + 1).trim();
    return [[first, words.length > 1 ? expandWord(rest, lookup, escape) : '']];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    return eq < 0 ? [word, ''] : [word.slice(0, eq), word.slice(eq + 1)];
  });
}

/** A JSON array of strings (exec form), or undefined when `text` is not one. */
export function parseExecForm(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // not JSON: the shell form
  }
  return undefined;
}
