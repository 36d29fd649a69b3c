/**
 * Typed calls of berthd's token and audit routes (`/berth/v1/tokens`, `/berth/v1/audit`). Methods throw the BerthError of the
 * answer: invalid-argument (bad name, unknown role), already-exists, not-found, permission-denied.
 */
import type { AuditEntryView, AuditVerification, TokenCreateBody, TokenCreated, TokenView } from '../wire/access.js';
import type { ApiTransport } from './api-transport.js';

export class AccessClient {
  constructor(private readonly api: ApiTransport) {}

  createToken(body: TokenCreateBody): Promise<TokenCreated> {
    return this.api.json<TokenCreated>('POST', '/berth/v1/tokens', { body });
  }

  listTokens(): Promise<TokenView[]> {
    return this.api.json<TokenView[]>('GET', '/berth/v1/tokens');
  }

  async removeToken(name: string): Promise<void> {
    await this.api.call('DELETE', `/berth/v1/tokens/${encodeURIComponent(name)}`);
  }

  /** The audit trail's requests; `since` is Unix seconds. */
  listAudit(query: { since: string | undefined; user: string | undefined; object: string | undefined }): Promise<AuditEntryView[]> {
    return this.api.json<AuditEntryView[]>('GET', '/berth/v1/audit', { query });
  }

  verifyAudit(): Promise<AuditVerification> {
    return this.api.json<AuditVerification>('GET', '/berth/v1/audit/verify');
  }
}
