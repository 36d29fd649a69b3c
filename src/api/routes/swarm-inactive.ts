/**
 * The Swarm routes of a node that is in no cluster, answered as dockerd answers them then:
 * `/swarm`, `/nodes`, `/services`, `/tasks`, `/secrets`, `/configs` and their sub-routes are
 * 503 "This node is not a swarm manager…" (after the same parameter checks dockerd makes first),
 * `POST /swarm/leave` is 503 "This node is not part of a swarm", and `/info` reports
 * `Swarm.LocalNodeState: "inactive"`. `init` and `join` are refused with 503: this node cannot form
 * or enter a swarm. A node that joins a cluster replaces this module with the cluster's routes.
 */
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import { errors } from '../../base/errors.js';
import { queryString, type Query } from '../query.js';
import type { SwarmInfo } from '../../wire/system.js';

export const NOT_A_MANAGER_MESSAGE = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
const NOT_IN_SWARM_MESSAGE = 'This node is not part of a swarm';

/** `/info`'s `Swarm` object of a node in no swarm (the keys dockerd's has). */
export function inactiveSwarmInfo(): SwarmInfo {
  return { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null };
}

type Request = FastifyRequest<{ Querystring: Query }>;

/** dockerd parses `version` of an update before it looks at the swarm: the same 400 comes first. */
function checkVersion(request: Request, object: string, goStyle: boolean): void {
  const raw = queryString(request.query, 'version') ?? '';
  if (/^\d+$/.test(raw) && BigInt(raw) < 2n ** 64n) return;
  const message = goStyle ? `invalid ${object} version '${raw}': strconv.ParseUint: parsing "${raw}": invalid syntax` : `invalid ${object} version`;
  throw errors.invalidArgument('invalid-version', message);
}

const notAManager = (): never => {
  throw errors.unavailable('swarm-inactive', NOT_A_MANAGER_MESSAGE);
};

interface SwarmRoute {
  method: HTTPMethods;
  url: string;
  /** Checks dockerd makes before it finds there is no swarm. */
  check?: (request: Request) => void;
}

const OBJECT_ROUTES: SwarmRoute[] = [
  { method: 'GET', url: '/swarm' },
  { method: 'GET', url: '/swarm/unlockkey' },
  { method: 'POST', url: '/swarm/unlock' },
  { method: 'POST', url: '/swarm/update', check: (r) => { checkVersion(r, 'swarm', true); } },
  { method: 'GET', url: '/nodes' },
  { method: 'GET', url: '/nodes/:id' },
  { method: 'DELETE', url: '/nodes/:id' },
  { method: 'POST', url: '/nodes/:id/update', check: (r) => { checkVersion(r, 'node', true); } },
  { method: 'GET', url: '/services' },
  { method: 'POST', url: '/services/create' },
  { method: 'GET', url: '/services/:id' },
  { method: 'DELETE', url: '/services/:id' },
  { method: 'POST', url: '/services/:id/update', check: (r) => { checkVersion(r, 'service', true); } },
  { method: 'GET', url: '/services/:id/logs' },
  { method: 'GET', url: '/tasks' },
  { method: 'GET', url: '/tasks/:id' },
  { method: 'GET', url: '/tasks/:id/logs' },
  ...(['secret', 'config'] as const).flatMap((object): SwarmRoute[] => [
    { method: 'GET', url: `/${object}s` },
    { method: 'POST', url: `/${object}s/create` },
    { method: 'GET', url: `/${object}s/:id` },
    { method: 'DELETE', url: `/${object}s/:id` },
    { method: 'POST', url: `/${object}s/:id/update`, check: (r) => { checkVersion(r, object, false); } },
  ]),
];

/** Registers the routes of a node in no swarm (with and without the `/v1.xx` prefix, as every route). */
export function inactiveSwarmRoutes(app: FastifyInstance): void {
  for (const route of OBJECT_ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      exposeHeadRoute: false,
      handler: (request: Request) => {
        route.check?.(request);
        return notAManager();
      },
    });
  }
  app.post('/swarm/leave', () => {
    throw errors.unavailable('swarm-inactive', NOT_IN_SWARM_MESSAGE);
  });
  for (const url of ['/swarm/init', '/swarm/join']) {
    app.post(url, () => {
      throw errors.unavailable('swarm-unsupported', 'this node cannot init or join a swarm: berth serves no swarm mode on its Docker API');
    });
  }
}
