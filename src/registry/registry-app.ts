import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { RegistryAuth } from './auth/registry-auth.js';
import { ChallengeError } from './auth/registry-auth.js';
import { parseScopes, type Scope } from './auth/scope.js';
import { registryErrorAnswer } from './registry-errors.js';
import { RegistryMetrics } from './registry-metrics.js';
import type { RegistryStorage } from './registry.js';
import type { PullThroughCache } from './proxy/pull-through-cache.js';
import type { PullGate } from './policy/pull-gate.js';
import { EMPTY_REGISTRY_POLICY, type RegistryPolicy } from './policy/registry-policy.js';
import { blobRoutes } from './routes/blob-routes.js';
import { catalogRoutes, referrerRoutes, tagRoutes } from './routes/listing-routes.js';
import { manifestRoutes } from './routes/manifest-routes.js';
import type { RouteCall, RouteContext, RouteHandler } from './routes/route-context.js';
import { queryValue } from './routes/route-context.js';
import { matchRoute, type RegistryRoute } from './routes/route-match.js';
import { uploadRoutes } from './routes/upload-routes.js';

export interface RegistryAppOptions {
  storage: RegistryStorage;
  auth: RegistryAuth;
  cache?: PullThroughCache;
  metrics?: RegistryMetrics;
  /** The registry policy in force, asked at each request (default: none — no immutable tags, no pull rules). */
  policy?: () => RegistryPolicy;
  /** What decides pulls under the policy's pull rules (without one, pulls they match are refused). */
  pullGate?: PullGate;
  /** TLS material for a standalone server (fastify's `https` option). */
  https?: { cert: Buffer; key: Buffer };
}

const API_VERSION = 'registry/2.0';

/**
 * The scopes a request needs: pull to read, push to write (any upload call), delete to delete.
 * A mount's source is not among them: a source the caller may not pull is not refused but
 * ignored (the mount becomes an ordinary upload, as the distribution spec allows).
 */
export function scopesFor(route: RegistryRoute, method: string): Scope[] {
  if (route.family === 'base') return [];
  if (route.family === 'catalog') return [{ type: 'registry', name: 'catalog', actions: ['*'] }];
  const action = route.family === 'upload' ? 'push' : method === 'GET' || method === 'HEAD' ? 'pull' : method === 'DELETE' ? 'delete' : 'push';
  return [{ type: 'repository', name: route.name, actions: action === 'push' ? ['pull', 'push'] : [action] }];
}

/**
 * The registry as a fastify app (standalone via registry-server.ts, or mounted in berthd later):
 * the distribution API under `/v2/`, the token service at `/token`, `/healthz` and `/metrics`.
 * Every answer carries Docker-Distribution-API-Version; errors are the spec's JSON.
 */
export function buildRegistryApp(options: RegistryAppOptions): FastifyInstance {
  const metrics = options.metrics ?? new RegistryMetrics();
  const context: RouteContext = {
    storage: options.storage, auth: options.auth, metrics, policy: options.policy ?? (() => EMPTY_REGISTRY_POLICY),
    ...(options.cache !== undefined && { cache: options.cache }),
    ...(options.pullGate !== undefined && { pullGate: options.pullGate }),
  };
  const app = Fastify({ logger: false, exposeHeadRoutes: false, forceCloseConnections: true, bodyLimit: 1024 * 1024, ...(options.https !== undefined && { https: options.https }) });
  // Bodies are streamed by the handlers (blob chunks can be gigabytes), never parsed here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });
  const versionCheck = async (call: RouteCall): Promise<void> => {
    await call.reply.header('content-type', 'application/json').send('{}');
  };
  const families: Record<string, Partial<Record<string, RouteHandler<never>>>> = {
    base: { GET: versionCheck, HEAD: versionCheck },
    blob: blobRoutes(context),
    upload: uploadRoutes(context),
    manifest: manifestRoutes(context),
    tags: tagRoutes(context),
    catalog: catalogRoutes(context),
    referrers: referrerRoutes(context),
  };

  app.addHook('onRequest', (_request, reply, done) => {
    void reply.header('docker-distribution-api-version', API_VERSION);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = matchRoute(request.url.split('?')[0] ?? '');
    metrics.request(request.method, route?.family ?? 'other', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const answer = registryErrorAnswer(err);
    if (err instanceof ChallengeError) void reply.header('www-authenticate', err.challenge);
    request.raw.resume();
    void reply.status(answer.status).header('content-type', 'application/json').send(JSON.stringify(answer.body));
  });

  app.route({
    method: ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE'],
    url: '/v2/*',
    handler: async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const route = matchRoute(path);
      const handler = route === undefined ? undefined : families[route.family]?.[request.method];
      if (route === undefined || handler === undefined) {
        request.raw.resume();
        await reply.status(404).header('content-type', 'application/json').send(JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: `no such endpoint: ${request.method} ${path}` }] }));
        return;
      }
      const query = request.query as RouteCall['query'];
      const grant = await options.auth.authorize({ authorization: request.headers.authorization, origin: originOf(request) }, scopesFor(route, request.method));
      await (handler as RouteHandler<RegistryRoute>)({ request, reply, route, account: grant.account, mayPull: grant.mayPull, query });
    },
  });
  app.get('/v2', async (_request, reply) => reply.redirect('/v2/', 301));
  app.get('/token', async (request, reply) => {
    const query = request.query as Record<string, string | string[] | undefined>;
    const token = await options.auth.issueToken(request.headers.authorization, queryValue(query, 'service'), parseScopes(query.scope));
    await reply.header('cache-control', 'no-store').send(token);
  });
  app.get('/healthz', async (_request, reply) => {
    options.storage.db.sqlite.prepare('SELECT 1').get();
    await reply.send({ status: 'ok' });
  });
  app.get('/metrics', async (_request, reply) => {
    await reply.header('content-type', metrics.registry.contentType).send(await metrics.text());
  });
  return app;
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}
