/**
 * Detach keys (`ctrl-p,ctrl-q` by default): a key sequence in an attached client's input that ends
 * the attachment without stopping the container. Bytes that may start the sequence are held back
 * until they match or not, as Docker's escape proxy does.
 */
import { errors } from '../base/errors.js';

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

const CTRL_SPECIALS: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, '_': 31 };

/** `ctrl-p,ctrl-q` → [0x10, 0x11]. Throws invalid-argument (`invalid-detach-keys`). */
export function parseDetachKeys(text: string): Buffer {
  const bytes: number[] = [];
  for (const key of text.split(',')) {
    const ctrl = /^ctrl-(.)$/i.exec(key);
    const char = ctrl?.[1];
    if (char !== undefined) {
      const lower = char.toLowerCase();
      const code = /^[a-z]$/.test(lower) ? lower.charCodeAt(0) - 96 : CTRL_SPECIALS[char];
      if (code === undefined) throw errors.invalidArgument('invalid-detach-keys', `detachKeys: invalid key "${key}"`);
      bytes.push(code);
    } else if (key.length === 1) {
      bytes.push(key.charCodeAt(0));
    } else {
      throw errors.invalidArgument('invalid-detach-keys', `detachKeys: invalid key "${key}" (use a single character or ctrl-<char>)`);
    }
  }
  return Buffer.from(bytes);
}

export class DetachKeyScanner {
  #matched = 0;

  constructor(private readonly keys: Buffer) {}

  /** The bytes to pass on, and whether the sequence was completed (everything after it is dropped). */
  push(chunk: Buffer): { forward: Buffer; detached: boolean } {
    if (this.keys.length === 0) return { forward: chunk, detached: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.#matched]) {
        this.#matched++;
        if (this.#matched === this.keys.length) return { forward: Buffer.from(out), detached: true };
        continue;
      }
      if (this.#matched > 0) {
        out.push(...this.keys.subarray(0, this.#matched));
        this.#matched = 0;
      }
      if (byte === this.keys[0]) this.#matched = 1;
      else out.push(byte);
    }
    return { forward: Buffer.from(out), detached: false };
  }
}
