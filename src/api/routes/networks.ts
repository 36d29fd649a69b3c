/**
 * `/networks`: list, inspect, create, remove, connect, disconnect and prune, in Docker's shapes.
 * The predefined networks `bridge`, `host` and `none` (and the name `default`) cannot be created,
 * nor removed; a create is refused in dockerd's words for what a local bridge network cannot be
 * (swarm scope, ingress, configuration-only).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BerthError, errors } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { NetworkService } from '../../network/network-service.js';
import { DEFAULT_NETWORK } from '../../network/network-service.js';
import type { NetworkRecord } from '../../network/network-store.js';
import { parseSchema } from '../../oci/parse-json.js';
import { endpointFromBody } from '../container-network-body.js';
import { networkFilter } from '../network-filters.js';
import { networkView } from '../network-views.js';
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
  if (scope === 'swarm' || scope === 'global') throw errors.invalidArgument('swarm-scope', 'cannot create a swarm scoped network when swarm is not active');
  if (scope !== '' && scope !== 'local') throw errors.invalidArgument('invalid-scope', `Scope: "${scope}" is not a network scope (local)`);
  if (body.ConfigOnly === true) throw errors.invalidArgument('config-only-network', 'ConfigOnly: configuration-only networks are not supported');
  if ((body.ConfigFrom?.Network ?? '') !== '') throw errors.invalidArgument('config-from-network', 'ConfigFrom: networks taking their configuration from another are not supported');
}

const PREDEFINED = new Set([DEFAULT_NETWORK, 'host', 'none']);

export function networkRoutes(app: FastifyInstance, engine: ContainerEngine, service: NetworkService): void {
  const view = (n: NetworkRecord): NetworkView => networkView(n, service.store.endpointsOfNetwork(n.id));

  app.get('/networks', async (request: Request, reply) => {
    await service.ensureDefault();
    const select = networkFilter(queryFilters(request.query));
    const listed = service.list().filter((network) => select({ network, predefined: PREDEFINED.has(network.name), endpoints: service.store.endpointsOfNetwork(network.id).length }));
    // As dockerd: a list names no containers (inspect does).
    return reply.send(listed.map((n) => networkView(n, [])));
  });

  app.get('/networks/:id', async (request: Request, reply) => {
    if (request.params.id === DEFAULT_NETWORK) await service.ensureDefault();
    return reply.send(view(service.resolve(request.params.id)));
  });

  app.post('/networks/create', async (request: Request, reply) => {
    const body = parseSchema(networkCreateBodySchema, request.body ?? {}, 'network config');
    const name = body.Name ?? '';
    checkName('network', name);
    checkLabels(body.Labels);
    if (RESERVED_NAMES.has(name)) throw new BerthError('permission-denied', 'predefined-network', `operation is not permitted on predefined ${name} network `);
    const driver = body.Driver ?? 'bridge';
    if (driver !== 'bridge' && driver !== '') throw errors.invalidArgument('unsupported-network-driver', `Driver: "${driver}" is not supported (only bridge)`);
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
    const network = service.resolve(request.params.id);
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
