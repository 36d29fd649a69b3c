import { isDigest, type Digest } from '../base/digest.js';
import { registryError } from './registry-errors.js';

/**
 * Repository names, tags and references as the OCI distribution spec defines them. Pure; every
 * check throws the registry error the spec names (NAME_INVALID, MANIFEST_INVALID / TAG_INVALID).
 */

const NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Room left for a host name in front of the repository name (the spec's 255-character bound). */
export const MAX_NAME_LENGTH = 255;

/** A manifest reference: a tag or a digest. */
export type ManifestReference = { kind: 'tag'; tag: string } | { kind: 'digest'; digest: Digest };

export function isRepositoryName(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH && NAME.test(value);
}

export function isTag(value: string): boolean {
  return TAG.test(value);
}

/** Checks a repository name; NAME_INVALID otherwise. */
export function parseRepositoryName(value: string): string {
  if (!isRepositoryName(value)) throw registryError('NAME_INVALID', `invalid repository name "${value}"`, { name: value });
  return value;
}

/** A tag or a digest; a malformed one is MANIFEST_INVALID (digest-like) or TAG_INVALID. */
export function parseManifestReference(value: string): ManifestReference {
  if (value.includes(':')) {
    if (!isDigest(value)) throw registryError('DIGEST_INVALID', `invalid digest "${value}"`, { digest: value });
    return { kind: 'digest', digest: value };
  }
  if (!isTag(value)) throw registryError('TAG_INVALID', `invalid tag "${value}"`, { tag: value });
  return { kind: 'tag', tag: value };
}

/** A digest given in a URL or a query; DIGEST_INVALID otherwise. */
export function parseBlobDigest(value: string | undefined): Digest {
  if (value === undefined || !isDigest(value)) throw registryError('DIGEST_INVALID', `invalid digest "${value ?? ''}"`, { digest: value ?? '' });
  return value;
}
