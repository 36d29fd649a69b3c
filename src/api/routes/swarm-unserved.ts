/**
 * Swarm routes a cluster node does not serve yet: autolock (unlock, unlock key). A manager
 * answers 501 saying so; a worker answers as dockerd's worker does (503 not a manager).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import type { Query } from '../query.js';
import { NOT_A_MANAGER_MESSAGE } from './swarm-inactive.js';

type Request = FastifyRequest<{ Querystring: Query }>;

interface UnservedRoute {
  readonly method: HTTPMethods;
  readonly url: string;
  /** What the 501 says is not served. */
  readonly what: string;
}

const ROUTES: readonly UnservedRoute[] = [
  { method: 'GET', url: '/swarm/unlockkey', what: 'swarm autolock is' },
  { method: 'POST', url: '/swarm/unlock', what: 'swarm autolock is' },
];

export function unservedSwarmRoutes(app: FastifyInstance, cluster: ClusterControl): void {
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      exposeHeadRoute: false,
      handler: async (_request: Request, reply: FastifyReply) => {
        if (!cluster.local().controlAvailable) throw errors.unavailable('not-a-manager', NOT_A_MANAGER_MESSAGE);
        return reply.status(501).send({ message: `${route.what} not supported yet by berth's cluster` });
      },
    });
  }
}
