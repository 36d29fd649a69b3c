/**
 * `/networks`: list, inspect, create, remove, connect, disconnect and prune, in Docker's shapes.
 * The predefined networks `bridge`, `host` and `none` cannot be removed; `host` and `none` are
 * listed as Docker lists them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BerthError, errors } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { connectNetwork, disconnectNetwork } from '../../engine/network-connect.js';
import { DEFAULT_NETWORK } from '../../network/network-service.js';
import type { NetworkRecord } from '../../network/network-store.js';
import { parseSchema } from '../../oci/parse-json.js';
import { endpointFromBody, endpointSettingsSchema } from '../container-network-body.js';
import { networkFilter } from '../network-filters.js';
import { networkView } from '../network-views.js';
import { queryFilters, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

const createBodySchema = z.object({
  Name: z.string().min(1, 'Name: required'),
  Driver: z.string().nullish(),
  Internal: z.boolean().nullish(),
  CheckDuplicate: z.boolean().nullish(),
  EnableIPv6: z.boolean().nullish(),
  IPAM: z.object({ Driver: z.string().nullish(), Config: z.array(z.object({ Subnet: z.string().nullish(), Gateway: z.string().nullish(), IPRange: z.string().nullish() })).nullish() }).nullish(),
  Options: z.record(z.string(), z.string()).nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
});

const connectBodySchema = z.object({
  Container: z.string().min(1, 'Container: required'),
  EndpointConfig: endpointSettingsSchema.nullish(),
  Force: z.boolean().nullish(),
});

const PREDEFINED = new Set([DEFAULT_NETWORK, 'host', 'none']);

export function networkRoutes(app: FastifyInstance, engine: ContainerEngine): void {
  const service = engine.network;
  const view = (n: NetworkRecord): Record<string, unknown> => networkView(n, service.store.endpointsOfNetwork(n.id));

  app.get('/networks', async (request: Request, reply) => {
    await service.ensureDefault();
    const select = networkFilter(queryFilters(request.query));
    const listed = service.list().filter((network) => select({ network, predefined: PREDEFINED.has(network.name), endpoints: service.store.endpointsOfNetwork(network.id).length }));
    return reply.send(listed.map(view));
  });

  app.get('/networks/:id', async (request: Request, reply) => {
    if (request.params.id === DEFAULT_NETWORK) await service.ensureDefault();
    return reply.send(view(service.resolve(request.params.id)));
  });

  app.post('/networks/create', async (request: Request, reply) => {
    const body = parseSchema(createBodySchema, request.body ?? {}, 'network config');
    const driver = body.Driver ?? 'bridge';
    if (driver !== 'bridge' && driver !== '') throw errors.invalidArgument('unsupported-network-driver', `Driver: "${driver}" is not supported (only bridge)`);
    if (PREDEFINED.has(body.Name)) throw new BerthError('permission-denied', 'predefined-network', `${body.Name} is a pre-defined network and cannot be created`);
    const config = body.IPAM?.Config?.[0];
    const network = await service.create({
      name: body.Name, internal: body.Internal ?? false, options: body.Options ?? {}, labels: body.Labels ?? {},
      ...(config?.Subnet ? { subnet: config.Subnet } : {}), ...(config?.Gateway ? { gateway: config.Gateway } : {}), ...(config?.IPRange ? { ipRange: config.IPRange } : {}),
    });
    return reply.status(201).send({ Id: network.id, Warning: '' });
  });

  app.delete('/networks/:id', async (request: Request, reply) => {
    const network = service.resolve(request.params.id);
    if (PREDEFINED.has(network.name)) throw new BerthError('permission-denied', 'predefined-network', `${network.name} is a pre-defined network and cannot be removed`);
    await service.remove(network.id);
    return reply.status(204).send();
  });

  app.post('/networks/:id/connect', async (request: Request, reply) => {
    const body = parseSchema(connectBodySchema, request.body ?? {}, 'connect request');
    await connectNetwork(engine, body.Container, request.params.id, endpointFromBody(body.EndpointConfig, 'EndpointConfig'));
    return reply.status(200).send();
  });

  app.post('/networks/:id/disconnect', async (request: Request, reply) => {
    const body = parseSchema(connectBodySchema, request.body ?? {}, 'disconnect request');
    await disconnectNetwork(engine, body.Container, request.params.id);
    return reply.status(200).send();
  });

  app.post('/networks/prune', async (_request, reply) => {
    const names = await service.prune();
    return reply.send({ NetworksDeleted: names });
  });
}
