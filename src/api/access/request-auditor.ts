/**
 * What of the API goes into the audit trail, and how: every request that may change state (any
 * method but GET and HEAD, except pure reads such as `wait`) and every exec, attach and cp, each
 * recorded — who, route, object, a summary of the body with secrets redacted — before its handler
 * runs (a trail that cannot be written refuses the request: 503), and its outcome (status, error)
 * appended when it ends. Every refusal is recorded too, reads included: a 403 with the identity
 * that was refused, a 401 with who `anonymous` — what the caller presented (never a secret) and
 * where from (request-identity.ts' `unidentifiedCaller`).
 */
import { randomUUID } from 'node:crypto';
import type { AccessRequest, Identity } from '../../security/access/index.js';
import type { UnidentifiedCaller } from './request-identity.js';
import { summarizeBody, type AuditLog, type AuditWho } from '../../security/audit/index.js';
import { messageOf } from '../../base/errors.js';

const ALWAYS: ReadonlySet<string> = new Set(['containers.exec', 'containers.attach', 'containers.archive']);

export interface AuditedRequest {
  identity: Identity;
  method: string;
  route: string;
  path: string;
  params: Readonly<Record<string, string | undefined>>;
  body: unknown;
  described: AccessRequest;
}

/** A request refused before its route ran: no body is recorded. */
export type RefusedRequest = Omit<AuditedRequest, 'identity' | 'described' | 'body'>;

/** The who of a 401: no identity, so no role; the name says what was presented. */
const ANONYMOUS = { kind: 'anonymous', role: 'none' } as const;

export class RequestAuditor {
  constructor(private readonly log: AuditLog, private readonly onError: (message: string) => void) {}

  /** Whether `request` is recorded. */
  covers(method: string, described: AccessRequest): boolean {
    if (typeof described.needs === 'string' && ALWAYS.has(described.needs)) return true;
    if (method === 'GET' || method === 'HEAD') return false;
    return described.needs === 'unclassified' || !described.needs.endsWith('.read');
  }

  /** Records the request, durably; resolves with its id. unavailable when the trail cannot be written. */
  async begin(request: AuditedRequest): Promise<string> {
    const { identity } = request;
    return this.#record({
      kind: identity.kind, name: identity.name, role: identity.role, source: identity.source ?? 'unknown',
      ...(identity.uid === undefined ? {} : { uid: identity.uid }),
    }, request);
  }

  /**
   * Records a request refused for want of an identity (401) and its outcome, both durable when it
   * resolves (the refusal waits: no handler is held up). unavailable when the request record
   * cannot be written; the outcome's failure is logged.
   */
  async unauthenticated(caller: UnidentifiedCaller, request: RefusedRequest, error: string): Promise<void> {
    const id = await this.#record({
      ...ANONYMOUS, name: caller.presented, source: caller.source, ...(caller.uid === undefined ? {} : { uid: caller.uid }),
    }, { ...request, body: undefined });
    await this.#outcome(id, 401, error);
  }

  async #record(who: AuditWho, request: Omit<AuditedRequest, 'identity' | 'described'>): Promise<string> {
    const id = randomUUID();
    const { params } = request;
    const object = params.id ?? params.name ?? params['*'];
    const body = summarizeBody(request.body);
    await this.log.append({
      type: 'request', id, who, method: request.method, route: request.route, path: request.path,
      ...(object === undefined || object === '' ? {} : { object }), ...(body === undefined ? {} : { body }),
    });
    return id;
  }

  /** Appends the outcome (not awaited by the request, durable with the trail's next fsync; a failure is logged). */
  end(id: string, status: number, error?: string): void {
    void this.#outcome(id, status, error);
  }

  async #outcome(id: string, status: number, error: string | undefined): Promise<void> {
    try {
      await this.log.append({ type: 'outcome', id, status, ...(error === undefined ? {} : { error }) }, { durable: false });
    } catch (err) {
      this.onError(`audit: cannot record the outcome of request ${id}: ${messageOf(err)}`);
    }
  }
}
