import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, messageOf } from '../../base/errors.js';
import type { ImageService } from '../../images/image-service.js';
import { historyView, inspectView } from '../../images/image-views.js';
import { familiarName, formatReference, parseTaggedReference } from '../../oci/reference.js';
import type { ImageDeleteItem, ImagePruneResponse } from '../../wire/images.js';
import { queryCompression } from '../compression-query.js';
import { listImages } from '../image-listing.js';
import { queryBool, queryFilters, queryList, queryString, type Query } from '../query.js';
import { pullRoute, pushRoute, type RegistryRouteOptions } from './pull-push.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { '*'?: string } }>;

/**
 * Streams `save` into the reply; errors after the headers went out end the stream. berth's
 * `compression` / `compression-level` query parameters recompress the layers on the way.
 */
function sendArchive(reply: FastifyReply, images: ImageService, refs: string[], query: Query): FastifyReply {
  for (const ref of refs) images.resolve(ref); // 404 before any byte is sent
  const compression = queryCompression(query);
  const out = new PassThrough();
  images.save(refs, 'docker-archive', { stream: out }, compression).then(
    () => out.end(),
    (err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return reply.type('application/x-tar').send(out);
}

/** The Docker Engine API's local image routes. Image names may contain `/`, hence the wildcards. */
export function imageRoutes(app: FastifyInstance, images: ImageService, registry: RegistryRouteOptions = { insecureRegistries: [] }): void {
  app.get('/images/json', async (request: Request, reply) => reply.send(await listImages(images, request.query)));

  app.get('/images/get', (request: Request, reply) => sendArchive(reply, images, queryList(request.query, 'names'), request.query));

  app.get('/images/*', async (request: Request, reply) => {
    const rest = request.params['*'] ?? '';
    const [name, action] = splitAction(rest);
    if (action === 'json') {
      const image = images.resolve(name);
      const config = await images.config(image);
      return inspectView(image, config, images.layerDirs(config));
    }
    if (action === 'history') {
      const image = images.resolve(name);
      const config = await images.config(image);
      return historyView(image, config, images.layerSizes(config));
    }
    if (action === 'get') return sendArchive(reply, images, [name], request.query);
    throw errors.notFound('no-such-route', `page not found: GET /images/${rest}`);
  });

  app.post('/images/*', async (request: Request, reply) => {
    const rest = request.params['*'] ?? '';
    const [name, action] = splitAction(rest);
    if (action === 'tag') {
      const repo = queryString(request.query, 'repo');
      if (repo === undefined || repo === '') throw errors.invalidArgument('missing-repo', 'repository name (repo) is required');
      const tag = queryString(request.query, 'tag');
      images.tag(name, `${repo}:${tag === undefined || tag === '' ? 'latest' : tag}`);
      return reply.status(201).send();
    }
    if (action === 'push') return pushRoute(name, request, reply, images, registry);
    throw errors.notFound('no-such-route', `page not found: POST /images/${rest}`);
  });

  app.delete('/images/*', async (request: Request): Promise<ImageDeleteItem[]> => {
    const name = request.params['*'] ?? '';
    const removed = await images.remove([name], queryBool(request.query, 'force'));
    return removed.map((item) => ('Untagged' in item ? { Untagged: familiarName(item.Untagged) } : item));
  });

  app.post('/images/load', async (request: Request, reply) => {
    // `name` (berth): the repository that OCI entries named only by a bare tag are tags of.
    const repository = queryString(request.query, 'name');
    // As dockerd: 200 at once, each message as it comes, and a failure as the stream's last message.
    void reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': 'application/json' });
    const send = (message: object): void => { reply.raw.write(`${JSON.stringify(message)}\n`); };
    try {
      const loaded = await images.load({ stream: request.body as Readable }, {
        ...(repository !== undefined && repository !== '' && { repository }),
        onNote: (note) => { send({ stream: `${note}\n` }); },
      });
      for (const image of loaded) {
        const lines = image.names.length === 0 ? [`Loaded image ID: ${image.id}`] : image.names.map((n) => `Loaded image: ${familiarName(n)}`);
        for (const line of lines) send({ stream: `${line}\n` });
      }
    } catch (err) {
      const message = messageOf(err);
      send({ errorDetail: { message }, error: message });
      // The rest of a bad archive is read and dropped, so the connection stays usable.
      request.raw.resume();
    } finally {
      reply.raw.end();
    }
  });

  app.post('/images/create', async (request: Request, reply) => {
    const fromSrc = queryString(request.query, 'fromSrc');
    if (fromSrc === undefined) return pullRoute(request, reply, images, registry);
    if (fromSrc !== '-') throw errors.invalidArgument('import-url-unsupported', 'import from a URL is not supported: send the tarball in the request body (fromSrc=-)');
    const repo = queryString(request.query, 'repo');
    const tag = queryString(request.query, 'tag');
    const names = repo === undefined || repo === '' ? [] : [formatReference(parseTaggedReference(repo.includes(':') && (tag === undefined || tag === '') ? repo : `${repo}:${tag === undefined || tag === '' ? 'latest' : tag}`))];
    const message = queryString(request.query, 'message');
    const image = await images.import(request.body as Readable, {
      names,
      changes: queryList(request.query, 'changes'),
      ...(message !== undefined && message !== '' && { message }),
    });
    return sendJsonMessages(reply, [{ status: image.id }]);
  });

  app.post('/images/prune', async (request: Request): Promise<ImagePruneResponse> => {
    const filters = queryFilters(request.query);
    const all = filters.get('dangling')?.includes('false') === true;
    const { removed, spaceReclaimed } = await images.prune(all);
    return { ImagesDeleted: removed.length > 0 ? removed : null, SpaceReclaimed: spaceReclaimed };
  });
}

/**
 * Docker's progress messages, one JSON object per line. The docker CLI renders them only when the
 * Content-Type is exactly `application/json` (no charset), hence a Buffer body.
 */
function sendJsonMessages(reply: FastifyReply, messages: object[]): FastifyReply {
  return reply.header('content-type', 'application/json').send(Buffer.from(messages.map((m) => `${JSON.stringify(m)}\n`).join('')));
}

/** `a/b:1/json` → [`a/b:1`, `json`]; a bare name has no action. */
function splitAction(rest: string): [string, string] {
  const slash = rest.lastIndexOf('/');
  const action = rest.slice(slash + 1);
  if (slash > 0 && ['json', 'history', 'get', 'tag', 'push'].includes(action)) return [decodeURIComponent(rest.slice(0, slash)), action];
  return [decodeURIComponent(rest), ''];
}
