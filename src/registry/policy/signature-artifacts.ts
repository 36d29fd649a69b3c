/**
 * Which manifests the pull gate lets through unchecked: signatures, attestations, bundles and
 * other referrers, which verifiers must read to decide about the images they are about. Found by
 * the tag (cosign's `sha256-<hex>.sig|.att|.sbom`, the referrers tag schema's `sha256-<hex>`, every
 * `.sig`/`.att` tag), by the artifact type, or by a `subject` — but never a manifest with a
 * filesystem layer: whatever its tag or type says, a runnable image is gated. An index is not
 * runnable itself; the manifests it lists are gated when pulled. Pure.
 */
import { z } from 'zod';

const SIGNATURE_TAG = /^sha256-[0-9a-f]{64}(?:\.[A-Za-z0-9_-]+)?$/;
const SIGNATURE_TAG_SUFFIX = /\.(?:sig|att)$/;

/** Artifact, config and layer media types of signatures, attestations and Sigstore bundles (prefixes). */
const SIGNATURE_TYPES = [
  'application/vnd.dev.cosign.',
  'application/vnd.dev.sigstore.bundle',
  'application/vnd.dsse.envelope.',
  'application/vnd.in-toto',
  'application/vnd.cncf.notary.signature',
];

/**
 * A layer a runtime may unpack as a filesystem: an OCI or Docker layer type (docker and containerd
 * refuse layers of other types), a tar of whichever vendor, or one without a media type.
 */
function isFilesystemLayer(mediaType: string | undefined): boolean {
  const type = (mediaType ?? '').toLowerCase();
  return type === '' || type.startsWith('application/vnd.oci.image.layer') || type.startsWith('application/vnd.docker.') || /\.tar(?:$|[+.])/.test(type);
}

const described = z.object({ mediaType: z.string().optional() });
const documentShape = z.object({
  artifactType: z.string().optional(),
  config: described.optional(),
  layers: z.array(described).optional(),
  subject: z.unknown().optional(),
});

function isSignatureType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && SIGNATURE_TYPES.some((prefix) => mediaType.startsWith(prefix));
}

/** Whether a tag names a signature, attestation or referrers list by its form. */
export function isSignatureTag(tag: string): boolean {
  return SIGNATURE_TAG.test(tag) || SIGNATURE_TAG_SUFFIX.test(tag);
}

/**
 * Whether the manifest `bytes` (as stored: validated at push), asked for by `reference` (a tag or
 * a digest), is a signature-like artifact the gate must not check.
 */
export function isSignatureArtifact(reference: string, bytes: Buffer): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  const result = documentShape.safeParse(parsed);
  if (!result.success) return false;
  const doc = result.data;
  const layers = doc.layers ?? [];
  if (layers.some((layer) => isFilesystemLayer(layer.mediaType))) return false;
  return (!reference.includes(':') && isSignatureTag(reference))
    || isSignatureType(doc.artifactType) || isSignatureType(doc.config?.mediaType)
    || layers.some((layer) => isSignatureType(layer.mediaType))
    || doc.subject !== undefined;
}
