/**
 * `push`: a local image's config and layers, then its manifest, then the tag. A blob the
 * repository has (HEAD) is skipped; one that another repository of the same registry may hold
 * (the image's other names there) is mounted from it; the rest is uploaded, monolithically or in
 * chunks. Pushing changes nothing in the local store.
 */
import { createReadStream } from 'node:fs';
import type { Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import { parseJson } from '../../oci/parse-json.js';
import { formatReference, parseReference, repositoryName } from '../../oci/reference.js';
import { manifestSchema } from '../../oci/schemas.js';
import type { ContentStore } from '../../store/content-store.js';
import type { ImageStore } from '../image-store.js';
import { blobExists, putManifest, uploadBlob } from './registry-api.js';
import { eachLimited } from './each-limited.js';
import { RegistryClient, type RegistryClientOptions } from './registry-client.js';
import { byteReporter, shortId, type ProgressSink } from './transfer-progress.js';

export interface PushOptions extends RegistryClientOptions {
  /** Upload blobs larger than this in PATCH chunks of this size (default: monolithic). */
  chunkSize?: number;
  /** Blobs uploaded at once (default 3). */
  concurrency?: number;
  onProgress?: ProgressSink;
}

export interface PushResult {
  /** The normalized name pushed (`host:5000/a/b:tag`). */
  name: string;
  digest: Digest;
  size: number;
}

export interface PushDeps {
  content: ContentStore;
  images: ImageStore;
}

export async function pushImage(text: string, options: PushOptions, deps: PushDeps): Promise<PushResult> {
  const ref = parseReference(text);
  if (ref.digest !== undefined) throw errors.invalidArgument('push-needs-tag', `${text}: push a name with a tag, not a digest`);
  const tag = ref.tag ?? 'latest';
  const name = formatReference({ domain: ref.domain, path: ref.path, tag });
  const image = deps.images.resolve(name);
  const say = options.onProgress ?? (() => undefined);
  const manifestBytes = await deps.content.readBytes(image.manifestDigest);
  const manifest = parseJson(manifestSchema, manifestBytes, `manifest ${image.manifestDigest}`);
  const client = new RegistryClient(ref.domain, options);
  const repository = ref.path;
  // The image's other names on the same registry: where a cross-repository mount may find its blobs.
  const mountFrom = [...new Set(image.names.map((n) => parseReference(n)).filter((r) => r.domain === ref.domain && r.path !== ref.path).map((r) => r.path))];
  say({ status: `The push refers to repository [${repositoryName(ref)}]` });

  const blobs = [...manifest.layers, manifest.config];
  for (const blob of blobs) {
    if (!(await deps.content.has(blob.digest))) {
      throw errors.failedPrecondition('blob-missing-locally', `${name}: blob ${blob.digest} is not in the local store`);
    }
  }
  await eachLimited(blobs, options.concurrency ?? 3, async (blob) => {
    const id = shortId(blob.digest);
    const isLayer = blob !== manifest.config;
    if (isLayer) say({ status: 'Preparing', id });
    if (await blobExists(client, repository, blob.digest)) {
      if (isLayer) say({ status: 'Layer already exists', id });
      return;
    }
    const path = deps.content.path(blob.digest);
    const report = byteReporter(isLayer ? options.onProgress : undefined, 'Pushing', id, blob.size);
    const outcome = await uploadBlob(client, repository, {
      digest: blob.digest, size: blob.size,
      open: (range) => createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end }),
    }, { mountFrom, ...(options.chunkSize !== undefined && { chunkSize: options.chunkSize }), onProgress: report });
    if (isLayer) say({ status: outcome.how === 'mounted' ? `Mounted from ${outcome.from}` : 'Pushed', id });
  });
  await putManifest(client, repository, image.manifestDigest, image.manifestMediaType, manifestBytes);
  await putManifest(client, repository, tag, image.manifestMediaType, manifestBytes);
  say({ status: `${tag}: digest: ${image.manifestDigest} size: ${manifestBytes.length}` });
  return { name, digest: image.manifestDigest, size: manifestBytes.length };
}
