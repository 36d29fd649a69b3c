/**
 * `pull`: reference → manifest (an index is resolved to the wanted platform) → config → layers.
 * Missing layers download concurrently, each streamed through `LoadSession.ingest` (hashed, stored
 * and unpacked in one pass); layers already stored are skipped. Every blob is checked against its
 * digest. Nothing is recorded unless all of it succeeded; the caller's session (ImageService's
 * withSession) collects what a failed pull wrote.
 */
import type { Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES } from '../../oci/media-types.js';
import { parseJson } from '../../oci/parse-json.js';
import { formatPlatform, hostPlatform, platformMatches } from '../../oci/platform.js';
import { familiarName, formatReference, parseReference, repositoryName, type ImageReference } from '../../oci/reference.js';
import { imageConfigSchema, indexSchema, manifestSchema, type Descriptor, type Platform } from '../../oci/schemas.js';
import type { ContentStore } from '../../store/content-store.js';
import type { ImageRecord } from '../image-record.js';
import type { ImageStore } from '../image-store.js';
import type { ImageWriter } from '../image-writer.js';
import type { LoadSession } from '../load-session.js';
import { downloadBlob } from './blob-download.js';
import { eachLimited } from './each-limited.js';
import { getManifest, listTags, readSmallBlob, type FetchedManifest } from './registry-api.js';
import { RegistryClient, type RegistryClientOptions } from './registry-client.js';
import { byteReporter, shortId, type ProgressSink } from './transfer-progress.js';

export interface PullOptions extends RegistryClientOptions {
  /** The platform to pick from an index (default: this machine's). */
  platform?: Platform;
  /** Layers downloaded at once (default 3, as Docker). */
  concurrency?: number;
  onProgress?: ProgressSink;
}

export interface PullResult {
  image: ImageRecord;
  /** The digest of what the reference named (the index, for a multi-platform image). */
  digest: Digest;
  /** Whether the name already pointed at this image. */
  upToDate: boolean;
}

export interface PullDeps {
  session: LoadSession;
  content: ContentStore;
  writer: ImageWriter;
  images: ImageStore;
}

/** Picks the platform's manifest from an index, or fails naming the platforms it has. */
export function selectPlatform(index: FetchedManifest, want: Platform): Descriptor {
  const parsed = parseJson(indexSchema, index.bytes, `index ${index.digest}`);
  const match = parsed.manifests.find((m) => MANIFEST_MEDIA_TYPES.includes(m.mediaType) && platformMatches(want, m.platform));
  if (match) return match;
  const have = parsed.manifests.map((m) => (m.platform ? formatPlatform(m.platform) : '?')).join(', ');
  throw errors.notFound('no-matching-platform', `no matching manifest for ${formatPlatform(want)} in the manifest list entries (has: ${have})`);
}

export async function pullImage(text: string, options: PullOptions, deps: PullDeps): Promise<PullResult> {
  const ref: ImageReference = parseReference(text);
  const say = options.onProgress ?? (() => undefined);
  const client = new RegistryClient(ref.domain, options);
  const repository = ref.path;
  const tagOrDigest = ref.digest ?? ref.tag ?? 'latest';
  const top = await getManifest(client, repository, tagOrDigest);
  // Only now: a pull that fails before any output (unknown image, no access) is a plain error answer.
  say({ status: `Pulling from ${repository}`, id: tagOrDigest });
  let manifestDoc = top;
  let indexDigest: Digest | undefined;
  if (INDEX_MEDIA_TYPES.includes(top.mediaType)) {
    const chosen = selectPlatform(top, options.platform ?? hostPlatform());
    manifestDoc = await getManifest(client, repository, chosen.digest);
    indexDigest = top.digest;
  }
  if (!MANIFEST_MEDIA_TYPES.includes(manifestDoc.mediaType)) {
    throw errors.invalidArgument('unsupported-manifest', `${formatReference(ref)}: unsupported manifest media type ${manifestDoc.mediaType}`);
  }
  const manifest = parseJson(manifestSchema, manifestDoc.bytes, `manifest ${manifestDoc.digest}`);
  const { session, content } = deps;
  session.holdBlob(manifest.config.digest);
  const configBytes = (await content.has(manifest.config.digest))
    ? await content.readBytes(manifest.config.digest)
    : await readSmallBlob(client, repository, manifest.config.digest);
  const config = parseJson(imageConfigSchema, configBytes, `image config ${manifest.config.digest}`);
  if (options.platform !== undefined && !platformMatches(options.platform, { os: config.os, architecture: config.architecture, ...(config.variant !== undefined && { variant: config.variant }) })) {
    throw errors.notFound('no-matching-platform', `${formatReference(ref)} is ${config.os}/${config.architecture}, not ${formatPlatform(options.platform)}`);
  }

  const missing: Descriptor[] = [];
  const seen = new Set<Digest>();
  for (const layer of manifest.layers) {
    if (seen.has(layer.digest)) continue;
    seen.add(layer.digest);
    session.holdBlob(layer.digest);
    if (await content.has(layer.digest)) say({ status: 'Already exists', id: shortId(layer.digest) });
    else {
      missing.push(layer);
      say({ status: 'Pulling fs layer', id: shortId(layer.digest) });
    }
  }
  await eachLimited(missing, options.concurrency ?? 3, async (layer, signal) => {
    const id = shortId(layer.digest);
    const report = byteReporter(options.onProgress, 'Downloading', id, layer.size);
    await session.ingest(downloadBlob(client, repository, layer, { signal, onBytes: report }), { digest: layer.digest, size: layer.size });
    say({ status: 'Download complete', id });
  });
  if (indexDigest !== undefined) await session.writeBlob(top.bytes, { digest: indexDigest });
  await session.writeBlob(manifestDoc.bytes, { digest: manifestDoc.digest });
  await session.writeBlob(configBytes, { digest: manifest.config.digest });

  const name = ref.tag !== undefined ? formatReference({ domain: ref.domain, path: ref.path, tag: ref.tag }) : undefined;
  const before = name === undefined ? undefined : deps.images.list().find((i) => i.names.includes(name));
  const image = await deps.writer.commit({
    manifestDigest: manifestDoc.digest,
    manifestMediaType: manifestDoc.mediaType,
    manifest,
    configDigest: manifest.config.digest,
    config,
    ...(indexDigest !== undefined && { indexDigest, extraBlobs: [indexDigest] }),
    names: name === undefined ? [] : [name],
    repoDigests: [`${repositoryName(ref)}@${top.digest}`],
  }, session);
  for (const layer of missing) say({ status: 'Pull complete', id: shortId(layer.digest) });
  const upToDate = before?.id === image.id && missing.length === 0;
  say({ status: `Digest: ${top.digest}` });
  say({ status: `Status: ${upToDate ? 'Image is up to date' : 'Downloaded newer image'} for ${familiarName(name ?? formatReference(ref))}` });
  return { image, digest: top.digest, upToDate };
}

/** The references of every tag of a reference's repository (for `pull --all-tags`), sorted. */
export async function allTagReferences(text: string, options: RegistryClientOptions): Promise<string[]> {
  const ref = parseReference(text);
  const tags = await listTags(new RegistryClient(ref.domain, options), ref.path);
  if (tags.length === 0) throw errors.notFound('no-tags', `${repositoryName(ref)}: the repository has no tags`);
  return [...new Set(tags)].sort().map((tag) => formatReference({ domain: ref.domain, path: ref.path, tag }));
}
