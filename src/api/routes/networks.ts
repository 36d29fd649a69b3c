/**
 * `/networks`: list, inspect, create, remove, connect, disconnect and prune, in Docker's shapes.
 * The predefined networks `bridge`, `host` and `none` (and the name `default`) cannot be created,
 * nor removed; a create is refused in dockerd's words for what a local bridge network cannot be
 * (swarm scope, ingress, configuration-only). On a cluster's manager, `-d overlay` creates a
 * cluster network, and list, inspect and remove cover the cluster's networks too (a node's own
 * share of one, made when its tasks joined, is shown with its local containers).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BerthError, errors, isBerthError } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { NetworkService } from '../../network/network-service.js';
import { DEFAULT_NETWORK } from '../../network/network-service.js';
import type { NetworkRecord } from '../../network/network-store.js';
import { parseSchema } from '../../oci/parse-json.js';
import { endpointFromBody } from '../container-network-body.js';
import { networkFilter } from '../network-filters.js';
import { networkView } from '../network-views.js';
import { clusterNetworkRecord } from '../cluster-network-views.js';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import type { ClusterNetwork } from '../../cluster/objects/index.js';
import { queryFilters, type Query } from '../query.js';
import { checkLabels, checkName } from '../input-limits.js';
import { networkConnectBodySchema, networkCreateBodySchema, type NetworkCreateBody, type NetworkCreateResponse, type NetworkPruneResponse, type NetworkView } from '../../wire/networks.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

/** Docker's names that cannot be created: the predefined networks and `default`. */
const RESERVED_NAMES = new Set([DEFAULT_NETWORK, 'host', 'none', 'default']);

/** What a local bridge network cannot be (dockerd's words); throws invalid-argument. */
function refuseUnsupported(body: NetworkCreateBody): void {
  const scope = body.Scope ?? '';
  if (body.Ingress === true) throw errors.invalidArgument('ingress-network', 'Ingress network can only be global scope network');
  if (body.Driver === 'overlay') return;
  if (scope === 'swarm' || scope === 'global') throw errors.invalidArgument('swarm-scope', 'cannot create a swarm scoped network when swarm is not active');
  if (scope !== '' && scope !== 'local') throw errors.invalidArgument('invalid-scope', `Scope: "${scope}" is not a network scope (local)`);
  if (body.ConfigOnly === true) throw errors.invalidArgument('config-only-network', 'ConfigOnly: configuration-only networks are not supported');
  if ((body.ConfigFrom?.Network ?? '') !== '') throw errors.invalidArgument('config-from-network', 'ConfigFrom: networks taking their configuration from another are not supported');
}

const PREDEFINED = new Set([DEFAULT_NETWORK, 'host', 'none']);

/** The cluster's networks when this node is a manager; none otherwise. */
async function clusterNetworks(cluster: ClusterControl | undefined): Promise<readonly ClusterNetwork[]> {
  if (cluster?.local().controlAvailable !== true) return [];
  return cluster.listNetworks();
}

/** A node's own network by reference, else the cluster's (on a manager); the node's not-found when neither has it. */
async function resolveEither(service: NetworkService, cluster: ClusterControl | undefined, ref: string): Promise<NetworkRecord> {
  try {
    return service.resolve(ref);
  } catch (err) {
    if (!isBerthError(err, 'not-found') || cluster?.local().controlAvailable !== true) throw err;
    try {
      return clusterNetworkRecord(await cluster.getNetwork(ref));
    } catch (clusterErr) {
      if (isBerthError(clusterErr, 'not-found')) throw err;
      throw clusterErr;
    }
  }
}

