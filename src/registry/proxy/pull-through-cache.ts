import { z } from 'zod';
import type { Clock } from '../../base/clock.js';
import type { Digest } from '../../base/digest.js';
import { isBerthError } from '../../base/errors.js';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES } from '../../oci/media-types.js';
import type { BlobInfo } from '../../store/content-store.js';
import type { ManifestReference } from '../names.js';
import type { RegistryStorage } from '../registry.js';
import type { StoredManifest } from '../storage/manifest-store.js';
import { UpstreamClient } from './upstream-client.js';

/** One cached upstream: repositories `<prefix>/<path>` mirror `<path>` of `url`. */
export const upstreamSchema = z.strictObject({
  prefix: z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/),
  url: z.url(),
  username: z.string().optional(),
  password: z.string().optional(),
  /** How long a tag's answer is trusted before the upstream is asked again. */
  ttlSeconds: z.number().int().nonnegative().default(300),
});
export type UpstreamConfig = z.infer<typeof upstreamSchema>;

const ACCEPT = [...MANIFEST_MEDIA_TYPES, ...INDEX_MEDIA_TYPES].join(', ');

/**
 * Pull-through caches of upstream registries, each under its own prefix. A manifest by digest or
 * a blob is fetched once, verified against its digest and kept (content never changes); a tag is
 * re-resolved upstream when its TTL has passed, and the cached answer is served while the
 * upstream is unreachable. Pushes to a cached prefix are refused by the routes.
 */
export class PullThroughCache {
  private readonly clients = new Map<string, UpstreamClient>();

  constructor(
    private readonly storage: RegistryStorage,
    private readonly upstreams: readonly UpstreamConfig[],
    private readonly clock: Clock,
  ) {
    for (const upstream of upstreams) this.clients.set(upstream.prefix, new UpstreamClient(upstream));
  }

  covers(name: string): boolean {
    return this.upstreamOf(name) !== undefined;
  }

  async fetchManifest(name: string, reference: ManifestReference): Promise<StoredManifest | undefined> {
    const local = await this.storage.manifests.resolve(name, reference);
    const found = this.upstreamOf(name);
    if (!found) return local;
    if (local && reference.kind === 'digest') return local;
    if (local && reference.kind === 'tag') {
      const fetchedAt = this.storage.manifests.tagFetchedAt(name, reference.tag);
      if (fetchedAt && this.clock.now().getTime() - fetchedAt.getTime() < found.upstream.ttlSeconds * 1000) return local;
    }
    const ref = reference.kind === 'tag' ? reference.tag : reference.digest;
    let response: Response;
    try {
      response = await found.client.get(`/v2/${found.path}/manifests/${ref}`, `repository:${found.path}:pull`, { accept: ACCEPT });
    } catch (err) {
      if (isBerthError(err, 'unavailable') && local) return local;
      throw err;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      return local;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const doc = await this.storage.manifests.putCached(name, reference, bytes, response.headers.get('content-type') ?? undefined, this.clock.now().toISOString());
    return this.storage.manifests.resolve(name, { kind: 'digest', digest: doc.digest });
  }

  async fetchBlob(name: string, digest: Digest): Promise<BlobInfo | undefined> {
    const found = this.upstreamOf(name);
    if (!found) return undefined;
    const response = await found.client.get(`/v2/${found.path}/blobs/${digest}`, `repository:${found.path}:pull`);
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      return undefined;
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    return this.storage.blobs.write(name, response.body, digest, Number.isInteger(length) ? length : undefined);
  }

  /** Tags of a cached repository are those pulled through it; nothing to refresh upstream. */
  async refreshTags(_name: string): Promise<void> {
    // The tag list of a cache is what it holds; listing the upstream's would offer unpulled tags.
  }

  private upstreamOf(name: string): { upstream: UpstreamConfig; client: UpstreamClient; path: string } | undefined {
    for (const upstream of this.upstreams) {
      if (!name.startsWith(`${upstream.prefix}/`)) continue;
      const client = this.clients.get(upstream.prefix);
      if (client) return { upstream, client, path: name.slice(upstream.prefix.length + 1) };
    }
    return undefined;
  }
}
