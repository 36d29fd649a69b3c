/**
 * `/berth/v1/network-policies` on a cluster node (berth's own routes; a worker answers 503 not a
 * manager): `POST` creates one from its spec (201 with the stored policy), `GET` lists them or
 * shows one by id, id prefix or name, `DELETE` removes one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import type { NetworkPolicy } from '../../cluster/objects/index.js';
import type { NetworkPolicyView } from '../../wire/network-policies.js';
import { swarmCall } from '../swarm-errors.js';

type Request = FastifyRequest<{ Params: { ref: string }; Body: unknown }>;

/** A policy in the API's shape. Pure. */
export function networkPolicyView(policy: NetworkPolicy): NetworkPolicyView {
  return { ID: policy.id, Version: { Index: policy.version }, CreatedAt: policy.createdAt, UpdatedAt: policy.updatedAt, Spec: structuredClone(policy.spec) };
}

export function networkPolicyRoutes(app: FastifyInstance, cluster: ClusterControl): void {
  app.get('/berth/v1/network-policies', async (): Promise<NetworkPolicyView[]> =>
    (await swarmCall(() => cluster.listNetworkPolicies())).map(networkPolicyView));

  app.get('/berth/v1/network-policies/:ref', async (request: Request): Promise<NetworkPolicyView> =>
    networkPolicyView(await swarmCall(() => cluster.getNetworkPolicy(request.params.ref))));

  app.post('/berth/v1/network-policies', async (request: Request, reply: FastifyReply) => {
    const created = await swarmCall(() => cluster.createNetworkPolicy(request.body ?? {}));
    return reply.status(201).send(networkPolicyView(created));
  });

  app.delete('/berth/v1/network-policies/:ref', async (request: Request, reply: FastifyReply) => {
    await swarmCall(() => cluster.removeNetworkPolicy(request.params.ref));
    return reply.status(204).send();
  });
}
