/** The Docker Engine API's volume routes: list, create, inspect, remove, prune. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VolumeUsage } from '../../engine/volume-usage.js';
import type { VolumeService } from '../../volumes/volume-service.js';
import { parseSchema } from '../../oci/parse-json.js';
import type { VolumeRecord } from '../../volumes/volume-record.js';
import { prunesAll, volumeFilter, volumePruneFilter } from '../volume-filters.js';
import { queryBool, queryFilters, type Query } from '../query.js';
import { volumeView } from '../volume-views.js';
import { checkLabels, checkName } from '../input-limits.js';
import { volumeCreateBodySchema, type Volume, type VolumeList, type VolumePruneResponse } from '../../wire/volumes.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { name: string }; Body: unknown }>;

/** `usage`: the engine's view of which containers use each volume; `volumes`: the node's volume service. */
export function volumeRoutes(app: FastifyInstance, usage: VolumeUsage, volumes: VolumeService): void {
  const view = (volume: VolumeRecord): Volume => volumeView(volume, volumes.dataDir(volume.name));

  app.get('/volumes', async (request: Request, reply) => {
    const select = volumeFilter(queryFilters(request.query), usage.users());
    const list: VolumeList = { Volumes: volumes.list().filter(select).map(view), Warnings: [] };
    return reply.send(list);
  });

  app.post('/volumes/create', async (request: Request, reply) => {
    const body = parseSchema(volumeCreateBodySchema, request.body ?? {}, 'volume config');
    checkName('volume', body.Name);
    checkLabels(body.Labels);
    const { record } = await volumes.create({
      ...(body.Name ? { name: body.Name } : {}),
      ...(body.Driver ? { driver: body.Driver } : {}),
      options: body.DriverOpts ?? {},
      labels: body.Labels ?? {},
      anonymous: false,
    });
    return reply.status(201).send(view(record));
  });

  app.get('/volumes/:name', async (request: Request, reply) => reply.send(view(volumes.get(request.params.name))));

  app.delete('/volumes/:name', async (request: Request, reply) => {
    await usage.remove(request.params.name, queryBool(request.query, 'force'));
    return reply.status(204).send();
  });

  app.post('/volumes/prune', async (request: Request, reply) => {
    const filters = queryFilters(request.query);
    const all = prunesAll(request.originalUrl, filters);
    const select = volumePruneFilter(filters);
    const { deleted, spaceReclaimed } = await usage.prune((volume) => (all || volume.anonymous) && select(volume));
    const pruned: VolumePruneResponse = { VolumesDeleted: deleted, SpaceReclaimed: spaceReclaimed };
    return reply.send(pruned);
  });
}
