/**
 * Bearer tokens of berthd's API, in `<state root>/access/tokens.json` (0600, written atomically).
 * A token is `berth_` + 32 random bytes (base64url); only its sha256 is kept, so the file opens
 * no door. A token has a unique name (its identity), a role and an optional expiry; removing it
 * revokes it at once. Writes are serialized; lookups read memory.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../base/clock.js';
import { BerthError, errnoCode, errors } from '../../base/errors.js';
import { writeFileAtomic } from '../../base/atomic-file.js';
import { KeyedMutex } from '../../base/keyed-mutex.js';
import { parseJson } from '../../oci/parse-json.js';

export const TOKEN_PREFIX = 'berth_';
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

const recordSchema = z.strictObject({
  name: z.string(),
  role: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
});
const fileSchema = z.strictObject({ tokens: z.array(recordSchema) });

export type TokenRecord = z.infer<typeof recordSchema>;
/** What listings show: never the hash. */
export type TokenView = Omit<TokenRecord, 'sha256'>;

export interface TokenStoreOptions {
  clock: Clock;
  /** Randomness of new tokens (default: the system's). */
  random?: (bytes: number) => Buffer;
}

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const viewOf = ({ sha256: _hash, ...view }: TokenRecord): TokenView => view;

export class TokenStore {
  readonly #path: string;
  readonly #options: TokenStoreOptions;
  readonly #lock = new KeyedMutex();
  #tokens: TokenRecord[];

  private constructor(path: string, tokens: TokenRecord[], options: TokenStoreOptions) {
    this.#path = path;
    this.#tokens = tokens;
    this.#options = options;
  }

  /** Reads the state root's tokens (none yet: empty). data-loss when the file is not a token file. */
  static async open(root: string, options: TokenStoreOptions): Promise<TokenStore> {
    const path = join(root, 'access', 'tokens.json');
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    if (text === undefined) return new TokenStore(path, [], options);
    try {
      return new TokenStore(path, parseJson(fileSchema, text, path).tokens, options);
    } catch (cause) {
      throw errors.dataLoss('token-file-corrupt', `${path} is not a token file`, { cause });
    }
  }

  /**
   * A new token; the secret is returned once and never stored. invalid-argument for a bad name
   * or an expiry not after now; already-exists for a name in use. The role is the caller's check.
   */
  create(request: { name: string; role: string; expiresAt?: Date }): Promise<{ token: string; record: TokenView }> {
    return this.#lock.run('tokens', async () => {
      if (!TOKEN_NAME.test(request.name)) throw errors.invalidArgument('invalid-token-name', `token name "${request.name}": want 1 to 64 of A-Z a-z 0-9 _ . @ -, starting with a letter or digit`);
      if (this.#tokens.some((token) => token.name === request.name)) throw errors.alreadyExists('token-exists', `a token named ${request.name} exists`);
      const now = this.#options.clock.now();
      if (request.expiresAt !== undefined && request.expiresAt.getTime() <= now.getTime()) throw errors.invalidArgument('invalid-expiry', 'a token must expire after now');
      const token = `${TOKEN_PREFIX}${(this.#options.random ?? randomBytes)(32).toString('base64url')}`;
      const record: TokenRecord = {
        name: request.name, role: request.role, sha256: sha256(token), createdAt: now.toISOString(),
        ...(request.expiresAt === undefined ? {} : { expiresAt: request.expiresAt.toISOString() }),
      };
      await this.#write([...this.#tokens, record]);
      return { token, record: viewOf(record) };
    });
  }

  list(): TokenView[] {
    return this.#tokens.map(viewOf);
  }

  /** Revokes a token; not-found when there is none of that name. */
  remove(name: string): Promise<void> {
    return this.#lock.run('tokens', async () => {
      if (!this.#tokens.some((token) => token.name === name)) throw errors.notFound('token-not-found', `no token named ${name}`);
      await this.#write(this.#tokens.filter((token) => token.name !== name));
    });
  }

  /** The token `secret` is, if any and not expired; unauthenticated otherwise (one message for every case). */
  authenticate(secret: string): TokenView {
    const hash = Buffer.from(sha256(secret), 'hex');
    const now = this.#options.clock.now().getTime();
    const found = this.#tokens.find((token) => timingSafeEqual(Buffer.from(token.sha256, 'hex'), hash));
    if (found === undefined || (found.expiresAt !== undefined && Date.parse(found.expiresAt) <= now)) {
      throw new BerthError('unauthenticated', 'invalid-token', 'the bearer token is not valid (unknown, revoked or expired)');
    }
    return viewOf(found);
  }

  /**
   * How the audit trail names a secret `authenticate` refused, without the secret: the name of
   * the expired token it is, else `unknown token` and 8 hex digits of its sha256 — enough to tell
   * repeated attempts with one value apart, nothing towards a 32-byte secret.
   */
  describeRejected(secret: string): string {
    const digest = sha256(secret);
    const hash = Buffer.from(digest, 'hex');
    const found = this.#tokens.find((token) => timingSafeEqual(Buffer.from(token.sha256, 'hex'), hash));
    if (found === undefined) return `unknown token sha256:${digest.slice(0, 8)}`;
    const expired = found.expiresAt !== undefined && Date.parse(found.expiresAt) <= this.#options.clock.now().getTime();
    return `token ${found.name}${expired ? ' (expired)' : ''}`;
  }

  async #write(tokens: TokenRecord[]): Promise<void> {
    await writeFileAtomic(this.#path, `${JSON.stringify({ tokens }, null, 2)}\n`, 0o600);
    this.#tokens = tokens;
  }
}
