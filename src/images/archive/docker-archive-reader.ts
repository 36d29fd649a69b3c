import { open } from 'node:fs/promises';
import type { Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import type { ContentStore } from '../../store/content-store.js';
import { MediaType } from '../../oci/media-types.js';
import { parseJson } from '../../oci/parse-json.js';
import { formatReference, parseTaggedReference } from '../../oci/reference.js';
import { dockerArchiveManifestSchema, imageConfigSchema, type Manifest } from '../../oci/schemas.js';
import type { ImageCandidate } from '../image-writer.js';
import type { LoadSession } from '../load-session.js';
import type { ArchiveSource } from './archive-source.js';

/** Layer media type from the first bytes of a layer file (docker-archives do not say). */
async function sniffLayerMediaType(content: ContentStore, digest: Digest): Promise<string> {
  const handle = await open(content.path(digest), 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) return MediaType.dockerLayerGzip;
    if (head.equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return MediaType.ociLayerZstd;
    return MediaType.dockerLayer;
  } finally {
    await handle.close();
  }
}

/**
 * Reads a docker-archive (manifest.json with Config, RepoTags and Layers paths; what `docker save`
 * writes) into image candidates. Docker's archives carry no registry manifest, so berth writes a
 * Docker schema 2 manifest for each image, as Docker does on load.
 */
export async function readDockerArchive(source: ArchiveSource, session: LoadSession, content: ContentStore): Promise<ImageCandidate[]> {
  const manifestBytes = await source.readSmall('manifest.json');
  if (!manifestBytes) throw errors.invalidArgument('invalid-archive', 'docker-archive has no manifest.json');
  const entries = parseJson(dockerArchiveManifestSchema, manifestBytes, 'manifest.json');
  const candidates: ImageCandidate[] = [];
  for (const [i, entry] of entries.entries()) {
    const configBytes = await source.readSmall(entry.Config);
    if (!configBytes) throw errors.invalidArgument('archive-file-missing', `manifest.json [${i}].Config: archive has no file ${entry.Config}`);
    const config = parseJson(imageConfigSchema, configBytes, `image config ${entry.Config}`);
    const configBlob = await session.writeBlob(configBytes);
    const layers: Manifest['layers'] = [];
    for (const path of entry.Layers) {
      const blob = await source.blob(path);
      layers.push({ mediaType: await sniffLayerMediaType(content, blob.digest), digest: blob.digest, size: blob.size });
    }
    const manifest = {
      schemaVersion: 2 as const,
      mediaType: MediaType.dockerManifest,
      config: { mediaType: MediaType.dockerConfig, digest: configBlob.digest, size: configBlob.size },
      layers,
    };
    const manifestBlob = await session.writeBlob(Buffer.from(JSON.stringify(manifest)));
    const names = (entry.RepoTags ?? []).map((tag, j) => {
      try {
        return formatReference(parseTaggedReference(tag));
      } catch (cause) {
        throw errors.invalidArgument('invalid-reference', `manifest.json [${i}].RepoTags.${j}: invalid name "${tag}"`, { cause });
      }
    });
    candidates.push({
      manifestDigest: manifestBlob.digest,
      manifestMediaType: MediaType.dockerManifest,
      manifest,
      configDigest: configBlob.digest,
      config,
      names,
    });
  }
  return candidates;
}
