/**
 * The dashboard's login token: one secret per state root, kept in `<root>/dashboard/token` (mode
 * 0600) so that it survives berthd restarts; made on first start when the file is missing. Compared
 * in constant time (sha256 of both sides, then timingSafeEqual).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import { writeFileAtomic } from '../base/atomic-file.js';

/** Tokens shorter than this are refused (a hand-edited file with a guessable word). */
export const MIN_TOKEN_LENGTH = 32;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class DashboardToken {
  readonly #secret: string;
  readonly #digest: Buffer;

  /** Throws invalid-argument (`weak-dashboard-token`) for a token shorter than MIN_TOKEN_LENGTH or with characters a URL would need to escape. */
  constructor(secret: string) {
    if (secret.length < MIN_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(secret)) {
      throw errors.invalidArgument('weak-dashboard-token', `dashboard token: want at least ${MIN_TOKEN_LENGTH} characters of A-Z, a-z, 0-9, _ and -`);
    }
    this.#secret = secret;
    this.#digest = digest(secret);
  }

  /** The secret, for the login URL only. */
  get value(): string {
    return this.#secret;
  }

  /** Whether `presented` is this token; false for undefined or empty. Constant time in the token's content. */
  matches(presented: string | undefined): boolean {
    if (presented === undefined || presented === '') return false;
    return timingSafeEqual(digest(presented), this.#digest);
  }
}

export interface TokenFileOptions {
  /** Makes a new secret (default: 32 random bytes, base64url). */
  random?: () => string;
}

/** `<root>/dashboard/token`. */
export function dashboardTokenPath(root: string): string {
  return join(root, 'dashboard', 'token');
}

/** Reads the state root's token, or makes and stores one when there is none. Errors as DashboardToken's constructor. */
export async function openDashboardToken(root: string, options: TokenFileOptions = {}): Promise<DashboardToken> {
  const path = dashboardTokenPath(root);
  try {
    return new DashboardToken((await readFile(path, 'utf8')).trim());
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  const token = new DashboardToken((options.random ?? (() => randomBytes(32).toString('base64url')))());
  await mkdir(join(root, 'dashboard'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${token.value}\n`, 0o600);
  return token;
}
