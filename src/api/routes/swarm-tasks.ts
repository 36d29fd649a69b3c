/** `/tasks`: list (filters id, name, service, node, desired-state, label — the service's labels, as Swarm's) and inspect. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import type { ClusterNetwork } from '../../cluster/objects/index.js';
import type { SwarmTask } from '../../wire/swarm.js';
import { queryFilters, type Query } from '../query.js';
import { swarmCall } from '../swarm-errors.js';
import { taskFilter } from '../swarm-filters.js';
import { taskView } from '../swarm-views.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string } }>;

export function swarmTaskRoutes(app: FastifyInstance, cluster: ClusterControl): void {
  app.get('/tasks', async (request: Request): Promise<SwarmTask[]> => {
    const filters = queryFilters(request.query);
    const byService = filters.has('name') || filters.has('service') || filters.has('label');
    // Services (their names and labels) are only read when a filter needs them.
    const [tasks, services, nodes, networks] = await Promise.all([
      swarmCall(() => cluster.listTasks()),
      byService ? swarmCall(() => cluster.listServices()) : [],
      filters.has('node') ? swarmCall(() => cluster.listNodes()) : [],
      networksById(cluster),
    ]);
    const select = taskFilter(filters, { services, nodes });
    return tasks.filter(select).map((task) => taskView(task, networks));
  });

  app.get('/tasks/:id', async (request: Request): Promise<SwarmTask> => {
    const task = await swarmCall(() => cluster.getTask(request.params.id));
    return taskView(task, task.networks.length === 0 ? new Map() : await networksById(cluster));
  });
}

/** The cluster's networks by id (for the tasks' NetworksAttachments). */
async function networksById(cluster: ClusterControl): Promise<Map<string, ClusterNetwork>> {
  return new Map((await swarmCall(() => cluster.listNetworks())).map((n) => [n.id, n]));
}
