import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import bcrypt from 'bcryptjs';
import { errors } from '../../base/errors.js';

/** How long a verified password is remembered (clients send Basic credentials on every request). */
const CACHE_MS = 60_000;

/**
 * Accounts with bcrypt password hashes: an htpasswd file (`user:$2y$…`, as `htpasswd -B` writes)
 * plus robot accounts from the access config. Other hash kinds (MD5, SHA1, crypt) are refused at
 * load with invalid-argument, so no weak hash is ever accepted silently.
 */
export class PasswordFile {
  private readonly verified = new Map<string, number>();

  constructor(private readonly hashes: ReadonlyMap<string, string>) {}

  static async load(path: string, extra: Iterable<[string, string]> = []): Promise<PasswordFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      throw errors.invalidArgument('htpasswd-unreadable', `cannot read htpasswd file ${path}`, { cause });
    }
    return new PasswordFile(new Map([...parseHtpasswd(text, path), ...extra]));
  }

  /** True when `user` exists and `password` matches its hash. */
  async verify(user: string, password: string, now = Date.now()): Promise<boolean> {
    const hash = this.hashes.get(user);
    if (hash === undefined) return false;
    const key = createHash('sha256').update(`${user}\0${password}\0${hash}`).digest('hex');
    const until = this.verified.get(key);
    if (until !== undefined && until > now) return true;
    const ok = await bcrypt.compare(password, hash);
    if (ok) this.verified.set(key, now + CACHE_MS);
    return ok;
  }
}

/** Parses htpasswd text into user → bcrypt hash; blank lines and `#` comments are skipped. */
export function parseHtpasswd(text: string, what = 'htpasswd'): Map<string, string> {
  const result = new Map<string, string>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon <= 0 || !/^\$2[aby]?\$\d\d\$/.test(hash)) {
      throw errors.invalidArgument('htpasswd-invalid', `${what}: line ${index + 1}: want user:<bcrypt hash> (htpasswd -B)`);
    }
    result.set(user, hash);
  }
  return result;
}
