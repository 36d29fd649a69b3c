import { z } from 'zod';
import { digestOf, type Digest } from '../../base/digest.js';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES } from '../../oci/media-types.js';
import { parseJson } from '../../oci/parse-json.js';
import { indexSchema, manifestSchema, type Descriptor } from '../../oci/schemas.js';
import { registryError } from '../registry-errors.js';

/** The largest manifest accepted (the spec lets registries limit it; 4 MiB as distribution). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** What the registry needs to know of a pushed manifest, after validation. */
export interface ManifestDocument {
  digest: Digest;
  mediaType: string;
  size: number;
  /** Blobs (config, layers) that must exist in the repository. */
  blobs: Digest[];
  /** Manifests (an index's entries) that must exist in the repository. */
  manifests: Digest[];
  subject?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const mediaTypeOnly = z.object({ mediaType: z.string().optional(), artifactType: z.string().optional() });

/**
 * Validates untrusted manifest bytes pushed with Content-Type `contentType` (zod schemas of
 * src/oci). OCI and Docker image manifests and indexes are accepted; the body's `mediaType`, when
 * present, must equal the Content-Type. Throws MANIFEST_INVALID naming the field.
 */
export function parseManifestDocument(bytes: Buffer, contentType: string | undefined): ManifestDocument {
  if (bytes.length > MAX_MANIFEST_BYTES) throw registryError('MANIFEST_INVALID', `manifest larger than ${MAX_MANIFEST_BYTES} bytes`);
  const header = parseJson(mediaTypeOnly, bytes, 'manifest');
  const declared = contentType?.split(';')[0]?.trim();
  const mediaType = header.mediaType ?? (declared === '' ? undefined : declared);
  if (mediaType === undefined) throw registryError('MANIFEST_INVALID', 'manifest: no media type (Content-Type header or mediaType field)');
  if (header.mediaType !== undefined && declared !== undefined && declared !== '' && declared !== header.mediaType && declared !== 'application/json') {
    throw registryError('MANIFEST_INVALID', `manifest: field mediaType "${header.mediaType}" does not match Content-Type "${declared}"`);
  }
  const base = { digest: digestOf(bytes), mediaType, size: bytes.length };
  if (MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    const manifest = parseJson(manifestSchema, bytes, 'manifest');
    const layers = manifest.layers.filter((layer) => layer.urls === undefined || layer.urls.length === 0);
    return {
      ...base,
      blobs: [manifest.config.digest, ...layers.map((layer) => layer.digest)],
      manifests: [],
      ...(manifest.subject !== undefined && { subject: manifest.subject }),
      artifactType: manifest.artifactType ?? manifest.config.mediaType,
      ...(manifest.annotations !== undefined && { annotations: manifest.annotations }),
    };
  }
  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    const index = parseJson(indexSchema, bytes, 'manifest');
    return {
      ...base,
      blobs: [],
      manifests: index.manifests.map((entry) => entry.digest),
      ...(index.subject !== undefined && { subject: index.subject }),
      ...(header.artifactType !== undefined && { artifactType: header.artifactType }),
      ...(index.annotations !== undefined && { annotations: index.annotations }),
    };
  }
  throw registryError('MANIFEST_INVALID', `manifest: unsupported media type "${mediaType}"`);
}
