import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ContainerEngine } from '../engine/container-engine.js';
import type { ImageService } from '../images/image-service.js';
import { errors } from '../base/errors.js';
import { stripVersion } from './api-version.js';
import { sendError } from './errors.js';
import { parseExactJson } from './exact-json.js';
import { INPUT_LIMITS } from './input-limits.js';
import { UpgradeRouter } from './hijack/upgrade-router.js';
import { installAccessControl, type ApiAccess } from './access/access-hook.js';
import { tlsListener, type TlsListenerOptions } from './access/tls-listener.js';
import type { Builder } from '../build/builder.js';
import type { RouteServices } from './route-services.js';
import { attachRoutes } from './routes/attach.js';
import { checkpointRoutes } from './routes/checkpoints.js';
import { containerFileRoutes } from './routes/container-files.js';
import { containerInspectionRoutes } from './routes/container-inspection.js';
import { containerUpdateRoutes } from './routes/container-update.js';
import { buildRoutes } from './routes/build.js';
import { commitRoutes } from './routes/commit.js';
import { containerRoutes } from './routes/containers.js';
import { eventRoutes } from './routes/events.js';
import { execRoutes } from './routes/exec.js';
import { imageRoutes } from './routes/images.js';
import { networkRoutes } from './routes/networks.js';
import { overlayRoutes } from './routes/overlays.js';
import { systemDiskUsageRoutes } from './routes/system-df.js';
import { securityRoutes, type SecurityRoutesOptions } from './routes/security.js';
import { metricsRoutes } from './routes/metrics.js';
import { prometheusRoutes } from './routes/prometheus-metrics.js';
import type { NodeMetrics, Transfer } from '../metrics/index.js';
import { authRoutes } from './routes/pull-push.js';
import { inactiveSwarmInfo, inactiveSwarmRoutes } from './routes/swarm-inactive.js';
import { clusterSwarmInfo, swarmRoutes } from './routes/swarm.js';
import type { ClusterControl } from '../cluster/control/cluster-control.js';
import { systemRoutes } from './routes/system.js';
import { volumeRoutes } from './routes/volumes.js';
import { alertRoutes } from './routes/alerts.js';
import type { AlertListing } from '../alerts/index.js';
import { tracing } from '../base/trace-spans.js';
import { traceRequests } from './request-spans.js';
import { logRequests } from './request-log.js';

export interface ApiServerOptions extends RouteServices {
  images: ImageService;
  containers: ContainerEngine;
  /** berth's scanning routes (/berth/v1/images/{name}/scan, /sbom, /berth/v1/scan/db). */
  security?: SecurityRoutesOptions;
  /** Prometheus registries served at `GET /berth/v1/metrics`; without them the route is absent. */
  metrics?: readonly Registry[];
  /** The node's metrics, served at `GET /metrics`; every request is counted in them. Without it the route is absent. */
  nodeMetrics?: NodeMetrics;
  /** Dockerfile builds (`POST /build`); without it the route is absent. */
  builder?: Builder;
  /** Unix socket to listen on (created; a stale one is replaced). */
  socketPath: string;
  /** The socket's group (mode 0660, owner root); without it, group root. */
  socketGroup?: number;
  /** Authentication and authorization of every request (access/); without it, every caller may do everything. */
  access?: ApiAccess;
  /** Also serve the API over TLS with client certificates on a TCP address (needs `access`). */
  tls?: TlsListenerOptions;
  /** Registries reachable over plain HTTP besides loopback ones. */
  insecureRegistries?: readonly string[];
  /** The node's part of a cluster: the Swarm routes and `/info`'s Swarm over it; without it, those of a node in no swarm. */
  cluster?: ClusterControl;
  /** berthd's logger: each request logs through a child with its `reqId`; without it, nothing is logged. */
  logger?: FastifyBaseLogger;
  /** The alerts of berthd's rules (`GET /berth/v1/alerts`); without them the route answers alerts-off. */
  alerts?: AlertListing;
}

