/**
 * Swarm routes a cluster node does not serve yet: secrets, configs and autolock (unlock, unlock
 * key). A manager answers 501 saying so; a worker answers as dockerd's worker
 * does (503 not a manager), after the same `version` check `swarm-inactive.ts` makes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import { queryString, type Query } from '../query.js';
import { NOT_A_MANAGER_MESSAGE } from './swarm-inactive.js';

type Request = FastifyRequest<{ Querystring: Query }>;

interface UnservedRoute {
  readonly method: HTTPMethods;
  readonly url: string;
  /** What the 501 says is not served. */
  readonly what: string;
  /** secrets and configs: dockerd checks `version` of an update before anything else. */
  readonly versionOf?: string;
}

const ROUTES: readonly UnservedRoute[] = [
  { method: 'GET', url: '/swarm/unlockkey', what: 'swarm autolock is' },
  { method: 'POST', url: '/swarm/unlock', what: 'swarm autolock is' },
  ...(['secret', 'config'] as const).flatMap((object): UnservedRoute[] => {
    const what = `${object}s are`;
    return [
      { method: 'GET', url: `/${object}s`, what },
      { method: 'POST', url: `/${object}s/create`, what },
      { method: 'GET', url: `/${object}s/:id`, what },
      { method: 'DELETE', url: `/${object}s/:id`, what },
      { method: 'POST', url: `/${object}s/:id/update`, what, versionOf: object },
    ];
  }),
];

export function unservedSwarmRoutes(app: FastifyInstance, cluster: ClusterControl): void {
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      exposeHeadRoute: false,
      handler: async (request: Request, reply: FastifyReply) => {
        if (route.versionOf !== undefined && !/^\d+$/.test(queryString(request.query, 'version') ?? '')) {
          throw errors.invalidArgument('invalid-version', `invalid ${route.versionOf} version`);
        }
        if (!cluster.local().controlAvailable) throw errors.unavailable('not-a-manager', NOT_A_MANAGER_MESSAGE);
        return reply.status(501).send({ message: `${route.what} not supported yet by berth's cluster` });
      },
    });
  }
}