export function networkRoutes(app: FastifyInstance, engine: ContainerEngine, service: NetworkService, cluster?: ClusterControl): void {
  const view = (n: NetworkRecord): NetworkView => networkView(n, service.store.endpointsOfNetwork(n.id));

  app.get('/networks', async (request: Request, reply) => {
    await service.ensureDefault();
    const select = networkFilter(queryFilters(request.query));
    const local = service.list();
    const ids = new Set(local.map((n) => n.id));
    const all = [...local, ...(await clusterNetworks(cluster)).filter((n) => !ids.has(n.id)).map(clusterNetworkRecord)];
    const listed = all.filter((network) => select({ network, predefined: PREDEFINED.has(network.name), endpoints: service.store.endpointsOfNetwork(network.id).length }));
    // As dockerd: a list names no containers (inspect does).
    return reply.send(listed.map((n) => networkView(n, [])));
  });

  app.get('/networks/:id', async (request: Request, reply) => {
    if (request.params.id === DEFAULT_NETWORK) await service.ensureDefault();
    return reply.send(view(await resolveEither(service, cluster, request.params.id)));
  });

  app.post('/networks/create', async (request: Request, reply) => {
    const body = parseSchema(networkCreateBodySchema, request.body ?? {}, 'network config');
    const name = body.Name ?? '';
    checkName('network', name);
    checkLabels(body.Labels);
    if (RESERVED_NAMES.has(name)) throw new BerthError('permission-denied', 'predefined-network', `operation is not permitted on predefined ${name} network `);
    const driver = body.Driver ?? 'bridge';
    if (driver === 'overlay') return reply.status(201).send(await createClusterNetwork(cluster, name, body));
    if (driver !== 'bridge' && driver !== '') throw errors.invalidArgument('unsupported-network-driver', `Driver: "${driver}" is not supported (bridge, or overlay on a swarm manager)`);
    refuseUnsupported(body);
    const pools = (body.IPAM?.Config ?? []).map((c) => ({
      ...(c.Subnet ? { subnet: c.Subnet } : {}), ...(c.Gateway ? { gateway: c.Gateway } : {}), ...(c.IPRange ? { ipRange: c.IPRange } : {}),
      ...(c.AuxiliaryAddresses ? { auxAddresses: c.AuxiliaryAddresses } : {}),
    }));
    const network = await service.create({
      name, internal: body.Internal ?? false, attachable: body.Attachable ?? false, enableIPv6: body.EnableIPv6 ?? false,
      options: body.Options ?? {}, labels: body.Labels ?? {},
      ipam: { driver: body.IPAM?.Driver ?? '', options: body.IPAM?.Options ?? null, config: pools },
    });
    const created: NetworkCreateResponse = { Id: network.id, Warning: '' };
    return reply.status(201).send(created);
  });

  app.delete('/networks/:id', async (request: Request, reply) => {
    const network = await resolveEither(service, cluster, request.params.id);
    if (network.driver === 'overlay') {
      // A cluster network goes from the cluster; each node removes its share once its tasks left it.
      if (cluster === undefined) throw errors.failedPrecondition('not-a-manager', 'This node is not a swarm manager.');
      await cluster.removeNetwork(network.id);
      return reply.status(204).send();
    }
    if (PREDEFINED.has(network.name)) throw new BerthError('permission-denied', 'predefined-network', `${network.name} is a pre-defined network and cannot be removed`);
    await service.remove(network.id);
    return reply.status(204).send();
  });

  app.post('/networks/:id/connect', async (request: Request, reply) => {
    const body = parseSchema(networkConnectBodySchema, request.body ?? {}, 'connect request');
    await engine.connect(body.Container, request.params.id, endpointFromBody(body.EndpointConfig));
    return reply.status(200).send();
  });

  app.post('/networks/:id/disconnect', async (request: Request, reply) => {
    const body = parseSchema(networkConnectBodySchema, request.body ?? {}, 'disconnect request');
    await engine.disconnect(body.Container, request.params.id);
    return reply.status(200).send();
  });

  app.post('/networks/prune', async (_request, reply) => {
    const names = await service.prune();
    const pruned: NetworkPruneResponse = { NetworksDeleted: names };
    return reply.send(pruned);
  });
}

/** `docker network create -d overlay` on a manager: the cluster plans and stores it (not-a-manager elsewhere, in dockerd's words). */
async function createClusterNetwork(cluster: ClusterControl | undefined, name: string, body: NetworkCreateBody): Promise<NetworkCreateResponse> {
  if (cluster === undefined) throw errors.unavailable('not-a-manager', 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
  refuseUnsupported(body);
  if (body.EnableIPv6 === true) throw errors.invalidArgument('overlay-ipv6', 'EnableIPv6: overlay networks of berth\'s cluster are IPv4 only');
  const pools = body.IPAM?.Config ?? [];
  if (pools.length > 1) throw errors.invalidArgument('overlay-pools', 'IPAM.Config: an overlay network takes one IPv4 pool');
  const pool = pools[0];
  if (pool?.IPRange || pool?.AuxiliaryAddresses) throw errors.invalidArgument('overlay-pools', 'IPAM.Config: --ip-range and --aux-address are not supported on overlay networks');
  const network = await cluster.createNetwork({
    name, labels: body.Labels ?? {}, driverOptions: body.Options ?? {}, internal: body.Internal ?? false, attachable: body.Attachable ?? false,
    ipam: { ...(pool?.Subnet ? { subnet: pool.Subnet } : {}), ...(pool?.Gateway ? { gateway: pool.Gateway } : {}) },
  });
  return { Id: network.id, Warning: '' };
}
