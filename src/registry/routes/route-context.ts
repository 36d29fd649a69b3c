import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegistryAuth } from '../auth/registry-auth.js';
import type { Account } from '../auth/access-control.js';
import type { RegistryMetrics } from '../registry-metrics.js';
import type { RegistryStorage } from '../registry.js';
import type { PullThroughCache } from '../proxy/pull-through-cache.js';
import type { PullGate } from '../policy/pull-gate.js';
import type { RegistryPolicy } from '../policy/registry-policy.js';
import type { RegistryRoute } from './route-match.js';

/** What every handler gets: the storage, auth, metrics, the optional pull-through caches, the policy and pull gate. */
export interface RouteContext {
  storage: RegistryStorage;
  auth: RegistryAuth;
  metrics: RegistryMetrics;
  cache?: PullThroughCache;
  /** The registry policy in force (it may be replaced while the registry serves). */
  policy: () => RegistryPolicy;
  pullGate?: PullGate;
}

/** One request, after routing and authorization. */
export interface RouteCall<R extends RegistryRoute = RegistryRoute> {
  request: FastifyRequest;
  reply: FastifyReply;
  route: R;
  account: Account;
  /** Whether the caller may pull another repository than the one the route names. */
  mayPull: (repository: string) => boolean;
  query: Record<string, string | string[] | undefined>;
}

export type RouteHandler<R extends RegistryRoute> = (call: RouteCall<R>) => Promise<void>;

/** Handlers of one endpoint family, by HTTP method. */
export type FamilyHandlers<F extends RegistryRoute['family']> = Partial<Record<string, RouteHandler<Extract<RegistryRoute, { family: F }>>>>;

/** A single query value (the first when repeated). */
export function queryValue(query: RouteCall['query'], name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The `/v2/<name>/…` base of a repository's URLs, with the name path-escaped per component. */
export function repositoryPath(name: string): string {
  return `/v2/${name.split('/').map(encodeURIComponent).join('/')}`;
}
