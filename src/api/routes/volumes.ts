/** The Docker Engine API's volume routes: list, create, inspect, remove, prune. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { pruneVolumes, removeVolume, volumeUsers, type VolumeUsageContext } from '../../engine/volume-usage.js';
import { parseSchema } from '../../oci/parse-json.js';
import type { VolumeRecord } from '../../volumes/volume-record.js';
import { queryBool, queryFilters, type Query } from '../query.js';
import { volumeView } from '../volume-views.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { name: string }; Body: unknown }>;

const createBodySchema = z.object({
  Name: z.string().nullish(),
  Driver: z.string().nullish(),
  DriverOpts: z.record(z.string(), z.string()).nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
});

const FILTERS = new Set(['dangling', 'name', 'label', 'label!', 'driver', 'all']);

function labelMatches(labels: Record<string, string>, filter: string): boolean {
  const at = filter.indexOf('=');
  return at < 0 ? filter in labels : labels[filter.slice(0, at)] === filter.slice(at + 1);
}

function isTrue(value: string): boolean {
  return value === 'true' || value === '1';
}

/** Docker's volume filters; throws invalid-argument (`invalid-filter`) for one it does not know. */
function volumeFilter(filters: Map<string, string[]>, users: Map<string, string[]>): (volume: VolumeRecord) => boolean {
  for (const key of filters.keys()) if (!FILTERS.has(key)) throw errors.invalidArgument('invalid-filter', `invalid filter '${key}'`);
  const any = (key: string, predicate: (value: string) => boolean): boolean => {
    const values = filters.get(key);
    return values === undefined || values.some(predicate);
  };
  return (volume) => any('dangling', (v) => isTrue(v) === !users.has(volume.name))
    && any('name', (v) => volume.name.includes(v))
    && any('driver', (v) => volume.driver === v)
    && (filters.get('label') ?? []).every((v) => labelMatches(volume.labels, v))
    && !(filters.get('label!') ?? []).some((v) => labelMatches(volume.labels, v));
}

/** API versions before 1.42 prune every unused volume; later ones only anonymous ones unless `all`. */
function pruneAll(url: string, filters: Map<string, string[]>): boolean {
  const all = filters.get('all');
  if (all !== undefined) return all.some(isTrue);
  const version = /^\/v(\d+)\.(\d+)\//.exec(url);
  return version !== null && (Number(version[1]) < 1 || (Number(version[1]) === 1 && Number(version[2]) < 42));
}

export function volumeRoutes(app: FastifyInstance, engine: ContainerEngine): void {
  const ctx: VolumeUsageContext = { store: engine.store, volumes: engine.volumes, runner: engine.task.runner };
  const view = (volume: VolumeRecord) => volumeView(volume, engine.volumes.dataDir(volume.name));

  app.get('/volumes', async (request: Request, reply) => {
    const select = volumeFilter(queryFilters(request.query), volumeUsers(engine.store));
    return reply.send({ Volumes: engine.volumes.list().filter(select).map(view), Warnings: [] });
  });

  app.post('/volumes/create', async (request: Request, reply) => {
    const body = parseSchema(createBodySchema, request.body ?? {}, 'volume config');
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
    const all = pruneAll(request.originalUrl, filters);
    filters.delete('all');
    const select = volumeFilter(filters, new Map());
    const { deleted, spaceReclaimed } = await pruneVolumes(ctx, (volume) => (all || volume.anonymous) && select(volume));
    return reply.send({ VolumesDeleted: deleted, SpaceReclaimed: spaceReclaimed });
  });
}
