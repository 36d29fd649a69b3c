/** Splits a command string into words as a POSIX shell would (quotes and backslashes, no expansion), as docker compose does for `command: "a b"`. */
import { errors } from '../base/errors.js';

export function shellWords(text: string, where: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && ['"', '\\', '$', '`'].includes(text[i + 1] ?? '')) word += text[++i] ?? '';
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      word += text[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) throw errors.invalidArgument('compose-command', `${where}: unterminated quote in "${text}"`);
  if (inWord) words.push(word);
  return words;
}
