/**
 * `push`: a local image's config and layers, then its manifest, then the tag. A blob the
 * repository has (HEAD) is skipped; one that another repository of the same registry may hold
 * (the image's other names there) is mounted from it; the rest is uploaded, monolithically or in
 * chunks. With `compression`, layers stored in another compression are recompressed first (into
 * a scratch directory, see compression/image-export.ts) and a new manifest is pushed; without it
 * the stored blobs and manifest go as they are. Pushing changes nothing in the local store.
 */
import { createReadStream } from 'node:fs';
import type { Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import { failpoint } from '../../base/failpoint.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { formatReference, parseReference, repositoryName } from '../../oci/reference.js';
import type { ContentStore } from '../../store/content-store.js';
import { exportImage } from '../compression/image-export.js';
import type { CompressionOptions } from '../compression/layer-compression.js';
import { openScratchDir } from '../compression/scratch-dir.js';
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
  /** Layers in this compression (others are recompressed); default: as stored. */
  compression?: CompressionOptions;
  onProgress?: ProgressSink;
}

export interface PushResult {
  /** The normalized name pushed (`host:5000/a/b:tag`). */
  name: string;
  /** The pushed manifest's digest (the stored one's unless layers were recompressed). */
  digest: Digest;
  size: number;
}

export interface PushDeps {
  content: ContentStore;
  images: ImageStore;
  /** Runs `zstd` for recompressed layers. */
  runner: ProcessRunner;
  /** The state root's scratch space (recompressed layers go to a directory in it). */
  tmp: string;
}

export async function pushImage(text: string, options: PushOptions, deps: PushDeps): Promise<PushResult> {
  const ref = parseReference(text);
  if (ref.digest !== undefined) throw errors.invalidArgument('push-needs-tag', `${text}: push a name with a tag, not a digest`);
  const tag = ref.tag ?? 'latest';
  const name = formatReference({ domain: ref.domain, path: ref.path, tag });
  const image = deps.images.resolve(name);
  const say = options.onProgress ?? (() => undefined);
  const client = new RegistryClient(ref.domain, options);
  const repository = ref.path;
  say({ status: `The push refers to repository [${repositoryName(ref)}]` });
  const scratch = options.compression === undefined ? undefined : await openScratchDir(deps.tmp);
  try {
    const exported = await exportImage(image, deps.content, {
      ...(options.compression !== undefined && { compression: options.compression }),
      dir: scratch?.path ?? deps.tmp, runner: deps.runner,
      onLayer: ({ source, result }) => {
        say({ status: result === undefined ? `Compressing (${options.compression?.format ?? ''})` : 'Compressed', id: shortId(source.digest) });
      },
    });
    // The image's other names on the same registry: where a cross-repository mount may find its blobs.
    const mountFrom = [...new Set(image.names.map((n) => parseReference(n)).filter((r) => r.domain === ref.domain && r.path !== ref.path).map((r) => r.path))];

    const { manifest } = exported;
    const blobs = [...manifest.layers, manifest.config];
    for (const blob of blobs) {
      if (!exported.recompressed.has(blob.digest) && !(await deps.content.has(blob.digest))) {
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
      const path = exported.blobPath(blob.digest);
      const report = byteReporter(isLayer ? options.onProgress : undefined, 'Pushing', id, blob.size);
      const outcome = await uploadBlob(client, repository, {
        digest: blob.digest, size: blob.size,
        open: (range) => createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end }),
      }, { mountFrom, ...(options.chunkSize !== undefined && { chunkSize: options.chunkSize }), onProgress: report });
      if (isLayer) say({ status: outcome.how === 'mounted' ? `Mounted from ${outcome.from}` : 'Pushed', id });
      failpoint('push-after-blob');
    });
    const { manifestDigest, manifestMediaType, manifestBytes } = exported;
    failpoint('push-before-manifest');
    await putManifest(client, repository, manifestDigest, manifestMediaType, manifestBytes);
    await putManifest(client, repository, tag, manifestMediaType, manifestBytes);
    say({ status: `${tag}: digest: ${manifestDigest} size: ${manifestBytes.length}` });
    return { name, digest: manifestDigest, size: manifestBytes.length };
  } finally {
    await scratch?.remove();
  }
}
