import type { Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES } from '../../oci/media-types.js';
import { parseJson } from '../../oci/parse-json.js';
import { formatPlatform, hostPlatform, platformMatches } from '../../oci/platform.js';
import { formatReference, parseReference } from '../../oci/reference.js';
import { imageConfigSchema, indexSchema, manifestSchema, ociLayoutSchema, type Descriptor } from '../../oci/schemas.js';
import type { ImageCandidate } from '../image-writer.js';
import type { ArchiveSource } from './archive-source.js';

function blobPath(digest: Digest): string {
  return `blobs/${digest.replace(':', '/')}`;
}

export interface OciLayoutOptions {
  /** The repository a bare-tag `ref.name` (`v1`) names a tag of (`repository:v1`). */
  repository?: string;
  /** Told of each entry that stays unnamed although it carries a bare tag (no repository given). */
  onNote?: (text: string) => void;
}

/** A bare tag as `ref.name` may hold one (`v1`, `1.0`), not a full name. */
const BARE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The image name an index.json entry carries, if any: a full name (`image.name`, or a `ref.name`
 * that is a full reference), or a bare-tag `ref.name` made a tag of `options.repository`.
 */
function nameOf(descriptor: Descriptor, options: OciLayoutOptions): string | undefined {
  const annotations = descriptor.annotations ?? {};
  const full = annotations[ANNOTATION_IMAGE_NAME];
  const ref = annotations[ANNOTATION_REF_NAME];
  let candidate = full ?? (ref !== undefined && (ref.includes('/') || ref.includes(':')) ? ref : undefined);
  if (candidate === undefined && ref !== undefined && BARE_TAG.test(ref)) {
    if (options.repository === undefined) {
      options.onNote?.(`index.json names ${descriptor.digest} only by the tag "${ref}": give a repository (berth load --name REPOSITORY) to load it as REPOSITORY:${ref}`);
      return undefined;
    }
    candidate = `${options.repository}:${ref}`;
  }
  if (candidate === undefined) return undefined;
  try {
    return formatReference(parseReference(candidate));
  } catch (cause) {
    throw errors.invalidArgument('invalid-reference', `index.json: invalid image name "${candidate}"`, { cause });
  }
}

async function readDocument(source: ArchiveSource, descriptor: Descriptor, what: string): Promise<Buffer> {
  const blob = await source.blob(blobPath(descriptor.digest), descriptor.digest);
  if (blob.size !== descriptor.size) {
    throw errors.dataLoss('size-mismatch', `${what} ${descriptor.digest}: descriptor says ${descriptor.size} bytes, blob has ${blob.size}`);
  }
  const bytes = await source.readSmall(blobPath(descriptor.digest));
  if (!bytes) throw errors.invalidArgument('archive-file-missing', `${what} ${descriptor.digest} is missing`);
  return bytes;
}

/**
 * Reads an OCI image layout (oci-layout, index.json, blobs/) into image candidates, one per
 * index.json entry; a nested index resolves to the manifest for this machine's platform.
 * A repository given in `options` names entries whose `ref.name` is only a tag.
 */
export async function readOciLayout(source: ArchiveSource, options: OciLayoutOptions = {}): Promise<ImageCandidate[]> {
  const layoutBytes = await source.readSmall('oci-layout');
  if (layoutBytes) parseJson(ociLayoutSchema, layoutBytes, 'oci-layout');
  const indexBytes = await source.readSmall('index.json');
  if (!indexBytes) throw errors.invalidArgument('invalid-archive', 'OCI layout has no index.json');
  const index = parseJson(indexSchema, indexBytes, 'index.json');
  const byManifest = new Map<Digest, ImageCandidate>();
  for (const entry of index.manifests) {
    let descriptor = entry;
    let indexDigest: Digest | undefined;
    if (INDEX_MEDIA_TYPES.includes(entry.mediaType)) {
      const nested = parseJson(indexSchema, await readDocument(source, entry, 'index'), `index ${entry.digest}`);
      const want = hostPlatform();
      const match = nested.manifests.find((m) => MANIFEST_MEDIA_TYPES.includes(m.mediaType) && platformMatches(want, m.platform));
      if (!match) {
        const have = nested.manifests.map((m) => (m.platform ? formatPlatform(m.platform) : '?')).join(', ');
        throw errors.failedPrecondition('no-matching-platform', `index ${entry.digest} has no image for ${formatPlatform(want)} (has: ${have})`);
      }
      descriptor = match;
      indexDigest = entry.digest;
    } else if (!MANIFEST_MEDIA_TYPES.includes(entry.mediaType)) {
      continue; // artifacts and other documents are not images
    }
    const manifestBytes = await readDocument(source, descriptor, 'manifest');
    const manifest = parseJson(manifestSchema, manifestBytes, `manifest ${descriptor.digest}`);
    const config = parseJson(imageConfigSchema, await readDocument(source, manifest.config, 'image config'), `image config ${manifest.config.digest}`);
    for (const layer of manifest.layers) {
      const blob = await source.blob(blobPath(layer.digest), layer.digest);
      if (blob.size !== layer.size) throw errors.dataLoss('size-mismatch', `layer ${layer.digest}: manifest says ${layer.size} bytes, blob has ${blob.size}`);
    }
    const name = nameOf(entry, options);
    const known = byManifest.get(descriptor.digest);
    if (known) {
      if (name !== undefined) known.names.push(name);
      continue;
    }
    byManifest.set(descriptor.digest, {
      manifestDigest: descriptor.digest,
      manifestMediaType: descriptor.mediaType,
      manifest,
      configDigest: manifest.config.digest,
      config,
      ...(indexDigest !== undefined && { indexDigest, extraBlobs: [indexDigest] }),
      names: name === undefined ? [] : [name],
    });
  }
  return [...byManifest.values()];
}