/**
 * The Docker Engine API (plus berth's own routes later) over a unix socket. Every route answers
 * both unversioned (`/images/json`) and versioned (`/v1.41/images/json`) paths, as docker-compose
 * and the docker CLI expect. Errors become Docker's `{"message": …}` with the kind's status.
 */
export async function startApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger, logController: new LogController({ disableRequestLogging: true }) }),
    rewriteUrl: (request) => stripVersion(request.url ?? '/'),
    bodyLimit: 1024 * 1024 * 16,
  });
  // Clients send empty bodies with a JSON content type; tar bodies are streamed, never buffered.
  // JSON bodies are read whole up to berth's limit (413 beyond), integers beyond ±(2^53−1) exactly.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: INPUT_LIMITS.jsonBodyBytes }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, parseExactJson(text));
    } catch {
      done(errors.invalidArgument('invalid-json-body', 'request body is not valid JSON'), undefined);
    }
  });
  app.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });
  // The docker CLI decodes error bodies only when the type is exactly `application/json`.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') void reply.header('content-type', 'application/json');
    done(null, payload);
  });
  app.setErrorHandler(sendError);
  if (options.logger !== undefined) logRequests(app);
  if (tracing) traceRequests(app);
  const guard = options.access === undefined ? undefined : installAccessControl(app, options.access, options.containers);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ message: `page not found: ${request.method} ${request.url}` });
  });
  const { nodeMetrics } = options;
  const registry = {
    insecureRegistries: options.insecureRegistries ?? [], ...(options.admission !== undefined && { admission: options.admission }),
    ...(nodeMetrics !== undefined && { onTransferred: (transfer: Transfer, bytes: number) => { nodeMetrics.api.transferred(transfer, bytes); } }),
  };
  const { cluster } = options;
  if (nodeMetrics !== undefined) prometheusRoutes(app, nodeMetrics);
  const swarmInfo = cluster === undefined ? inactiveSwarmInfo : clusterSwarmInfo(cluster);
  systemRoutes(app, options.images, options.containers, { insecureRegistries: registry.insecureRegistries, swarmInfo });
  if (cluster === undefined) inactiveSwarmRoutes(app);
  else swarmRoutes(app, cluster, options.admission === undefined ? undefined : { gate: options.admission, images: options.images });
  imageRoutes(app, options.images, registry);
  authRoutes(app, registry);
  containerRoutes(app, options.containers, options);
  containerInspectionRoutes(app, options.containers);
  containerFileRoutes(app, options.containers);
  containerUpdateRoutes(app, options.containers, options.admission);
  systemDiskUsageRoutes(app, options.images, options.containers, options.volumes, options.builder);
  checkpointRoutes(app, options.containers, options.runner);
  volumeRoutes(app, options.containers.volumeUsage, options.volumes);
  if (options.security) securityRoutes(app, options.security);
  if (options.metrics !== undefined) metricsRoutes(app, options.metrics);
  networkRoutes(app, options.containers, options.networks, cluster);
  overlayRoutes(app, options.networks);
  commitRoutes(app, options.containers);
  if (options.builder !== undefined) buildRoutes(app, options.images, options.builder, options.runner, registry.onTransferred);
  eventRoutes(app, options.containers.eventLog);
  alertRoutes(app, options.alerts);
  const upgrades = new UpgradeRouter(guard);
  attachRoutes(app, upgrades, options.containers);
  execRoutes(app, upgrades, options.containers);
  upgrades.install(app.server);

  await mkdir(dirname(options.socketPath), { recursive: true, mode: 0o755 });
  await rm(options.socketPath, { force: true });
  const tls = options.tls === undefined || options.access === undefined ? undefined : tlsListener(app, upgrades, options.tls);
  await app.listen({ path: options.socketPath });
  await chmod(options.socketPath, 0o660);
  if (options.socketGroup !== undefined) await chown(options.socketPath, 0, options.socketGroup);
  await tls?.listen();
  return app;
}
