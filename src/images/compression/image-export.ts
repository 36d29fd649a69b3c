/**
 * An image as it leaves the node (push, save) or is restored (build --compression): its manifest
 * and the file of every blob that manifest names. Without a compression, or when the stored
 * layers already are in it, that is the stored manifest and the content store's files; otherwise
 * the layers that differ are recompressed into a scratch directory and a new manifest lists them.
 * The local store is not changed.
 */
import { digestOf, type Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { parseJson } from '../../oci/parse-json.js';
import { imageConfigSchema, manifestSchema, type Descriptor, type Manifest } from '../../oci/schemas.js';
import type { ContentStore } from '../../store/content-store.js';
import type { ImageRecord } from '../image-record.js';
import type { CompressionOptions } from './layer-compression.js';
import { recompressLayer, type RecompressedLayer } from './layer-recompressor.js';
import { planRecompression, recompressedManifest, type NewLayerBlob } from './manifest-recompression.js';

export interface ExportedImage {
  image: ImageRecord;
  manifest: Manifest;
  manifestBytes: Buffer;
  manifestDigest: Digest;
  manifestMediaType: string;
  /** Layers made anew, by their new digest (files in the scratch directory). */
  recompressed: ReadonlyMap<Digest, RecompressedLayer>;
  /** The file holding a blob the manifest names (its config or a layer). */
  blobPath(digest: Digest): string;
}

export interface ExportImageOptions {
  /** None: the image as stored. */
  compression?: CompressionOptions;
  /** A scratch directory (scratch-dir.ts) for recompressed layers; the caller removes it. */
  dir: string;
  runner: ProcessRunner;
  /** Called before and after each layer that is recompressed. */
  onLayer?: (event: { source: Descriptor; result?: RecompressedLayer }) => void;
  signal?: AbortSignal;
}

/**
 * Throws what recompressLayer throws (data-loss for a layer that is not what the config says),
 * invalid-argument for a manifest that does not agree with its config or names an unknown layer
 * type, not-found for a blob missing from the store.
 */
export async function exportImage(image: ImageRecord, content: ContentStore, options: ExportImageOptions): Promise<ExportedImage> {
  const storedBytes = await content.readBytes(image.manifestDigest);
  const stored = parseJson(manifestSchema, storedBytes, `manifest ${image.manifestDigest}`);
  const asStored: ExportedImage = {
    image, manifest: stored, manifestBytes: storedBytes, manifestDigest: image.manifestDigest, manifestMediaType: image.manifestMediaType,
    recompressed: new Map(), blobPath: (digest) => content.path(digest),
  };
  if (options.compression === undefined) return asStored;
  const plan = planRecompression(stored, image.manifestMediaType, options.compression.format);
  if (!plan.changed) return asStored;

  const config = parseJson(imageConfigSchema, await content.readBytes(image.id), `image config ${image.id}`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== stored.layers.length) {
    throw errors.invalidArgument('layer-count-mismatch', `image ${image.id}: config lists ${diffIds.length} layers (rootfs.diff_ids), manifest ${stored.layers.length}`);
  }
  const bySource = new Map<Digest, RecompressedLayer>();
  const blobs = new Map<number, NewLayerBlob>();
  for (const [index, step] of plan.layers.entries()) {
    const diffId = diffIds[index];
    if (!step.recompress || diffId === undefined) continue;
    let result = bySource.get(step.source.digest);
    if (result === undefined) {
      if (!(await content.has(step.source.digest))) throw errors.notFound('blob-not-found', `layer ${step.source.digest} (layers.${index}) is not in the local store`);
      options.onLayer?.({ source: step.source });
      result = await recompressLayer({
        blobPath: content.path(step.source.digest), blobDigest: step.source.digest, diffId,
        compression: options.compression, dir: options.dir, runner: options.runner,
        ...(options.signal !== undefined && { signal: options.signal }),
      });
      bySource.set(step.source.digest, result);
      options.onLayer?.({ source: step.source, result });
    }
    blobs.set(index, { digest: result.digest, size: result.size });
  }
  const manifest = recompressedManifest(stored, plan, blobs);
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const recompressed = new Map([...bySource.values()].map((layer) => [layer.digest, layer]));
  return {
    image, manifest, manifestBytes, manifestDigest: digestOf(manifestBytes), manifestMediaType: plan.manifestMediaType, recompressed,
    blobPath: (digest) => recompressed.get(digest)?.path ?? content.path(digest),
  };
}
