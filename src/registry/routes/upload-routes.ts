import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { Digest } from '../../base/digest.js';
import { parseContentRange, uploadRangeHeader } from '../byte-range.js';
import { parseBlobDigest, parseRepositoryName } from '../names.js';
import { registryError } from '../registry-errors.js';
import type { UploadStatus } from '../storage/upload-sessions.js';
import { queryValue, repositoryPath, type FamilyHandlers, type RouteCall, type RouteContext } from './route-context.js';

type UploadCall = RouteCall<{ family: 'upload'; name: string; id?: string }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The request body as a stream, or undefined when it has none. */
export function bodyOf(request: FastifyRequest): Readable | undefined {
  const length = request.headers['content-length'];
  if (request.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return undefined;
  return request.raw;
}

/**
 * Blob uploads: `POST …/blobs/uploads/` (a session; `?digest=` monolithic; `?mount=&from=`
 * cross-repository mount, from any repository the caller may pull when `from` is absent; a
 * mount that cannot be done starts an ordinary upload session), `PATCH` chunks
 * (with or without Content-Range), `PUT ?digest=` to complete, `GET` status, `DELETE` cancel.
 */
export function uploadRoutes(context: RouteContext): FamilyHandlers<'upload'> {
  const { storage, metrics } = context;
  const sessionId = (call: UploadCall): string => {
    const id = call.route.id;
    if (id === undefined || !UUID.test(id)) throw registryError('BLOB_UPLOAD_UNKNOWN', `upload ${id ?? ''} unknown`, { uuid: id ?? '' });
    return id;
  };
  const accepted = async (call: UploadCall, name: string, status: UploadStatus, code: number): Promise<void> => {
    await call.reply
      .status(code)
      .header('location', `${repositoryPath(name)}/blobs/uploads/${status.id}`)
      .header('range', uploadRangeHeader(status.size))
      .header('docker-upload-uuid', status.id)
      .header('content-length', 0)
      .send();
  };
  const created = async (call: UploadCall, name: string, digest: Digest): Promise<void> => {
    metrics.blobPushed();
    await call.reply
      .status(201)
      .header('location', `${repositoryPath(name)}/blobs/${digest}`)
      .header('docker-content-digest', digest)
      .header('content-length', 0)
      .send();
  };
  return {
    POST: async (call) => {
      const name = parseRepositoryName(call.route.name);
      if (call.route.id !== undefined) throw registryError('UNSUPPORTED', 'POST to an upload session');
      if (context.cache?.covers(name)) throw registryError('UNSUPPORTED', `${name} is a pull-through cache: pushes are refused`);
      const mount = queryValue(call.query, 'mount');
      if (mount !== undefined) {
        const digest = parseBlobDigest(mount);
        const from = queryValue(call.query, 'from');
        const wanted = from === undefined ? undefined : parseRepositoryName(from);
        // Only from a repository the caller may pull (`from`, or without it any such one);
        // otherwise the request goes on as an ordinary upload (202), never as a refusal.
        const source = storage.blobs.mount(name, digest, (repository) => (wanted === undefined || repository === wanted) && call.mayPull(repository));
        if (source !== undefined) {
          await created(call, name, digest);
          return;
        }
      }
      const session = await storage.uploads.create(name);
      const digestParam = queryValue(call.query, 'digest');
      const body = bodyOf(call.request);
      if (digestParam !== undefined) {
        const digest = parseBlobDigest(digestParam);
        await storage.uploads.complete(name, session.id, digest, body ?? emptyBody());
        await created(call, name, digest);
        return;
      }
      await accepted(call, name, session, 202);
    },
    PATCH: async (call) => {
      const name = parseRepositoryName(call.route.name);
      const id = sessionId(call);
      const range = parseContentRange(call.request.headers['content-range']);
      const status = await storage.uploads.append(name, id, bodyOf(call.request) ?? emptyBody(), range);
      await accepted(call, name, status, 202);
    },
    PUT: async (call) => {
      const name = parseRepositoryName(call.route.name);
      const id = sessionId(call);
      const digest = parseBlobDigest(queryValue(call.query, 'digest'));
      const body = bodyOf(call.request);
      const range = parseContentRange(call.request.headers['content-range']);
      await storage.uploads.complete(name, id, digest, body, range);
      await created(call, name, digest);
    },
    GET: async (call) => {
      const name = parseRepositoryName(call.route.name);
      const status = await storage.uploads.settledStatus(name, sessionId(call));
      await accepted(call, name, status, 204);
    },
    DELETE: async (call) => {
      const name = parseRepositoryName(call.route.name);
      await storage.uploads.cancel(name, sessionId(call));
      await call.reply.status(204).header('content-length', 0).send();
    },
  };
}

function emptyBody(): Readable {
  return Readable.from([]);
}
