/**
 * Authorization for one registry: nothing, Basic (user:password on every request), or Bearer
 * tokens from the realm a challenge names, fetched per scope set (anonymously, or with Basic
 * credentials as Docker does) and kept for the client's life.
 */
import { z } from 'zod';
import { BerthError, errors } from '../../base/errors.js';
import type { AuthChallenge } from './auth-challenge.js';
import type { RegistryCredentials } from '../../wire/registry-auth.js';
import { readBody, sendHttp } from './registry-http.js';

const tokenAnswerSchema = z.object({ token: z.string().optional(), access_token: z.string().optional() }).loose();

export function basicHeader(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

export class RegistryAuth {
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly domain: string,
    private readonly credentials: RegistryCredentials | undefined,
  ) {}

  /** The Authorization header for `scopes` under `challenge` (undefined: send none). */
  async header(challenge: AuthChallenge | undefined, scopes: readonly string[], fresh = false): Promise<string | undefined> {
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') return this.credentials === undefined ? undefined : basicHeader(this.credentials);
    if (challenge.scheme !== 'bearer') {
      throw errors.failedPrecondition('unsupported-auth-scheme', `${this.domain}: unsupported authentication scheme ${challenge.scheme}`);
    }
    const key = [...scopes].sort().join(' ');
    const cached = this.tokens.get(key);
    if (cached !== undefined && !fresh) return cached;
    const token = `Bearer ${await this.fetchToken(challenge, scopes)}`;
    this.tokens.set(key, token);
    return token;
  }

  /** Asks the challenge's realm for a token; wrong credentials reject with unauthenticated. */
  async fetchToken(challenge: AuthChallenge, scopes: readonly string[]): Promise<string> {
    const realm = challenge.params.realm;
    if (realm === undefined || realm === '') throw errors.failedPrecondition('bad-auth-challenge', `${this.domain}: Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch (cause) {
      throw errors.failedPrecondition('bad-auth-challenge', `${this.domain}: Bearer realm "${realm}" is not a URL`, { cause });
    }
    if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    if (this.credentials !== undefined) url.searchParams.set('account', this.credentials.username);
    const answer = await sendHttp({ method: 'GET', url, headers: this.credentials === undefined ? {} : { Authorization: basicHeader(this.credentials) } });
    const body = await readBody(answer.body, 1024 * 1024);
    if (answer.status === 401 || answer.status === 403) {
      throw new BerthError('unauthenticated', 'registry-login-failed', `${this.domain}: unauthorized: incorrect username or password`);
    }
    if (answer.status !== 200) throw errors.unavailable('token-server-error', `${this.domain}: token server ${url.host} answered ${answer.status}`);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (cause) {
      throw errors.unavailable('token-server-error', `${this.domain}: token server answer is not JSON`, { cause });
    }
    const parsed = tokenAnswerSchema.safeParse(json);
    const token = parsed.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
    if (token === undefined || token === '') throw errors.unavailable('token-server-error', `${this.domain}: token server answer has no token`);
    return token;
  }
}
