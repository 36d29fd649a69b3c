import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseManifestReference, parseRepositoryName } from '../names.js';
import { gatePull } from '../policy/pull-gate.js';
import { immutabilityGuard } from '../policy/tag-immutability.js';
import { registryError } from '../registry-errors.js';
import { MAX_MANIFEST_BYTES } from '../storage/manifest-document.js';
import { repositoryPath, type FamilyHandlers, type RouteCall, type RouteContext } from './route-context.js';

type ManifestCall = RouteCall<{ family: 'manifest'; name: string; reference: string }>;

/** Reads a manifest body, refusing more than the limit (MANIFEST_INVALID). */
async function readManifestBody(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_MANIFEST_BYTES) {
      body.destroy();
      throw registryError('MANIFEST_INVALID', `manifest larger than ${MAX_MANIFEST_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * `GET|HEAD|PUT|DELETE /v2/<name>/manifests/<tag|digest>`, OCI and Docker, images and indexes.
 * Reads pass the pull gate when pull rules match; pushes and deletes respect immutable tags.
 */
export function manifestRoutes(context: RouteContext): FamilyHandlers<'manifest'> {
  const { storage, metrics } = context;
  const read = async (call: ManifestCall, withBody: boolean): Promise<void> => {
    const name = parseRepositoryName(call.route.name);
    const reference = parseManifestReference(call.route.reference);
    let manifest = context.cache?.covers(name) ? await context.cache.fetchManifest(name, reference) : undefined;
    manifest ??= await storage.manifests.resolve(name, reference);
    if (!manifest) throw registryError('MANIFEST_UNKNOWN', `manifest ${call.route.reference} unknown in ${name}`, { name, reference: call.route.reference });
    await gatePull({ policy: context.policy, storage, ...(context.pullGate !== undefined && { gate: context.pullGate }) },
      { repository: name, reference: call.route.reference, manifest, method: withBody ? 'GET' : 'HEAD', account: call.account });
    void call.reply
      .header('content-type', manifest.mediaType)
      .header('content-length', manifest.size)
      .header('docker-content-digest', manifest.digest)
      .header('etag', `"${manifest.digest}"`);
    if (withBody) metrics.manifestPulled();
    await call.reply.send(withBody ? createReadStream(manifest.path) : undefined);
  };
  return {
    GET: (call) => read(call, true),
    HEAD: (call) => read(call, false),
    PUT: async (call) => {
      const name = parseRepositoryName(call.route.name);
      if (context.cache?.covers(name)) throw registryError('UNSUPPORTED', `${name} is a pull-through cache: pushes are refused`);
      const reference = parseManifestReference(call.route.reference);
      const bytes = await readManifestBody(call.request.raw);
      const doc = await storage.manifests.put(name, reference, bytes, call.request.headers['content-type'], immutabilityGuard(context.policy().immutableTags, name));
      metrics.manifestPushed();
      if (doc.subject !== undefined) void call.reply.header('oci-subject', doc.subject.digest);
      await call.reply
        .status(201)
        .header('location', `${repositoryPath(name)}/manifests/${doc.digest}`)
        .header('docker-content-digest', doc.digest)
        .header('content-length', 0)
        .send();
    },
    DELETE: async (call) => {
      const name = parseRepositoryName(call.route.name);
      const reference = parseManifestReference(call.route.reference);
      const target = reference.kind === 'tag' ? { kind: 'tag' as const, tag: reference.tag } : { kind: 'manifest' as const, digest: reference.digest };
      if (!storage.manifests.delete(name, reference, immutabilityGuard(context.policy().immutableTags, name, target))) {
        throw registryError('MANIFEST_UNKNOWN', `manifest ${call.route.reference} unknown in ${name}`, { name, reference: call.route.reference });
      }
      await call.reply.status(202).header('content-length', 0).send();
    },
  };
}
