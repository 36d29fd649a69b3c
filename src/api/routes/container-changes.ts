/**
 * `POST /containers/{id}/rename?name=` and `POST /containers/{id}/update` (the restart policy; the
 * resource fields the docker CLI always sends must be zero or empty, since changing limits of a
 * container is not supported yet).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { renameContainer, updateContainer } from '../../engine/container-update.js';
import { checkRestartPolicy } from '../../engine/restart/restart-policy.js';
import { parseSchema } from '../../oci/parse-json.js';
import { queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

const updateBodySchema = z.object({
  RestartPolicy: z.object({ Name: z.string().nullish(), MaximumRetryCount: z.number().int().nullish() }).nullish(),
}).catchall(z.unknown());

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === 0 || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.values(value).every(isEmpty);
}

export function containerChangeRoutes(app: FastifyInstance, engine: ContainerEngine): void {
  app.post('/containers/:id/rename', async (request: Request, reply) => {
    const name = queryString(request.query, 'name') ?? '';
    if (name === '') throw errors.invalidArgument('missing-name', 'name: a new name is required');
    await renameContainer(engine, request.params.id, name);
    return reply.status(204).send();
  });

  app.post('/containers/:id/update', async (request: Request, reply) => {
    const body = parseSchema(updateBodySchema, request.body ?? {}, 'update config');
    for (const [field, value] of Object.entries(body)) {
      if (field !== 'RestartPolicy' && !isEmpty(value)) {
        throw errors.invalidArgument('update-unsupported', `${field}: changing resources of a container is not supported yet (only RestartPolicy)`);
      }
    }
    const record = engine.inspect(request.params.id);
    const policy = body.RestartPolicy;
    await updateContainer(engine, record.id, policy ? { restartPolicy: checkRestartPolicy(policy.Name ?? '', policy.MaximumRetryCount ?? 0, record.config.autoRemove) } : {});
    return reply.status(200).send({ Warnings: [] });
  });
}
