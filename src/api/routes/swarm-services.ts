/**
 * `/services`: list (filters id, name, label, mode; `?status=true` adds ServiceStatus), create
 * (a random name when the spec has none, as dockerd), inspect, update (`?rollback=previous`
 * restores the previous spec), remove; and berth's `/berth/v1/services/{id}/promote` (a canary
 * update that holds goes on). Bodies are Docker's ServiceSpec, converted by `../swarm-service-spec.ts`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import { generateContainerName } from '../../engine/container-names.js';
import type { ServiceCreateResponse, ServiceUpdateResponse, SwarmService } from '../../wire/swarm.js';
import { queryBool, queryFilters, queryString, type Query } from '../query.js';
import { dockerSwarmError, requireManager, swarmCall } from '../swarm-errors.js';
import { serviceFilter } from '../swarm-filters.js';
import { updateVersion } from '../swarm-query.js';
import { parseServiceSpecBody, serviceSpecFromBody } from '../swarm-service-spec.js';
import { admitService } from '../admission-checks.js';
import type { ImageService } from '../../images/image-service.js';
import type { ServiceSpec } from '../../cluster/objects/service.js';
import type { AdmissionGate } from '../../security/admission/admission-gate.js';
import { serviceTaskCounts, serviceView } from '../swarm-views.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

/** The node's admission policy and image store, which a manager checks a service's spec against. */
export interface ServiceAdmission {
  gate: AdmissionGate;
  images: ImageService;
}

/** Docker's `Warnings` of a service answer: null when there are none, as dockerd. */
function warningsOf(warnings: string[]): string[] | null {
  return warnings.length === 0 ? null : warnings;
}

export function swarmServiceRoutes(app: FastifyInstance, cluster: ClusterControl, admission?: ServiceAdmission): void {
  const admit = async (spec: ServiceSpec): Promise<string[]> => (admission === undefined ? [] : admitService(admission.gate, admission.images, spec));
  app.get('/services', async (request: Request): Promise<SwarmService[]> => {
    const select = serviceFilter(queryFilters(request.query));
    const services = (await swarmCall(() => cluster.listServices())).filter(select);
    if (!queryBool(request.query, 'status')) return services.map((service) => serviceView(service));
    const tasks = await swarmCall(() => cluster.listTasks());
    return services.map((service) => serviceView(service, serviceTaskCounts(service, tasks)));
  });

  app.post('/services/create', async (request: Request, reply: FastifyReply) => {
    requireManager(cluster);
    const body = parseServiceSpecBody(request.body);
    let name = body.Name ?? '';
    if (name === '') {
      const taken = new Set((await swarmCall(() => cluster.listServices())).map((service) => service.spec.name));
      name = generateContainerName((candidate) => taken.has(candidate));
    }
    const spec = serviceSpecFromBody(body, name);
    const warnings = await admit(spec); // a refusal: 403, nothing stored
    const service = await swarmCall(() => cluster.createService(spec));
    const created: ServiceCreateResponse = { ID: service.id, Warnings: warningsOf(warnings) };
    return reply.status(201).send(created);
  });

  app.get('/services/:id', async (request: Request): Promise<SwarmService> => serviceView(await swarmCall(() => cluster.getService(request.params.id))));

  app.post('/services/:id/update', async (request: Request) => {
    const version = updateVersion(request.query, 'service');
    requireManager(cluster);
    const body = parseServiceSpecBody(request.body);
    const current = await swarmCall(() => cluster.getService(request.params.id));
    if (queryString(request.query, 'rollback') === 'previous') {
      // As dockerd: the body is checked but the previous spec is what is stored.
      const previous = current.previousSpec;
      if (previous === undefined) throw dockerSwarmError(errors.failedPrecondition('no-previous-spec', `service ${current.id} does not have a previous spec`));
      await swarmCall(() => cluster.updateService(current.id, version, { ...previous, name: current.spec.name }, { rollback: true }));
      const rolledBack: ServiceUpdateResponse = { Warnings: null };
      return rolledBack;
    }
    const name = body.Name ?? '';
    if (name !== '' && name !== current.spec.name) throw errors.invalidArgument('invalid-service-spec', 'Name: renaming services is not supported');
    const spec = serviceSpecFromBody(body, current.spec.name);
    const warnings = await admit(spec); // a refusal: 403, the spec stays
    await swarmCall(() => cluster.updateService(current.id, version, spec));
    const updated: ServiceUpdateResponse = { Warnings: warningsOf(warnings) };
    return updated;
  });

  // berth's: a canary update that holds goes on past its canary tasks.
  app.post('/berth/v1/services/:id/promote', async (request: Request): Promise<SwarmService> => {
    requireManager(cluster);
    return serviceView(await swarmCall(() => cluster.promoteService(request.params.id)));
  });

  app.delete('/services/:id', async (request: Request, reply: FastifyReply) => {
    await swarmCall(() => cluster.removeService(request.params.id));
    return reply.send();
  });
}
