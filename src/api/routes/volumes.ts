/** The Docker Engine API's volume routes: list, create, inspect, remove, prune. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { pruneVolumes, removeVolume, volumeUsers, type VolumeUsageContext } from '../../engine/volume-usage.js';
import { parseSchema } from '../../oci/parse-json.js';
import type { VolumeRecord } from '../../volumes/volume-record.js';
import { prunesAll, volumeFilter, volumePruneFilter } from '../volume-filters.js';
import { queryBool, queryFilters, type Query } from '../query.js';
import { volumeView } from '../volume-views.js';
import { checkLabels, checkName } from '../input-limits.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { name: string }; Body: unknown }>;

const createBodySchema = z.object({
  Name: z.string().nullish(),
  Driver: z.string().nullish(),
  DriverOpts: z.record(z.string(), z.string()).nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
});

export function volumeRoutes(app: FastifyInstance, engine: ContainerEngine): void {
  const ctx: VolumeUsageContext = { store: engine.store, volumes: engine.volumes, runner: engine.task.runner };
  const view = (volume: VolumeRecord) => volumeView(volume, engine.volumes.dataDir(volume.name));

  app.get('/volumes', async (request: Request, reply) => {
    const select = volumeFilter(queryFilters(request.query), volumeUsers(engine.store));
    return reply.send({ Volumes: engine.volumes.list().filter(select).map(view), Warnings: [] });
  });

  app.post('/volumes/create', async (request: Request, reply) => {
    const body = parseSchema(createBodySchema, request.body ?? {}, 'volume config');
    checkName('volume', body.Name);
    checkLabels(body.Labels);
    const { record } = await engine.volumes.create({
      ...(body.Name ? { name: body.Name } : {}),
      ...(body.Driver ? { driver: body.Driver } : {}),
      options: body.DriverOpts ?? {},
      labels: body.Labels ?? {},
      anonymous: false,
    });
    return reply.status(201).send(view(record));
  });

  app.get('/volumes/:name', async (request: Request, reply) => reply.send(view(engine.volumes.get(request.params.name))));

  app.delete('/volumes/:name', async (request: Request, reply) => {
    await removeVolume(ctx, request.params.name, queryBool(request.query, 'force'));
    return reply.status(204).send();
  });

  app.post('/volumes/prune', async (request: Request, reply) => {
    const filters = queryFilters(request.query);
    const all = prunesAll(request.originalUrl, filters);
    const select = volumePruneFilter(filters);
    const { deleted, spaceReclaimed } = await pruneVolumes(ctx, (volume) => (all || volume.anonymous) && select(volume));
    return reply.send({ VolumesDeleted: deleted, SpaceReclaimed: spaceReclaimed });
  });
}
