/** `/nodes`: list (filters), inspect (a drained node's message names the services that hold it), update (role, availability, labels), remove. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import { parseSchema } from '../../oci/parse-json.js';
import { swarmNodeSpecSchema, type SwarmNode } from '../../wire/swarm.js';
import { withSchemaFieldNames } from '../go-field-names.js';
import { queryBool, queryFilters, type Query } from '../query.js';
import { requireManager, swarmCall } from '../swarm-errors.js';
import { nodeFilter } from '../swarm-filters.js';
import { updateVersion } from '../swarm-query.js';
import { nodeView } from '../swarm-views.js';
import { drainHoldMessage } from '../swarm-drain-status.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

export function swarmNodeRoutes(app: FastifyInstance, cluster: ClusterControl): void {
  app.get('/nodes', async (request: Request): Promise<SwarmNode[]> => {
    const select = nodeFilter(queryFilters(request.query));
    const [nodes, info] = await Promise.all([swarmCall(() => cluster.listNodes()), swarmCall(() => cluster.inspect())]);
    return nodes.filter(select).map((node) => nodeView(node, info.caCertPem));
  });

  app.get('/nodes/:id', async (request: Request): Promise<SwarmNode> => {
    const [node, info] = await Promise.all([swarmCall(() => cluster.getNode(request.params.id)), swarmCall(() => cluster.inspect())]);
    if (node.node.spec.availability !== 'drain') return nodeView(node, info.caCertPem);
    // A drained node that still runs tasks says which services hold it.
    const [tasks, services] = await Promise.all([swarmCall(() => cluster.listTasks({ nodeId: node.node.id })), swarmCall(() => cluster.listServices())]);
    const message = drainHoldMessage(tasks, services);
    const held = message === undefined ? node : { ...node, node: { ...node.node, status: { ...node.node.status, message } } };
    return nodeView(held, info.caCertPem);
  });

  app.post('/nodes/:id/update', async (request: Request, reply: FastifyReply) => {
    const version = updateVersion(request.query, 'node');
    requireManager(cluster);
    // NodeSpec.Name is not stored: a node is shown by its hostname.
    const spec = parseSchema(swarmNodeSpecSchema, withSchemaFieldNames(request.body ?? {}, swarmNodeSpecSchema), 'node spec');
    const { node } = await swarmCall(() => cluster.getNode(request.params.id));
    await swarmCall(() => cluster.updateNode(node.id, version, { role: spec.Role, availability: spec.Availability, labels: spec.Labels ?? {} }));
    return reply.send();
  });

  app.delete('/nodes/:id', async (request: Request, reply: FastifyReply) => {
    await swarmCall(() => cluster.removeNode(request.params.id, queryBool(request.query, 'force')));
    return reply.send();
  });
}
