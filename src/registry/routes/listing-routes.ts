import { MediaType } from '../../oci/media-types.js';
import { parseBlobDigest, parseRepositoryName } from '../names.js';
import { registryError } from '../registry-errors.js';
import { queryValue, repositoryPath, type FamilyHandlers, type RouteCall, type RouteContext } from './route-context.js';

/** Listings are capped so one request stays cheap; `n` larger than this is lowered to it. */
export const MAX_PAGE = 1000;

/** `n` and `last` of a paginated listing (the spec's tags and catalog pagination). */
export function pageOf(query: RouteCall['query']): { limit: number; last: string | undefined } {
  const n = queryValue(query, 'n');
  let limit = MAX_PAGE;
  if (n !== undefined && n !== '') {
    if (!/^\d+$/.test(n)) throw registryError('UNSUPPORTED', `invalid n "${n}"`);
    limit = Math.min(Number(n), MAX_PAGE);
  }
  return { limit, last: queryValue(query, 'last') };
}

function linkHeader(path: string, limit: number, last: string): string {
  return `<${path}?n=${limit}&last=${encodeURIComponent(last)}>; rel="next"`;
}

/** `GET /v2/<name>/tags/list?n=&last=`. */
export function tagRoutes(context: RouteContext): FamilyHandlers<'tags'> {
  return {
    GET: async (call) => {
      const name = parseRepositoryName(call.route.name);
      if (context.cache?.covers(name)) await context.cache.refreshTags(name);
      if (!context.storage.manifests.hasRepository(name)) throw registryError('NAME_UNKNOWN', `repository ${name} unknown`, { name });
      const { limit, last } = pageOf(call.query);
      const tags = limit === 0 ? [] : context.storage.manifests.tags(name, limit + 1, last);
      const page = tags.slice(0, limit);
      const lastTag = page.at(-1);
      if (tags.length > limit && lastTag !== undefined) void call.reply.header('link', linkHeader(`${repositoryPath(name)}/tags/list`, limit, lastTag));
      await call.reply.send({ name, tags: page });
    },
  };
}

/** `GET /v2/_catalog?n=&last=`: the repositories the caller may pull. */
export function catalogRoutes(context: RouteContext): FamilyHandlers<'catalog'> {
  return {
    GET: async (call) => {
      const { limit, last } = pageOf(call.query);
      const visible: string[] = [];
      let cursor = last;
      while (visible.length <= limit) {
        const batch = context.storage.manifests.repositories(MAX_PAGE, cursor);
        for (const repository of batch) if (context.auth.canPull(call.account, repository)) visible.push(repository);
        if (batch.length < MAX_PAGE) break;
        cursor = batch.at(-1);
      }
      const page = visible.slice(0, limit);
      const lastName = page.at(-1);
      if (visible.length > limit && lastName !== undefined) void call.reply.header('link', linkHeader('/v2/_catalog', limit, lastName));
      await call.reply.send({ repositories: page });
    },
  };
}

/** `GET /v2/<name>/referrers/<digest>?artifactType=`: manifests whose subject is the digest. */
export function referrerRoutes(context: RouteContext): FamilyHandlers<'referrers'> {
  return {
    GET: async (call) => {
      const name = parseRepositoryName(call.route.name);
      const digest = parseBlobDigest(call.route.digest);
      const artifactType = queryValue(call.query, 'artifactType');
      const manifests = context.storage.manifests.referrers(name, digest, artifactType);
      if (artifactType !== undefined) void call.reply.header('oci-filters-applied', 'artifactType');
      await call.reply
        .header('content-type', MediaType.ociIndex)
        .send(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests })));
    },
  };
}
