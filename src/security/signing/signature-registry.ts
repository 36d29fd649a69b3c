/**
 * Signatures in a registry: the classic signature manifest of a digest (read from a source,
 * appended to over berth's distribution client), and Sigstore bundles attached to a digest (listed
 * through the referrers API or its tag-scheme fallback, attached with both).
 */
import { Readable } from 'node:stream';
import { digestOf, type Digest } from '../../base/digest.js';
import { MediaType } from '../../oci/media-types.js';
import { putManifest, uploadBlob } from '../../images/distribution/registry-api.js';
import type { RegistryClient } from '../../images/distribution/registry-client.js';
import {
  BUNDLE_MEDIA_TYPE, EMPTY_CONFIG, bundleAnnotations, bundleManifest, parseBundleManifest, parseReferrersIndex, parseSignatureManifest,
  referrersTag, signatureManifest, signatureTag, withReferrer, type BundleManifestInput, type ClassicLayer, type Descriptor,
} from './signature-layouts.js';
import { httpSource, type SignatureSource, type SignedSubject } from './signature-source.js';

export async function uploadSmallBlob(client: RegistryClient, repository: string, bytes: Buffer): Promise<Digest> {
  const digest = digestOf(bytes);
  await uploadBlob(client, repository, { digest, size: bytes.length, open: () => Readable.from([bytes]) });
  return digest;
}

/** The classic signatures of `digest` (none when there is no `sha256-<hex>.sig`). */
export async function readClassicSignatures(source: SignatureSource, repository: string, digest: Digest): Promise<ClassicLayer[]> {
  const tag = signatureTag(digest);
  const manifest = await source.manifest(repository, tag);
  return manifest === undefined ? [] : parseSignatureManifest(manifest.bytes, `${repository}:${tag}`);
}

/** A classic signature's payload, checked against its digest. */
export async function readPayload(source: SignatureSource, repository: string, layer: ClassicLayer): Promise<Buffer> {
  return source.blob(repository, layer.payload.digest, 1024 * 1024);
}

/**
 * Adds one classic signature of `digest`: the payload blob, then the signature manifest with the
 * existing layers and this one (a layer equal to an existing one is not added twice). Resolves the
 * signature's reference.
 */
export async function appendClassicSignature(client: RegistryClient, repository: string, digest: Digest, payload: Buffer, layer: Omit<ClassicLayer, 'payload'>): Promise<string> {
  const payloadDigest = await uploadSmallBlob(client, repository, payload);
  const existing = await readClassicSignatures(httpSource(client), repository, digest);
  const added: ClassicLayer = { ...layer, payload: { mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: payloadDigest, size: payload.length } };
  const same = existing.some((l) => l.payload.digest === payloadDigest && l.signature === layer.signature);
  const { manifest, config } = signatureManifest(same ? existing : [...existing, added]);
  await uploadSmallBlob(client, repository, config);
  const tag = signatureTag(digest);
  await putManifest(client, repository, tag, MediaType.ociManifest, manifest);
  return `${client.endpoint.domain}/${repository}:${tag}`;
}

/** The referrers of `digest` of one artifact type: from the referrers API, else the tag scheme's index. */
export async function listReferrers(source: SignatureSource, repository: string, digest: Digest, artifactType: string): Promise<Descriptor[]> {
  let entries = await source.referrers(repository, digest, artifactType);
  if (entries === undefined) {
    const tag = referrersTag(digest);
    const index = await source.manifest(repository, tag);
    entries = index === undefined ? [] : parseReferrersIndex(index.bytes, `${repository}:${tag}`);
  }
  return entries.filter((e) => e.artifactType === artifactType);
}

/** The bundle (bytes) an artifact manifest of the referrers list carries, and its subject. */
export async function readBundle(source: SignatureSource, repository: string, entry: Descriptor): Promise<{ bytes: Buffer; subject: Digest | undefined }> {
  const manifest = await source.manifest(repository, entry.digest);
  if (manifest === undefined) throw new Error(`the referrer ${entry.digest} is listed but not there`);
  const { bundle, subject } = parseBundleManifest(manifest.bytes, `${repository}@${entry.digest}`);
  return { bytes: await source.blob(repository, bundle.digest, 16 * 1024 * 1024), subject };
}

/**
 * Attaches a bundle to `subject`: the bundle blob, the empty config, the artifact manifest (pushed
 * by digest). A registry that does not answer `OCI-Subject` gets the referrers tag scheme's index
 * updated too. Resolves the artifact manifest's reference.
 */
export async function attachBundle(client: RegistryClient, subject: SignedSubject, bundle: Buffer, about: Pick<BundleManifestInput, 'content' | 'predicateType' | 'created'>): Promise<string> {
  const { repository } = subject;
  const bundleDigest = await uploadSmallBlob(client, repository, bundle);
  await uploadSmallBlob(client, repository, EMPTY_CONFIG.bytes);
  const manifest = bundleManifest({ ...about, bundle: { digest: bundleDigest, size: bundle.length }, subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } });
  const manifestDigest = digestOf(manifest);
  const headers = await putManifest(client, repository, manifestDigest, MediaType.ociManifest, manifest);
  if (headers['oci-subject'] === undefined) {
    const tag = referrersTag(subject.digest);
    const index = await httpSource(client).manifest(repository, tag);
    const entries = index === undefined ? [] : parseReferrersIndex(index.bytes, `${repository}:${tag}`);
    const entry: Descriptor = { mediaType: MediaType.ociManifest, digest: manifestDigest, size: manifest.length, artifactType: BUNDLE_MEDIA_TYPE, annotations: bundleAnnotations(about) };
    await putManifest(client, repository, tag, MediaType.ociIndex, withReferrer(entries, entry));
  }
  return `${client.endpoint.domain}/${repository}@${manifestDigest}`;
}
