import { errors, messageOf } from '../../base/errors.js';

/** Where an upstream registry is and how to log in to it. */
export interface UpstreamOptions {
  /** `http(s)://host[:port]` of the upstream registry. */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
}

/** A challenge's parameters: `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) params[match[1] ?? ''] = match[2] ?? '';
  return { scheme, params };
}

/**
 * A minimal distribution client for the pull-through cache: GETs with Basic credentials or the
 * Docker token flow (answering the upstream's Bearer challenge), tokens kept per scope until
 * they expire. Throws unavailable when the upstream cannot be reached.
 */
export class UpstreamClient {
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(private readonly options: UpstreamOptions) {}

  async get(path: string, scope: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
    const cached = this.tokens.get(scope);
    const auth = cached && cached.until > Date.now() ? `Bearer ${cached.token}` : this.basic();
    let response = await this.send(path, method, { ...headers, ...(auth !== undefined && { authorization: auth }) });
    if (response.status !== 401) return response;
    const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
    await response.body?.cancel();
    if (challenge.scheme !== 'bearer' || challenge.params.realm === undefined) return response;
    const token = await this.token(challenge.params.realm, challenge.params.service, scope);
    response = await this.send(path, method, { ...headers, authorization: `Bearer ${token}` });
    return response;
  }

  private basic(): string | undefined {
    if (this.options.username === undefined) return undefined;
    return `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ''}`).toString('base64')}`;
  }

  private async token(realm: string, service: string | undefined, scope: string): Promise<string> {
    const url = new URL(realm);
    if (service !== undefined) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const basic = this.basic();
    const response = await fetch(url, basic === undefined ? {} : { headers: { authorization: basic } }).catch((cause: unknown) => {
      throw errors.unavailable('upstream-unreachable', `upstream token service ${url.origin}: ${messageOf(cause)}`, { cause });
    });
    if (!response.ok) throw errors.unavailable('upstream-token', `upstream token service answered ${response.status}`);
    const body = (await response.json()) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 60;
    this.tokens.set(scope, { token, until: Date.now() + Math.max(0, lifetime - 10) * 1000 });
    return token;
  }

  private async send(path: string, method: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await fetch(new URL(path, this.options.url), { method, headers, redirect: 'follow' });
    } catch (cause) {
      throw errors.unavailable('upstream-unreachable', `upstream ${this.options.url}: ${messageOf(cause)}`, { cause });
    }
  }
}
