/**
 * A client of one registry speaking the OCI distribution API (`/v2/…`): the scheme is chosen on
 * the first call (`ping`), authorization follows the registry's challenge (registry-auth.ts), and
 * every call names the repository scopes it needs. Error answers become BerthErrors
 * (registry-errors.ts): unauthenticated for 401, not-found for unknown manifests and blobs,
 * unavailable for connection failures and 5xx. Calls may run concurrently.
 */
import type { Readable } from 'node:stream';
import { BerthError, errors, isBerthError } from '../../base/errors.js';
import { parseChallenges, type AuthChallenge } from './auth-challenge.js';
import { basicHeader, RegistryAuth } from './registry-auth.js';
import type { RegistryCredentials } from '../../wire/registry-auth.js';
import { resolveEndpoint, type RegistryEndpoint } from './registry-endpoint.js';
import { registryError } from './registry-errors.js';
import { readBody, sendHttp, type HttpAnswer } from './registry-http.js';
import { componentLogger } from '../../base/logger.js';

const log = componentLogger('images');

export interface RegistryClientOptions {
  credentials?: RegistryCredentials;
  /** Registries that may be reached over plain HTTP (loopback ones always may). */
  insecureRegistries?: readonly string[];
}

export interface RegistryCall {
  method: string;
  /** Path below the registry root, starting with `/v2/`, with its query. */
  path: string;
  /** Repository scopes, e.g. `repository:library/busybox:pull`. */
  scopes: readonly string[];
  headers?: Record<string, string>;
  body?: Buffer | (() => Readable);
  /** Statuses that are answers, not errors (default: 2xx). */
  expect?: readonly number[];
  /** What the call is about, for error messages. */
  what: string;
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

export class RegistryClient {
  readonly endpoint: RegistryEndpoint;
  private base: URL | undefined;
  private challenge: AuthChallenge | undefined;
  private pinging: Promise<void> | undefined;
  private readonly auth: RegistryAuth;

  constructor(domain: string, private readonly options: RegistryClientOptions = {}) {
    this.endpoint = resolveEndpoint(domain, options.insecureRegistries);
    this.auth = new RegistryAuth(this.endpoint.domain, options.credentials);
  }

  get hasCredentials(): boolean {
    return this.options.credentials !== undefined;
  }

  /** `GET /v2/` once: picks the first scheme that connects and records the auth challenge. */
  ping(): Promise<void> {
    this.pinging ??= this.doPing().catch((err: unknown) => {
      this.pinging = undefined;
      throw err;
    });
    return this.pinging;
  }

  private async doPing(): Promise<void> {
    let last: unknown;
    for (const scheme of this.endpoint.schemes) {
      const base = new URL(`${scheme}://${this.endpoint.host}/`);
      let answer: HttpAnswer;
      try {
        answer = await sendHttp({ method: 'GET', url: new URL('/v2/', base), idleTimeoutMs: 30_000 });
      } catch (err) {
        last = err;
        if (isBerthError(err, 'unavailable')) continue;
        throw err;
      }
      answer.body.resume();
      this.base = base;
      this.challenge = this.pickChallenge(answer);
      return;
    }
    throw last instanceof BerthError ? last : errors.unavailable('registry-unreachable', `${this.endpoint.domain}: cannot connect`);
  }

  private pickChallenge(answer: HttpAnswer): AuthChallenge | undefined {
    if (answer.status !== 401) return undefined;
    const header = answer.headers['www-authenticate'];
    const challenges = parseChallenges(Array.isArray(header) ? header.join(', ') : (header ?? ''));
    return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic') ?? challenges[0] ?? { scheme: 'basic', params: {} };
  }

  /**
   * Checks the credentials (login): Bearer registries are asked for a token; all others are asked
   * `GET /v2/` with Basic credentials, also when `/v2/` answers anonymous callers (a registry with
   * anonymous pull still checks credentials that are sent; one without auth ignores them).
   * Wrong ones reject with unauthenticated.
   */
  async checkCredentials(): Promise<void> {
    await this.ping();
    const challenge = this.challenge;
    if (challenge?.scheme === 'bearer') {
      await this.auth.fetchToken(challenge, []);
      return;
    }
    const credentials = this.options.credentials;
    if (challenge === undefined && credentials === undefined) return;
    const headers: Record<string, string> = challenge === undefined && credentials !== undefined ? { Authorization: basicHeader(credentials) } : {};
    const answer = await this.send({ method: 'GET', path: '/v2/', scopes: [], headers, what: 'login', expect: [200, 401] });
    answer.body.resume();
    if (answer.status === 401) throw new BerthError('unauthenticated', 'registry-login-failed', `${this.endpoint.domain}: unauthorized: incorrect username or password`);
  }

  /** Resolves a Location header (often relative) against the registry. */
  url(pathOrUrl: string): URL {
    if (this.base === undefined) throw errors.internal('registry-not-pinged', 'ping the registry first');
    return new URL(pathOrUrl, this.base);
  }

  /** One call, with authorization; a 401 refreshes the authorization once (with the new challenge's scope). */
  async send(call: RegistryCall): Promise<HttpAnswer> {
    await this.ping();
    let scopes = call.scopes;
    let answer = await this.attempt(call, await this.auth.header(this.challenge, scopes));
    if (answer.status === 401 && !(call.expect ?? []).includes(401)) {
      await readBody(answer.body).catch(() => Buffer.alloc(0)); // only drained: the retry's answer decides
      const fresh = this.pickChallenge(answer);
      if (fresh !== undefined) this.challenge = fresh;
      const wanted = fresh?.params.scope;
      if (wanted !== undefined && !scopes.includes(wanted)) scopes = [...scopes, wanted];
      answer = await this.attempt(call, await this.auth.header(this.challenge, scopes, true));
    }
    const ok = (call.expect ?? []).includes(answer.status) || (answer.status >= 200 && answer.status < 300);
    if (ok) return answer;
    // An unreadable error body still leaves the status to report.
    const body = await readBody(answer.body, 64 * 1024).catch((err: unknown) => {
      log.debug('reading the body of an error answer failed', { err, registry: this.endpoint.domain, status: answer.status });
      return Buffer.alloc(0);
    });
    const error = registryError(answer.status, body, call.what, this.endpoint.domain);
    if (error.kind === 'unauthenticated' && !this.hasCredentials) {
      throw new BerthError('unauthenticated', 'registry-unauthenticated', `${this.endpoint.domain}: ${call.what}: authentication required (berth login ${this.endpoint.domain})`, { cause: error });
    }
    if (error.kind === 'unauthenticated') {
      throw new BerthError('unauthenticated', 'registry-unauthenticated', `${this.endpoint.domain}: ${call.what}: unauthorized: incorrect username or password`, { cause: error });
    }
    throw error;
  }

  private attempt(call: RegistryCall, authorization: string | undefined): Promise<HttpAnswer> {
    const headers = { ...call.headers, ...(authorization !== undefined && { Authorization: authorization }) };
    return sendHttp({ method: call.method, url: this.url(call.path), headers, ...(call.body !== undefined && { body: call.body }) });
  }
}
