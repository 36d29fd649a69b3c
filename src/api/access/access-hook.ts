/**
 * Every request is authenticated, then authorized before its handler: an `onRequest` hook finds
 * the caller (request-identity.ts; 401 without one), a `preHandler` hook — once the JSON body is
 * parsed, before the route runs — asks security/access for a decision on the route, body and the
 * object's labels (403 naming the missing permission), and records what the audit trail covers
 * (request-auditor.ts) before the handler; `onResponse` appends the outcome. Hijacked requests
 * (attach, exec start) bypass fastify, so the upgrade router calls the returned guard instead.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors, isBerthError } from '../../base/errors.js';
import { componentLogger } from '../../base/logger.js';
import { stripVersion } from '../api-version.js';
import type { Query } from '../query.js';
import { narrowToLabels } from './narrow-listing.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { authorize, describeApiRequest, type AccessRequest, type Identity, type Role } from '../../security/access/index.js';
import type { Clock } from '../../base/clock.js';
import type { UpgradeGuard } from '../hijack/upgrade-router.js';
import { identify, type IdentitySources } from './request-identity.js';
import { tokenRoutes } from './token-routes.js';
import { auditRoutes } from './audit-routes.js';
import { RequestAuditor, type AuditedRequest } from './request-auditor.js';
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
  const auditor = access.audit === undefined ? undefined : new RequestAuditor(access.audit, access.log ?? ((message) => { log.warn(message); }));
  const finishes = new WeakMap<IncomingMessage, Finish>();
  const failures = new WeakMap<IncomingMessage, string>();
  /** Decides, records what the trail covers (before the handler; a refusal with its 403), throws a refusal. */
  const admit = async (identity: Identity, described: AccessRequest, request: Omit<AuditedRequest, 'identity' | 'described'>, query: Query): Promise<Finish | undefined> => {
    const decision = authorize(identity, described, access.roles, labelsOf(described, engine));
    if (decision.allowed && decision.onlyLabels !== undefined) narrowToLabels(query, decision.onlyLabels);
    const id = auditor?.covers(request.method, described) === true ? await auditor.begin({ ...request, identity, described }) : undefined;
    if (!decision.allowed) {
      if (id !== undefined) auditor?.end(id, 403, decision.message);
      throw errors.permissionDenied('access-denied', decision.message, { details: { permission: decision.permission } });
    }
    return id === undefined ? undefined : (status, error) => { auditor?.end(id, status, error); };
  };
  const identityOf = async (raw: IncomingMessage): Promise<Identity> => {
    const known = identities.get(raw);
    if (known !== undefined) return known;
    const identity = await identify(raw, access);
    identities.set(raw, identity);
    return identity;
  };
  app.addHook('onRequest', async (request) => { await identityOf(request.raw); });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const route = request.routeOptions.url;
    if (route === undefined) return; // no route: the 404 handler answers
    const params = request.params as Record<string, string>;
    const described = describeApiRequest({ method: request.method, route, params, query: request.query as Record<string, unknown>, body: request.body });
    const finish = await admit(await identityOf(request.raw), described, { method: request.method, route, path: request.url, params, body: request.body }, request.query as Query);
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
    return admit(await identityOf(request), described, { method, route, path: stripVersion(request.url ?? route), params, body: undefined }, {});
  };
}
