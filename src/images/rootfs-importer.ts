import { createReadStream } from 'node:fs';
import { Digester, type Digest } from '../base/digest.js';
import type { Clock } from '../base/clock.js';
import type { ContentStore } from '../store/content-store.js';
import { MediaType } from '../oci/media-types.js';
import { hostPlatform } from '../oci/platform.js';
import type { ContainerConfig, ImageConfig, Manifest } from '../oci/schemas.js';
import { openLayerStream, sniffCompression } from '../snapshots/decompress.js';
import { applyConfigChanges } from './config-changes.js';
import type { ImageRecord } from './image-record.js';
import type { ImageWriter } from './image-writer.js';
import type { LoadSession } from './load-session.js';

export interface ImportOptions {
  /** Normalized names for the new image. */
  names: string[];
  /** Dockerfile-style changes (CMD, ENV, …) applied to an empty config. */
  changes?: readonly string[];
  /** Base container config the changes apply to. */
  config?: ContainerConfig;
  /** History comment, like `docker import --message`. */
  message?: string;
  /** The history entry's created_by. */
  createdBy?: string;
}

async function diffIdOf(content: ContentStore, digest: Digest): Promise<Digest> {
  const digester = new Digester();
  for await (const chunk of openLayerStream(createReadStream(content.path(digest))) as AsyncIterable<Buffer>) digester.update(chunk);
  return digester.digest();
}

async function layerMediaType(content: ContentStore, digest: Digest): Promise<string> {
  const stream = createReadStream(content.path(digest), { start: 0, end: 3 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const compression = sniffCompression(Buffer.concat(chunks));
  return compression === 'gzip' ? MediaType.ociLayerGzip : compression === 'zstd' ? MediaType.ociLayerZstd : MediaType.ociLayer;
}

/**
 * Makes a one-layer image from a root filesystem tarball (plain, gzip or zstd), as `docker
 * import` does: the tarball is stored as given and becomes the layer.
 */
export async function importRootfs(
  tarball: AsyncIterable<Uint8Array>,
  options: ImportOptions,
  deps: { session: LoadSession; content: ContentStore; writer: ImageWriter; clock: Clock },
): Promise<ImageRecord> {
  const { session, content, writer } = deps;
  const layerBlob = await session.ingest(tarball);
  const diffId = (await session.stagedDiffId(layerBlob.digest)) ?? (await diffIdOf(content, layerBlob.digest));
  const created = deps.clock.now().toISOString();
  const platform = hostPlatform();
  const config: ImageConfig = {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant !== undefined && { variant: platform.variant }),
    config: applyConfigChanges(options.config ?? {}, options.changes ?? []),
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: options.createdBy ?? 'berth image import', ...(options.message !== undefined && { comment: options.message }) }],
  };
  const configBlob = await session.writeBlob(Buffer.from(JSON.stringify(config)));
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size },
    layers: [{ mediaType: await layerMediaType(content, layerBlob.digest), digest: layerBlob.digest, size: layerBlob.size }],
  };
  const manifestBlob = await session.writeBlob(Buffer.from(JSON.stringify(manifest)));
  return writer.commit(
    { manifestDigest: manifestBlob.digest, manifestMediaType: MediaType.ociManifest, manifest, configDigest: configBlob.digest, config, names: options.names },
    session,
  );
}
