/**
 * The distribution API calls berth makes, on a RegistryClient: manifests (GET/HEAD/PUT), blobs
 * (HEAD, GET with Range), uploads (cross-repository mount, monolithic PUT or PATCH chunks).
 */
import type { Readable } from 'node:stream';
import { digestOf, isDigest, type Digest } from '../../base/digest.js';
import { z } from 'zod';
import { errors, isBerthError } from '../../base/errors.js';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES } from '../../oci/media-types.js';
import { pullScope, pushScope, type RegistryClient } from './registry-client.js';
import { readBody, type HttpAnswer } from './registry-http.js';
import { componentLogger } from '../../base/logger.js';

const log = componentLogger('images');

/** What `GET /v2/<name>/manifests/<ref>` asks for: OCI and Docker manifests and indexes. */
export const MANIFEST_ACCEPT = [...MANIFEST_MEDIA_TYPES, ...INDEX_MEDIA_TYPES].join(', ');

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: Digest;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Fetches a manifest or index by tag or digest; its digest is computed and checked. */
export async function getManifest(client: RegistryClient, repository: string, reference: string): Promise<FetchedManifest> {
  const answer = await client.send({
    method: 'GET', path: `/v2/${repository}/manifests/${reference}`, scopes: [pullScope(repository)],
    headers: { Accept: MANIFEST_ACCEPT }, what: `manifest ${repository}:${reference}`,
  });
  const bytes = await readBody(answer.body, MAX_MANIFEST_BYTES);
  const digest = digestOf(bytes);
  const claimed = headerText(answer.headers['docker-content-digest']);
  if (isDigest(reference) && reference !== digest) {
    throw errors.dataLoss('digest-mismatch', `manifest ${repository}@${reference}: content hashes to ${digest}`);
  }
  if (claimed !== undefined && claimed.startsWith('sha256:') && claimed !== digest) {
    throw errors.dataLoss('digest-mismatch', `manifest ${repository}:${reference}: registry says ${claimed}, content hashes to ${digest}`);
  }
  let mediaType = headerText(answer.headers['content-type'])?.split(';')[0]?.trim() ?? '';
  if (![...MANIFEST_MEDIA_TYPES, ...INDEX_MEDIA_TYPES].includes(mediaType)) {
    // Some registries answer application/json: the document's own mediaType decides.
    try {
      const inner = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
      if (typeof inner === 'string') mediaType = inner;
    } catch (cause) {
      throw errors.invalidArgument('invalid-manifest', `manifest ${repository}:${reference}: not JSON`, { cause });
    }
  }
  return { bytes, mediaType, digest };
}

/** Opens a blob from byte `offset`; the answer is 206 (resumed) or 200 (from the start). */
export async function openBlob(client: RegistryClient, repository: string, digest: Digest, offset = 0): Promise<HttpAnswer> {
  return client.send({
    method: 'GET', path: `/v2/${repository}/blobs/${digest}`, scopes: [pullScope(repository)],
    headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, what: `blob ${digest}`,
  });
}

/** A small blob (an image config) read whole and checked against its digest. */
export async function readSmallBlob(client: RegistryClient, repository: string, digest: Digest, limit = MAX_MANIFEST_BYTES): Promise<Buffer> {
  const bytes = await readBody((await openBlob(client, repository, digest)).body, limit);
  if (digestOf(bytes) !== digest) throw errors.dataLoss('digest-mismatch', `blob ${digest}: content hashes to ${digestOf(bytes)}`);
  return bytes;
}

export async function blobExists(client: RegistryClient, repository: string, digest: Digest): Promise<boolean> {
  const answer = await client.send({ method: 'HEAD', path: `/v2/${repository}/blobs/${digest}`, scopes: [pushScope(repository)], expect: [200, 404], what: `blob ${digest}` });
  answer.body.resume();
  return answer.status === 200;
}

export interface BlobSource {
  digest: Digest;
  size: number;
  /** Opens bytes [start, end] (inclusive), or the whole blob. */
  open(range?: { start: number; end: number }): Readable;
}

export interface UploadOptions {
  /** Repositories of the same registry that may hold the blob (tried for a cross-repository mount). */
  mountFrom?: readonly string[];
  /** Upload in PATCH chunks of this many bytes (default: one monolithic PUT). */
  chunkSize?: number;
  onProgress?: (uploaded: number) => void;
}

function locationOf(answer: HttpAnswer, what: string): string {
  const location = headerText(answer.headers.location);
  if (location === undefined || location === '') throw errors.unavailable('registry-no-location', `${what}: the registry gave no upload location`);
  return location;
}

function withDigest(client: RegistryClient, location: string, digest: Digest): string {
  const url = client.url(location);
  url.searchParams.set('digest', digest);
  return `${url.pathname}${url.search}`;
}

/** How a blob reached the repository: mounted from another one of the registry, or uploaded. */
export type UploadOutcome = { how: 'mounted'; from: string } | { how: 'uploaded' };

/**
 * Tries a cross-repository mount from each candidate in turn. Resolves the repository the blob
 * was mounted from, or the location of the upload session the last refused mount opened (or
 * none). Whatever a registry answers to a mount (202, 403, 404, …) only means "upload it": no
 * refusal of a mount fails the push.
 */
