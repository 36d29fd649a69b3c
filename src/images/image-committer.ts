/**
 * A new image on top of another one: optionally one new layer (the changes an active snapshot
 * holds, as an uncompressed tar of its upper directory), a new container config and one more
 * history entry. What `docker commit` does with a container's writable layer, and what every
 * build step does with its result.
 */
import type { Clock } from '../base/clock.js';
import type { Digest } from '../base/digest.js';
import { MediaType } from '../oci/media-types.js';
import { parseJson } from '../oci/parse-json.js';
import { hostPlatform } from '../oci/platform.js';
import { imageConfigSchema, manifestSchema, type ContainerConfig, type Descriptor, type HistoryEntry, type ImageConfig, type Manifest } from '../oci/schemas.js';
import type { Readable } from 'node:stream';
import type { ContentStore } from '../store/content-store.js';
import type { ImageRecord } from './image-record.js';
import { isBerthError } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import { chainIds } from './chain-id.js';
import type { ImageWriter } from './image-writer.js';
import type { LayerSnapshotter } from './layer-snapshotter.js';
import type { LoadSession } from './load-session.js';

export interface CommitImageRequest {
  /** The image the new one is made on; none for an image from scratch. */
  parent?: ImageRecord | undefined;
  /** The new layer as an uncompressed tar (e.g. `snapshotter.diff(key)`); none for a config-only change. */
  layer?: () => Readable;
  /**
   * An unmounted active snapshot on the parent's top layer whose directory is the layer `layer`
   * tars: it becomes the new layer's snapshot (committed under its chain id) instead of the tar
   * being unpacked a second time. Gone afterwards unless that layer existed already.
   */
  adoptSnapshot?: string;
  /** The new image's container config (replaces the parent's). */
  config: ContainerConfig;
  /** The history entry of this change. `created` defaults to now. */
  history: { createdBy: string; comment?: string; author?: string; created?: string };
  /** Normalized names for the new image (none: a dangling image). */
  names: string[];
  /**
   * Writes in the transaction that records the image (a build step's cache entry), so that both
   * are recorded or neither.
   */
  alsoRecord?: (image: Digest) => void;
}

export interface ImageCommitterDeps {
  session: LoadSession;
  content: ContentStore;
  writer: ImageWriter;
  clock: Clock;
  snapshotter: LayerSnapshotter;
}

/** Docker's uncompressed layer type for a Docker manifest, OCI's for an OCI one. */
function layerMediaType(manifestMediaType: string): string {
  return manifestMediaType === MediaType.dockerManifest ? MediaType.dockerLayer : MediaType.ociLayer;
}

/**
 * Writes the layer blob (hashed, stored and unpacked in one pass), the config and the manifest, and
 * records the image. The manifest keeps the parent's media type family (Docker schema 2 or OCI).
 * Everything written is held by the session's lease until the image is recorded.
 */
export async function commitImage(request: CommitImageRequest, deps: ImageCommitterDeps): Promise<ImageRecord> {
  const { session, content, writer } = deps;
  let parentConfig: ImageConfig | undefined;
  let parentManifest: Manifest | undefined;
  let manifestMediaType: string = MediaType.ociManifest;
  if (request.parent !== undefined) {
    const parent = request.parent;
    session.holdBlob(parent.id);
    session.holdBlob(parent.manifestDigest);
    parentConfig = parseJson(imageConfigSchema, await content.readBytes(parent.id), `image config ${parent.id}`);
    parentManifest = parseJson(manifestSchema, await content.readBytes(parent.manifestDigest), `manifest ${parent.manifestDigest}`);
    manifestMediaType = parent.manifestMediaType === MediaType.dockerManifest ? MediaType.dockerManifest : MediaType.ociManifest;
  }
  const layers: Descriptor[] = [...(parentManifest?.layers ?? [])];
  const diffIds: Digest[] = [...(parentConfig?.rootfs.diff_ids ?? [])];
  if (request.layer !== undefined && request.adoptSnapshot !== undefined) {
    // The blob only (hashed, verified, stored); the directory it was made from is the snapshot.
    const blob = await session.writeBlob(request.layer());
    const key = chainIds([...diffIds, blob.digest]).at(-1);
    if (key !== undefined) {
      session.holdSnapshot(key);
      if (!deps.snapshotter.has(key)) {
        await deps.snapshotter.commit(key, request.adoptSnapshot).catch((err: unknown) => {
          if (!isBerthError(err, 'already-exists')) throw err; // another writer made the same layer meanwhile
        });
      }
    }
    layers.push({ mediaType: layerMediaType(manifestMediaType), digest: blob.digest, size: blob.size });
    diffIds.push(blob.digest);
  } else if (request.layer !== undefined) {
    const blob = await session.ingest(request.layer());
    const diffId = (await session.stagedDiffId(blob.digest)) ?? blob.digest;
    layers.push({ mediaType: layerMediaType(manifestMediaType), digest: blob.digest, size: blob.size });
    diffIds.push(diffId);
  }
  failpoint('commit-after-diff');
  const created = request.history.created ?? deps.clock.now().toISOString();
  const entry: HistoryEntry = {
    created,
    created_by: request.history.createdBy,
    ...(request.history.author !== undefined && request.history.author !== '' && { author: request.history.author }),
    ...(request.history.comment !== undefined && request.history.comment !== '' && { comment: request.history.comment }),
    ...(request.layer === undefined && { empty_layer: true }),
  };
  const platform = hostPlatform();
  const config: ImageConfig = {
    created,
    ...(request.history.author !== undefined && request.history.author !== '' && { author: request.history.author }),
    architecture: parentConfig?.architecture ?? platform.architecture,
    os: parentConfig?.os ?? platform.os,
    ...((parentConfig?.variant ?? platform.variant) !== undefined && { variant: parentConfig?.variant ?? platform.variant }),
    config: request.config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [...(parentConfig?.history ?? []), entry],
  };
  const configBlob = await session.writeBlob(Buffer.from(JSON.stringify(config)));
  const configMediaType = manifestMediaType === MediaType.dockerManifest ? MediaType.dockerConfig : MediaType.ociConfig;
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: { mediaType: configMediaType, digest: configBlob.digest, size: configBlob.size },
    layers,
  };
  const manifestBlob = await session.writeBlob(Buffer.from(JSON.stringify(manifest)));
  return writer.commit(
    { manifestDigest: manifestBlob.digest, manifestMediaType, manifest, configDigest: configBlob.digest, config, names: request.names },
    session,
    request.alsoRecord,
  );
}
