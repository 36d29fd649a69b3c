/**
 * Every request is authenticated, then authorized before its handler: an `onRequest` hook finds
 * the caller (request-identity.ts; 401 without one, recorded in the audit trail as `anonymous`
 * with what the caller presented), a `preHandler` hook — once the JSON body is parsed, before the
 * route runs — asks security/access for a decision on the route, body and the object's labels
 * (403 naming the missing permission, recorded whatever the method), and records what the audit
 * trail covers (request-auditor.ts) before the handler; `onResponse` appends the outcome.
 * Hijacked requests (attach, exec start) bypass fastify, so the upgrade router calls the returned
 * guard instead.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors, isBerthError, messageOf } from '../../base/errors.js';
import { componentLogger } from '../../base/logger.js';
import { stripVersion } from '../api-version.js';
import type { Query } from '../query.js';
import { narrowToLabels } from './narrow-listing.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { authorize, describeApiRequest, type AccessRequest, type Identity, type Role } from '../../security/access/index.js';
import type { Clock } from '../../base/clock.js';
import type { UpgradeGuard } from '../hijack/upgrade-router.js';
import { identify, unidentifiedCaller, type IdentitySources } from './request-identity.js';
import { tokenRoutes } from './token-routes.js';
import { auditRoutes } from './audit-routes.js';
import { RequestAuditor, type AuditedRequest, type RefusedRequest } from './request-auditor.js';
import type { AuditLog } from '../../security/audit/index.js';

export interface ApiAccess extends IdentitySources {
  /** Built-in and custom roles by name. */
  roles: ReadonlyMap<string, Role>;
  clock: Clock;
  /** The audit trail; without it nothing is recorded. */
  audit?: AuditLog;
  /** berthd's log, for what cannot be answered to a client (an outcome the trail could not take). Default: the process logger. */
  log?: (message: string) => void;
}

/** The engine's part the decision reads: labels of containers, and the container of an exec. */
type LabelSource = Pick<ContainerEngine, 'find' | 'inspect' | 'execs'>;

const log = componentLogger('api');

const identities = new WeakMap<IncomingMessage, Identity>();

function labelsOf(request: AccessRequest, engine: LabelSource): Readonly<Record<string, string>> | undefined {
  if (request.labels !== undefined) return request.labels;
  const object = request.object;
  if (object === undefined) return undefined;
  try {
    const record = object.kind === 'container' ? engine.inspect(object.ref) : engine.find(engine.execs.get(object.id).containerId);
    return record?.config.options.labels ?? {};
  } catch (err) {
    // No such object: no labels, so only an unrestricted grant allows; the route then answers 404.
    if (!isBerthError(err, 'not-found')) log.warn('reading the labels of a request\'s object failed: only an unrestricted grant allows', { err, kind: object.kind });
    return undefined;
  }
}

type Finish = (status: number, error?: string) => void;

/** Installs the hooks, the token routes and (with a trail) the audit routes on `app`; returns the guard of hijacked requests. */
export function installAccessControl(app: FastifyInstance, access: ApiAccess, engine: LabelSource): UpgradeGuard {
  const warn = access.log ?? ((message: string) => { log.warn(message); });
  const auditor = access.audit === undefined ? undefined : new RequestAuditor(access.audit, warn);
  const finishes = new WeakMap<IncomingMessage, Finish>();
  const failures = new WeakMap<IncomingMessage, string>();
  /** Decides, records what the trail covers and every refusal (before the handler; a refusal with its 403), throws a refusal. */
  const admit = async (identity: Identity, described: AccessRequest, request: Omit<AuditedRequest, 'identity' | 'described'>, query: Query): Promise<Finish | undefined> => {
    const decision = authorize(identity, described, access.roles, labelsOf(described, engine));
    if (decision.allowed && decision.onlyLabels !== undefined) narrowToLabels(query, decision.onlyLabels);
    // A refusal is recorded whatever the method; an allowed request when the trail covers it.
    const id = auditor !== undefined && (!decision.allowed || auditor.covers(request.method, described)) ? await auditor.begin({ ...request, identity, described }) : undefined;
    if (!decision.allowed) {
      if (id !== undefined) auditor?.end(id, 403, decision.message);
      throw errors.permissionDenied('access-denied', decision.message, { details: { permission: decision.permission } });
    }
    return id === undefined ? undefined : (status, error) => { auditor?.end(id, status, error); };
  };
  /** A 401 is answered even when the trail cannot take it: nothing runs for the caller, and the log says so. */
  const recordUnauthenticated = async (raw: IncomingMessage, request: RefusedRequest, error: string): Promise<void> => {
    if (auditor === undefined) return;
    try {
      await auditor.unauthenticated(await unidentifiedCaller(raw, access), request, error);
    } catch (err) {
      warn(`audit: cannot record a request refused for want of an identity (${request.method} ${request.route}): ${messageOf(err)}`);
    }
  };
  /** The caller of `raw` (found once per request); a refusal (401) is recorded as `refused()` describes the request. */
  const identityOf = async (raw: IncomingMessage, refused: () => RefusedRequest): Promise<Identity> => {
    const known = identities.get(raw);
    if (known !== undefined) return known;
    let identity: Identity;
    try {
      identity = await identify(raw, access);
    } catch (err) {
      if (isBerthError(err, 'unauthenticated')) await recordUnauthenticated(raw, refused(), err.message);
      throw err;
    }
    identities.set(raw, identity);
    return identity;
  };
  const refusedOf = (request: FastifyRequest) => (): RefusedRequest => ({
    method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0] ?? request.url, path: request.url,
    params: request.params as Record<string, string>,
  });
  app.addHook('onRequest', async (request) => { await identityOf(request.raw, refusedOf(request)); });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const route = request.routeOptions.url;
    if (route === undefined) return; // no route: the 404 handler answers
    const params = request.params as Record<string, string>;
    const described = describeApiRequest({ method: request.method, route, params, query: request.query as Record<string, unknown>, body: request.body });
    const finish = await admit(await identityOf(request.raw, refusedOf(request)), described, { method: request.method, route, path: request.url, params, body: request.body }, request.query as Query);
    if (finish !== undefined) finishes.set(request.raw, finish);
  });
  app.addHook('onError', async (request, _reply, error) => { failures.set(request.raw, error.message); });
  app.addHook('onResponse', async (request, reply) => {
    finishes.get(request.raw)?.(reply.statusCode, reply.statusCode >= 400 ? failures.get(request.raw) : undefined);
  });
  tokenRoutes(app, access.tokens, access.roles, access.clock);
  if (access.audit !== undefined) auditRoutes(app, access.audit.dir);
  return async (request, route, params) => {
    const method = request.method ?? 'POST';
    const described = describeApiRequest({ method, route, params, query: {}, body: undefined });
    const path = stripVersion(request.url ?? route);
    return admit(await identityOf(request, () => ({ method, route, path, params })), described, { method, route, path, params, body: undefined }, {});
  };
}
