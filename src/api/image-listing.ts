/**
 * `GET /images/json`, filtered as dockerd filters it: `dangling` (`true` or `false`), `label`
 * (every value holds, over the image config's labels), `before`/`since` (an image; by creation
 * time) and `reference` (Go `path.Match` patterns over the familiar name with and without its tag:
 * only the matching names are listed). Build steps' unnamed results are hidden unless `all`, as
 * Docker hides intermediate images.
 */
import { errors } from '../base/errors.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import { familiarName } from '../oci/reference.js';
import { booleanFilter, checkFilterKeys, matchLabels, type Filters } from './filter-args.js';
import { pathPattern } from './path-pattern.js';
import { queryBool, queryFilters, type Query } from './query.js';
import type { ImageSummary } from '../wire/images.js';

const ACCEPTED = ['dangling', 'label', 'before', 'since', 'reference'];

/** One entry of the list; `names`/`digests` are what it shows (normalized). */
export function listView(image: ImageRecord, names: readonly string[] = image.names, digests: readonly string[] = image.repoDigests): ImageSummary {
  return {
    Id: image.id,
    ParentId: '',
    RepoTags: names.map(familiarName),
    RepoDigests: digests.map(familiarName),
    Created: Math.floor(Date.parse(image.createdAt) / 1000),
    Size: image.size,
    SharedSize: -1,
    VirtualSize: image.size,
    Labels: null,
    Containers: -1,
  };
}

function resolveImage(images: ImageService, ref: string): ImageRecord {
  try {
    return images.resolve(ref);
  } catch (err) {
    throw errors.notFound('no-such-image', `No such image: ${ref}`, { cause: err });
  }
}

/** A reference pattern's test: the familiar name with its tag or digest, or without. */
function referenceTest(patterns: readonly string[]): (name: string) => boolean {
  const tests = patterns.map(pathPattern);
  return (name) => {
    const familiar = familiarName(name);
    const bare = familiar.replace(/(@[^@]+|:[^:/]+)$/, '');
    return tests.some((test) => test(familiar) || test(bare));
  };
}

/** The list for a query. Throws invalid-argument for a filter dockerd refuses, not-found for an unknown before/since image. */
export async function listImages(images: ImageService, query: Query): Promise<ImageSummary[]> {
  const filters: Filters = queryFilters(query);
  checkFilterKeys(filters, ACCEPTED);
  const dangling = booleanFilter(filters, 'dangling', false);
  const created = (image: ImageRecord): number => Date.parse(image.createdAt);
  const before = (filters.get('before') ?? []).map((ref) => created(resolveImage(images, ref)));
  const since = (filters.get('since') ?? []).map((ref) => created(resolveImage(images, ref)));
  const references = filters.get('reference');
  const named = references === undefined || references.length === 0 ? undefined : referenceTest(references);
  const labels = filters.get('label');
  const all = queryBool(query, 'all');
  const out: ImageSummary[] = [];
  for (const image of images.list()) {
    if (!before.every((t) => created(image) < t) || !since.every((t) => created(image) > t)) continue;
    if (labels !== undefined && labels.length > 0 && !matchLabels(labels, (await images.config(image)).config?.Labels ?? {})) continue;
    const names = named === undefined ? image.names : image.names.filter(named);
    const digests = named === undefined ? image.repoDigests : image.repoDigests.filter(named);
    if (names.length === 0 && digests.length === 0) {
      // Build steps' results are hidden unless `all`, as Docker's intermediate images.
      if (!all && image.names.length === 0 && images.isBuildCacheImage(image.id)) continue;
      if (dangling === false || named !== undefined) continue;
    } else if (dangling === true && names.length > 0) {
      continue;
    }
    out.push(listView(image, names, digests));
  }
  return out;
}
