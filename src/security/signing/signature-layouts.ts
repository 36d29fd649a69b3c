/**
 * Where signatures live in a registry, as cosign lays them out (pure: documents in, documents out).
 *
 * - Classic: one image manifest under the tag `sha256-<hex>.sig` whose layers are simple signing
 *   payloads, each with its signature in the annotation `dev.cosignproject.cosign/signature`.
 *   Signing again appends a layer.
 * - Bundle: one artifact manifest per Sigstore bundle (`artifactType` = the bundle media type,
 *   the empty config, the bundle as its layer, `subject` = the image), found through the OCI 1.1
 *   referrers API, or, on registries without it, the referrers tag `sha256-<hex>` (an index).
 */
import { z } from 'zod';
import { digestHex, digestOf, isDigest, type Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import { MediaType } from '../../oci/media-types.js';
import { parseJson } from '../../oci/parse-json.js';
import { SIMPLE_SIGNING_MEDIA_TYPE } from './simple-signing.js';

export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
/**
 * berth's note of the signing key's id on a classic layer: unsigned, never trusted, only read to
 * tell "signed by another key" from "payload altered" when a signature does not verify.
 */
export const KEY_ID_ANNOTATION = 'dev.berth.signature/key-id';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const EMPTY_CONFIG = { mediaType: 'application/vnd.oci.empty.v1+json', bytes: Buffer.from('{}') } as const;

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const descriptorSchema = z.object({
  mediaType: z.string(),
  digest: z.string().refine(isDigest, 'not a digest'),
  size: z.number().int().nonnegative(),
  artifactType: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
}).loose();
const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
}).loose();
const indexSchema = z.object({ schemaVersion: z.literal(2), manifests: z.array(descriptorSchema) }).loose();

function descriptor(d: z.infer<typeof descriptorSchema>): Descriptor {
  return {
    mediaType: d.mediaType, digest: d.digest, size: d.size,
    ...(d.artifactType !== undefined && { artifactType: d.artifactType }),
    ...(d.annotations !== undefined && { annotations: d.annotations }),
  };
}

/** `sha256-<hex>.sig`: the tag of a digest's classic signatures. */
export function signatureTag(digest: Digest): string {
  return `${digest.replace(':', '-')}.sig`;
}

/** `sha256-<hex>`: the referrers tag scheme's tag for a digest. */
export function referrersTag(digest: Digest): string {
  return digest.replace(':', '-');
}

/** One signature of a classic signature manifest. */
export interface ClassicLayer {
  payload: Descriptor;
  /** Base64 DER ECDSA signature of the payload bytes. */
  signature: string;
  keyId?: string;
}

/** The layers of a classic signature manifest that are simple signing payloads with a signature. */
export function parseSignatureManifest(bytes: Buffer, what: string): ClassicLayer[] {
  const manifest = parseJson(manifestSchema, bytes, `${what} (signature manifest)`);
  return manifest.layers.flatMap((layer) => {
    const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || signature === undefined) return [];
    const keyId = layer.annotations?.[KEY_ID_ANNOTATION];
    return [{ payload: { mediaType: layer.mediaType, digest: layer.digest, size: layer.size }, signature, ...(keyId !== undefined && { keyId }) }];
  });
}

/** A classic signature manifest of `layers` and its config (an empty image over the payloads, as cosign writes). */
export function signatureManifest(layers: readonly ClassicLayer[]): { manifest: Buffer; config: Buffer } {
  const epoch = '0001-01-01T00:00:00Z';
  const config = Buffer.from(JSON.stringify({
    architecture: '', created: epoch, history: layers.map(() => ({ created: epoch })), os: '',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.payload.digest) }, config: {},
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, size: config.length, digest: digestOf(config) },
    layers: layers.map((l) => ({
      mediaType: SIMPLE_SIGNING_MEDIA_TYPE, size: l.payload.size, digest: l.payload.digest,
      annotations: { [SIGNATURE_ANNOTATION]: l.signature, ...(l.keyId !== undefined && { [KEY_ID_ANNOTATION]: l.keyId }) },
    })),
  }));
  return { manifest, config };
}

export interface BundleManifestInput {
  bundle: { digest: Digest; size: number };
  subject: { mediaType: string; digest: Digest; size: number };
  /** `dsse-envelope` for the statements berth signs. */
  content: 'dsse-envelope' | 'message-signature';
  predicateType?: string;
  created: Date;
}

/** The annotations a bundle's manifest carries (and its entry in a referrers index). */
export function bundleAnnotations(input: Pick<BundleManifestInput, 'content' | 'predicateType' | 'created'>): Record<string, string> {
  return {
    'dev.sigstore.bundle.content': input.content,
    ...(input.predicateType !== undefined && { 'dev.sigstore.bundle.predicateType': input.predicateType }),
    'org.opencontainers.image.created': input.created.toISOString(),
  };
}

/** The artifact manifest that attaches a Sigstore bundle to `subject`. */
export function bundleManifest(input: BundleManifestInput): Buffer {
  return Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: BUNDLE_MEDIA_TYPE,
    config: { mediaType: EMPTY_CONFIG.mediaType, digest: digestOf(EMPTY_CONFIG.bytes), size: EMPTY_CONFIG.bytes.length },
    layers: [{
      mediaType: BUNDLE_MEDIA_TYPE, digest: input.bundle.digest, size: input.bundle.size,
      annotations: { 'org.opencontainers.image.title': `sha256-${digestHex(input.bundle.digest)}.sigstore.json` },
    }],
    subject: input.subject,
    annotations: bundleAnnotations(input),
  }));
}

/** The bundle layer of an artifact manifest, and its subject's digest. */
export function parseBundleManifest(bytes: Buffer, what: string): { bundle: Descriptor; subject: Digest | undefined } {
  const manifest = parseJson(manifestSchema, bytes, `${what} (signature manifest)`);
  const layer = manifest.layers.find((l) => l.mediaType.startsWith('application/vnd.dev.sigstore.bundle'));
  if (layer === undefined) throw errors.invalidArgument('invalid-signature-object', `${what}: no Sigstore bundle layer`);
  return { bundle: descriptor(layer), subject: manifest.subject?.digest };
}

/** The entries of a referrers index (from the API or the tag scheme). */
export function parseReferrersIndex(bytes: Buffer, what: string): Descriptor[] {
  return parseJson(indexSchema, bytes, `${what} (referrers index)`).manifests.map(descriptor);
}

/** A referrers index (the tag scheme's) with `entry` added (or replaced, by digest). */
export function withReferrer(entries: readonly Descriptor[], entry: Descriptor): Buffer {
  const manifests = [...entries.filter((e) => e.digest !== entry.digest), entry];
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
}
