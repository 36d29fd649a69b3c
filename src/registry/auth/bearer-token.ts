import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Scope } from './scope.js';

/** The claims of the registry's bearer tokens (a JWT signed HS256 with the registry's key). */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: Scope[];
}

const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.string(),
  exp: z.number(),
  nbf: z.number(),
  iat: z.number(),
  jti: z.string(),
  access: z.array(z.object({ type: z.string(), name: z.string(), actions: z.array(z.string()) })),
});

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Signs and checks the JWTs of the built-in token service. The registry is both issuer and
 * audience, so a shared secret (HMAC-SHA256) is enough; clients treat tokens as opaque.
 */
export class TokenSigner {
  constructor(
    private readonly key: Buffer,
    readonly issuer: string,
    readonly service: string,
  ) {}

  sign(subject: string, access: Scope[], lifetimeSeconds: number, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: TokenClaims = { iss: this.issuer, sub: subject, aud: this.service, exp: iat + lifetimeSeconds, nbf: iat - 5, iat, jti: randomBytes(12).toString('hex'), access };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a valid, unexpired token of this registry; undefined for anything else. */
  verify(token: string, now: Date): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1] ?? ''}`));
    const given = Buffer.from(parts[2] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      return undefined; // claims that are not JSON: not a valid token
    }
    const claims = claimsSchema.safeParse(decoded);
    if (!claims.success) return undefined;
    const seconds = now.getTime() / 1000;
    if (claims.data.aud !== this.service || claims.data.iss !== this.issuer || claims.data.exp <= seconds || claims.data.nbf > seconds) return undefined;
    return claims.data;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
