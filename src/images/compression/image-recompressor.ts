/**
 * Stores an image with its layers in another compression (what `build --compression` does to
 * its result). The config — hence the id, the diff IDs and the unpacked layers — stays; the new
 * layer blobs and manifest are written under the session's lease, then the image's record points
 * at them in one transaction. The blobs only the old manifest named are left to the collector.
 * An image has one stored manifest: every name of it, and a build that reuses it from the cache,
 * sees the new one.
 */
import type { ProcessRunner } from '../../base/process-runner.js';
import type { ContentStore } from '../../store/content-store.js';
import type { ImageRecord } from '../image-record.js';
import type { ImageStore } from '../image-store.js';
import type { LoadSession } from '../load-session.js';
import { exportImage } from './image-export.js';
import type { CompressionOptions } from './layer-compression.js';
import { openScratchDir } from './scratch-dir.js';

export interface ImageRecompressorDeps {
  session: LoadSession;
  content: ContentStore;
  images: ImageStore;
  runner: ProcessRunner;
  /** The state root's scratch space (on the content store's filesystem). */
  tmp: string;
  onLayer?: (event: { digest: string; done: boolean }) => void;
}

/**
 * Resolves with the image's record afterwards (unchanged when its layers already are in
 * `compression`). Throws what exportImage throws, and conflict when another writer replaced the
 * image's manifest meanwhile; the record is then as it was.
 */
export async function recompressStoredImage(image: ImageRecord, compression: CompressionOptions, deps: ImageRecompressorDeps): Promise<ImageRecord> {
  const { session, content, images } = deps;
  session.holdBlob(image.manifestDigest);
  session.holdBlob(image.id);
  const scratch = await openScratchDir(deps.tmp);
  try {
    const exported = await exportImage(image, content, {
      compression, dir: scratch.path, runner: deps.runner,
      onLayer: ({ source, result }) => deps.onLayer?.({ digest: source.digest, done: result !== undefined }),
    });
    if (exported.manifestDigest === image.manifestDigest) return image;
    for (const layer of exported.recompressed.values()) await session.adoptBlob(layer.path, { digest: layer.digest, size: layer.size });
    for (const layer of exported.manifest.layers) session.holdBlob(layer.digest);
    const manifest = await session.writeBlob(exported.manifestBytes, { digest: exported.manifestDigest });
    images.replaceManifest(image.id, image.manifestDigest, {
      digest: manifest.digest,
      mediaType: exported.manifestMediaType,
      blobs: [manifest.digest, image.id, ...exported.manifest.layers.map((layer) => layer.digest)],
    });
    return images.find(image.id) ?? image;
  } finally {
    await scratch.remove();
  }
}
