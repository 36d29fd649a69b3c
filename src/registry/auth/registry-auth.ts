import type { Clock } from '../../base/clock.js';
import { BerthError } from '../../base/errors.js';
import { registryError } from '../registry-errors.js';
import type { AccessConfig } from './access-config.js';
import { allowedActions, isAllowed, type Account } from './access-control.js';
import type { TokenSigner } from './bearer-token.js';
import type { PasswordFile } from './htpasswd.js';
import { formatScope, scopeCovers, type Scope } from './scope.js';

/** A 401 that carries the `WWW-Authenticate` challenge the client must answer. */
export class ChallengeError extends BerthError {
  constructor(
    message: string,
    readonly challenge: string,
  ) {
    super('unauthenticated', 'UNAUTHORIZED', message);
  }
}

/** What the authorizer needs of a request. */
export interface AuthRequest {
  authorization: string | undefined;
  /** `http(s)://host[:port]` the client used, for the token realm. */
  origin: string;
}

export type AuthMode = 'none' | 'basic' | 'token';

/** Who a request is from, and what else it may read than the scopes it was checked for. */
export interface Grant {
  account: Account;
  /** Whether the caller may pull `repository` (a cross-repository mount's source must pass this). */
  mayPull: (repository: string) => boolean;
}

/** The token the `/token` endpoint answers. */
export interface IssuedToken {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
}

/**
 * Authentication and access control of registry requests. `none`: everything is allowed.
 * `basic`: HTTP Basic against the password file; `token`: the Docker token flow, with tokens
 * issued by this registry's `/token` endpoint (which itself takes Basic credentials).
 * Missing or wrong credentials answer 401 with the challenge of the mode; an authenticated
 * account without the right answers 403 DENIED.
 */
export class RegistryAuth {
  private constructor(
    readonly mode: AuthMode,
    private readonly clock: Clock,
    private readonly passwords?: PasswordFile,
    private readonly config?: AccessConfig,
    private readonly signer?: TokenSigner,
    private readonly realm = 'berth-registry',
  ) {}

  static none(clock: Clock): RegistryAuth {
    return new RegistryAuth('none', clock);
  }

  static basic(clock: Clock, passwords: PasswordFile, config: AccessConfig): RegistryAuth {
    return new RegistryAuth('basic', clock, passwords, config);
  }

  static token(clock: Clock, passwords: PasswordFile, config: AccessConfig, signer: TokenSigner): RegistryAuth {
    return new RegistryAuth('token', clock, passwords, config, signer);
  }

  /**
   * Checks that the request may take every scope in `needs` (empty: only that the caller is
   * someone allowed in at all, as `/v2/` asks). Returns the account (undefined: anonymous) and
   * what else it may pull: under Basic, what the rules allow the account; under a token, what
   * the token grants (never more than the rules allowed when it was issued).
   */
  async authorize(request: AuthRequest, needs: readonly Scope[]): Promise<Grant> {
    const config = this.config;
    if (this.mode === 'none' || !config) return { account: undefined, mayPull: () => true };
    if (this.mode === 'basic') {
      const account = await this.authorizeBasic(request, needs, config);
      return { account, mayPull: (repository) => isAllowed(config, account, repository, ['pull']) };
    }
    const { account, access } = this.authorizeBearer(request, needs);
    return { account, mayPull: (repository) => scopeCovers(access, { type: 'repository', name: repository, actions: ['pull'] }) };
  }

  /** The account whose Basic credentials the header carries; 401 for wrong ones, undefined for none. */
  async basicAccount(authorization: string | undefined): Promise<Account> {
    const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    if (colon > 0 && this.passwords && (await this.passwords.verify(user, decoded.slice(colon + 1)))) return user;
    throw new ChallengeError('invalid username or password', `Basic realm="${this.realm}"`);
  }

  /**
   * The token service: authenticates the Basic credentials (anonymous without any) and grants,
   * of each requested scope, the actions the access config allows the account.
   */
  async issueToken(authorization: string | undefined, service: string | undefined, scopes: readonly Scope[]): Promise<IssuedToken> {
    if (this.mode !== 'token' || !this.signer || !this.config) throw registryError('UNSUPPORTED', 'this registry issues no tokens');
    if (service !== undefined && service !== this.signer.service) throw registryError('DENIED', `unknown service "${service}"`);
    const account = await this.basicAccount(authorization);
    const config = this.config;
    const access = scopes.map((scope): Scope => {
      if (scope.type === 'registry' && scope.name === 'catalog') return { ...scope, actions: account === undefined ? [] : ['*'] };
      if (scope.type !== 'repository') return { ...scope, actions: [] };
      const allowed = allowedActions(config, account, scope.name);
      return { ...scope, actions: scope.actions.filter((action) => (allowed as Set<string>).has(action) || (action === '*' && allowed.size === 3)) };
    });
    const lifetime = config.token.expiresInSeconds;
    const now = this.clock.now();
    const token = this.signer.sign(account ?? '', access, lifetime, now);
    return { token, access_token: token, expires_in: lifetime, issued_at: now.toISOString() };
  }

  /** For `_catalog`: may this account see the repository? */
  canPull(account: Account, repository: string): boolean {
    return this.mode === 'none' || !this.config || isAllowed(this.config, account, repository, ['pull']);
  }

  private async authorizeBasic(request: AuthRequest, needs: readonly Scope[], config: AccessConfig): Promise<Account> {
    const account = await this.basicAccount(request.authorization);
    const challenge = `Basic realm="${this.realm}"`;
    for (const need of needs) {
      if (need.type === 'registry') {
        if (account === undefined) throw new ChallengeError('authentication required', challenge);
        continue;
      }
      if (isAllowed(config, account, need.name, need.actions)) continue;
      if (account === undefined) throw new ChallengeError('authentication required', challenge);
      throw registryError('DENIED', `${account} may not ${need.actions.join(',')} ${need.name}`, { scope: formatScope(need) });
    }
    if (needs.length === 0 && account === undefined && config.anonymous.pull.length === 0) throw new ChallengeError('authentication required', challenge);
    return account;
  }

  private authorizeBearer(request: AuthRequest, needs: readonly Scope[]): { account: Account; access: readonly Scope[] } {
    const signer = this.signer;
    if (!signer) return { account: undefined, access: [] };
    const scope = needs.map(formatScope).join(' ');
    const challenge = `Bearer realm="${request.origin}/token",service="${signer.service}"${scope === '' ? '' : `,scope="${scope}"`}`;
    const match = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '');
    const claims = match?.[1] === undefined ? undefined : signer.verify(match[1], this.clock.now());
    if (!claims) throw new ChallengeError('authentication required', challenge);
    for (const need of needs) {
      if (scopeCovers(claims.access, need)) continue;
      // An account that the rules refuse anyway gets 403: a new token would not help. Otherwise
      // the client asks the token service again for this scope (or logs in, if anonymous).
      if (claims.sub !== '' && this.config && need.type === 'repository' && !isAllowed(this.config, claims.sub, need.name, need.actions)) {
        throw registryError('DENIED', `${claims.sub} may not ${need.actions.join(',')} ${need.name}`, { scope: formatScope(need) });
      }
      throw new ChallengeError('insufficient scope', `${challenge},error="insufficient_scope"`);
    }
    return { account: claims.sub === '' ? undefined : claims.sub, access: claims.access };
  }
}
