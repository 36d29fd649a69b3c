/**
 * `/secrets` and `/configs` on a cluster node: list (filters id, name, names, label), create
 * (201 with the id), inspect, update (labels only) and remove, by id, name or id prefix. A
 * secret's data is never answered; a config's is (as dockerd). A worker answers 503 not a manager.
 * `POST /berth/v1/cluster/data-key/rotate` (berth's own) rotates the key that seals secrets.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ClusterControl } from '../../cluster/control/cluster-control.js';
import type { Config, FileObjectKind, Secret } from '../../cluster/objects/index.js';
import { parseSchema } from '../../oci/parse-json.js';
import { swarmFileObjectSpecSchema, type DataKeyRotation, type FileObjectCreateResponse, type SwarmConfig, type SwarmSecret } from '../../wire/swarm-secrets.js';
import { checkFilterKeys, matchLabels, type Filters } from '../filter-args.js';
import { withSchemaFieldNames } from '../go-field-names.js';
import { queryFilters, type Query } from '../query.js';
import { requireManager, swarmCall } from '../swarm-errors.js';
import { updateVersion } from '../swarm-query.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

/** A secret as dockerd shows it: never its data. Pure. */
export function secretView(secret: Secret): SwarmSecret {
  return {
    ID: secret.id, Version: { Index: secret.version }, CreatedAt: secret.createdAt, UpdatedAt: secret.updatedAt,
    Spec: { Name: secret.spec.name, Labels: { ...secret.spec.labels } },
  };
}

/** A config as dockerd shows it, with its data (base64). Pure. */
export function configView(config: Config): SwarmConfig {
  return {
    ID: config.id, Version: { Index: config.version }, CreatedAt: config.createdAt, UpdatedAt: config.updatedAt,
    Spec: { Name: config.spec.name, Labels: { ...config.spec.labels }, Data: config.data },
  };
}

function view(kind: FileObjectKind, object: Secret | Config): SwarmSecret | SwarmConfig {
  return kind === 'secret' || !('data' in object) ? secretView(object as Secret) : configView(object);
}

function fileObjectFilter(filters: Filters): (object: Secret | Config) => boolean {
  checkFilterKeys(filters, ['id', 'label', 'name', 'names']);
  const any = (key: string, holds: (value: string) => boolean): boolean => {
    const values = filters.get(key);
    return values === undefined || values.length === 0 || values.some(holds);
  };
  return (object) => any('id', (id) => object.id.startsWith(id))
    && any('name', (name) => object.spec.name.startsWith(name))
    && any('names', (name) => object.spec.name === name)
    && matchLabels(filters.get('label'), object.spec.labels);
}

/** The body's data: strict base64 (invalid-argument naming `Data` otherwise). */
function decodeData(data: string): Buffer {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== data.replace(/=+$/, '')) {
    throw errors.invalidArgument('invalid-document', 'Data: not base64', { details: { field: 'Data' } });
  }
  return bytes;
}

function specOf(kind: FileObjectKind, body: unknown): { spec: { name: string; labels: Record<string, string> }; data: Buffer | undefined } {
  const parsed = parseSchema(swarmFileObjectSpecSchema, withSchemaFieldNames(body ?? {}, swarmFileObjectSpecSchema), `${kind} spec`);
  if (parsed.Driver != null) throw errors.invalidArgument('unsupported-secret-driver', 'Driver: secret and config drivers are not supported');
  if (parsed.Templating != null) throw errors.invalidArgument('unsupported-templating', 'Templating: templated secrets and configs are not supported');
  return {
    spec: { name: parsed.Name ?? '', labels: parsed.Labels ?? {} },
    data: parsed.Data === undefined || parsed.Data === null ? undefined : decodeData(parsed.Data),
  };
}

export function swarmFileObjectRoutes(app: FastifyInstance, cluster: ClusterControl): void {
  // berth's own: a new data key seals every secret (`berth cluster rotate-key`).
  app.post('/berth/v1/cluster/data-key/rotate', async (): Promise<DataKeyRotation> => {
    const { keyId, resealed } = await swarmCall(() => cluster.rotateDataKey());
    return { KeyID: keyId, Resealed: resealed };
  });

  for (const kind of ['secret', 'config'] as const) {
    const base = `/${kind}s`;
    app.get(base, async (request: Request) => {
      requireManager(cluster);
      const select = fileObjectFilter(queryFilters(request.query));
      return (await swarmCall(() => cluster.listFileObjects(kind))).filter(select).map((object) => view(kind, object));
    });

    app.post(`${base}/create`, async (request: Request, reply: FastifyReply) => {
      requireManager(cluster);
      const { spec, data } = specOf(kind, request.body);
      const created = await swarmCall(() => cluster.createFileObject(kind, spec, data ?? Buffer.alloc(0)));
      const answer: FileObjectCreateResponse = { ID: created.id };
      return reply.status(201).send(answer);
    });

    app.get(`${base}/:id`, async (request: Request) => {
      requireManager(cluster);
      return view(kind, await swarmCall(() => cluster.getFileObject(kind, request.params.id)));
    });

    app.post(`${base}/:id/update`, async (request: Request, reply: FastifyReply) => {
      const version = updateVersion(request.query, kind);
      requireManager(cluster);
      const { spec, data } = specOf(kind, request.body);
      const current = await swarmCall(() => cluster.getFileObject(kind, request.params.id));
      await swarmCall(() => cluster.updateFileObject(kind, current.id, version, spec, data));
      return reply.send();
    });

    app.delete(`${base}/:id`, async (request: Request, reply: FastifyReply) => {
      await swarmCall(() => cluster.removeFileObject(kind, request.params.id));
      return reply.status(204).send();
    });
  }
}
