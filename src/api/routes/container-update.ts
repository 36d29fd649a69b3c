/** `rename` and `update` (live resource limits, restart policy) of a container. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { ResourceUpdate } from '../../engine/container-update.js';
import { parseSchema } from '../../oci/parse-json.js';
import { queryString, type Query } from '../query.js';
import { CONTAINER_UPDATE_INTEGERS } from '../container-body-integers.js';
import { checkGoIntegers } from '../go-integers.js';
import { engineNumber } from '../../wire/integers.js';
import { containerUpdateBodySchema, type ContainerUpdateBody, type ContainerUpdateResponse } from '../../wire/containers.js';
import { hostResourcesOf } from '../host-resources.js';
import { checkName } from '../input-limits.js';
import { checkResources } from '../resource-ranges.js';
import { admitUpdate } from '../admission-checks.js';
import type { AdmissionGate } from '../../security/admission/index.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

/** The engine's update from Docker's body: zero and absent fields change nothing. */
export function resourceUpdateFromBody(body: ContainerUpdateBody): ResourceUpdate {
  const update: ResourceUpdate = {};
  const set = <K extends keyof ResourceUpdate>(key: K, value: ResourceUpdate[K] | bigint | null | undefined): void => {
    if (value === null || value === undefined || value === 0 || value === 0n || value === '') return;
    update[key] = (typeof value === 'bigint' ? engineNumber(value) : value) as ResourceUpdate[K];
  };
  set('memory', body.Memory);
  set('memorySwap', body.MemorySwap);
  set('memoryReservation', body.MemoryReservation);
  set('cpuShares', body.CpuShares);
  set('cpuPeriod', body.CpuPeriod);
  set('cpuQuota', body.CpuQuota);
  set('nanoCpus', body.NanoCpus);
  set('cpusetCpus', body.CpusetCpus);
  set('cpusetMems', body.CpusetMems);
  set('pidsLimit', body.PidsLimit);
  return update;
}

export function containerUpdateRoutes(app: FastifyInstance, engine: ContainerEngine, admission?: AdmissionGate): void {
  app.post('/containers/:id/rename', async (request: Request, reply) => {
    const name = queryString(request.query, 'name');
    if (name === undefined || name === '') throw errors.invalidArgument('missing-name', 'name: the new name is required');
    checkName('container', name);
    await engine.rename(request.params.id, name);
    return reply.status(204).send();
  });

  app.post('/containers/:id/update', async (request: Request, reply) => {
    const raw = request.body ?? {};
    checkGoIntegers(raw, CONTAINER_UPDATE_INTEGERS);
    const parsed = parseSchema(containerUpdateBodySchema, raw, 'container update');
    const checked = checkResources(parsed, await hostResourcesOf(engine.host), true);
    const body = { ...parsed, ...checked.adjusted };
    const policy = body.RestartPolicy;
    // The docker CLI sends RestartPolicy {Name: ""} when --restart is not given: that changes nothing.
    const resources = resourceUpdateFromBody(body);
    const policyWarnings = await admitUpdate(admission, engine, request.params.id, resources); // a refusal: 403, nothing changed
    await engine.update(request.params.id, {
      resources,
      ...(policy?.Name ? { restartPolicy: { name: policy.Name, maximumRetryCount: policy.MaximumRetryCount ?? 0 } } : {}),
    });
    const answer: ContainerUpdateResponse = { Warnings: [...checked.warnings, ...policyWarnings] };
    return reply.send(answer);
  });
}
