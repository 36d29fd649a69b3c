/**
 * Which permissions a request of berthd's API needs: its route (the pattern it matched, without
 * the `/v1.xx` prefix) and method give the action; the body and query give the dangerous options
 * (container-options.ts). Pure; a route missing here is `unclassified` (admin only), so a new
 * route is closed until it is classified.
 */
import type { AccessRequest, ObjectRef, OptionNeed } from './authorize.js';
import { containerCreateNeeds, execCreateNeeds, serviceSpecNeeds, volumeCreateNeeds } from './container-options.js';
import type { Permission } from './permissions.js';

export interface ApiRequest {
  readonly method: string;
  /** The route's pattern, e.g. `/containers/:id/start`, `/images/*`. */
  readonly route: string;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

type Rule = Permission | 'public' | ((request: ApiRequest) => Permission);

const FIXED: Readonly<Record<string, Rule>> = {
  'GET /_ping': 'public', 'HEAD /_ping': 'public', 'GET /version': 'public',
  'GET /info': 'system.read', 'GET /system/df': 'system.read', 'GET /events': 'system.read', 'GET /berth/v1/metrics': 'system.read', 'GET /metrics': 'system.read', 'GET /berth/v1/alerts': 'system.read',
  'POST /auth': 'images.create',
  // containers
  'GET /containers/json': 'containers.read', 'POST /containers/create': 'containers.create',
  'GET /containers/:id/json': 'containers.read', 'GET /containers/:id/logs': 'containers.read', 'GET /containers/:id/stats': 'containers.read',
  'GET /containers/:id/top': 'containers.read', 'GET /containers/:id/changes': 'containers.read', 'POST /containers/:id/wait': 'containers.read',
  'POST /containers/:id/start': 'containers.start', 'POST /containers/:id/restart': 'containers.start', 'POST /containers/:id/unpause': 'containers.start',
  'POST /containers/:id/stop': 'containers.stop', 'POST /containers/:id/kill': 'containers.stop', 'POST /containers/:id/pause': 'containers.stop',
  'POST /containers/:id/rename': 'containers.update', 'POST /containers/:id/update': 'containers.update',
  'DELETE /containers/:id': 'containers.delete', 'DELETE /containers/:id/:alias': 'containers.delete', 'POST /containers/prune': 'containers.delete',
  'POST /containers/:id/attach': 'containers.attach', 'POST /containers/:id/resize': 'containers.attach',
  'POST /containers/:id/exec': 'containers.exec', 'POST /exec/:id/start': 'containers.exec', 'POST /exec/:id/resize': 'containers.exec',
  'GET /exec/:id/json': 'containers.read',
  'HEAD /containers/:id/archive': 'containers.read', 'GET /containers/:id/archive': 'containers.archive',
  'PUT /containers/:id/archive': 'containers.archive', 'GET /containers/:id/export': 'containers.archive',
  'POST /containers/:id/checkpoints': 'containers.checkpoint', 'GET /containers/:id/checkpoints': 'containers.read',
  'DELETE /containers/:id/checkpoints/:name': 'containers.checkpoint',
  'POST /commit': 'images.create',
  // images and builds
  'GET /images/json': 'images.read', 'GET /images/get': 'images.read', 'GET /images/*': 'images.read',
  'POST /images/*': (request) => (/\/push$/.test(request.params['*'] ?? '') ? 'images.push' : 'images.create'),
  'DELETE /images/*': 'images.delete', 'POST /images/load': 'images.create', 'POST /images/create': 'images.create', 'POST /images/prune': 'images.delete',
  'GET /berth/v1/images/*': 'images.read', 'POST /berth/v1/images/*': 'images.scan',
  'GET /berth/v1/scan/db': 'scans.read', 'POST /berth/v1/scan/db/import': 'scans.update',
  'POST /build': 'builds.create', 'POST /build/prune': 'builds.delete',
  // volumes and networks
  'GET /volumes': 'volumes.read', 'GET /volumes/:name': 'volumes.read', 'POST /volumes/create': 'volumes.create',
  'DELETE /volumes/:name': 'volumes.delete', 'POST /volumes/prune': 'volumes.delete',
  'GET /networks': 'networks.read', 'GET /networks/:id': 'networks.read', 'POST /networks/create': 'networks.create',
  'DELETE /networks/:id': 'networks.delete', 'POST /networks/prune': 'networks.delete',
  'POST /networks/:id/connect': 'networks.update', 'POST /networks/:id/disconnect': 'networks.update',
  'GET /berth/v1/overlays': 'networks.read', 'GET /berth/v1/overlays/:id': 'networks.read',
  'PUT /berth/v1/overlays/:id': 'networks.create', 'DELETE /berth/v1/overlays/:id': 'networks.delete',
  // the cluster
  'GET /swarm': 'swarm.read', 'POST /swarm/init': 'swarm.update', 'POST /swarm/join': 'swarm.update',
  'POST /swarm/leave': 'swarm.update', 'POST /swarm/update': 'swarm.update',
  'GET /services': 'services.read', 'GET /services/:id': 'services.read', 'POST /services/create': 'services.create',
  'POST /services/:id/update': 'services.update', 'DELETE /services/:id': 'services.delete',
  'GET /tasks': 'services.read', 'GET /tasks/:id': 'services.read', 'GET /services/:id/logs': 'services.read', 'GET /tasks/:id/logs': 'services.read',
  'GET /swarm/unlockkey': 'swarm.update', 'POST /swarm/unlock': 'swarm.update',
  ...Object.fromEntries(['secrets', 'configs'].flatMap((kind): [string, Rule][] => [
    [`GET /${kind}`, 'swarm.read'], [`GET /${kind}/:id`, 'swarm.read'], [`POST /${kind}/create`, 'swarm.update'],
    [`DELETE /${kind}/:id`, 'swarm.update'], [`POST /${kind}/:id/update`, 'swarm.update'],
  ])),
  'GET /nodes': 'nodes.read', 'GET /nodes/:id': 'nodes.read', 'POST /nodes/:id/update': 'nodes.update', 'DELETE /nodes/:id': 'nodes.delete',
  // access and audit
  'GET /berth/v1/tokens': 'tokens.read', 'POST /berth/v1/tokens': 'tokens.create', 'DELETE /berth/v1/tokens/:name': 'tokens.delete',
  'GET /berth/v1/audit': 'audit.read', 'GET /berth/v1/audit/verify': 'audit.read',
};

function optionsOf(key: string, request: ApiRequest): readonly OptionNeed[] {
  switch (key) {
    case 'POST /containers/create': return containerCreateNeeds(request.body);
    case 'POST /containers/:id/exec': return execCreateNeeds(request.body);
    case 'POST /volumes/create': return volumeCreateNeeds(request.body);
    case 'POST /services/create':
    case 'POST /services/:id/update': return serviceSpecNeeds(request.body);
    case 'POST /build': return request.query.networkmode === 'host' ? [{ permission: 'builds.host-network', because: 'network host' }] : [];
    default: return [];
  }
}

function objectOf(request: ApiRequest): ObjectRef | undefined {
  const id = request.params.id;
  if (id === undefined) return undefined;
  if (request.route.startsWith('/containers/:id')) return { kind: 'container', ref: id };
  if (request.route.startsWith('/exec/:id')) return { kind: 'exec', id };
  return undefined;
}

function labelsOf(body: unknown): Record<string, string> | undefined {
  if (typeof body !== 'object' || body === null || !('Labels' in body)) return undefined;
  const labels = body.Labels;
  if (typeof labels !== 'object' || labels === null) return {};
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The permissions `request` needs. */
export function describeApiRequest(request: ApiRequest): AccessRequest {
  const key = `${request.method} ${request.route}`;
  const rule = FIXED[key];
  if (rule === undefined) return { route: key, needs: 'unclassified', options: [] };
  const needs = typeof rule === 'function' ? rule(request) : rule;
  const object = objectOf(request);
  const labels = key === 'POST /containers/create' ? labelsOf(request.body) ?? {} : undefined;
  return {
    route: key, needs, options: optionsOf(key, request), ...(object === undefined ? {} : { object }), ...(labels === undefined ? {} : { labels }),
    ...(key === 'GET /containers/json' ? { listing: true } : {}),
  };
}