async function tryMounts(client: RegistryClient, repository: string, digest: Digest, candidates: readonly string[]): Promise<{ from: string } | { location: string | undefined }> {
  const what = `mount of ${digest}`;
  const sources = candidates.filter((from) => from !== repository);
  let location: string | undefined;
  for (const [index, from] of sources.entries()) {
    let answer: HttpAnswer;
    try {
      answer = await client.send({
        method: 'POST', path: `/v2/${repository}/blobs/uploads/?mount=${digest}&from=${encodeURIComponent(from)}`,
        scopes: [pushScope(repository), pullScope(from)], body: Buffer.alloc(0), what,
      });
    } catch (err) {
      if (isBerthError(err, 'unavailable')) throw err;
      continue; // refused (403, 404, …): try the next candidate, then upload
    }
    answer.body.resume();
    if (answer.status === 201) return { from };
    const opened = headerText(answer.headers.location);
    if (opened === undefined || opened === '') continue;
    if (index === sources.length - 1) {
      location = opened; // 202: the registry started an ordinary upload instead; use it
      break;
    }
    // Cancelling the upload the registry opened is a courtesy (an unused upload expires by
    // itself) that a registry may refuse: noted at debug level only.
    const cancel = await client.send({ method: 'DELETE', path: pathOf(client, opened), scopes: [pushScope(repository)], what, expect: [404] })
      .catch((err: unknown) => { log.debug('cancelling an unused upload failed', { err, repository, digest }); return undefined; });
    cancel?.body.resume();
  }
  return { location };
}

function pathOf(client: RegistryClient, location: string): string {
  const url = client.url(location);
  return `${url.pathname}${url.search}`;
}

/** Uploads a blob (after a mount attempt from `mountFrom`); resolves how it got there. */
export async function uploadBlob(client: RegistryClient, repository: string, blob: BlobSource, options: UploadOptions = {}): Promise<UploadOutcome> {
  const what = `upload of ${blob.digest}`;
  const path = (location: string): string => pathOf(client, location);
  const mounted = await tryMounts(client, repository, blob.digest, options.mountFrom ?? []);
  if ('from' in mounted) return { how: 'mounted', from: mounted.from };
  let location = mounted.location;
  if (location === undefined) {
    const answer = await client.send({ method: 'POST', path: `/v2/${repository}/blobs/uploads/`, scopes: [pushScope(repository)], body: Buffer.alloc(0), what });
    answer.body.resume();
    location = locationOf(answer, what);
  }
  const chunk = options.chunkSize;
  if (chunk !== undefined && chunk > 0 && blob.size > chunk) {
    for (let start = 0; start < blob.size; start += chunk) {
      const end = Math.min(start + chunk, blob.size) - 1;
      const answer = await client.send({
        method: 'PATCH', path: path(location), scopes: [pushScope(repository)], what,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${start}-${end}`, 'Content-Length': String(end - start + 1) },
        body: () => blob.open({ start, end }),
      });
      answer.body.resume();
      location = locationOf(answer, what);
      options.onProgress?.(end + 1);
    }
    const done = await client.send({ method: 'PUT', path: withDigest(client, location, blob.digest), scopes: [pushScope(repository)], body: Buffer.alloc(0), what });
    done.body.resume();
    return { how: 'uploaded' };
  }
  const done = await client.send({
    method: 'PUT', path: withDigest(client, location, blob.digest), scopes: [pushScope(repository)], what,
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) },
    body: () => blob.open(),
  });
  done.body.resume();
  options.onProgress?.(blob.size);
  return { how: 'uploaded' };
}

/** PUTs a manifest or index under a tag or its digest; resolves the answer's headers (`OCI-Subject`: the registry indexed its subject). */
export async function putManifest(client: RegistryClient, repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<HttpAnswer['headers']> {
  const answer = await client.send({
    method: 'PUT', path: `/v2/${repository}/manifests/${reference}`, scopes: [pushScope(repository)],
    headers: { 'Content-Type': mediaType }, body: bytes, what: `manifest ${repository}:${reference}`,
  });
  answer.body.resume();
  return answer.headers;
}

const tagListSchema = z.object({ name: z.string().optional(), tags: z.array(z.string()).nullable().optional() }).loose();

/** Every tag of a repository (`GET /v2/<name>/tags/list`, following `Link: <…>; rel="next"` pages). */
export async function listTags(client: RegistryClient, repository: string): Promise<string[]> {
  const tags: string[] = [];
  let path: string | undefined = `/v2/${repository}/tags/list?n=1000`;
  for (let page = 0; path !== undefined && page < 100; page++) {
    const answer = await client.send({ method: 'GET', path, scopes: [pullScope(repository)], what: `tags of ${repository}` });
    const body = await readBody(answer.body, MAX_MANIFEST_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (cause) {
      throw errors.invalidArgument('invalid-tag-list', `tags of ${repository}: not JSON`, { cause });
    }
    const parsed = tagListSchema.safeParse(json);
    if (!parsed.success) throw errors.invalidArgument('invalid-tag-list', `tags of ${repository}: tags: expected a list of strings`);
    tags.push(...(parsed.data.tags ?? []));
    const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(headerText(answer.headers.link) ?? '')?.[1];
    path = next === undefined ? undefined : `${client.url(next).pathname}${client.url(next).search}`;
  }
  return tags;
}
