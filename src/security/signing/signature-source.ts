/**
 * Where a verification reads a registry's objects: over the distribution API (`httpSource`, with
 * berth's client and its credentials), or straight from a registry's own storage (the registry's
 * pull gate, composed in daemon/). Reading the subject is a HEAD, so a registry that gates the
 * pulls of unsigned images still lets its digest be signed and verified.
 */
import { digestOf, isDigest, type Digest } from '../../base/digest.js';
import { errors, isBerthError } from '../../base/errors.js';
import { MediaType } from '../../oci/media-types.js';
import { getManifest, listTags, MANIFEST_ACCEPT, readSmallBlob } from '../../images/distribution/registry-api.js';
import { pullScope, type RegistryClient } from '../../images/distribution/registry-client.js';
import { readBody } from '../../images/distribution/registry-http.js';
import { parseReferrersIndex, type Descriptor } from './signature-layouts.js';

/** A manifest that signatures refer to: the digest, media type and size of what a reference names. */
export interface SignedSubject {
  repository: string;
  mediaType: string;
  digest: Digest;
  size: number;
}

export interface SourcedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: Digest;
}

export interface SignatureSource {
  /** The registry, as messages name it (`host:port`). */
  readonly name: string;
  /** What `reference` (tag or digest) names; not-found when nothing. */
  subject(repository: string, reference: string): Promise<SignedSubject>;
  /** A manifest or index, its digest checked; undefined when there is none. */
  manifest(repository: string, reference: string): Promise<SourcedManifest | undefined>;
  /** A small blob, read whole and checked against its digest. */
  blob(repository: string, digest: Digest, limit: number): Promise<Buffer>;
  /** The referrers API's answer; undefined when the registry has no such API (then the tag scheme is read). */
  referrers(repository: string, digest: Digest, artifactType: string): Promise<Descriptor[] | undefined>;
  tags(repository: string): Promise<string[]>;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function orNotFound<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (err) {
    if (isBerthError(err, 'not-found')) return undefined;
    throw err;
  }
}

/** The objects of the registry `client` talks to. */
export function httpSource(client: RegistryClient): SignatureSource {
  return {
    name: client.endpoint.domain,
    async subject(repository, reference) {
      const answer = await client.send({
        method: 'HEAD', path: `/v2/${repository}/manifests/${reference}`, scopes: [pullScope(repository)],
        headers: { Accept: MANIFEST_ACCEPT }, what: `manifest ${repository}:${reference}`,
      });
      answer.body.resume();
      const digest = header(answer.headers['docker-content-digest']);
      const mediaType = header(answer.headers['content-type'])?.split(';')[0]?.trim();
      const size = Number(header(answer.headers['content-length']));
      if (digest !== undefined && isDigest(digest) && mediaType !== undefined && Number.isSafeInteger(size) && (!isDigest(reference) || reference === digest)) {
        return { repository, digest, mediaType, size };
      }
      const manifest = await getManifest(client, repository, reference); // a HEAD without the digest: read it
      return { repository, digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
    },
    manifest: (repository, reference) => orNotFound(getManifest(client, repository, reference)),
    blob: (repository, digest, limit) => readSmallBlob(client, repository, digest, limit),
    async referrers(repository, digest, artifactType) {
      const what = `referrers of ${repository}@${digest}`;
      const answer = await client.send({
        method: 'GET', path: `/v2/${repository}/referrers/${digest}?artifactType=${encodeURIComponent(artifactType)}`,
        scopes: [pullScope(repository)], headers: { Accept: MediaType.ociIndex }, expect: [200, 400, 404, 405], what,
      });
      const body = await readBody(answer.body, 4 * 1024 * 1024);
      return answer.status === 200 ? parseReferrersIndex(body, what) : undefined;
    },
    tags: (repository) => listTags(client, repository),
  };
}

/** A blob's bytes checked against the digest that named them. */
export function checkedBlob(bytes: Buffer, digest: Digest): Buffer {
  if (digestOf(bytes) !== digest) throw errors.dataLoss('digest-mismatch', `blob ${digest}: content hashes to ${digestOf(bytes)}`);
  return bytes;
}
