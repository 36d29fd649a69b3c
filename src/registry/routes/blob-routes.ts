import { createReadStream } from 'node:fs';
import { parseRangeHeader } from '../byte-range.js';
import { parseBlobDigest, parseRepositoryName } from '../names.js';
import { immutabilityGuard } from '../policy/tag-immutability.js';
import { registryError } from '../registry-errors.js';
import type { FamilyHandlers, RouteCall, RouteContext } from './route-context.js';

type BlobCall = RouteCall<{ family: 'blob'; name: string; digest: string }>;

/** `GET|HEAD|DELETE /v2/<name>/blobs/<digest>`: reads with one Range, and unlinking (not what an immutable tag holds). */
export function blobRoutes(context: RouteContext): FamilyHandlers<'blob'> {
  const { storage } = context;
  const find = async (call: BlobCall): Promise<{ name: string; digest: ReturnType<typeof parseBlobDigest>; size: number }> => {
    const name = parseRepositoryName(call.route.name);
    const digest = parseBlobDigest(call.route.digest);
    let info = await storage.blobs.stat(name, digest);
    if (!info && context.cache?.covers(name)) info = await context.cache.fetchBlob(name, digest);
    if (!info) throw registryError('BLOB_UNKNOWN', `blob ${digest} unknown in ${name}`, { digest });
    return { name, digest, size: info.size };
  };
  const read = async (call: BlobCall, withBody: boolean): Promise<void> => {
    const blob = await find(call);
    const range = parseRangeHeader(call.request.headers.range, blob.size);
    void call.reply
      .header('docker-content-digest', blob.digest)
      .header('etag', `"${blob.digest}"`)
      .header('accept-ranges', 'bytes')
      .header('content-type', 'application/octet-stream');
    const path = storage.blobs.path(blob.digest);
    if (range) {
      void call.reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`).header('content-length', range.end - range.start + 1);
      context.metrics.blobBytesServed(range.end - range.start + 1);
      await call.reply.send(withBody ? createReadStream(path, { start: range.start, end: range.end }) : undefined);
      return;
    }
    void call.reply.header('content-length', blob.size);
    if (withBody) context.metrics.blobBytesServed(blob.size);
    await call.reply.send(withBody ? createReadStream(path) : undefined);
  };
  return {
    GET: (call) => read(call, true),
    HEAD: (call) => read(call, false),
    DELETE: async (call) => {
      const name = parseRepositoryName(call.route.name);
      const digest = parseBlobDigest(call.route.digest);
      if (!storage.blobs.unlink(name, digest, immutabilityGuard(context.policy().immutableTags, name, { kind: 'blob', digest }))) throw registryError('BLOB_UNKNOWN', `blob ${digest} unknown in ${name}`, { digest });
      await call.reply.status(202).header('content-length', 0).send();
    },
  };
}
