import type { Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import type { ContentStore } from '../store/content-store.js';
import type { ImageConfig, Manifest } from '../oci/schemas.js';
import { LAYER_MEDIA_TYPES } from '../oci/media-types.js';
import { chainIds } from './chain-id.js';
import type { ImageRecord, NewImage } from './image-record.js';
import type { ImageStore } from './image-store.js';
import type { LayerSnapshotter } from './layer-snapshotter.js';
import type { LoadSession } from './load-session.js';

/** An image whose manifest, config and layer blobs are in the content store, ready to record. */
export interface ImageCandidate {
  manifestDigest: Digest;
  manifestMediaType: string;
  manifest: Manifest;
  configDigest: Digest;
  config: ImageConfig;
  indexDigest?: Digest;
  /** Normalized names to give the image. */
  names: string[];
  /** Other blobs to keep with the image (an index it was selected from). */
  extraBlobs?: Digest[];
  /** `repository@digest` references the image is known by in a registry (a pull's). */
  repoDigests?: string[];
}

export interface ImageWriterOptions {
  content: ContentStore;
  snapshotter: LayerSnapshotter;
  images: ImageStore;
  /** Reports each layer as it is unpacked (for progress output). */
  onLayer?: (event: { diffId: Digest; index: number; total: number; cached: boolean }) => void;
}

/**
 * Turns a candidate into a recorded image: checks that config and manifest agree, unpacks the
 * layers not yet unpacked (verifying diff IDs), and records the image and its names in one
 * transaction. Nothing is recorded unless every step succeeded.
 */
export class ImageWriter {
  constructor(private readonly options: ImageWriterOptions) {}

  /** Prepares and records one image; `alsoRecord` writes in the same transaction (see ImageStore.record). */
  async commit(candidate: ImageCandidate, session: LoadSession, alsoRecord?: (image: Digest) => void): Promise<ImageRecord> {
    const prepared = await this.prepare(candidate, session);
    failpoint('image-before-record');
    const [record] = this.recordAll([prepared], alsoRecord === undefined ? undefined : () => { alsoRecord(prepared.id); });
    if (!record) throw errors.internal('image-not-recorded', `image ${candidate.configDigest} was not recorded`);
    return record;
  }

  /** Records prepared images in one transaction: all of them (with what `alsoRecord` writes), or none. */
  recordAll(images: NewImage[], alsoRecord?: () => void): ImageRecord[] {
    this.options.images.record(images, alsoRecord);
    return images.map((image) => this.options.images.find(image.id)).filter((r): r is ImageRecord => r !== undefined);
  }

  /** Checks a candidate and unpacks its layers; records nothing. */
  async prepare(candidate: ImageCandidate, session: LoadSession): Promise<NewImage> {
    const { manifest, config } = candidate;
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw errors.invalidArgument(
        'layer-count-mismatch',
        `image ${candidate.configDigest}: config lists ${diffIds.length} layers (rootfs.diff_ids), manifest ${manifest.layers.length}`,
      );
    }
    for (const [i, layer] of manifest.layers.entries()) {
      if (!LAYER_MEDIA_TYPES.includes(layer.mediaType)) {
        throw errors.invalidArgument('unsupported-layer', `manifest layers.${i}: unsupported media type ${layer.mediaType}`);
      }
      session.holdBlob(layer.digest);
      if (!(await this.options.content.has(layer.digest))) {
        throw errors.invalidArgument('missing-layer', `layer ${layer.digest} (layers.${i}) is missing`);
      }
    }
    const chain = chainIds(diffIds);
    let size = 0;
    for (const [i, key] of chain.entries()) {
      const diffId = diffIds[i];
      const layer = manifest.layers[i];
      if (diffId === undefined || layer === undefined) continue;
      session.holdSnapshot(key);
      const cached = this.options.snapshotter.has(key);
      const staged = await session.takeStaged(layer.digest);
      const parent = chain[i - 1] ?? null;
      if (cached) {
        if (staged) await this.options.snapshotter.discardStaged(staged);
      } else if (staged) {
        if (staged.diffId !== diffId) {
          await this.options.snapshotter.discardStaged(staged);
          throw errors.dataLoss('diff-id-mismatch', `layer ${layer.digest} (layers.${i}): diff ID is ${staged.diffId}, config says ${diffId}`);
        }
        await this.options.snapshotter.commitStaged(key, parent, staged);
      } else {
        const tar = await this.options.content.openRead(layer.digest);
        await this.options.snapshotter.applyLayer(key, parent, tar, diffId);
      }
      size += this.options.snapshotter.stat(key).size;
      this.options.onLayer?.({ diffId, index: i, total: chain.length, cached });
    }
    const platformVariant = config.variant ?? null;
    const blobs = [candidate.manifestDigest, candidate.configDigest, ...manifest.layers.map((l) => l.digest), ...(candidate.extraBlobs ?? [])];
    return {
      id: candidate.configDigest,
      manifestDigest: candidate.manifestDigest,
      manifestMediaType: candidate.manifestMediaType,
      indexDigest: candidate.indexDigest ?? null,
      os: config.os,
      architecture: config.architecture,
      variant: platformVariant,
      topChainId: chain[chain.length - 1] ?? null,
      size,
      createdAt: config.created ?? new Date(0).toISOString(),
      blobs,
      names: candidate.names,
      ...(candidate.repoDigests !== undefined && { repoDigests: candidate.repoDigests }),
    };
  }
}
